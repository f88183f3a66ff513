"""Small pieces every capture function uses: the expected-results entry and UDP exchanges."""

from netbuild import udp


def entry(description, link_type, sip_messages, tshark_sip_messages, tshark_note="",
          reader_diagnostics=(), lint_codes=(), **extra):
    """One value of captures/expected-crafted.json (see the README for field meanings)."""
    e = {
        "description": description,
        "link_type": link_type,
        "sip_messages": sip_messages,
        "tshark_sip_messages": tshark_sip_messages,
        "tshark_note": tshark_note,
        "reader_diagnostics": list(reader_diagnostics),
        "lint_codes": list(lint_codes),
    }
    e.update(extra)
    return e


def request_packet(msg):
    return udp(msg.pbx, msg.phone, msg.pbx_port, msg.phone_port, msg.request())


def answer_packet(msg, to_tag, **kw):
    return udp(msg.phone, msg.pbx, msg.phone_port, msg.pbx_port, msg.ok(to_tag, **kw))


def udp_exchange(msg, to_tag):
    """A MESSAGE and the phone's 200 OK over UDP, as IP packets (no link layer yet)."""
    return [request_packet(msg), answer_packet(msg, to_tag)]


def registration_packets(reg, to_tag):
    return [udp(reg.phone, reg.pbx, reg.phone_port, reg.pbx_port, reg.request()),
            udp(reg.pbx, reg.phone, reg.pbx_port, reg.phone_port, reg.ok(to_tag))]

"""Captures about the IP layer: IPv4 and IPv6 fragments, IPv6 extension headers."""

import os

from capfile import LINKTYPE_ETHERNET, LINKTYPE_NAMES, Clock, Record, write_pcap
from common import answer_packet, entry, registration_packets, udp_exchange
from netbuild import (ether, ipv4_fragment, ipv4_fragments, ipv6_fragments, reset,
                      udp_bytes)
from scapy.layers.inet import UDP
from scapy.layers.inet6 import IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, PadN
from scapy.packet import Raw
from sip_samples import (PBX6, PHONE6, Message, Registration, initial_state_body,
                         small_body)

ETH = LINKTYPE_NAMES[LINKTYPE_ETHERNET]


def _big_l4(msg):
    return udp_bytes(msg.pbx, msg.phone, msg.pbx_port, msg.phone_port, msg.request())


def udp_fragments_out_of_order(out):
    """REGISTER, then the 60-key initial state in 3 fragments written 3,1,2, then a small MESSAGE."""
    reset()
    clock = Clock()
    reg = Registration("reg-44-0001@192.0.2.44", 1, "z9hG4bK-reg-0001", "ph44reg1")
    big = Message("init-44-0001@pbx.example", 101, "z9hG4bK-msg-0101", "pbx0101",
                  initial_state_body(60))
    small = Message("key3-44-0002@pbx.example", 102, "z9hG4bK-msg-0102", "pbx0102", small_body())
    frags = ipv4_fragments(big.pbx, big.phone, 0x4A01, _big_l4(big))
    assert len(frags) == 3
    pkts = (registration_packets(reg, "pbxreg1")
            + [frags[2], frags[0], frags[1]]
            + [answer_packet(big, "ph44a101")]
            + udp_exchange(small, "ph44a102"))
    recs = []
    for p in pkts:
        recs.append(Record(clock.tick(800), bytes(ether(p))))
    name = "udp-fragments-out-of-order.pcap"
    write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, recs)
    return {name: entry(
        "REGISTER (Supported: buttons) and its 200 (Require: buttons); the registrar's 60-key initial "
        "state (a 3345-byte MESSAGE) in 3 IPv4 fragments written in the order 3,1,2 (frames 3-5, "
        "completed at frame 5); the phone's 200; a small MESSAGE (k=3 c=on l=Sales) and its 200.",
        ETH, 6, 6)}


def udp_fragments_overlap_dup(out):
    """A duplicated fragment, an overlapping fragment, and a datagram whose last fragment is lost."""
    reset()
    clock = Clock()
    a = Message("init-44-0011@pbx.example", 111, "z9hG4bK-msg-0111", "pbx0111", initial_state_body(60))
    b = Message("init-44-0012@pbx.example", 112, "z9hG4bK-msg-0112", "pbx0112", initial_state_body(60))
    c = Message("init-44-0013@pbx.example", 113, "z9hG4bK-msg-0113", "pbx0113", initial_state_body(60))
    pkts = []
    # A: fragment 2 captured twice, byte for byte.
    fa = ipv4_fragments(a.pbx, a.phone, 0x4B01, _big_l4(a))
    pkts += [fa[0], fa[1], fa[1], fa[2], answer_packet(a, "ph44a111")]
    # B: an extra fragment covering bytes 1200..1807 overlaps fragments 1 and 2 (same bytes).
    lb = _big_l4(b)
    fb = ipv4_fragments(b.pbx, b.phone, 0x4B02, lb)
    over = ipv4_fragment(b.pbx, b.phone, 0x4B02, 1200, lb[1200:1808], True)
    pkts += [fb[0], over, fb[1], fb[2], answer_packet(b, "ph44a112")]
    # C: the last fragment never arrives; the phone never answers. The PBX's retransmission
    # (Timer E, 500 ms later, new IP id) arrives whole and is answered.
    lc = _big_l4(c)
    fc = ipv4_fragments(c.pbx, c.phone, 0x4B03, lc)
    fc2 = ipv4_fragments(c.pbx, c.phone, 0x4B04, lc)
    recs = []
    for p in pkts + fc[:2]:
        recs.append(Record(clock.tick(700), bytes(ether(p))))
    clock.tick(500_000)
    for p in fc2 + [answer_packet(c, "ph44a113")]:
        recs.append(Record(clock.tick(700), bytes(ether(p))))
    name = "udp-fragments-overlap-dup.pcap"
    write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, recs)
    return {name: entry(
        "Three 3345-byte MESSAGEs in IPv4 fragments. A (IP id 0x4b01, frames 1-4): fragment 2 "
        "captured twice (frames 2 and 3, identical). B (id 0x4b02, frames 6-9): an extra fragment "
        "(frame 7, offset 1200, 608 bytes) overlaps fragments 1 and 2 with identical bytes. C (id "
        "0x4b03, frames 11-12): the last fragment never arrives: incomplete, must be reported and "
        "dropped; its retransmission 500 ms later (id 0x4b04, frames 13-15) is complete and "
        "answered (frame 16). 200 OKs at frames 5, 10, 16.",
        ETH, 6, 6,
        reader_diagnostics=["ip-fragment-incomplete"])}


def ipv6_fragments_ext_headers(out):
    """IPv6: Hop-by-Hop + Destination Options before UDP; a fragmented MESSAGE written 2,3,1."""
    reset()
    clock = Clock()
    small = Message("key5-44-0021@pbx.example", 121, "z9hG4bK-msg-0121", "pbx0121",
                    small_body("5", "pickup", "Reception"), pbx=PBX6, phone=PHONE6)
    big = Message("init-44-0022@pbx.example", 122, "z9hG4bK-msg-0122", "pbx0122",
                  initial_state_body(60), pbx=PBX6, phone=PHONE6)
    with_ext = (IPv6(src=PBX6, dst=PHONE6, hlim=64)
                / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\x00\x00\x00\x00")])
                / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 12)])
                / UDP(sport=5060, dport=5060) / Raw(small.request()))
    frags = ipv6_fragments(PBX6, PHONE6, 0x2A000001, _big_l4(big))
    assert len(frags) == 3
    pkts = ([with_ext, answer_packet(small, "ph44a121")]
            + [frags[1], frags[2], frags[0], answer_packet(big, "ph44a122")])
    recs = [Record(clock.tick(900), bytes(ether(p))) for p in pkts]
    name = "ipv6-fragments-ext-headers.pcap"
    write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, recs)
    return {name: entry(
        "IPv6 (2001:db8::1 -> 2001:db8::44). Frame 1: MESSAGE behind a Hop-by-Hop and a Destination "
        "Options extension header (next headers 0 -> 60 -> 17); frame 2 its 200. Frames 3-5: the "
        "3345-byte initial state in 3 IPv6 fragments (Fragment header, id 0x2a000001) written in the "
        "order 2,3,1, completed at frame 5; frame 6 its 200.",
        ETH, 4, 4)}


ALL = [udp_fragments_out_of_order, udp_fragments_overlap_dup, ipv6_fragments_ext_headers]

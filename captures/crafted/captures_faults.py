"""Captures whose file or packets are damaged: snap length, cut-short files, garbage,
a file that is no capture at all, and bare-LF SIP."""

import os
import random
import struct

from capfile import LINKTYPE_ETHERNET, LINKTYPE_NAMES, Clock, Record, pcap_bytes, write_pcap
from common import entry, udp_exchange
from netbuild import ether, reset
from sip_samples import Message, initial_state_body, small_body

ETH = LINKTYPE_NAMES[LINKTYPE_ETHERNET]


def _msg(n, body=None, key="3", light="on", label="Sales", **kw):
    return Message(f"m{n:04d}@pbx.example", n, f"z9hG4bK-m{n:04d}", f"pbx{n:04d}",
                   body if body is not None else small_body(key, light, label), **kw)


def _frames(pkts, gap_us=1000, clock=None):
    clock = clock or Clock()
    return [Record(clock.tick(gap_us), bytes(ether(p))) for p in pkts]


def snaplen_truncated(out):
    """Snap length 512: headers survive, the body is cut. And snap length 200, where nothing does."""
    reset()
    big = _msg(402, body=initial_state_body(10))
    small = _msg(403, key="4", light="off", label="Support")
    recs = _frames(udp_exchange(big, "ph44a402") + udp_exchange(small, "ph44a403"))
    wire = len(recs[0].data)
    head_len = 42 + big.request().index(b"\r\n\r\n") + 4
    assert head_len < 512 < wire and all(len(r.data) <= 512 for r in recs[1:])
    name1 = "snaplen-truncated.pcap"
    write_pcap(os.path.join(out, name1), LINKTYPE_ETHERNET, recs, snaplen=512)

    # At 200 bytes no SIP message survives: Ethernet+IP+UDP take 42 and the mandatory
    # headers alone are longer than the 158 left. Both packets are cut inside the headers.
    reset()
    m = _msg(401)
    recs = _frames(udp_exchange(m, "ph44a401"))
    assert all(len(r.data) > 200 for r in recs)
    lens = [len(r.data) for r in recs]
    cut_in = [r.data[:200].rsplit(b"\r\n", 1)[-1].split(b":")[0].decode() for r in recs]
    name2 = "snaplen-200.pcap"
    write_pcap(os.path.join(out, name2), LINKTYPE_ETHERNET, recs, snaplen=200)
    return {
        name1: entry(
            f"Snap length 512. Frame 1: a MESSAGE (m0402, 10-key document, {wire} bytes on the wire) "
            f"captured 512: all headers are there (they end at byte {head_len} of the frame) but the "
            f"body is cut after {512 - head_len} of its {len(big.body)} bytes (caplen < len). Frame 2 "
            "its 200. Frames 3-4: a small MESSAGE (m0403) and its 200, complete.",
            ETH, 4, 4,
            tshark_note="tshark shows frame 1 as a MESSAGE flagged '[Packet size limited during "
                        "capture]' but fills no header fields for it (no sip.Call-ID, no sip.CSeq) "
                        "even though all headers were captured; counted here by its start line.",
            reader_diagnostics=["capture-truncated"], lint_codes=["capture-truncated"],
            incomplete_sip_messages=1),
        name2: entry(
            f"Snap length 200: a MESSAGE (m0401, {lens[0]} bytes) and its 200 OK ({lens[1]} bytes), "
            "both captured 200 bytes: the cut falls inside the header section (in the MESSAGE's "
            f"{cut_in[0]} line and the 200's {cut_in[1]} line), so Content-Type, Content-Length and the body are all missing. Neither message "
            "is complete.",
            ETH, 2, 2,
            tshark_note="tshark shows both start lines, flagged '[Packet size limited during capture]', "
                        "with no header fields; counted here by their start lines.",
            reader_diagnostics=["capture-truncated"], lint_codes=["capture-truncated"],
            incomplete_sip_messages=2),
    }


def cut_short(out):
    reset()
    msgs = [_msg(411), _msg(412, key="4", light="off", label="Support"),
            _msg(413, key="5", light="hold", label="Hold line")]
    pkts = []
    for i, m in enumerate(msgs):
        pkts += udp_exchange(m, f"ph44a{411 + i}")
    data = pcap_bytes(LINKTYPE_ETHERNET, _frames(pkts))
    name = "cut-short.pcap"
    with open(os.path.join(out, name), "wb") as f:
        f.write(data[:-100])            # the last record loses its final 100 bytes
    return {name: entry(
        "Three MESSAGE + 200 pairs (m0411..m0413); the file ends 100 bytes before the end of the "
        "last record (the 200 for m0413): its record header promises more bytes than the file has. "
        "A reader keeps the first 5 packets and reports the cut.",
        ETH, 5, 5,
        tshark_note="tshark lists 5 packets and exits with 'appears to have been cut short in the "
                    "middle of a packet'.",
        reader_diagnostics=["file-truncated"])}


def garbage_after_start(out):
    reset()
    m = _msg(421)
    data = pcap_bytes(LINKTYPE_ETHERNET, _frames(udp_exchange(m, "ph44a421")))
    rng = random.Random(421)
    # A record header with a plausible time but a caplen of ~2 GB, then noise.
    bogus = struct.pack("<IIII", 1_700_000_000, 3000, 0x7FFFFFF0, 0x7FFFFFF0) + rng.randbytes(61)
    name = "garbage-after-start.pcap"
    with open(os.path.join(out, name), "wb") as f:
        f.write(data + bogus)
    return {name: entry(
        "A valid header and two good packets (MESSAGE m0421 + 200), then 77 bytes of garbage: a "
        "record header claiming a 2147483632-byte packet, followed by random bytes. A reader must "
        "keep both packets, report the garbage, and not try to allocate 2 GB.",
        ETH, 2, 0,
        tshark_note="tshark 4.0 (wiretap) finds no SIP at all: the bad third record makes its "
                    "pcap-variant heuristic reject standard pcap and pick a modified-pcap layout "
                    "with longer record headers, so it decodes both good packets as garbage (LLC, "
                    "negative time) and then stops with 'File has 2810797619-byte packet'. "
                    "libpcap (tcpdump -r) reads both packets correctly and then fails on the "
                    "2147483632-byte record.",
        reader_diagnostics=["file-garbage"])}


def not_a_capture(out):
    m = _msg(431)
    text = b"\r\n".join(m.request().split(b"\r\n")[:5]) + b"\r\n"
    name = "not-a-capture.pcap"
    with open(os.path.join(out, name), "wb") as f:
        f.write(text)
    return {name: entry(
        "Not a capture: the first five lines of a SIP MESSAGE as text, saved with a .pcap name.",
        "none", 0, 0,
        tshark_note="tshark refuses the file ('isn't a capture file in a format TShark understands').",
        reader_diagnostics=["not-a-capture"])}


def lf_only_sip(out):
    reset()
    # 1: everything in bare LF, as a broken stack sends it; Content-Length counts the LF bytes.
    m1 = _msg(441, eol="\n", body=small_body("3", "on", "Sales", eol="\n"))
    # 2: CRLF headers, mod_snom's LF-only body with its trailing empty line.
    m2 = _msg(442, body=b"k=4\nc=off\nl=Support\n\n")
    pkts = udp_exchange(m1, "ph44a441") + udp_exchange(m2, "ph44a442")
    name = "lf-only-sip.pcap"
    write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, _frames(pkts))
    return {name: entry(
        "Frame 1: a MESSAGE (m0441) whose start line, headers and body all end in bare LF (body "
        f"'k=3\\nc=on\\nl=Sales\\n', Content-Length {len(m1.body)} = the LF bytes); frame 2 the "
        "phone's normal CRLF 200. Frame 3: a MESSAGE (m0442) with CRLF headers and mod_snom's "
        f"bare-LF body 'k=4\\nc=off\\nl=Support\\n\\n' (Content-Length {len(m2.body)}); frame 4 its "
        "200. Both documents deserve a bare-lf warning, not a rejection.",
        ETH, 4, 4, lint_codes=["bare-lf"],
        tshark_note="No disagreement: tshark 4.0 parses the bare-LF start line, headers and body of "
                    "frame 1 (Content-Length 17) without an expert warning.")}


ALL = [snaplen_truncated, cut_short, garbage_after_start, not_a_capture, lf_only_sip]

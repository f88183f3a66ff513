"""Captures about SIP over TCP: framing by Content-Length, reassembly, gaps, TLS."""

import os

from capfile import LINKTYPE_ETHERNET, LINKTYPE_NAMES, Clock, Record, write_pcap
from common import entry, udp_exchange
from netbuild import TcpConn, ether, reset
import tls_records as tls
from sip_samples import (PBX, PHONE, PHONE45, Message, Registration, initial_state_body,
                         small_body)

ETH = LINKTYPE_NAMES[LINKTYPE_ETHERNET]


def _tcp_msg(n, body=None, key="3", light="on", label="Sales", **kw):
    kw.setdefault("transport", "TCP")
    return Message(f"tcp-{n:04d}@pbx.example", n, f"z9hG4bK-tcp-{n:04d}", f"pbx{n:04d}",
                   body if body is not None else small_body(key, light, label), **kw)


class Recorder:
    """Collects Ethernet frames with timestamps; skip() lets a packet go unrecorded."""

    def __init__(self):
        self.clock = Clock()
        self.recs = []

    def add(self, *pkts, gap_us=1000):
        for p in pkts:
            self.recs.append(Record(self.clock.tick(gap_us), bytes(ether(p))))

    @staticmethod
    def skip(*_pkts):
        """A packet that was on the wire but is not in the capture."""

    def write(self, out, name):
        write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, self.recs)


def tcp_two_in_one_segment(out):
    reset()
    r = Recorder()
    # The phone opens the connection and registers over it; the PBX reuses it.
    conn = TcpConn(PHONE, 49152, PBX, 5060, 0x10000000, 0x20000000)
    reg = Registration("reg-44-0301@192.0.2.44", 1, "z9hG4bK-reg-0301", "ph44reg3",
                       transport="TCP", phone_port=49152)
    r.add(*conn.handshake())
    r.add(conn.data("c", reg.request()))
    r.add(conn.data("s", reg.ok("pbxreg3")))
    r.add(conn.ack("c"))
    m1 = _tcp_msg(301, phone_port=49152)
    m2 = _tcp_msg(302, key="4", light="off", label="Support", phone_port=49152)
    r.add(conn.data("s", m1.request() + m2.request()), gap_us=20_000)
    r.add(conn.data("c", m1.ok("ph44a301") + m2.ok("ph44a302")))
    r.add(conn.ack("s"))
    name = "tcp-two-in-one-segment.pcap"
    r.write(out, name)
    return {name: entry(
        "One TCP connection opened by the phone (SYN at frame 1): REGISTER (frame 4) and its 200 "
        "(frame 5); then ONE segment (frame 7) carrying two complete MESSAGEs (CSeq 301 and 302), "
        "and ONE segment (frame 8) carrying both 200 OKs. Framing needs Content-Length.",
        ETH, 6, 6)}


def tcp_split_header_body(out):
    reset()
    r = Recorder()
    conn = TcpConn(PBX, 41000, PHONE, 5060, 0x30000000, 0x40000000)
    m = _tcp_msg(311, body=initial_state_body(8))
    data = m.request()
    cut1 = data.index(b"Call-ID: ") + 5             # inside the Call-ID header line
    cut2 = data.index(b"\r\n\r\n") + 4 + 37          # inside the body
    r.add(*conn.handshake())
    r.add(conn.data("c", data[:cut1]))
    r.add(conn.ack("s"), gap_us=200)
    r.add(conn.data("c", data[cut1:cut2]), gap_us=300)
    r.add(conn.data("c", data[cut2:]), gap_us=300)
    r.add(conn.data("s", m.ok("ph44a311")))
    r.add(conn.ack("c"))
    name = "tcp-split-header-body.pcap"
    r.write(out, name)
    return {name: entry(
        f"One MESSAGE (Call-ID tcp-0311@pbx.example, {len(data)} bytes, an 8-key document) in three "
        f"segments: frame 4 ends inside the Call-ID header line ('Call-'), frame 6 ends 37 bytes into "
        f"the body, frame 7 completes it; frame 8 is the 200 OK.",
        ETH, 2, 2)}


def tcp_out_of_order_retransmit(out):
    reset()
    r = Recorder()
    conn = TcpConn(PBX, 41010, PHONE, 5060, 0x50000000, 0x60000000)
    a = _tcp_msg(321, body=initial_state_body(10, rich=False))
    b = _tcp_msg(322, key="5", light="hold", label="Hold line")
    stream = a.request() + b.request()
    la = len(a.request())
    s1, s2, s3, s4 = (0, 400), (400, la + 100), (la + 100, la + 250), (la + 250, len(stream))
    part = lambda lo, hi: stream[lo:hi]  # noqa: E731
    r.add(*conn.handshake())
    # Build in wire order (so seq numbers are right), record in capture order.
    p1 = conn.data("c", part(*s1))
    p2 = conn.data("c", part(*s2))
    r.add(p2)                                 # frame 4: segment 2 arrives first
    r.add(p1)                                 # frame 5: then segment 1
    r.add(conn.ack("s"))                      # frame 6
    r.add(conn.data("c", part(*s1), at=s1[0]), gap_us=200_000)  # frame 7: exact retransmission of 1
    r.add(conn.data("c", part(*s3), at=s3[0]))                   # frame 8: segment 3
    over = (la + 180, len(stream))
    r.add(conn.data("c", part(*over), at=over[0]))               # frame 9: overlaps 3 and brings 4
    r.add(conn.data("s", a.ok("ph44a321")))                      # frame 10
    r.add(conn.data("s", b.ok("ph44a322")))                      # frame 11
    r.add(conn.ack("c"))
    name = "tcp-out-of-order-retransmit.pcap"
    r.write(out, name)
    return {name: entry(
        f"Two MESSAGEs (A {la} bytes, tcp-0321; B tcp-0322) sent as one byte stream in segments. "
        f"Frame 4 is segment 2 (bytes 400..{la + 100}: end of A, start of B) captured BEFORE frame 5, "
        f"segment 1 (bytes 0..400). Frame 7 is an exact retransmission of segment 1 (200 ms later). "
        f"Frame 8 is segment 3 (bytes {la + 100}..{la + 250}); frame 9 is a retransmission that "
        f"partially overlaps it (starts at byte {la + 180}, identical bytes) and carries the rest of "
        f"B. 200 OKs at frames 10 and 11. A completes at frame 5, B at frame 9.",
        ETH, 4, 4)}


def tcp_missing_segment(out):
    reset()
    r = Recorder()
    conn = TcpConn(PHONE, 49160, PBX, 5060, 0x70000000, 0x71000000)
    m1 = _tcp_msg(331, phone_port=49160)
    m2 = _tcp_msg(332, body=initial_state_body(10), phone_port=49160)
    m3 = _tcp_msg(333, key="7", light="pickup", label="Hotline", phone_port=49160)
    d2 = m2.request()
    body_at = d2.index(b"\r\n\r\n") + 4
    r.add(*conn.handshake())
    r.add(conn.data("s", m1.request()))
    r.add(conn.data("c", m1.ok("ph44a331")))
    r.add(conn.data("s", d2[:body_at + 100]), gap_us=50_000)
    r.skip(conn.data("s", d2[body_at + 100:body_at + 300]))      # never captured
    r.add(conn.data("s", d2[body_at + 300:] + m3.request()))
    r.add(conn.data("c", m2.ok("ph44a332")))
    r.add(conn.data("c", m3.ok("ph44a333")))
    r.add(conn.ack("s"))
    name = "tcp-missing-segment.pcap"
    r.write(out, name)
    missing = 200
    return {name: entry(
        f"Three MESSAGEs from the PBX on a connection the phone opened. Frame 4 is M1 (tcp-0331), frame 5 "
        f"its 200. Frame 6 carries M2's (tcp-0332) headers and the first 100 body bytes; the next "
        f"segment ({missing} body bytes) was never captured; frame 7 starts with the last "
        f"{len(d2) - body_at - 300} bytes of M2's body and then holds all of M3 (tcp-0333). A reader "
        f"must report the gap, not invent M2's body, and still find M3 (resync at its start line, or "
        f"by sequence numbers). The phone answered all three (frames 5, 8, 9). sip_messages counts "
        f"M1, M2 (start line and headers present, body incomplete), M3 and the three 200s.",
        ETH, 6, 4,
        tshark_note="tshark finds M1 and the three 200s but neither M2 nor M3: M2's reassembly waits for the "
                    "missing segment forever, so frames 6 and 7 stay 'TCP segment of a reassembled "
                    "PDU' and M3, behind the hole in the same segment, is never dissected.",
        reader_diagnostics=["tcp-gap"], incomplete_sip_messages=1)}


def tcp_midstream_start(out):
    reset()
    r = Recorder()
    conn = TcpConn(PBX, 41020, PHONE, 5060, 0x7A000000, 0x7B000000)
    m0 = _tcp_msg(340, body=initial_state_body(6, rich=False))
    m1 = _tcp_msg(341, key="4", light="on", label="Team")
    m2 = _tcp_msg(342, key="5", light="off", label="Team 2")
    d0 = m0.request()
    # The connection (SYN, REGISTER, most of M0) happened before the capture started.
    conn.data("c", b"")
    conn.data("c", d0[:-45])
    r.add(conn.data("c", d0[-45:]))          # frame 1: the last 45 bytes of M0's body
    r.add(conn.data("s", m0.ok("ph44a340")))  # frame 2: a 200 for a MESSAGE not in the file
    r.add(conn.data("c", m1.request()), gap_us=30_000)
    r.add(conn.data("s", m1.ok("ph44a341")))
    r.add(conn.data("c", m2.request()), gap_us=30_000)
    r.add(conn.data("s", m2.ok("ph44a342")))
    name = "tcp-midstream-start.pcap"
    r.write(out, name)
    return {name: entry(
        "The capture starts in the middle of a connection: no SYN. Frame 1 is the last 45 bytes of a "
        "MESSAGE body (lamp descriptions, no start line); the reader must skip them. Frame 2 is the "
        "phone's 200 OK for that unseen MESSAGE (tcp-0340). Then complete MESSAGE + 200 pairs "
        "(tcp-0341 frames 3-4, tcp-0342 frames 5-6).",
        ETH, 5, 5,
        tshark_note="Same message count, but `tshark -Y sip` also lists frame 1 (the body tail) as "
                    "SIP 'Continuation': a frame that matches the filter without holding a message.")}


def compact_headers_folding(out):
    reset()
    r = Recorder()
    conn = TcpConn(PBX, 41030, PHONE, 5060, 0x7C000000, 0x7D000000)
    m1 = _tcp_msg(351, key="3", light="on", label="Sales", compact=True, fold_from=True, subject=True)
    m2 = _tcp_msg(352, body=initial_state_body(3))
    r.add(*conn.handshake())
    r.add(conn.data("c", m1.request() + m2.request()))
    r.add(conn.data("s", m1.ok("ph44a351", compact=True)))
    r.add(conn.data("s", m2.ok("ph44a352")))
    r.add(conn.ack("c"))
    name = "compact-headers-folding.pcap"
    r.write(out, name)
    return {name: entry(
        "Over TCP, one segment (frame 4) holds two MESSAGEs. The first (tcp-0351) uses compact headers "
        "only (v: f: t: i: m: s: c: l:) and its From header is folded: the ';tag=pbx0351' sits on a "
        "continuation line starting with spaces; its body length comes from 'l: 20'. The second "
        "(tcp-0352) uses long forms. Frame 5 is a compact 200 OK (v/f/t/i/l), frame 6 a normal one.",
        ETH, 4, 4)}


def tls_5061(out):
    reset()
    r = Recorder()
    rng = tls.rng(5061)
    conn = TcpConn(PHONE, 49170, PBX, 5061, 0x7E000000, 0x7F000000)
    ch = tls.client_hello(rng)
    session_id = ch[44:76]
    r.add(*conn.handshake())
    r.add(conn.data("c", ch))
    r.add(conn.data("s", tls.server_hello(rng, session_id) + tls.CHANGE_CIPHER_SPEC
                    + tls.app_data(rng, 1100)))      # encrypted extensions, certificate, finished
    r.add(conn.data("c", tls.CHANGE_CIPHER_SPEC + tls.app_data(rng, 36)))   # client finished
    r.add(conn.data("c", tls.app_data(rng, 530)), gap_us=5000)   # REGISTER
    r.add(conn.data("s", tls.app_data(rng, 410)))                 # 200 OK
    r.add(conn.data("s", tls.app_data(rng, 420)), gap_us=20_000)  # MESSAGE with x-buttons
    r.add(conn.data("c", tls.app_data(rng, 390)))                 # 200 OK
    r.add(conn.ack("s"))
    m = Message("key3-45-0361@pbx.example", 361, "z9hG4bK-msg-0361", "pbx0361",
                small_body("3", "on", "Sales"), phone=PHONE45, user="45", line="ef567890")
    r.add(*udp_exchange(m, "ph45a361"), gap_us=40_000)
    name = "tls-5061.pcap"
    r.write(out, name)
    return {name: entry(
        "SIP over TLS: phone 192.0.2.44:49170 to the PBX's port 5061. After the TCP handshake, frame 4 "
        "is a TLS ClientHello record (16 03 01, SNI pbx.example, TLS 1.3), frame 5 ServerHello + "
        "ChangeCipherSpec + encrypted handshake, then application data records of SIP-like sizes "
        "(REGISTER, 200, MESSAGE, 200) that cannot be read without keys. Frames 12-13: a plain "
        "MESSAGE + 200 over UDP to phone 45 (192.0.2.45), the only SIP a reader can see.",
        ETH, 2, 2, reader_diagnostics=["tls-unreadable"])}


ALL = [tcp_two_in_one_segment, tcp_split_header_body, tcp_out_of_order_retransmit,
       tcp_missing_segment, tcp_midstream_start, compact_headers_folding, tls_5061]

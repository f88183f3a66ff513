#!/usr/bin/python3
"""Writes the hostile captures the benchmark runs (the tests build the same shapes in Swift):

  tcp-hole.pcap        a TCP stream whose first 1000 bytes were never captured, then 8 MB of SIP after the hole
  frag-flood.pcap      20 000 IPv4 datagrams whose first fragment arrives and the rest never do
  huge-cl.pcap         Content-Length: 9999999999 over UDP and over TCP (then more bytes on that stream)
  long-header.pcap     one header line of 10 MB over TCP
  tcp-100k.pcap        100 000 concurrent TCP connections, each with one partial SIP message

Each ends with a normal MESSAGE (phone 44, key 7) and its 200 over UDP, whose analysis must not change.

    /usr/bin/python3 scripts/bench/hostile-captures.py OUTDIR
"""

import os
import struct
import sys

PBX = bytes([192, 0, 2, 1])
PHONE = bytes([192, 0, 2, 44])
MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000044")
T0 = 1700000000


def ip_checksum(h):
    s = sum(struct.unpack("!10H", h))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.t = 0.0
        self.ident = 0
        self.out = []

    def frame(self, data):
        self.t += 0.0001
        sec = int(self.t)
        self.out.append(struct.pack("<IIII", T0 + sec, int((self.t - sec) * 1e6), len(data), len(data)) + data)
        if len(self.out) > 4096:
            self.flush()

    def flush(self):
        self.f.write(b"".join(self.out))
        self.out = []

    def close(self):
        self.flush()
        self.f.close()

    def ipv4(self, src, dst, proto, payload, ident=None, offset=0, more=False):
        if ident is None:
            self.ident = (self.ident + 1) & 0xFFFF
            ident = self.ident
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                        (0x2000 if more else 0) | offset // 8, 64, proto, 0, src, dst)
        h = h[:10] + struct.pack("!H", ip_checksum(h)) + h[12:]
        self.frame(MAC_B + MAC_A + b"\x08\x00" + h + payload)

    def udp(self, src, sport, dst, dport, payload):
        self.ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)

    def tcp(self, src, sport, dst, dport, seq, flags, payload=b"", ack=0):
        self.ipv4(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack, 0x50, flags,
                                            65535, 0, 0) + payload)


def message(call_id, body=b"k=7\r\nc=on\r\nl=Normal\r\n", content_length=None, transport="UDP", extra=""):
    cl = len(body) if content_length is None else content_length
    return (f"MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} 192.0.2.1:5060;branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:44@pbx.example>;tag=t-{call_id}\r\nTo: <sip:44@pbx.example>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 MESSAGE\r\n{extra}Content-Type: application/x-buttons\r\n"
            f"Content-Length: {cl}\r\n\r\n").encode() + body


def ok(call_id, transport="UDP"):
    return (f"SIP/2.0 200 OK\r\nVia: SIP/2.0/{transport} 192.0.2.1:5060;branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:44@pbx.example>;tag=t-{call_id}\r\nTo: <sip:44@pbx.example>;tag=p\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n").encode()


def normal_tail(p):
    """The part whose analysis must not change: a MESSAGE for key 7 of phone 44, and its 200."""
    p.udp(PBX, 5060, PHONE, 5060, message("normal-after-hostile"))
    p.udp(PHONE, 5060, PBX, 5060, ok("normal-after-hostile"))


def tcp_hole(p, megabytes=8):
    src, dst = bytes([192, 0, 2, 10]), PHONE
    seq = 1000
    p.tcp(src, 40000, dst, 5060, seq, 0x02)
    seq += 1 + 1000                       # the first 1000 bytes were never captured
    parts, size, i = [], 0, 0
    while size < megabytes * 1024 * 1024:
        parts.append(message(f"hole-{i}", transport="TCP"))
        size += len(parts[-1])
        i += 1
    stream = b"".join(parts)
    stream = stream[1000:]                # what the capture kept starts 1000 bytes into the stream
    for i in range(0, len(stream), 1400):
        piece = stream[i:i + 1400]
        p.tcp(src, 40000, dst, 5060, seq, 0x18, piece)
        seq += len(piece)


def frag_flood(p, count=20000):
    src = bytes([192, 0, 2, 20])
    for i in range(count):
        first = struct.pack("!HHHH", 5060, 5060, 3000, 0) + b"x" * 1472
        p.ipv4(src, PHONE, 17, first, ident=i & 0xFFFF, offset=0, more=True)
        if i & 0xFFFF == 0xFFFF:
            src = bytes([192, 0, 2, 21])  # new identification space


def huge_cl(p):
    p.udp(PBX, 5060, PHONE, 5060, message("huge-udp", content_length=9999999999))
    src = bytes([192, 0, 2, 30])
    seq = 5000
    p.tcp(src, 40001, PHONE, 5060, seq, 0x02)
    seq += 1
    data = message("huge-tcp", content_length=9999999999, transport="TCP") + b"z" * (2 * 1024 * 1024)
    for i in range(0, len(data), 1400):
        p.tcp(src, 40001, PHONE, 5060, seq, 0x18, data[i:i + 1400])
        seq += len(data[i:i + 1400])


def long_header(p, megabytes=10):
    src = bytes([192, 0, 2, 40])
    seq = 9000
    p.tcp(src, 40002, PHONE, 5060, seq, 0x02)
    seq += 1
    head = message("long-header", transport="TCP", extra="X-Long: ")
    cut = head.index(b"X-Long: ") + len(b"X-Long: ")
    data = head[:cut] + b"a" * (megabytes * 1024 * 1024) + b"\r\n" + head[cut:]
    for i in range(0, len(data), 1400):
        p.tcp(src, 40002, PHONE, 5060, seq, 0x18, data[i:i + 1400])
        seq += len(data[i:i + 1400])


def many_connections(p, count=100000):
    partial = b"MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-p\r\nCall-ID: partial\r\n"
    for i in range(count):
        src = bytes([10, 9, (i >> 8) & 0xFF, i & 0xFF])
        port = 20000 + (i >> 16)
        p.tcp(src, port, PHONE, 5060, 77, 0x02)
        p.tcp(src, port, PHONE, 5060, 78, 0x18, partial)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    for name, build in [("tcp-hole", tcp_hole), ("frag-flood", frag_flood), ("huge-cl", huge_cl),
                        ("long-header", long_header), ("tcp-100k", many_connections)]:
        p = Pcap(os.path.join(out, name + ".pcap"))
        build(p)
        normal_tail(p)
        p.close()
        print(os.path.join(out, name + ".pcap"))


if __name__ == "__main__":
    main()

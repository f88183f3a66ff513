#!/usr/bin/python3
"""Writes the hostile captures the benchmark runs (the tests build the same shapes in Swift):

  tcp-hole.pcap        a TCP stream whose first 1000 bytes were never captured, then 8 MB of SIP after the hole
  frag-flood.pcap      20 000 IPv4 datagrams whose first fragment arrives and the rest never do
  huge-cl.pcap         Content-Length: 9999999999 over UDP and over TCP (then more bytes on that stream)
  long-header.pcap     one header line of 10 MB over TCP
  tcp-100k.pcap        100 000 concurrent TCP connections, each with one partial SIP message

and the shapes of issue 16:

  partial-bodies.pcap  400 TCP streams, each a MESSAGE with a partial 1 MB body (393 MB held before the budget)
  partial-headers.pcap 5 000 TCP streams, each with 60 KB of unfinished header (314 MB held before)
  tcp-reversed.pcap    200 000 4-byte TCP segments of one stream, last first (quadratic before: > 8 min)
  frag-reversed.pcap   20 UDP datagrams of 8 000 8-byte fragments each, last first (24 s before)
  caplen-2g.pcap       779 bytes: snap length 0x7ffffffe and a record claiming a 2 GiB caplen (4 GB before);
                       its normal MESSAGE and 200 come first (nothing after the bad record can be read)
  tsoffset-ends.pcapng interfaces with if_tsoffset at Int64.min and Int64.max (crashed every command before)

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
    def __init__(self, path, snaplen=262144):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
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


def stream(p, src, sport, data, seq=100):
    p.tcp(src, sport, PHONE, 5060, seq - 1, 0x02)
    for i in range(0, len(data), 1400):
        p.tcp(src, sport, PHONE, 5060, seq + i, 0x18, data[i:i + 1400])


def partial_bodies(p, streams=400, size=1 << 20):
    body = b"b" * (size - 48576)
    for s in range(streams):
        stream(p, bytes([10, 7, s >> 8, s & 0xFF]), 30000, message(f"partial-{s}", body=b"", content_length=size, transport="TCP") + body)


def partial_headers(p, streams=5000, size=60 * 1024):
    for s in range(streams):
        head = message(f"partial-head-{s}", transport="TCP", extra="X-Long: ")
        data = head[:head.index(b"X-Long: ") + 8] + b"h" * size
        stream(p, bytes([10, 6, s >> 8, s & 0xFF]), 30001, data)


def tcp_reversed(p, count=200000):
    src = bytes([192, 0, 2, 50])
    p.tcp(src, 40100, PHONE, 5060, 999, 0x02)
    for i in reversed(range(count)):
        p.tcp(src, 40100, PHONE, 5060, 1000 + 4 * i, 0x18, b"abcd")


def frag_reversed(p, datagrams=20, count=8000):
    udp = bytearray(b"x" * (8 * count))
    udp[0:8] = struct.pack("!HHHH", 5060, 5060, len(udp) & 0xFFFF, 0)
    for d in range(datagrams):
        for i in reversed(range(count)):
            p.ipv4(bytes([192, 0, 2, 60]), PHONE, 17, bytes(udp[8 * i:8 * i + 8]), ident=d, offset=8 * i, more=i < count - 1)


def caplen_2g(out):
    path = os.path.join(out, "caplen-2g.pcap")
    p = Pcap(path, snaplen=0x7FFFFFFE)
    normal_tail(p)
    p.flush()
    p.f.write(struct.pack("<IIII", T0 + 100, 0, 0x7FFFFFF0, 0x7FFFFFF0) + b"\0" * 64)
    p.close()
    return path


def tsoffset_ends(out):
    """pcapng: a MESSAGE on an interface with if_tsoffset = Int64.min, its 200 on one with Int64.max,
    then the normal pair on a third interface without an offset."""
    def block(kind, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
    def idb(offset=None):
        opts = b"" if offset is None else struct.pack("<HHq", 14, 8, offset) + struct.pack("<HH", 0, 0)
        return block(1, struct.pack("<HHI", 1, 0, 262144) + opts)
    tmp = os.path.join(out, ".tsoffset-frames.pcap")
    p = Pcap(tmp)
    p.udp(PBX, 5060, PHONE, 5060, message("tsoffset"))
    p.udp(PHONE, 5060, PBX, 5060, ok("tsoffset"))
    normal_tail(p)
    p.close()
    data = open(tmp, "rb").read()
    os.remove(tmp)
    frames, at = [], 24
    while at + 16 <= len(data):
        n = struct.unpack_from("<I", data, at + 8)[0]
        frames.append(data[at + 16:at + 16 + n])
        at += 16 + n
    path = os.path.join(out, "tsoffset-ends.pcapng")
    with open(path, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        f.write(idb(-2**63) + idb(2**63 - 1) + idb())
        for i, fr in enumerate(frames):
            iface = min(i, 2)
            units = i * 0xFFFFFFFFFFFF if i < 2 else T0 * 10**6 + i
            f.write(block(6, struct.pack("<IIIII", iface, units >> 32, units & 0xFFFFFFFF, len(fr), len(fr)) + fr))
    return path


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    print(caplen_2g(out))
    print(tsoffset_ends(out))
    for name, build in [("tcp-hole", tcp_hole), ("frag-flood", frag_flood), ("huge-cl", huge_cl),
                        ("long-header", long_header), ("tcp-100k", many_connections),
                        ("partial-bodies", partial_bodies), ("partial-headers", partial_headers),
                        ("tcp-reversed", tcp_reversed), ("frag-reversed", frag_reversed)]:
        p = Pcap(os.path.join(out, name + ".pcap"))
        build(p)
        normal_tail(p)
        p.close()
        print(os.path.join(out, name + ".pcap"))


if __name__ == "__main__":
    main()

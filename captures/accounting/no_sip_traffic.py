#!/usr/bin/env python3
"""Traffic with no SIP in it, on 127.0.3.0/24 only, for captures/no-sip-mixed.pcap.

Run by make-no-sip.sh while tcpdump records. Sends, in this order:
  * DNS: an A query and a SRV query (_sip._udp) from 127.0.3.2 to a tiny responder on
    127.0.3.1:53 that answers each (4 frames);
  * RTP: 20 version-2 RTP packets (PT 0, 160 bytes of G.711 silence) 127.0.3.3:16384 ->
    127.0.3.4:17002, where a socket receives them (no ICMP);
  * ICMP: two echo requests from 127.0.3.1 to 127.0.3.2 (the kernel answers: 4 frames);
  * one UDP datagram "hello" to 127.0.3.5:9999, where nothing listens: the kernel answers ICMP
    port unreachable (an ICMP error about a packet that is not SIP).
The HTTP and TLS connections are made by the shell script with real tools (curl, openssl).
Needs root (port 53, raw ICMP socket).
"""
import socket
import struct
import sys
import threading
import time


def dns_query(qid, name, qtype):
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return header + labels + struct.pack("!HH", qtype, 1)


def dns_answer(query):
    qid = struct.unpack("!H", query[:2])[0]
    question = query[12:]
    header = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
    qtype = struct.unpack("!H", question[-4:-2])[0]
    if qtype == 1:
        rdata = socket.inet_aton("127.0.3.1")
    else:  # SRV 10 60 5060 pbx.example.
        target = b"\x03pbx\x07example\x00"
        rdata = struct.pack("!HHH", 10, 60, 5060) + target
    answer = b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 300, len(rdata)) + rdata
    return header + question + answer


def dns_server(sock, count):
    for _ in range(count):
        data, peer = sock.recvfrom(2048)
        sock.sendto(dns_answer(data), peer)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.3.1", 53))
    t = threading.Thread(target=dns_server, args=(server, 2))
    t.start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.bind(("127.0.3.2", 0))
    client.settimeout(2)
    for qid, name, qtype in [(0x1234, "pbx.example", 1), (0x1235, "_sip._udp.pbx.example", 33)]:
        client.sendto(dns_query(qid, name, qtype), ("127.0.3.1", 53))
        client.recvfrom(2048)
        time.sleep(0.05)
    t.join()

    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.3.4", 17002))
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.3.3", 16384))
    for n in range(20):
        header = struct.pack("!BBHII", 0x80, 0x00 | (0x80 if n == 0 else 0), 1000 + n, 160 * n, 0x5EED5EED)
        rtp.sendto(header + b"\xff" * 160, ("127.0.3.4", 17002))
        time.sleep(0.02)

    icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    icmp.bind(("127.0.3.1", 0))
    for seq in (1, 2):
        body = struct.pack("!HHHH", 8 << 8, 0, 0x4242, seq) + b"buttonscope-ping"
        packet = struct.pack("!BBHHH", 8, 0, checksum(body[:2] + b"\0\0" + body[4:]), 0x4242, seq) + body[8:]
        icmp.sendto(packet, ("127.0.3.2", 0))
        time.sleep(0.05)

    closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    closed.bind(("127.0.3.2", 40000))
    closed.sendto(b"hello\n", ("127.0.3.5", 9999))
    time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

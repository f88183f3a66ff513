#!/usr/bin/python3
"""Carrier captures no real tool here can make, written with scapy (Debian's python3 has it).

- hep3-compressed-scapy.pcap: HEP3 with the compressed payload chunk (16). No real sender we
  have compresses (Kamailio's siptrace, FreeSWITCH and heplify send chunk 15): crafted.
- hep3-tcp-scapy.pcap: HEP3 over TCP, packets back to back: the first split across two
  segments, the next two in one segment.
- sctp-scapy.pcap: SIP over SCTP. The kernel here has no SCTP (socket(..., 132) is refused) and
  Kamailio/SIPp need it: crafted with scapy's SCTP layers (real CRC32c checksums).
Usage: /usr/bin/python3 captures/carriers/crafted_carriers.py
"""
import os, struct, zlib
from scapy.all import Ether, IP, UDP, TCP, SCTP, SCTPChunkData, SCTPChunkInit, SCTPChunkInitAck, \
    SCTPChunkCookieEcho, SCTPChunkCookieAck, SCTPChunkSACK, SCTPChunkHeartbeatReq, SCTPChunkParamHeartbeatInfo, wrpcap

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
T0 = 1_795_000_000.0
PBX, PHONE, AGENT, COLLECTOR = "127.0.2.1", "127.0.2.2", "127.0.2.5", "127.0.2.9"


def sip_message(call_id, light, cseq=1, transport="UDP"):
    body = f"k=3\r\nc={light}\r\nl=Sales\r\n"
    return (f"MESSAGE sip:44@{PHONE}:5062;line=abcd1234 SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} {PBX}:5060;branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:pbx@{PBX}>;tag=pbx{cseq}\r\nTo: <sip:44@{PHONE}>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: {cseq} MESSAGE\r\nMax-Forwards: 70\r\n"
            f"Content-Type: application/x-buttons\r\nSubject: buttons\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}").encode()


def sip_ok(call_id, cseq=1, transport="UDP"):
    return (f"SIP/2.0 200 OK\r\nVia: SIP/2.0/{transport} {PBX}:5060;branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:pbx@{PBX}>;tag=pbx{cseq}\r\nTo: <sip:44@{PHONE}>;tag=ph{cseq}\r\n"
            f"Call-ID: {call_id}\r\nCSeq: {cseq} MESSAGE\r\nContent-Length: 0\r\n\r\n").encode()


def register(call_id, transport="UDP"):
    return (f"REGISTER sip:{PBX} SIP/2.0\r\nVia: SIP/2.0/{transport} {PHONE}:5062;branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:44@{PBX}>;tag=r1\r\nTo: <sip:44@{PBX}>\r\nCall-ID: {call_id}\r\nCSeq: 1 REGISTER\r\n"
            f"Contact: <sip:44@{PHONE}:5062;line=abcd1234>\r\nSupported: buttons\r\nExpires: 3600\r\n"
            f"Content-Length: 0\r\n\r\n").encode()


def register_ok(call_id, transport="UDP"):
    return (f"SIP/2.0 200 OK\r\nVia: SIP/2.0/{transport} {PHONE}:5062;branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:44@{PBX}>;tag=r1\r\nTo: <sip:44@{PBX}>;tag=reg\r\nCall-ID: {call_id}\r\n"
            f"CSeq: 1 REGISTER\r\nContact: <sip:44@{PHONE}:5062;line=abcd1234>;expires=3600\r\n"
            f"Require: buttons\r\nContent-Length: 0\r\n\r\n").encode()


def chunk(ctype, data):
    return struct.pack("!HHH", 0, ctype, 6 + len(data)) + data


def hep3(src, dst, sport, dport, when, payload, node=2002, correlation=None, compress=False, proto=17):
    sec = int(when)
    usec = int(round((when - sec) * 1e6))
    body = (chunk(1, b"\x02") + chunk(2, bytes([proto])) +
            chunk(3, bytes(map(int, src.split(".")))) + chunk(4, bytes(map(int, dst.split(".")))) +
            chunk(7, struct.pack("!H", sport)) + chunk(8, struct.pack("!H", dport)) +
            chunk(9, struct.pack("!I", sec)) + chunk(10, struct.pack("!I", usec)) +
            chunk(11, b"\x01") + chunk(12, struct.pack("!I", node)))
    if correlation:
        body += chunk(17, correlation.encode())
    body += struct.pack("!HHH", 0x0002, 0x0020, 10) + b"vend"   # a vendor chunk: skipped by length
    body += chunk(16, zlib.compress(payload)) if compress else chunk(15, payload)
    return b"HEP3" + struct.pack("!H", 6 + len(body)) + body


def stamp(pkts, start=T0, step=0.05):
    for i, p in enumerate(pkts):
        p.time = start + i * step
    return pkts


def hep_compressed():
    # The agent at 127.0.2.5 mirrors a PBX -> phone exchange to the collector on UDP 9060.
    out = []
    t = T0 - 1
    for i, (light, compress) in enumerate([("on", True), ("off", False)]):
        cid = f"hepz-{i + 1}"
        for payload, (s, d, sp, dp) in [(sip_message(cid, light, i + 1), (PBX, PHONE, 5060, 5062)),
                                         (sip_ok(cid, i + 1), (PHONE, PBX, 5062, 5060))]:
            t += 0.25
            h = hep3(s, d, sp, dp, t, payload, correlation=cid, compress=compress)
            out.append(Ether() / IP(src=AGENT, dst=COLLECTOR) / UDP(sport=47000, dport=9060) / h)
    wrpcap(os.path.join(OUT, "hep3-compressed-scapy.pcap"), stamp(out))


def hep_tcp():
    packets = []
    t = T0 - 1
    for i, light in enumerate(["on", "off"]):
        cid = f"heptcp-{i + 1}"
        t += 0.5
        packets.append(hep3(PBX, PHONE, 5060, 5062, t, sip_message(cid, light, i + 1), node=2003, correlation=cid))
        t += 0.01
        packets.append(hep3(PHONE, PBX, 5062, 5060, t, sip_ok(cid, i + 1), node=2003, correlation=cid))
    seg = [packets[0][:150], packets[0][150:] + packets[1], packets[2] + packets[3]]
    c, s = (AGENT, 41000), (COLLECTOR, 9061)
    cseq, sseq = 1000, 5000
    def pkt(src, dst, flags, seq, ack, data=b""):
        return Ether() / IP(src=src[0], dst=dst[0]) / TCP(sport=src[1], dport=dst[1], flags=flags, seq=seq, ack=ack) / data
    out = [pkt(c, s, "S", cseq, 0), pkt(s, c, "SA", sseq, cseq + 1), pkt(c, s, "A", cseq + 1, sseq + 1)]
    seq = cseq + 1
    for data in seg:
        out.append(pkt(c, s, "PA", seq, sseq + 1, data))
        seq += len(data)
        out.append(pkt(s, c, "A", sseq + 1, seq))
    out += [pkt(c, s, "FA", seq, sseq + 1), pkt(s, c, "FA", sseq + 1, seq + 1), pkt(c, s, "A", seq + 1, sseq + 2)]
    wrpcap(os.path.join(OUT, "hep3-tcp-scapy.pcap"), stamp(out))


def sctp():
    ph, pbx = (PHONE, 5062), (PBX, 5060)
    tag_ph, tag_pbx = 0x11111111, 0x22222222
    def pkt(src, dst, tag, *chunks):
        p = IP(src=src[0], dst=dst[0]) / SCTP(sport=src[1], dport=dst[1], tag=tag)
        for ch in chunks:
            p = p / ch
        return Ether() / p
    def data(tsn, payload, flags=3, sid=0, ssn=0):
        return SCTPChunkData(reserved=0, delay_sack=0, unordered=0, beginning=flags >> 1 & 1, ending=flags & 1,
                             tsn=tsn, stream_id=sid, stream_seq=ssn, proto_id=0, data=payload)
    reg = register("sctp-reg", "SCTP")
    doc1 = sip_message("sctp-doc1", "on", 1, "SCTP")
    doc2 = sip_message("sctp-doc2", "off", 2, "SCTP")
    third = len(doc2) // 3
    out = [
        pkt(ph, pbx, 0, SCTPChunkInit(init_tag=tag_ph, a_rwnd=65535, n_out_streams=2, n_in_streams=2, init_tsn=100)),
        pkt(pbx, ph, tag_ph, SCTPChunkInitAck(init_tag=tag_pbx, a_rwnd=65535, n_out_streams=2, n_in_streams=2, init_tsn=500)),
        pkt(ph, pbx, tag_pbx, SCTPChunkCookieEcho(cookie=b"cookie-cookie")),
        pkt(pbx, ph, tag_ph, SCTPChunkCookieAck()),
        # REGISTER in one DATA chunk, answered with a SACK and the 200 bundled in one packet.
        pkt(ph, pbx, tag_pbx, data(100, reg)),
        pkt(pbx, ph, tag_ph, SCTPChunkSACK(cumul_tsn_ack=100, a_rwnd=65535), data(500, register_ok("sctp-reg", "SCTP"))),
        # The first document in one DATA chunk; then it comes again (a retransmission: same TSN).
        pkt(pbx, ph, tag_ph, data(501, doc1, ssn=1)),
        pkt(pbx, ph, tag_ph, data(501, doc1, ssn=1)),
        pkt(ph, pbx, tag_pbx, SCTPChunkSACK(cumul_tsn_ack=501, a_rwnd=65535), data(101, sip_ok("sctp-doc1", 1, "SCTP"))),
        # The second document fragmented in three DATA chunks (B, middle, E) over two packets,
        # the last two bundled after a HEARTBEAT of 13 bytes (skipped by its length, padded to 16).
        pkt(pbx, ph, tag_ph, data(502, doc2[:third], flags=2, ssn=2)),
        pkt(pbx, ph, tag_ph, SCTPChunkHeartbeatReq(params=[SCTPChunkParamHeartbeatInfo(data=b"alive")]), data(503, doc2[third:2 * third], flags=0, ssn=2),
            data(504, doc2[2 * third:], flags=1, ssn=2)),
        pkt(ph, pbx, tag_pbx, SCTPChunkSACK(cumul_tsn_ack=504, a_rwnd=65535), data(102, sip_ok("sctp-doc2", 2, "SCTP"))),
        pkt(pbx, ph, tag_ph, SCTPChunkSACK(cumul_tsn_ack=102, a_rwnd=65535)),
    ]
    wrpcap(os.path.join(OUT, "sctp-scapy.pcap"), stamp(out))


if __name__ == "__main__":
    hep_compressed()
    hep_tcp()
    sctp()

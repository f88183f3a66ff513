"""A capture where SIP is the minority: RTP, DNS, HTTP, ARP, and SIP on ports that are not 5060."""

import os
import struct

from capfile import LINKTYPE_ETHERNET, LINKTYPE_NAMES, Clock, Record, write_pcap
from common import entry, udp_exchange
from netbuild import TcpConn, ether, mac, reset, udp
from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRRSRV
from scapy.layers.l2 import ARP, Ether
from sip_samples import KEEPALIVE, PBX, PHONE, PHONE45, Message, small_body

GATEWAY = "192.0.2.50"   # the far end of the RTP stream (a media gateway)
DNS_SERVER = "192.0.2.53"
WEB = "192.0.2.80"        # provisioning server


def _arp():
    who = Ether(src=mac(PHONE), dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=mac(PHONE), psrc=PHONE, hwdst="00:00:00:00:00:00", pdst=PBX)
    reply = Ether(src=mac(PBX), dst=mac(PHONE)) / ARP(
        op=2, hwsrc=mac(PBX), psrc=PBX, hwdst=mac(PHONE), pdst=PHONE)
    return [who, reply]


def _dns():
    q1 = DNS(id=0x5301, rd=1, qd=DNSQR(qname="_sip._udp.pbx.example", qtype="SRV"))
    r1 = DNS(id=0x5301, qr=1, aa=1, rd=1, ra=1, qd=q1.qd, an=DNSRRSRV(
        rrname="_sip._udp.pbx.example", ttl=300, priority=10, weight=60, port=5080,
        target="pbx.example"))
    q2 = DNS(id=0x5302, rd=1, qd=DNSQR(qname="pbx.example", qtype="A"))
    r2 = DNS(id=0x5302, qr=1, aa=1, rd=1, ra=1, qd=q2.qd,
             an=DNSRR(rrname="pbx.example", type="A", ttl=300, rdata=PBX))
    return [ether(udp(PHONE, DNS_SERVER, 53001, 53, bytes(q1))),
            ether(udp(DNS_SERVER, PHONE, 53, 53001, bytes(r1))),
            ether(udp(PHONE, DNS_SERVER, 53002, 53, bytes(q2))),
            ether(udp(DNS_SERVER, PHONE, 53, 53002, bytes(r2)))]


def _rtp(i, outbound):
    """G.711 A-law, 20 ms frames of silence (0xd5); version 2 so the first byte is 0x80."""
    ssrc = 0x44A1B2C3 if outbound else 0x50D4E5F6
    seq = (0x1000 if outbound else 0x7000) + i
    hdr = struct.pack("!BBHII", 0x80, 8, seq, 160 * i + (0 if outbound else 8000), ssrc)
    payload = bytes([0xD5]) * 160
    if outbound:
        return ether(udp(PHONE, GATEWAY, 16384, 17002, hdr + payload))
    return ether(udp(GATEWAY, PHONE, 17002, 16384, hdr + payload))


def _http():
    conn = TcpConn(PHONE, 50000, WEB, 80, 0x0C000000, 0x0D000000)
    req = (b"GET /provisioning/snom-000413a1b2c3.xml HTTP/1.1\r\nHost: 192.0.2.80\r\n"
           b"User-Agent: snomD785/10.1.54.13\r\nAccept: */*\r\nConnection: close\r\n\r\n")
    body = (b'<?xml version="1.0" encoding="utf-8"?>\n<settings><phone-settings>'
            b'<user_host idx="1" perm="">pbx.example:5080</user_host>'
            b"</phone-settings></settings>\n")
    resp = (b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    pkts = conn.handshake() + [conn.data("c", req), conn.data("s", resp), conn.ack("c"),
                               conn.fin("s"), conn.fin("c"), conn.ack("s")]
    return [ether(p) for p in pkts]


def noise_mixed(out):
    reset()
    clock = Clock()
    a = Message("noise-0501@pbx.example", 501, "z9hG4bK-noise-0501", "pbx0501",
                small_body("3", "on", "Sales"), pbx_port=5080, phone_port=6060)
    b = Message("noise-0502@pbx.example", 502, "z9hG4bK-noise-0502", "pbx0502",
                small_body("2", "pickup", "Queue"), pbx_port=6060, phone=PHONE45,
                phone_port=6060, user="45", line="ef567890")
    c = Message("noise-0503@pbx.example", 503, "z9hG4bK-noise-0503", "pbx0503",
                small_body("3", "off", "Sales"), pbx_port=5080, phone_port=6060)
    a_req, a_ok = (ether(p) for p in udp_exchange(a, "ph44a501"))
    b_req, b_ok = (ether(p) for p in udp_exchange(b, "ph45a502"))
    c_req, c_ok = (ether(p) for p in udp_exchange(c, "ph44a503"))
    ping = ether(udp(PHONE, PBX, 6060, 5080, KEEPALIVE))       # RFC 5626 keepalive: CRLF CRLF
    pong = ether(udp(PBX, PHONE, 5080, 6060, b"\r\n"))           # and its pong: one CRLF
    rtp = [_rtp(i // 2, i % 2 == 0) for i in range(24)]
    http = _http()
    plan = (_arp() + _dns() + rtp[0:4] + [a_req] + rtp[4:6] + [a_ok] + http[:5] + rtp[6:10]
            + [ping, pong] + http[5:] + rtp[10:14] + [b_req] + rtp[14:16] + [b_ok]
            + rtp[16:20] + [c_req, c_ok] + rtp[20:])
    recs = [Record(clock.tick(2500), bytes(p)) for p in plan]
    frames = {id(p): i + 1 for i, p in enumerate(plan)}
    name = "noise-mixed.pcap"
    write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, recs)
    sip_frames = [frames[id(p)] for p in (a_req, a_ok, b_req, b_ok, c_req, c_ok)]
    return {name: entry(
        f"{len(plan)} packets, most not SIP: ARP who-has/reply, DNS SRV and A queries with answers "
        f"(port 53), 24 RTP packets (G.711, first byte 0x80) between 192.0.2.44:16384 and "
        f"192.0.2.50:17002, an HTTP GET of a provisioning file with its response and FIN teardown. "
        f"Three MESSAGE + 200 pairs on non-standard ports (PBX 5080 <-> phone 44 at 6060; PBX 6060 <-> "
        f"phone 45 at 6060) at frames {sip_frames}: SIP must be recognised by content. Frames "
        f"{frames[id(ping)]} and {frames[id(pong)]} are a keepalive ping (a UDP datagram of just "
        f"CRLF CRLF) and its pong (CRLF): not messages, not errors.",
        LINKTYPE_NAMES[LINKTYPE_ETHERNET], 6, 6, sip_frames=sip_frames,
        keepalive_frames=[frames[id(ping)], frames[id(pong)]])}


ALL = [noise_mixed]

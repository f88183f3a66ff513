#!/usr/bin/python3
"""Re-encapsulate the real SIPp exchanges of tunnel-vxlan-udp.pcap / tunnel-vxlan-tcp.pcap (recorded
through a Linux VXLAN device by vxlan.sh) in the tunnels this machine's kernel cannot make: GRE,
transparent Ethernet over GRE, ERSPAN types I/II/III, IP-in-IP, IPv6-in-IPv4 (sit), IPv4-in-IPv6
(ip6tnl), Geneve, GTP-U, MPLS, Ethernet over MPLS (pseudowire), PPPoE, and a nested stack.

The inner frames are the recorded ones, byte for byte, at their recorded times (only the IPv6
variants rewrite the inner IP header: 10.42.0.N becomes fd00:42::N, the SIP text is unchanged).
Outer addresses are TEST-NET (192.0.2.0/24, 2001:db8::/32); MACs are made up. Deterministic:
same input, same output. Run with Debian's python3 (scapy 2.5.0)."""
import sys
from pathlib import Path
from scapy.all import rdpcap, wrpcap, Ether, IP, IPv6, UDP, TCP, Raw, conf
from scapy.layers.l2 import GRE
from scapy.layers.vxlan import VXLAN
from scapy.layers.ppp import PPPoED, PPPoE, PPP, PPPoED_Tags, PPPoETag
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III, ERSPAN_PlatformSpecific
from scapy.contrib.geneve import GENEVE, GeneveOptions
from scapy.contrib.gtp import GTP_U_Header, GTPPDUSessionContainer
from scapy.contrib.mpls import MPLS, EoMCW

CAPTURES = Path(__file__).resolve().parent.parent
MAC_A, MAC_B = "02:00:00:00:01:01", "02:00:00:00:01:02"
PBX_INNER = "10.42.0.1"


def inner_frames(name):
    """(time, inner Ethernet frame, registrar→phone?) of every VXLAN packet in a recorded capture."""
    out = []
    for p in rdpcap(str(CAPTURES / name)):
        if VXLAN in p:
            inner = Ether(bytes(p[VXLAN].payload))
            forward = IP in inner and inner[IP].src == PBX_INNER
            out.append((p.time, inner, forward))
    return out


def to_ipv6(inner):
    """The inner IPv4 packet as IPv6 (10.42.0.N → fd00:42::N), payload and ports unchanged."""
    ip = inner[IP]
    v6 = IPv6(src="fd00:42::" + ip.src.split(".")[-1], dst="fd00:42::" + ip.dst.split(".")[-1], hlim=64)
    l4 = ip.payload.copy()
    if UDP in l4:
        del l4[UDP].chksum
    if TCP in l4:
        del l4[TCP].chksum
    return v6 / l4


def outer(forward, v6=False):
    """Ethernet + outer IP, registrar side 192.0.2.1 / 2001:db8::1, phone side .2 / ::2."""
    a, b = (MAC_A, MAC_B) if forward else (MAC_B, MAC_A)
    if v6:
        s, d = ("2001:db8::1", "2001:db8::2") if forward else ("2001:db8::2", "2001:db8::1")
        return Ether(src=a, dst=b) / IPv6(src=s, dst=d, hlim=64)
    s, d = ("192.0.2.1", "192.0.2.2") if forward else ("192.0.2.2", "192.0.2.1")
    return Ether(src=a, dst=b) / IP(src=s, dst=d, ttl=64, id=0, flags="DF")


def only_ip(frames):
    return [(t, f, fw) for t, f, fw in frames if IP in f]


def write(name, packets):
    wrpcap(str(CAPTURES / name), packets)
    print(name, len(packets), "packets")


def stamp(pkt, t):
    pkt.time = t
    return pkt


def make(udp, tcp):
    # GRE with checksum, key and sequence number (RFC 2890), IPv4 inside IPv4.
    write("tunnel-gre-udp.pcap", [stamp(outer(fw) / GRE(chksum_present=1, key_present=1, seqnum_present=1,
                                                           key=5, sequence_number=i, proto=0x0800) / f[IP], t)
                                  for i, (t, f, fw) in enumerate(only_ip(udp))])
    # Transparent Ethernet over GRE (Linux gretap), key 7, over TCP.
    write("tunnel-gretap-tcp.pcap", [stamp(outer(fw) / GRE(key_present=1, key=7, proto=0x6558) / f, t)
                                     for t, f, fw in tcp])
    # ERSPAN type I: GRE 0x88be, no sequence number, the mirrored frame right after GRE.
    write("tunnel-erspan1-udp.pcap", [stamp(outer(fw) / GRE(proto=0x88be) / f, t) for t, f, fw in udp])
    # ERSPAN type II (Linux erspan erspan_ver 1): GRE with sequence number, session 12.
    write("tunnel-erspan2-udp.pcap", [stamp(outer(fw) / GRE(seqnum_present=1, sequence_number=i, proto=0x88be)
                                            / ERSPAN_II(ver=1, session_id=12, index=3) / f, t)
                                      for i, (t, f, fw) in enumerate(udp)])
    # ERSPAN type III over IPv6 (Linux ip6erspan erspan_ver 2), with the platform sub-header.
    write("tunnel-ip6erspan3-tcp.pcap", [stamp(outer(fw, v6=True) / GRE(seqnum_present=1, sequence_number=i, proto=0x22eb)
                                               / ERSPAN_III(session_id=99, timestamp=i * 1000, hw=7, o=1)
                                               / ERSPAN_PlatformSpecific(platf_id=3) / f, t)
                                         for i, (t, f, fw) in enumerate(tcp)])
    # IP-in-IP (Linux ipip): IPv4 protocol 4.
    write("tunnel-ipip-udp.pcap", [stamp(outer(fw) / f[IP], t) for t, f, fw in only_ip(udp)])
    # IPv6 in IPv4 (Linux sit): IPv4 protocol 41, inner rewritten to IPv6.
    write("tunnel-sit-udp.pcap", [stamp(outer(fw) / to_ipv6(f), t) for t, f, fw in only_ip(udp)])
    # IPv4 in IPv6 (Linux ip6tnl mode ipip6): IPv6 next header 4, over TCP.
    write("tunnel-ip6tnl-tcp.pcap", [stamp(outer(fw, v6=True) / f[IP], t) for t, f, fw in only_ip(tcp)])
    # Geneve (VNI 77) with one 8-byte option, skipped by its length.
    write("tunnel-geneve-udp.pcap", [stamp(outer(fw) / UDP(sport=49152 + i, dport=6081)
                                           / GENEVE(vni=77, proto=0x6558,
                                                    options=[GeneveOptions(classid=0x0102, type=0x80, data=b"\x00\x00\x00\x2a")])
                                           / f, t)
                                     for i, (t, f, fw) in enumerate(udp)])
    # GTP-U (VoLTE): G-PDU with a sequence number and a PDU session container extension header,
    # inner IPv6; one TEID per direction.
    gtp = []
    for i, (t, f, fw) in enumerate(only_ip(udp)):
        teid = 0x1001 if fw else 0x2002
        gtp.append(stamp(outer(fw) / UDP(sport=2152, dport=2152)
                         / GTP_U_Header(E=1, S=1, seq=i, teid=teid, next_ex=0x85)
                         / GTPPDUSessionContainer(type=0 if fw else 1, QFI=5) / to_ipv6(f), t))
    write("tunnel-gtpu-ipv6-udp.pcap", gtp)
    # MPLS L3VPN: transport label 1000 over VPN label 42 (bottom of stack), then IPv4.
    write("tunnel-mpls-udp.pcap", [stamp(Ether(src=MAC_A if fw else MAC_B, dst=MAC_B if fw else MAC_A, type=0x8847)
                                         / MPLS(label=1000, s=0, ttl=64) / MPLS(label=42, s=1, ttl=64) / f[IP], t)
                                   for t, f, fw in only_ip(udp)])
    # Ethernet over MPLS (pseudowire with a control word, sequencing unused: 0), over TCP.
    write("tunnel-mpls-pw-tcp.pcap", [stamp(Ether(src=MAC_A if fw else MAC_B, dst=MAC_B if fw else MAC_A, type=0x8847)
                                            / MPLS(label=2001, s=1, ttl=64) / EoMCW(seq=0) / f, t)
                                      for i, (t, f, fw) in enumerate(tcp)])
    # PPPoE: discovery (PADI, PADO, PADR, PADS), then session 0x1234 carrying the IPv4 packets.
    t0 = udp[0][0] - 0.5
    mac_pc, mac_bras = MAC_B, MAC_A
    disc = [
        Ether(src=mac_pc, dst="ff:ff:ff:ff:ff:ff", type=0x8863) / PPPoED(code=0x09, sessionid=0)
        / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0101, tag_value=b"")]),
        Ether(src=mac_bras, dst=mac_pc, type=0x8863) / PPPoED(code=0x07, sessionid=0)
        / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0102, tag_value=b"tunbras")]),
        Ether(src=mac_pc, dst=mac_bras, type=0x8863) / PPPoED(code=0x19, sessionid=0)
        / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0101, tag_value=b"")]),
        Ether(src=mac_bras, dst=mac_pc, type=0x8863) / PPPoED(code=0x65, sessionid=0x1234)
        / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0101, tag_value=b"")]),
    ]
    pppoe = [stamp(p, t0 + i * 0.01) for i, p in enumerate(disc)]
    for t, f, fw in only_ip(udp):
        pppoe.append(stamp(Ether(src=mac_bras if fw else mac_pc, dst=mac_pc if fw else mac_bras, type=0x8864)
                           / PPPoE(sessionid=0x1234) / PPP(proto=0x0021) / f[IP], t))
    write("tunnel-pppoe-udp.pcap", pppoe)
    # Nested: MPLS (label 300) → IPv4 → GRE (key 9) → IPv4 → UDP → VXLAN (VNI 42) → Ethernet → SIP.
    nested = []
    for i, (t, f, fw) in enumerate(udp):
        vx = outer(fw) / UDP(sport=50000 + i, dport=4789) / VXLAN(vni=42, flags=0x08) / f
        gre = IP(src="198.51.100.1" if fw else "198.51.100.2", dst="198.51.100.2" if fw else "198.51.100.1",
                 ttl=64, id=0, flags="DF") / GRE(key_present=1, key=9, proto=0x0800) / vx[IP]
        nested.append(stamp(Ether(src=MAC_A if fw else MAC_B, dst=MAC_B if fw else MAC_A, type=0x8847)
                            / MPLS(label=300, s=1, ttl=64) / gre, t))
    write("tunnel-nested-mpls-gre-vxlan-udp.pcap", nested)


if __name__ == "__main__":
    conf.verb = 0
    make(inner_frames("tunnel-vxlan-udp.pcap"), inner_frames("tunnel-vxlan-tcp.pcap"))

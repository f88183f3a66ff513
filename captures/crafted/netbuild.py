"""Packet building on top of scapy: link layers, IP fragments, TCP connections.

Only scapy's packet classes are used (bytes(pkt)); nothing is ever sent. Every field
that scapy would otherwise pick from the host (MAC addresses, routes) is set here, so
the bytes are the same on every machine.
"""

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.inet import IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment  # noqa: E402
from scapy.layers.l2 import CookedLinux, CookedLinuxV2, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

def mac(addr):
    """A made-up, locally administered MAC per host: 192.0.2.44 and 2001:db8::44 both
    get 02:00:00:00:00:44, so a host keeps its MAC over IPv4 and IPv6."""
    last = addr.replace(":", ".").split(".")[-1]
    if last.isdigit() and len(last) <= 2:
        return f"02:00:00:00:00:{int(last):02d}"
    return f"02:00:00:00:01:{sum(addr.encode()) & 0xFF:02x}"


def is_v6(addr):
    return ":" in addr


class IpIds:
    """IPv4 identification per sender, counting up like a real stack."""

    def __init__(self):
        self.next = {}

    def take(self, src):
        # Python's hash() is salted per run; a byte sum is not.
        v = self.next.get(src, 0x1000 + (sum(src.encode()) & 0xFF) * 0x100)
        self.next[src] = v + 1
        return v & 0xFFFF


IP_IDS = IpIds()


def reset():
    """Start every capture from the same IP identification numbers."""
    IP_IDS.next.clear()


def ip_header(src, dst, proto, ip_id=None, ttl=64):
    if is_v6(src):
        return IPv6(src=src, dst=dst, nh=proto, hlim=ttl)
    return IP(src=src, dst=dst, proto=proto, ttl=ttl, flags="DF",
              id=IP_IDS.take(src) if ip_id is None else ip_id)


def udp(src, dst, sport, dport, payload, ip_id=None):
    """An unfragmented IP/UDP packet."""
    ip = ip_header(src, dst, 17, ip_id)
    if not is_v6(src):
        ip.flags = 0  # UDP senders (SIP stacks) usually leave DF clear
    return ip / UDP(sport=sport, dport=dport) / Raw(payload)


def udp_bytes(src, dst, sport, dport, payload):
    """UDP header + payload with the checksum over the whole datagram (before fragmenting)."""
    ip = IPv6(src=src, dst=dst) if is_v6(src) else IP(src=src, dst=dst)
    full = bytes(ip / UDP(sport=sport, dport=dport) / Raw(payload))
    return full[40:] if is_v6(src) else full[20:]


def cut(data, size):
    """Fragment boundaries: offsets 0, size, 2*size, ... (size a multiple of 8)."""
    assert size % 8 == 0
    return [(o, data[o:o + size]) for o in range(0, len(data), size)]


def ipv4_fragment(src, dst, ip_id, offset, chunk, more, proto=17):
    return IP(src=src, dst=dst, proto=proto, ttl=64, id=ip_id,
              flags="MF" if more else 0, frag=offset // 8) / Raw(chunk)


def ipv4_fragments(src, dst, ip_id, l4, size=1480, proto=17):
    pieces = cut(l4, size)
    return [ipv4_fragment(src, dst, ip_id, o, c, i < len(pieces) - 1, proto)
            for i, (o, c) in enumerate(pieces)]


def ipv6_fragment(src, dst, frag_id, offset, chunk, more, proto=17):
    return (IPv6(src=src, dst=dst, hlim=64)
            / IPv6ExtHdrFragment(nh=proto, offset=offset // 8, m=1 if more else 0, id=frag_id)
            / Raw(chunk))


def ipv6_fragments(src, dst, frag_id, l4, size=1448, proto=17):
    pieces = cut(l4, size)
    return [ipv6_fragment(src, dst, frag_id, o, c, i < len(pieces) - 1, proto)
            for i, (o, c) in enumerate(pieces)]


def _ip_src_dst(pkt):
    ip = pkt[IPv6] if IPv6 in pkt else pkt[IP]
    return ip.src, ip.dst


def ether(pkt, vlans=()):
    """Ethernet framing; vlans is a list of (tpid, vid) from the outside in."""
    src, dst = _ip_src_dst(pkt)
    ethertype = 0x86DD if is_v6(src) else 0x0800
    if not vlans:
        return Ether(src=mac(src), dst=mac(dst), type=ethertype) / pkt
    frame = Ether(src=mac(src), dst=mac(dst), type=vlans[0][0])
    for i, (_tpid, vid) in enumerate(vlans):
        nxt = vlans[i + 1][0] if i + 1 < len(vlans) else ethertype
        # Dot1Q and Dot1AD tags have the same layout; the TPID sits in the field before.
        frame = frame / Dot1Q(vlan=vid, prio=5 if i == len(vlans) - 1 else 0, type=nxt)
    return frame / pkt


def sll(pkt, outgoing):
    """Linux cooked capture v1 as seen on the capturing host (the sender when outgoing)."""
    src, _dst = _ip_src_dst(pkt)
    proto = 0x86DD if is_v6(src) else 0x0800
    addr = bytes.fromhex(mac(src).replace(":", "")) + b"\x00\x00"
    return CookedLinux(pkttype=4 if outgoing else 0, lladdrtype=1, lladdrlen=6,
                       src=addr, proto=proto) / pkt


def sll2(pkt, outgoing, ifindex=2):
    src, _dst = _ip_src_dst(pkt)
    proto = 0x86DD if is_v6(src) else 0x0800
    addr = bytes.fromhex(mac(src).replace(":", "")) + b"\x00\x00"
    return CookedLinuxV2(proto=proto, ifindex=ifindex, lladdrtype=1,
                         pkttype=4 if outgoing else 0, lladdrlen=6, src=addr) / pkt


class TcpConn:
    """One TCP connection; seq/ack numbers follow the bytes each side has sent.

    data() places bytes at any offset of a side's stream, so retransmissions,
    overlaps and holes are made by choosing offsets, not by special cases.
    """

    def __init__(self, cli, cport, srv, sport, cisn, sisn):
        self.addr = {"c": (cli, cport), "s": (srv, sport)}
        self.isn = {"c": cisn, "s": sisn}
        self.sent = {"c": 0, "s": 0}     # bytes of stream data sent so far (highest offset)
        self.syn_seen = {"c": False, "s": False}
        self.win = {"c": 64240, "s": 65160}

    @staticmethod
    def other(side):
        return "s" if side == "c" else "c"

    def _pkt(self, side, seq, ack, flags, payload=b""):
        (src, sp), (dst, dp) = self.addr[side], self.addr[self.other(side)]
        # Both SYNs offer window scale 7, so later windows are sent shifted right by 7.
        win = self.win[side] if "S" in flags else self.win[side] >> 7
        t = TCP(sport=sp, dport=dp, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF,
                flags=flags, window=win, options=[])
        if "S" in flags:
            t.options = [("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]
        p = ip_header(src, dst, 6) / t
        if payload:
            p = p / Raw(payload)
        return p

    def _ack_for(self, side):
        o = self.other(side)
        return self.isn[o] + 1 + self.sent[o]

    def syn(self):
        return self._pkt("c", self.isn["c"], 0, "S")

    def synack(self):
        return self._pkt("s", self.isn["s"], self.isn["c"] + 1, "SA")

    def handshake(self):
        return [self.syn(), self.synack(), self.ack("c")]

    def ack(self, side):
        return self._pkt(side, self.isn[side] + 1 + self.sent[side], self._ack_for(side), "A")

    def data(self, side, payload, at=None, flags="PA"):
        at = self.sent[side] if at is None else at
        self.sent[side] = max(self.sent[side], at + len(payload))
        return self._pkt(side, self.isn[side] + 1 + at, self._ack_for(side), flags, payload)

    def fin(self, side):
        p = self._pkt(side, self.isn[side] + 1 + self.sent[side], self._ack_for(side), "FA")
        self.sent[side] += 1
        return p

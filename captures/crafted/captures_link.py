"""Captures about link layers and file formats: VLAN tags, Linux cooked v1/v2, raw IP,
BSD loopback, pcapng with two interfaces, nanosecond and big-endian classic pcap."""

import os
import struct

from capfile import (LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NAMES,
                     LINKTYPE_NULL, LINKTYPE_RAW, Clock, Interface, Record, write_pcap,
                     write_pcapng)
from common import entry, udp_exchange
from netbuild import ether, reset, sll, sll2
from sip_samples import PBX6, PHONE6, Message, small_body


def _msg(n, key="3", light="on", label="Sales", **kw):
    return Message(f"key{key}-44-{n:04d}@pbx.example", n, f"z9hG4bK-msg-{n:04d}", f"pbx{n:04d}",
                   small_body(key, light, label), **kw)


def vlan_qinq(out):
    reset()
    clock = Clock()
    recs = []
    tagsets = [
        [(0x8100, 10)],                   # one 802.1Q tag
        [(0x88A8, 100), (0x8100, 10)],    # 802.1ad S-tag + 802.1Q C-tag (QinQ)
        [(0x8100, 200), (0x8100, 10)],    # two stacked 802.1Q tags (pre-802.1ad QinQ)
    ]
    for i, tags in enumerate(tagsets):
        m = _msg(201 + i, key=str(3 + i), light=["on", "pickup", "off"][i])
        for p in udp_exchange(m, f"ph44a{201 + i}"):
            recs.append(Record(clock.tick(1500), bytes(ether(p, vlans=tags))))
    name = "vlan-qinq.pcap"
    write_pcap(os.path.join(out, name), LINKTYPE_ETHERNET, recs)
    return {name: entry(
        "Three MESSAGE + 200 pairs over tagged Ethernet. Frames 1-2: one 802.1Q tag (TPID 0x8100, "
        "VID 10). Frames 3-4: 802.1ad QinQ (outer TPID 0x88a8 VID 100, inner 0x8100 VID 10). "
        "Frames 5-6: two stacked 0x8100 tags (VID 200 outside, 10 inside).",
        LINKTYPE_NAMES[LINKTYPE_ETHERNET], 6, 6)}


def linux_sll(out):
    reset()
    clock = Clock()
    m = _msg(211)
    req, ok = udp_exchange(m, "ph44a211")
    # Captured on the PBX: its MESSAGE is outgoing (packet type 4), the answer is to-us (0).
    recs = [Record(clock.tick(), bytes(sll(req, True))), Record(clock.tick(), bytes(sll(ok, False)))]
    name1 = "linux-sll.pcap"
    write_pcap(os.path.join(out, name1), LINKTYPE_LINUX_SLL, recs)
    m2 = _msg(212, key="4", light="hold", label="Support")
    req, ok = udp_exchange(m2, "ph44a212")
    clock = Clock()
    recs = [Record(clock.tick(), bytes(sll2(req, True))), Record(clock.tick(), bytes(sll2(ok, False)))]
    name2 = "linux-sll2.pcap"
    write_pcap(os.path.join(out, name2), LINKTYPE_LINUX_SLL2, recs)
    return {
        name1: entry("MESSAGE (outgoing, SLL packet type 4) and its 200 (packet type 0), as "
                     "`tcpdump -i any` on the PBX wrote them before libpcap 1.10.",
                     LINKTYPE_NAMES[LINKTYPE_LINUX_SLL], 2, 2),
        name2: entry("MESSAGE (outgoing) and its 200 in Linux cooked capture v2 (interface index 2), "
                     "as `tcpdump -i any` writes them with libpcap >= 1.10.",
                     LINKTYPE_NAMES[LINKTYPE_LINUX_SLL2], 2, 2),
    }


def raw_ip_and_loopback(out):
    reset()
    clock = Clock()
    v4 = _msg(221)
    v6 = _msg(222, key="6", light="message", label="Voicemail", pbx=PBX6, phone=PHONE6)
    pkts = udp_exchange(v4, "ph44a221") + udp_exchange(v6, "ph44a222")
    recs = [Record(clock.tick(), bytes(p)) for p in pkts]
    name1 = "raw-ip.pcap"
    write_pcap(os.path.join(out, name1), LINKTYPE_RAW, recs)

    reset()
    clock = Clock()
    v4 = _msg(223)
    v6 = _msg(224, key="6", light="message", label="Voicemail", pbx=PBX6, phone=PHONE6)
    families = [2, 2, 24, 30]   # AF_INET; AF_INET6 as NetBSD/OpenBSD (24) and macOS (30) number it
    pkts = udp_exchange(v4, "ph44a223") + udp_exchange(v6, "ph44a224")
    # The family is in the capturing host's byte order: little-endian, like this file.
    recs = [Record(clock.tick(), struct.pack("<I", af) + bytes(p)) for af, p in zip(families, pkts)]
    name2 = "bsd-loopback.pcap"
    write_pcap(os.path.join(out, name2), LINKTYPE_NULL, recs)
    return {
        name1: entry("No link header, each packet starts with the IP header: an IPv4 MESSAGE + 200 "
                     "(frames 1-2) and an IPv6 MESSAGE + 200 (frames 3-4); the version nibble "
                     "tells them apart. Link type 101 in the file (DLT_RAW is 12 or 14 on some "
                     "systems; files always say 101).",
                     LINKTYPE_NAMES[LINKTYPE_RAW], 4, 4),
        name2: entry("BSD loopback: a 4-byte address family in host (here little-endian) order. "
                     "Frames 1-2: AF 2 (IPv4) MESSAGE + 200; frame 3: AF 24 (IPv6, NetBSD/OpenBSD) "
                     "MESSAGE; frame 4: AF 30 (IPv6, macOS) its 200.",
                     LINKTYPE_NAMES[LINKTYPE_NULL], 4, 4),
    }


def multi_interface(out):
    """pcapng, interface 0 Ethernet (µs), interface 1 Linux SLL2 (ns), packets interleaved."""
    reset()
    clock = Clock()
    ifaces = [Interface(LINKTYPE_ETHERNET, "eth0", 6, description="PBX LAN"),
              Interface(LINKTYPE_LINUX_SLL2, "any", 9, description="all interfaces, ns resolution")]
    a = _msg(231)
    b = _msg(232, key="7", light="park", label="Park 1")
    c = _msg(233, key="8", light="off", label="Night")
    a_req, a_ok = udp_exchange(a, "ph44a231")
    b_req, b_ok = udp_exchange(b, "ph44a232")
    c_req, c_ok = udp_exchange(c, "ph44a233")
    plan = [  # (interface, packet, extra ns beyond the µs tick)
        (0, ether(a_req), 0),
        (1, sll2(b_req, True), 123),
        (0, ether(a_ok), 0),
        (1, sll2(b_ok, False), 456_001),
        (1, sll2(c_req, True), 789),
        (0, ether(c_ok), 0),
    ]
    recs = []
    for iface, pkt, extra_ns in plan:
        clock.tick(2000)
        recs.append(Record(clock.ns + extra_ns, bytes(pkt), interface=iface))
    recs[1].comment = "interface 1: nanosecond timestamp"
    name = "multi-interface.pcapng"
    write_pcapng(os.path.join(out, name), ifaces, recs)
    return {name: entry(
        "pcapng with two interfaces of different link types: 0 = eth0, Ethernet, microseconds "
        "(no if_tsresol option); 1 = any, Linux SLL2, nanoseconds (if_tsresol = 9). Three MESSAGE "
        "+ 200 pairs with frames interleaved (interfaces 0,1,0,1,1,0): key3-44-0231 both on 0, "
        "key7-44-0232 both on 1, key8-44-0233 MESSAGE on 1 and its 200 on 0. Frame 2 has an EPB comment. Frame 4's timestamp is 1700000000.008456001.",
        "pcapng: " + LINKTYPE_NAMES[LINKTYPE_ETHERNET] + " + " + LINKTYPE_NAMES[LINKTYPE_LINUX_SLL2],
        6, 6)}


def nanosecond_and_big_endian(out):
    reset()
    clock = Clock()
    m = _msg(241)
    req, ok = udp_exchange(m, "ph44a241")
    recs = [Record(clock.tick(123_456, 789), bytes(ether(req))),
            Record(clock.tick(20_000, 1), bytes(ether(ok)))]
    name1 = "nanosecond.pcap"
    write_pcap(os.path.join(out, name1), LINKTYPE_ETHERNET, recs, nanosecond=True)

    reset()
    clock = Clock()
    m = _msg(242, key="9", light="on", label="Lobby")
    req, ok = udp_exchange(m, "ph44a242")
    recs = [Record(clock.tick(), bytes(ether(req))), Record(clock.tick(25_000), bytes(ether(ok)))]
    name2 = "big-endian.pcap"
    write_pcap(os.path.join(out, name2), LINKTYPE_ETHERNET, recs, big_endian=True)
    return {
        name1: entry("Classic pcap with the nanosecond magic 0xa1b23c4d (little-endian: bytes 4d 3c b2 "
                     "a1). MESSAGE at 1700000000.123456789, 200 at 1700000000.143456790.",
                     LINKTYPE_NAMES[LINKTYPE_ETHERNET], 2, 2),
        name2: entry("Classic pcap written big-endian (bytes a1 b2 c3 d4 first; every header and record "
                     "field big-endian), microseconds. MESSAGE at 1700000000.001000, 200 at "
                     "1700000000.026000.",
                     LINKTYPE_NAMES[LINKTYPE_ETHERNET], 2, 2),
    }


ALL = [vlan_qinq, linux_sll, raw_ip_and_loopback, multi_interface, nanosecond_and_big_endian]

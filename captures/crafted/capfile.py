"""Capture file writers: classic pcap (any byte order, µs or ns) and pcapng.

Written with struct rather than scapy's writers so that every header field
(magic, snaplen, caplen < len, several interfaces, if_tsresol) is under our control.
"""

import struct
from dataclasses import dataclass

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276

LINKTYPE_NAMES = {
    LINKTYPE_NULL: "LINKTYPE_NULL (0)",
    LINKTYPE_ETHERNET: "LINKTYPE_ETHERNET (1)",
    LINKTYPE_RAW: "LINKTYPE_RAW (101)",
    LINKTYPE_LINUX_SLL: "LINKTYPE_LINUX_SLL (113)",
    LINKTYPE_LINUX_SLL2: "LINKTYPE_LINUX_SLL2 (276)",
}


@dataclass
class Record:
    ts_ns: int          # nanoseconds since the epoch
    data: bytes         # the captured bytes
    orig_len: int = -1  # length on the wire; -1 means len(data)
    interface: int = 0  # pcapng only
    comment: str = ""   # pcapng only

    @property
    def wire_len(self):
        return len(self.data) if self.orig_len < 0 else self.orig_len


class Clock:
    """Fixed, deterministic timestamps: starts at 1700000000.0 and moves forward on request."""

    def __init__(self, start_ns=1_700_000_000 * 10**9):
        self.ns = start_ns

    def tick(self, us=1000, ns=0):
        self.ns += us * 1000 + ns
        return self.ns


def records(clock, items, step_us=1000):
    """Turn (bytes | scapy packet) items into records one step_us apart."""
    return [Record(clock.tick(step_us), bytes(p)) for p in items]


def pcap_bytes(linktype, recs, snaplen=262144, nanosecond=False, big_endian=False):
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nanosecond else 0xA1B2C3D4
    out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)]
    for r in recs:
        sec, frac_ns = divmod(r.ts_ns, 10**9)
        if not nanosecond:
            assert frac_ns % 1000 == 0, "µs file with a ns timestamp"
        frac = frac_ns if nanosecond else frac_ns // 1000
        data = r.data[:snaplen]
        out.append(struct.pack(e + "IIII", sec, frac, len(data), r.wire_len))
        out.append(data)
    return b"".join(out)


def write_pcap(path, linktype, recs, **kw):
    with open(path, "wb") as f:
        f.write(pcap_bytes(linktype, recs, **kw))


# ---- pcapng -------------------------------------------------------------

def _pad4(b):
    return b + b"\x00" * (-len(b) % 4)


def _option(code, value):
    return struct.pack("<HH", code, len(value)) + _pad4(value)


def _options(opts):
    if not opts:
        return b""
    return b"".join(_option(c, v) for c, v in opts) + struct.pack("<HH", 0, 0)


def _block(btype, body):
    body = _pad4(body)
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


@dataclass
class Interface:
    linktype: int
    name: str
    tsresol: int = 6     # decimal exponent: 6 = µs (the default, option left out), 9 = ns
    snaplen: int = 262144
    description: str = ""


def pcapng_bytes(interfaces, recs, app="ButtonScope crafted captures (make_crafted.py)"):
    shb_body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + _options([(4, app.encode())])
    out = [_block(0x0A0D0D0A, shb_body)]
    for i in interfaces:
        opts = [(2, i.name.encode())]
        if i.description:
            opts.append((3, i.description.encode()))
        if i.tsresol != 6:
            opts.append((9, bytes([i.tsresol])))
        out.append(_block(0x00000001, struct.pack("<HHI", i.linktype, 0, i.snaplen) + _options(opts)))
    for r in recs:
        iface = interfaces[r.interface]
        units = r.ts_ns // 10 ** (9 - iface.tsresol)
        assert units * 10 ** (9 - iface.tsresol) == r.ts_ns, "timestamp finer than the interface resolution"
        data = r.data[:iface.snaplen]
        body = struct.pack("<IIIII", r.interface, units >> 32, units & 0xFFFFFFFF, len(data), r.wire_len)
        body += _pad4(data)
        body += _options([(1, r.comment.encode())] if r.comment else [])
        out.append(_block(0x00000006, body))
    return b"".join(out)


def write_pcapng(path, interfaces, recs, **kw):
    with open(path, "wb") as f:
        f.write(pcapng_bytes(interfaces, recs, **kw))

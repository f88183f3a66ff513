#!/usr/bin/env python3
"""Writes seed inputs for FuzzCapture (scripts/fuzz) into the folder given: pcapng files with several
interfaces and the options the reader interprets (if_tsresol, if_tsoffset, at their edges too), a
simple and an obsolete packet block, and structure-aware inputs (`BSF1`, see
Sources/FuzzCapture/StructuredCapture.swift) whose records are SIP over UDP and TCP. Deterministic:
the same files every run. Standard library only.

    scripts/fuzz-inputs/make-capture-seeds.py OUTDIR
"""
import os
import struct
import sys

def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    total = 12 + len(body)
    return struct.pack("<II", kind, total) + body + struct.pack("<I", total)

def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))

def option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

def idb(link=1, options=b""):
    return block(1, struct.pack("<HHI", link, 0, 262144) + options + (struct.pack("<HH", 0, 0) if options else b""))

def epb(iface, units, data):
    return block(6, struct.pack("<IIIII", iface, units >> 32, units & 0xFFFFFFFF, len(data), len(data)) + data)

def checksum_free_ipv4(src, dst, proto, payload, ident=1):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0, bytes(src), bytes(dst)) + payload

def ether(ip):
    return b"\x02\0\0\0\0\x2c\x02\0\0\0\0\x01\x08\x00" + ip

def udp(payload, sport=5060, dport=5060):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload

def tcp(payload, seq, flags=0x18, sport=40000, dport=5060):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 0x50, flags, 65535, 0, 0) + payload

MESSAGE = (b"MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-s1\r\n"
           b"From: <sip:44@pbx>;tag=a\r\nTo: <sip:44@pbx>\r\nCall-ID: seed-1\r\nCSeq: 1 MESSAGE\r\n"
           b"Content-Type: application/x-buttons\r\nContent-Length: 20\r\n\r\nk=7\r\nc=on\r\nl=Seed\r\n")
OK = (b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-s1\r\nFrom: <sip:44@pbx>;tag=a\r\n"
      b"To: <sip:44@pbx>;tag=b\r\nCall-ID: seed-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n")
PBX, PHONE = [192, 0, 2, 1], [192, 0, 2, 44]

def frames():
    yield ether(checksum_free_ipv4(PBX, PHONE, 17, udp(MESSAGE)))
    yield ether(checksum_free_ipv4(PHONE, PBX, 17, udp(OK)))
    yield ether(checksum_free_ipv4(PBX, PHONE, 6, tcp(b"", 99, flags=0x02)))
    yield ether(checksum_free_ipv4(PBX, PHONE, 6, tcp(MESSAGE[40:], 100 + 40)))
    yield ether(checksum_free_ipv4(PBX, PHONE, 6, tcp(MESSAGE[:40], 100)))

def big_endian_pcapng(fs):
    def be_block(kind, body):
        body += b"\0" * (-len(body) % 4)
        total = 12 + len(body)
        return struct.pack(">II", kind, total) + body + struct.pack(">I", total)
    out = be_block(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += be_block(1, struct.pack(">HHI", 1, 0, 262144) + struct.pack(">HH", 14, 8) + struct.pack(">q", -100)
                    + struct.pack(">HH", 9, 1) + b"\x06\0\0\0" + struct.pack(">HH", 0, 0))
    for i, f in enumerate(fs):
        units = 1700000000 * 10**6 + i
        out += be_block(6, struct.pack(">IIIII", 0, units >> 32, units & 0xFFFFFFFF, len(f), len(f)) + f)
    return out

def structured(kind, records):
    out = b"BSF1" + bytes([kind])
    if kind & 1 == 0:
        out += struct.pack("<HHiII", 2, 4, 0, 0, 262144)
    else:
        offsets = [100, -2**63, 2**63 - 1, -100]
        for i in range((kind >> 1 & 3) + 1):
            # Ethernet; two options: if_tsresol (selector 0) then if_tsoffset (selector 1), their values.
            out += bytes([0, 0, 2, 0b0100]) + bytes([9 if i % 2 == 0 else 0x9E]) + struct.pack("<q", offsets[i])
    for r in records:
        out += struct.pack("<H", len(r)) + r + struct.pack("<II", 1700000000, 0)
    return out

def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    fs = list(frames())
    seeds = {
        # Three interfaces: microseconds, nanoseconds with +100 s, 2^-30 s with the offset at Int64.min.
        "pcapng-three-interfaces": shb() + idb(1) + idb(1, option(9, b"\x09") + option(14, struct.pack("<q", 100)))
            + idb(1, option(9, b"\x9e") + option(14, struct.pack("<q", -2**63)))
            + b"".join(epb(i % 3, 1700000000 * 10**6 + i, f) for i, f in enumerate(fs)),
        "pcapng-offset-max": shb() + idb(1, option(14, struct.pack("<q", 2**63 - 1))) + idb(101)
            + b"".join(epb(0, 2**64 - 1 - i, f) for i, f in enumerate(fs)),
        "pcapng-big-endian": big_endian_pcapng(fs),
        "pcapng-simple-and-obsolete": shb() + idb(1) + block(3, struct.pack("<I", len(fs[0])) + fs[0])
            + block(2, struct.pack("<HHIIII", 0, 0, 0, 1, len(fs[1]), len(fs[1])) + fs[1]),
        "pcap-huge-snaplen": struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 0x7FFFFFFE, 1)
            + b"".join(struct.pack("<IIII", 1700000000, i, len(f), len(f)) + f for i, f in enumerate(fs)),
        "structured-pcap": structured(0, fs),
        "structured-pcapng-1": structured(1, fs),
        "structured-pcapng-4": structured(7, fs),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

main()

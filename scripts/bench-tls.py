#!/usr/bin/python3
"""Makes two captures of the same SIP MESSAGEs for measuring the TLS stage: one over plain TCP,
one as TLS 1.3 (TLS_AES_128_GCM_SHA256) records, with the key log that unlocks it.

    python3 scripts/bench-tls.py OUTDIR [MESSAGES]
    time buttonscope messages --json OUTDIR/plain.pcap > /dev/null
    time buttonscope messages --json OUTDIR/tls.pcap --tls-keylog OUTDIR/tls.keys > /dev/null

Addresses are TEST-NET; nothing is sent. Needs python3-cryptography (AES-GCM)."""
import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack(">HB", length, len(full)) + full + b"\x00"
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([i]), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


def checksum16(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.t = 1_700_000_000.0
        self.seq = {0: 1000, 1: 5000}

    def segment(self, direction, payload, flags=0x18):
        src, dst = (b"\x0a\x00\x00\x02", b"\x0a\x00\x00\x01") if direction else (b"\x0a\x00\x00\x01", b"\x0a\x00\x00\x02")
        sport, dport = (5061, 40000) if direction else (40000, 5061)
        tcp = struct.pack(">HHIIBBHHH", sport, dport, self.seq[direction], self.seq[1 - direction], 0x50, flags, 65535, 0, 0)
        self.seq[direction] = (self.seq[direction] + len(payload) + (1 if flags & 0x02 else 0)) & 0xFFFFFFFF
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack(">H", checksum16(ip)) + ip[12:]
        frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + tcp + payload
        self.t += 0.0001
        self.f.write(struct.pack("<IIII", int(self.t), int((self.t % 1) * 1e6), len(frame), len(frame)) + frame)

    def stream(self, direction, data):
        for i in range(0, len(data), 1448):
            self.segment(direction, data[i:i + 1448])


def messages(n):
    body = "".join(f"k={k}\r\nc={'on' if k % 3 == 0 else 'off'}\r\nl=Key {k}\r\n\r\n" for k in range(1, 13))
    for i in range(n):
        yield (f"MESSAGE sip:44@10.0.0.1:40000;transport=tls SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.2:5061;branch=z9hG4bK-{i}\r\n"
               f"From: <sip:44@10.0.0.2>;tag=b{i}\r\nTo: <sip:44@10.0.0.2>\r\nCall-ID: bench-{i}@10.0.0.2\r\nCSeq: {i + 1} MESSAGE\r\n"
               f"Content-Type: application/x-buttons\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode()


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    os.makedirs(out, exist_ok=True)
    client_random = bytes(range(32))
    sts, cts = bytes([0xB2]) * 32, bytes([0xA1]) * 32
    key, iv = expand_label(sts, b"key", 16), expand_label(sts, b"iv", 12)
    aead = AESGCM(key)
    plain, tls = Writer(f"{out}/plain.pcap"), Writer(f"{out}/tls.pcap")
    for w in (plain, tls):
        w.segment(0, b"", 0x02)
        w.segment(1, b"", 0x12)
        w.segment(0, b"", 0x10)
    hello = b"\x03\x03" + client_random + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00" + b"\x00\x00"
    tls.segment(0, b"\x16\x03\x01" + struct.pack(">H", len(hello) + 4) + b"\x01" + struct.pack(">I", len(hello))[1:] + hello)
    sh = b"\x03\x03" + bytes([0x5E]) * 32 + b"\x00" + b"\x13\x01\x00" + b"\x00\x06\x00\x2b\x00\x02\x03\x04"
    tls.segment(1, b"\x16\x03\x03" + struct.pack(">H", len(sh) + 4) + b"\x02" + struct.pack(">I", len(sh))[1:] + sh)
    batch_plain, batch_tls, records = b"", b"", 0
    total_plain = total_tls = 0
    for seq, m in enumerate(messages(n)):
        inner = m + b"\x17"
        header = b"\x17\x03\x03" + struct.pack(">H", len(inner) + 16)
        nonce = bytes(a ^ b for a, b in zip(iv, b"\x00" * 4 + struct.pack(">Q", seq)))
        batch_plain += m
        batch_tls += header + aead.encrypt(nonce, inner, header)
        records += 1
        if len(batch_plain) > 60000:
            plain.stream(1, batch_plain)
            tls.stream(1, batch_tls)
            total_plain += len(batch_plain)
            total_tls += len(batch_tls)
            batch_plain, batch_tls = b"", b""
    plain.stream(1, batch_plain)
    tls.stream(1, batch_tls)
    total_plain += len(batch_plain)
    total_tls += len(batch_tls)
    with open(f"{out}/tls.keys", "w") as f:
        f.write(f"SERVER_TRAFFIC_SECRET_0 {client_random.hex()} {sts.hex()}\nCLIENT_TRAFFIC_SECRET_0 {client_random.hex()} {cts.hex()}\n")
    print(f"{n} messages, {total_plain} SIP bytes, {total_tls} TLS record bytes ({records} records)")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes a large, realistic capture of a busy PBX for the benchmark: many phones, x-buttons
MESSAGEs over UDP (initial states IP-fragmented) and TCP (split across segments, several in one
segment), REGISTERs and their 200s, the phones' 200s, retransmissions, unanswered MESSAGEs, RTP
as the bulk of the bytes, DNS and ARP noise (`--profile rtp-heavy`, the default).

`--profile signalling` is a capture taken with a port filter on a busy PBX: signalling only, about
1,400 SIP messages a second of capture time (x-buttons MESSAGEs and their 200s), 20 phones with
12 keys each, 30% of them on TCP with every MESSAGE split in two segments, a few REGISTERs, and a
little RTP (six calls); the PBX sends a phone its whole panel every time. `--unanswered 0.1`
leaves a tenth of the MESSAGEs without an answer (the tracker's open table then stays full).

Plain struct, no scapy: it has to write a gigabyte in a few minutes. Deterministic: the same
--seed and --size give the same bytes. Addresses are private (10.0.0.0/8); nothing is sent.

    /usr/bin/python3 scripts/synth-capture.py --size 1G --seed 7 -o /tmp/big.pcap
    /usr/bin/python3 scripts/synth-capture.py --profile signalling --size 1G --seed 7 -o /tmp/sig.pcap
"""

import argparse
import random
import struct
import sys

PBX_IP = bytes([10, 0, 0, 1])
DNS_IP = bytes([10, 0, 0, 53])
PBX_MAC = bytes.fromhex("020000000001")
DOMAIN = "pbx.example"
TICK = 0.020            # RTP packetisation interval: the simulation advances in ticks
MSS = 1460
LIGHTS = ["off", "on", "off", "hold", "off", "pickup", "on", "park", "off", "message"]


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper().rstrip("B")
    if t and t[-1] in units:
        return int(float(t[:-1]) * units[t[-1]])
    return int(t)


def ip_checksum(header):
    s = sum(struct.unpack("!10H", header))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Writer:
    """pcap (microseconds, Ethernet) with an in-memory batch so Python does few syscalls."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.size = 24
        self.frames = 0
        self.batch = []
        self.ip_id = 0

    def frame(self, t, data):
        sec = int(t)
        usec = int((t - sec) * 1_000_000)
        self.batch.append(struct.pack("<IIII", sec, usec, len(data), len(data)))
        self.batch.append(data)
        self.size += 16 + len(data)
        self.frames += 1
        if len(self.batch) >= 4096:
            self.f.write(b"".join(self.batch))
            self.batch = []

    def close(self):
        self.f.write(b"".join(self.batch))
        self.f.close()

    def ipv4(self, t, smac, dmac, src, dst, proto, payload, ident=None, frag_offset=0, more=False):
        if ident is None:
            self.ip_id = (self.ip_id + 1) & 0xFFFF
            ident = self.ip_id
        flags = (0x2000 if more else 0) | (frag_offset // 8)
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, 64, proto, 0, src, dst)
        h = h[:10] + struct.pack("!H", ip_checksum(h)) + h[12:]
        self.frame(t, dmac + smac + b"\x08\x00" + h + payload)

    def udp(self, t, smac, dmac, src, sport, dst, dport, payload):
        """One UDP datagram, fragmented at the Ethernet MTU when it does not fit."""
        seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        if len(seg) <= 1480:
            self.ipv4(t, smac, dmac, src, dst, 17, seg)
            return
        self.ip_id = (self.ip_id + 1) & 0xFFFF
        ident = self.ip_id
        off = 0
        while off < len(seg):
            piece = seg[off:off + 1480]
            self.ipv4(t, smac, dmac, src, dst, 17, piece, ident=ident, frag_offset=off,
                      more=off + len(piece) < len(seg))
            off += len(piece)
            t += 0.000002

    def tcp(self, t, smac, dmac, src, sport, dst, dport, seq, ack, flags, payload=b""):
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                          65535, 0, 0) + payload
        self.ipv4(t, smac, dmac, src, dst, 6, seg)


class Phone:
    def __init__(self, index, rng, tcp):
        self.index = index
        self.user = str(1000 + index)
        self.ip = bytes([10, 1 + index // 250, index % 250 + 1, 10])
        self.mac = bytes([2, 0, 0, 1, index >> 8 & 0xFF, index & 0xFF])
        self.tcp = tcp
        self.port = 5060
        self.line = "%08x" % rng.getrandbits(32)
        self.tag = "%08x" % rng.getrandbits(32)
        self.cseq = 1
        self.reg_cseq = 1
        self.keys = {}
        # TCP: the phone's connection to the PBX (phone → PBX and PBX → phone sequence numbers)
        self.tport = 40000 + index
        self.seq_out = rng.getrandbits(32)   # phone's next sequence number
        self.seq_in = rng.getrandbits(32)    # PBX's next sequence number on this connection
        self.connected = False
        self.queue = []       # PBX → phone TCP bytes cut into segments still to send

    def ip_text(self):
        return ".".join(str(b) for b in self.ip)


def initial_state(keys=60):
    parts = []
    for i in range(1, keys + 1):
        light = LIGHTS[i % len(LIGHTS)]
        parts.append(f"k={i}\r\nc={light}\r\nl=Ext {200 + i} Team {chr(65 + i % 26)}\r\nn={200 + i}\r\na=invite\r\n")
    return "\r\n".join(parts).encode()


def update_body(rng, keys=60):
    n = rng.choice((1, 1, 1, 2, 3))
    parts = []
    for _ in range(n):
        k = rng.randint(1, keys)
        parts.append(f"k={k}\r\nc={rng.choice(LIGHTS)}\r\nl=Ext {200 + k}\r\n")
    return "\r\n".join(parts).encode()


class Simulation:
    def __init__(self, w, rng, phones, tcp_share, keys=60, split_all=False, unanswered=0.0):
        self.w = w
        self.rng = rng
        self.keys = keys
        # Signalling profile: every MESSAGE over TCP in two segments; a share never answered.
        self.split_all = split_all
        self.unanswered = unanswered
        self.phones = [Phone(i, rng, rng.random() < tcp_share) for i in range(phones)]
        self.scheduled = {}   # tick → [callable(t)]
        self.tick = 0
        self.t0 = 1700000000.0
        self.branch = 0
        self.calls = []
        self.pool = rng.randbytes(160 * 64)
        self.dns_id = 0

    def at(self, ticks_later, fn):
        self.scheduled.setdefault(self.tick + max(1, ticks_later), []).append(fn)

    def new_branch(self):
        self.branch += 1
        return "z9hG4bK%x%06x" % (self.rng.getrandbits(32), self.branch)

    # --- SIP texts ---------------------------------------------------------------------------

    def message(self, p, body, call_id=None, cseq=None, branch=None):
        tr = "TCP" if p.tcp else "UDP"
        params = ";transport=tcp" if p.tcp else ""
        h = [
            f"MESSAGE sip:{p.user}@{p.ip_text()}:{p.port}{params};line={p.line} SIP/2.0",
            f"Via: SIP/2.0/{tr} 10.0.0.1:5060;branch={branch};rport",
            f"From: <sip:{p.user}@{DOMAIN}>;tag={p.tag}",
            f"To: <sip:{p.user}@{DOMAIN}>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} MESSAGE",
            "Max-Forwards: 70",
            f"Contact: <sip:10.0.0.1:5060{params}>",
            "Content-Type: application/x-buttons",
            f"Content-Length: {len(body)}",
        ]
        return ("\r\n".join(h) + "\r\n\r\n").encode() + body

    def message_ok(self, p, call_id, cseq, branch):
        tr = "TCP" if p.tcp else "UDP"
        h = [
            "SIP/2.0 200 OK",
            f"Via: SIP/2.0/{tr} 10.0.0.1:5060;branch={branch};rport=5060",
            f"From: <sip:{p.user}@{DOMAIN}>;tag={p.tag}",
            f"To: <sip:{p.user}@{DOMAIN}>;tag={p.line[:6]}",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} MESSAGE",
            f"Contact: <sip:{p.user}@{p.ip_text()}:{p.port};line={p.line}>",
            "User-Agent: snomD785/10.1.54.13",
            "Content-Length: 0",
        ]
        return ("\r\n".join(h) + "\r\n\r\n").encode()

    def register(self, p, branch, call_id):
        tr = "TCP" if p.tcp else "UDP"
        t = ";transport=tcp" if p.tcp else ""
        h = [
            f"REGISTER sip:{DOMAIN} SIP/2.0",
            f"Via: SIP/2.0/{tr} {p.ip_text()}:{p.tport if p.tcp else p.port};branch={branch};rport",
            f'From: "{p.user}" <sip:{p.user}@{DOMAIN}>;tag={p.tag}r',
            f'To: "{p.user}" <sip:{p.user}@{DOMAIN}>',
            f"Call-ID: {call_id}",
            f"CSeq: {p.reg_cseq} REGISTER",
            "Max-Forwards: 70",
            f'Contact: <sip:{p.user}@{p.ip_text()}:{p.port}{t};line={p.line}>;reg-id=1;+sip.instance="<urn:uuid:0a1b2c3d-0000-4000-8000-{p.index:012d}>"',
            "User-Agent: snomD785/10.1.54.13",
            "Supported: buttons",
            "Expires: 3600",
            "Content-Length: 0",
        ]
        return ("\r\n".join(h) + "\r\n\r\n").encode()

    def register_ok(self, p, branch, call_id):
        tr = "TCP" if p.tcp else "UDP"
        t = ";transport=tcp" if p.tcp else ""
        h = [
            "SIP/2.0 200 OK",
            f"Via: SIP/2.0/{tr} {p.ip_text()}:{p.tport if p.tcp else p.port};branch={branch};rport={p.port}",
            f'From: "{p.user}" <sip:{p.user}@{DOMAIN}>;tag={p.tag}r',
            f'To: "{p.user}" <sip:{p.user}@{DOMAIN}>;tag=reg{p.index}',
            f"Call-ID: {call_id}",
            f"CSeq: {p.reg_cseq} REGISTER",
            f"Contact: <sip:{p.user}@{p.ip_text()}:{p.port}{t};line={p.line}>;expires=3600",
            "Require: buttons",
            "Expires: 3600",
            "Content-Length: 0",
        ]
        return ("\r\n".join(h) + "\r\n\r\n").encode()

    # --- transports --------------------------------------------------------------------------

    def send_to_phone(self, t, p, data, split=True):
        """PBX → phone: a UDP datagram, or bytes on the phone's TCP connection (cut into segments)."""
        if not p.tcp:
            self.w.udp(t, PBX_MAC, p.mac, PBX_IP, 5060, p.ip, p.port, data)
            return
        t = self.ensure_connected(t, p)
        pieces = self.cut(data, split)
        if p.queue:
            # Earlier bytes are still on their way: these follow them, in stream order.
            p.queue.extend(pieces)
            return
        first = pieces[0]
        self.w.tcp(t, PBX_MAC, p.mac, PBX_IP, 5060, p.ip, p.tport, p.seq_in, p.seq_out, 0x18, first)
        p.seq_in += len(first)
        if len(pieces) > 1:
            # The rest arrives in later packets, with RTP and other phones' traffic in between.
            p.queue = pieces[1:]

            def later(t2, p=p):
                for piece in p.queue:
                    self.w.tcp(t2, PBX_MAC, p.mac, PBX_IP, 5060, p.ip, p.tport, p.seq_in, p.seq_out, 0x18, piece)
                    p.seq_in += len(piece)
                    t2 += 0.000003
                p.queue = []
                self.w.tcp(t2, p.mac, PBX_MAC, p.ip, p.tport, PBX_IP, 5060, p.seq_out, p.seq_in, 0x10)
            self.at(1, later)
        else:
            self.w.tcp(t + 0.000002, p.mac, PBX_MAC, p.ip, p.tport, PBX_IP, 5060, p.seq_out, p.seq_in, 0x10)

    def send_to_pbx(self, t, p, data):
        if not p.tcp:
            self.w.udp(t, p.mac, PBX_MAC, p.ip, p.port, PBX_IP, 5060, data)
            return
        t = self.ensure_connected(t, p)
        for piece in self.cut(data, False):
            self.w.tcp(t, p.mac, PBX_MAC, p.ip, p.tport, PBX_IP, 5060, p.seq_out, p.seq_in, 0x18, piece)
            p.seq_out += len(piece)
            t += 0.000002

    def cut(self, data, split):
        pieces = [data[i:i + MSS] for i in range(0, len(data), MSS)]
        if split and len(pieces) == 1 and len(data) > 40 and (self.split_all or self.rng.random() < 0.35):
            a = self.rng.randint(1, len(data) - 1)
            pieces = [data[:a], data[a:]]
        return pieces

    def ensure_connected(self, t, p):
        """The phone opens its connection before the first bytes: returns the time after the handshake."""
        if p.connected:
            return t
        p.connected = True
        self.w.tcp(t, p.mac, PBX_MAC, p.ip, p.tport, PBX_IP, 5060, p.seq_out, 0, 0x02)
        self.w.tcp(t + 0.0001, PBX_MAC, p.mac, PBX_IP, 5060, p.ip, p.tport, p.seq_in, p.seq_out + 1, 0x12)
        p.seq_out += 1
        p.seq_in += 1
        self.w.tcp(t + 0.0002, p.mac, PBX_MAC, p.ip, p.tport, PBX_IP, 5060, p.seq_out, p.seq_in, 0x10)
        return t + 0.0003

    # --- events ------------------------------------------------------------------------------

    def do_message(self, t, p, body, retransmit=0, answer=True, coalesce=False):
        call_id = "%x@10.0.0.1" % self.rng.getrandbits(48)
        branch = self.new_branch()
        p.cseq += 1
        cseq = p.cseq
        msg = self.message(p, body, call_id, cseq, branch)
        if coalesce and p.tcp:
            # Two MESSAGEs to one phone back to back: one TCP segment carries both.
            p.cseq += 1
            call2 = "%x@10.0.0.1" % self.rng.getrandbits(48)
            branch2 = self.new_branch()
            msg2 = self.message(p, update_body(self.rng), call2, p.cseq, branch2)
            self.send_to_phone(t, p, msg + msg2, split=False)
            ok = self.message_ok(p, call_id, cseq, branch) + self.message_ok(p, call2, p.cseq, branch2)
            self.at(self.rng.randint(1, 3), lambda t2: self.send_to_pbx(t2, p, ok))
            return
        self.send_to_phone(t, p, msg)
        if not p.tcp:
            # Timer E: 500 ms, then 1 s.
            for k in range(retransmit):
                self.at(25 * (2 ** k), lambda t2, msg=msg: self.send_to_phone(t2, p, msg))
        if answer:
            delay = (25 * (2 ** retransmit) - 24) if retransmit and not p.tcp else self.rng.randint(1, 4)
            ok = self.message_ok(p, call_id, cseq, branch)
            self.at(delay, lambda t2: self.send_to_pbx(t2, p, ok))

    def do_register(self, t, p):
        branch = self.new_branch()
        call_id = "reg%d-%s@%s" % (p.index, p.tag, p.ip_text())
        p.reg_cseq += 1
        self.send_to_pbx(t, p, self.register(p, branch, call_id))
        ok = self.register_ok(p, branch, call_id)

        def answer(t2):
            self.send_to_phone(t2, p, ok, split=False)
            # The registrar follows a REGISTER with the whole state: > 3 KB, fragmented over UDP.
            self.at(1, lambda t3: self.do_message(t3, p, initial_state(self.keys)))
        self.at(self.rng.randint(1, 3), answer)

    def do_dns(self, t):
        self.dns_id = (self.dns_id + 1) & 0xFFFF
        p = self.rng.choice(self.phones)
        name = b"".join(bytes([len(x)]) + x for x in (b"pbx", b"example")) + b"\x00"
        q = struct.pack("!HHHHHH", self.dns_id, 0x0100, 1, 0, 0, 0) + name + b"\x00\x01\x00\x01"
        self.w.udp(t, p.mac, PBX_MAC, p.ip, 33000 + self.dns_id % 1000, DNS_IP, 53, q)
        a = (struct.pack("!HHHHHH", self.dns_id, 0x8180, 1, 1, 0, 0) + name + b"\x00\x01\x00\x01"
             + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04" + PBX_IP)
        self.w.udp(t + 0.0004, PBX_MAC, p.mac, DNS_IP, 53, p.ip, 33000 + self.dns_id % 1000, a)

    def do_arp(self, t):
        p = self.rng.choice(self.phones)
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, p.mac, p.ip, b"\x00" * 6, PBX_IP)
        self.w.frame(t, b"\xff" * 6 + p.mac + b"\x08\x06" + arp + b"\x00" * 18)

    def rtp(self, t, call, k):
        """One 20 ms G.711 packet each way for a call in progress."""
        for direction in (0, 1):
            ssrc, seq, ts = call["ssrc"][direction], call["seq"][direction], call["ts"][direction]
            off = ((seq * 37) % 64) * 160
            payload = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + self.pool[off:off + 160]
            p = call["phone"]
            if direction == 0:
                self.w.udp(t, PBX_MAC, p.mac, PBX_IP, call["pbx_port"], p.ip, call["phone_port"], payload)
            else:
                self.w.udp(t + 0.00001, p.mac, PBX_MAC, p.ip, call["phone_port"], PBX_IP, call["pbx_port"], payload)
            call["seq"][direction] = seq + 1
            call["ts"][direction] = ts + 160

    def new_call(self):
        r = self.rng
        return {"phone": r.choice(self.phones), "pbx_port": 10000 + 2 * r.randrange(5000),
                "phone_port": 30000 + 2 * r.randrange(5000),
                "ssrc": [r.getrandbits(32), r.getrandbits(32)], "seq": [r.getrandbits(16), r.getrandbits(16)],
                "ts": [r.getrandbits(32), r.getrandbits(32)], "left": r.randint(500, 15000)}

    def run(self, size, calls, sip_rate):
        r = self.rng
        w = self.w
        self.calls = [self.new_call() for _ in range(calls)]
        # Everyone registers in the first seconds.
        pending_register = list(self.phones)
        while w.size < size:
            t = self.t0 + self.tick * TICK
            for fn in self.scheduled.pop(self.tick, ()):
                fn(t)
                t += 0.00002
            for i, call in enumerate(self.calls):
                self.rtp(t + i * 0.00005, call, i)
                call["left"] -= 1
                if call["left"] <= 0:
                    self.calls[i] = self.new_call()
            t += len(self.calls) * 0.00005
            for _ in range(min(len(pending_register), 8)):
                self.do_register(t, pending_register.pop())
                t += 0.0001
            n = int(sip_rate) + (1 if r.random() < sip_rate - int(sip_rate) else 0)
            for _ in range(n):
                t += 0.0001
                x = r.random()
                p = r.choice(self.phones)
                if x < 0.80:
                    self.do_message(t, p, update_body(r), coalesce=p.tcp and r.random() < 0.2)
                elif x < 0.86:
                    self.do_message(t, p, update_body(r), retransmit=1)
                elif x < 0.88:
                    self.do_message(t, p, update_body(r), retransmit=2, answer=False)
                elif x < 0.93:
                    self.do_register(t, p)
                elif x < 0.98:
                    self.do_dns(t)
                else:
                    self.do_arp(t)
            self.tick += 1
        # Finish what is in flight so the capture ends cleanly.
        for k in sorted(self.scheduled):
            for fn in self.scheduled.pop(k):
                fn(self.t0 + k * TICK)


NAMES = ["Anna Schmidt", "Jonas Weber", "Lea Fischer", "Paul Wagner", "Mia Becker", "Ben Hoffmann", "Emma Koch"]
TEAMS = ["Sales", "Support", "Reception", "Accounts", "Logistics"]


def full_state(rng, keys):
    """Every key of the phone with its light as of now: what a PBX that always sends the whole panel sends."""
    parts = []
    for k in range(1, keys + 1):
        parts.append(f"k={k}\r\nc={rng.choice(LIGHTS)}\r\nl={NAMES[k % len(NAMES)]} ({TEAMS[k % len(TEAMS)]}) {200 + k}\r\n"
                     f"n=sip:{200 + k}@{DOMAIN}\r\na=invite\r\n")
    return "\r\n".join(parts).encode()


def run_signalling(sim, size, calls, sip_rate):
    """Signalling only (a port-filtered capture): MESSAGEs and their 200s at `sip_rate` events per
    tick, a REGISTER now and then, `calls` calls of RTP."""
    r = sim.rng
    w = sim.w
    sim.calls = [sim.new_call() for _ in range(calls)]
    pending_register = list(sim.phones)
    while w.size < size:
        t = sim.t0 + sim.tick * TICK
        for fn in sim.scheduled.pop(sim.tick, ()):
            fn(t)
            t += 0.00002
        for i, call in enumerate(sim.calls):
            sim.rtp(t + i * 0.00005, call, i)
            call["left"] -= 1
            if call["left"] <= 0:
                sim.calls[i] = sim.new_call()
        t += len(sim.calls) * 0.00005
        for _ in range(min(len(pending_register), 4)):
            sim.do_register(t, pending_register.pop())
            t += 0.0001
        n = int(sip_rate) + (1 if r.random() < sip_rate - int(sip_rate) else 0)
        for _ in range(n):
            t += 0.0001
            x = r.random()
            p = r.choice(sim.phones)
            if x < 0.999:
                answer = r.random() >= sim.unanswered
                sim.do_message(t, p, full_state(r, sim.keys), answer=answer)
            else:
                sim.do_register(t, p)
        sim.tick += 1
    for k in sorted(sim.scheduled):
        for fn in sim.scheduled.pop(k):
            fn(sim.t0 + k * TICK)


PROFILES = {
    # phones, tcp share, calls, SIP events per tick, keys per phone
    "rtp-heavy": dict(phones=400, tcp_share=0.25, calls=60, sip_rate=2.5, keys=60),
    "signalling": dict(phones=20, tcp_share=0.3, calls=6, sip_rate=14.0, keys=12),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="100M", help="approximate file size (K, M, G suffixes), default 100M")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--profile", choices=sorted(PROFILES), default="rtp-heavy",
                    help="rtp-heavy (default: a busy PBX, 90%% RTP) or signalling (port-filtered: SIP only)")
    ap.add_argument("--phones", type=int, help="number of phones (default 400; signalling: 20)")
    ap.add_argument("--tcp-share", type=float, help="share of phones on TCP (default 0.25; signalling: 0.3)")
    ap.add_argument("--calls", type=int, help="concurrent calls carrying RTP (default 60; signalling: 6)")
    ap.add_argument("--sip-rate", type=float, help="SIP events per 20 ms tick (default 2.5; signalling: 14)")
    ap.add_argument("--unanswered", type=float, default=0.0,
                    help="signalling profile: share of MESSAGEs never answered (e.g. 0.1)")
    ap.add_argument("-o", "--output", required=True, help="the pcap file to write")
    a = ap.parse_args()
    profile = PROFILES[a.profile]
    for name in ("phones", "tcp_share", "calls", "sip_rate"):
        if getattr(a, name) is None:
            setattr(a, name, profile[name])
    size = parse_size(a.size)
    w = Writer(a.output)
    if a.profile == "signalling":
        sim = Simulation(w, random.Random(a.seed), a.phones, a.tcp_share, keys=profile["keys"], split_all=True,
                         unanswered=a.unanswered)
        run_signalling(sim, size, a.calls, a.sip_rate)
    else:
        sim = Simulation(w, random.Random(a.seed), a.phones, a.tcp_share)
        sim.run(size, a.calls, a.sip_rate)
    w.close()
    print(f"{a.output}: {w.size} bytes, {w.frames} frames, {sim.tick * TICK:.0f} s of capture",
          file=sys.stderr)


if __name__ == "__main__":
    main()

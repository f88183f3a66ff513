#!/usr/bin/python3
"""SIP over TLS between two Python ssl (OpenSSL) endpoints on 127.0.5.x, both writing the NSS
key log (SSLContext.keylog_filename), while tcpdump records the loopback.

    sip_over_tls.py OUT.pcap KEYS.log tls1.3|tls1.2 CERT KEY [CIPHER]

The phone (127.0.5.44) connects to the PBX (127.0.5.1:5061) and REGISTERs with
`Supported: buttons`; the PBX answers 200 with `Require: buttons`, sends the initial state (a
MESSAGE of 24 keys, larger than one TCP segment's worth of small records is not needed here:
one record) and a key change on the same connection; the phone answers each 200. Call-IDs,
tags and branches are fixed; TLS randoms and keys are not (every run differs)."""
import os, socket, ssl, subprocess, sys, threading, time

out, keys, version, cert, key = sys.argv[1:6]
cipher = sys.argv[6] if len(sys.argv) > 6 else None
PBX, PHONE, PORT = "127.0.5.1", "127.0.5.44", 5061

def sip(start, headers, body=b""):
    head = start + "\r\n" + "".join(f"{h}\r\n" for h in headers) + f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body

def via(branch, host, port):
    return f"Via: SIP/2.0/TLS {host}:{port};branch=z9hG4bK{branch}"

register = sip(f"REGISTER sip:{PBX};transport=tls SIP/2.0", [
    via("reg1tls", PHONE, 5061), "Max-Forwards: 70", f"From: <sip:44@{PBX}>;tag=ph44tls",
    f"To: <sip:44@{PBX}>", "Call-ID: reg-tls-44@127.0.5.44", "CSeq: 1 REGISTER",
    f"Contact: <sip:44@{PHONE}:5061;transport=tls;line=tls44>", "Expires: 600", "Supported: buttons"])
register_ok = sip("SIP/2.0 200 OK", [
    via("reg1tls", PHONE, 5061), f"From: <sip:44@{PBX}>;tag=ph44tls", f"To: <sip:44@{PBX}>;tag=pbxtls",
    "Call-ID: reg-tls-44@127.0.5.44", "CSeq: 1 REGISTER",
    f"Contact: <sip:44@{PHONE}:5061;transport=tls;line=tls44>;expires=600", "Require: buttons"])
initial = "".join(f"k={k}\r\nc={'on' if k == 3 else 'off'}\r\nl=Line {k}\r\nn={100 + k}\r\n\r\n" for k in range(1, 25)).encode()
change = b"k=3\r\nc=off\r\nl=Line 3\r\nn=103\r\n"

def message(n, body):
    return sip(f"MESSAGE sip:44@{PHONE}:5061;transport=tls;line=tls44 SIP/2.0", [
        via(f"msg{n}tls", PBX, PORT), "Max-Forwards: 70", f"From: <sip:44@{PBX}>;tag=pbxmsg{n}",
        f"To: <sip:44@{PBX}>", f"Call-ID: msg{n}-tls@127.0.5.1", f"CSeq: {n} MESSAGE",
        "Content-Type: application/x-buttons"], body)

def message_ok(n):
    return sip("SIP/2.0 200 OK", [
        via(f"msg{n}tls", PBX, PORT), f"From: <sip:44@{PBX}>;tag=pbxmsg{n}", f"To: <sip:44@{PBX}>;tag=ph44ok{n}",
        f"Call-ID: msg{n}-tls@127.0.5.1", f"CSeq: {n} MESSAGE"])

leftover = {}

def read_message(s):
    """One SIP message off the stream; bytes past it are kept for the next call."""
    data = leftover.pop(id(s), b"")
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
    while len(rest) < length:
        rest += s.recv(4096)
    leftover[id(s)] = rest[length:]
    return head

def tune(ctx):
    if version == "tls1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        if cipher: ctx.set_ciphers(cipher)
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx

server_ctx = tune(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))
server_ctx.load_cert_chain(cert, key)
client_ctx = tune(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
client_ctx.check_hostname = False
client_ctx.verify_mode = ssl.CERT_NONE
client_ctx.keylog_filename = keys  # the phone's side writes the key log

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((PBX, PORT))
listener.listen(1)

def pbx():
    conn, _ = listener.accept()
    with server_ctx.wrap_socket(conn, server_side=True) as s:
        read_message(s)
        s.sendall(register_ok)
        time.sleep(0.02)
        s.sendall(message(2, initial))
        read_message(s)
        time.sleep(0.02)
        s.sendall(message(3, change))
        read_message(s)
        time.sleep(0.05)

dump = subprocess.Popen(["tcpdump", "-Z", "root", "-i", "lo", "-U", "-s", "0", "-w", out, f"host {PBX} and tcp port {PORT}"],
                        stderr=subprocess.PIPE)
dump.stderr.readline()  # "listening on lo…": it captures from here
time.sleep(0.3)
threading.Thread(target=pbx, daemon=True).start()
raw = socket.socket()
raw.bind((PHONE, 0))
raw.connect((PBX, PORT))
with client_ctx.wrap_socket(raw) as s:
    s.sendall(register)
    read_message(s)
    for n in (2, 3):
        read_message(s)
        s.sendall(message_ok(n))
    time.sleep(0.1)
time.sleep(0.5)
dump.terminate()
dump.wait()

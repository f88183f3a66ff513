"""One SIP-over-TLS conversation between a phone (client) and a PBX (server), both Python's ssl
(OpenSSL) on loopback in this process: REGISTER with Supported: buttons and its 200; the initial
state of 24 keys in one MESSAGE larger than a TCP segment (the MSS is forced small); two MESSAGEs
in one TLS record; one MESSAGE split over two records; their 200s. Optionally a TLS 1.3
KeyUpdate from the PBX before its last MESSAGE.

The TLS 1.3 suite and KeyUpdate have no Python API: they go through ctypes to the same libssl
Python's ssl module uses (SSL_CTX_set_ciphersuites, SSL_key_update)."""
import ctypes
import socket
import ssl
import threading

LIBSSL = ctypes.CDLL("libssl.so.3")
LIBSSL.SSL_CTX_set_ciphersuites.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
LIBSSL.SSL_key_update.argtypes = [ctypes.c_void_p, ctypes.c_int]
# CPython 3.11 _ssl.c: PySSLContext { PyObject_HEAD; SSL_CTX *ctx; ... }, PySSLSocket
# { PyObject_HEAD; PyObject *Socket; SSL *ssl; ... }.
HEAD = 16

def ctx_pointer(ctx):
    return ctypes.c_void_p.from_address(id(ctx) + HEAD).value

def ssl_pointer(sslsock):
    return ctypes.c_void_p.from_address(id(sslsock._sslobj) + HEAD + 8).value

def set_tls13_suite(ctx, suite):
    assert LIBSSL.SSL_CTX_set_ciphersuites(ctx_pointer(ctx), suite.encode()) == 1

PBX = "127.0.4.1"
PHONE = "127.0.4.2"
MSS = 400
# Counts connections, so a resumed connection on the same port has Call-IDs of its own.
CONNECTION = [0]

def register(port, n):
    body = ""
    return (f"REGISTER sip:{PBX} SIP/2.0\r\n"
            f"Via: SIP/2.0/TLS {PHONE}:{port + 1000};branch=z9hG4bK-reg{port}-{n}\r\n"
            f"From: <sip:44@{PBX}>;tag=ph{port}\r\nTo: <sip:44@{PBX}>\r\n"
            f"Call-ID: reg-{port}-{CONNECTION[0]}-{n}@{PHONE}\r\nCSeq: {n} REGISTER\r\n"
            f"Contact: <sip:44@{PHONE}:{port + 1000};transport=tls;line=tl{port}>\r\n"
            "Supported: buttons\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n")

def ok(request, extra=""):
    head, _ = request.split("\r\n\r\n", 1)
    lines = head.split("\r\n")
    keep = [l for l in lines[1:] if l.split(":", 1)[0] in ("Via", "From", "To", "Call-ID", "CSeq")]
    keep = [l + ";tag=ok" if l.startswith("To:") and "tag=" not in l else l for l in keep]
    return "SIP/2.0 200 OK\r\n" + "\r\n".join(keep) + "\r\n" + extra + "Content-Length: 0\r\n\r\n"

def message(port, n, body):
    return (f"MESSAGE sip:44@{PHONE}:{port + 1000};transport=tls;line=tl{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/TLS {PBX}:{port};branch=z9hG4bK-msg{port}-{n}\r\n"
            f"From: <sip:44@{PBX}>;tag=pbx{port}\r\nTo: <sip:44@{PBX}>\r\n"
            f"Call-ID: msg-{port}-{CONNECTION[0]}-{n}@{PBX}\r\nCSeq: {n} MESSAGE\r\n"
            "Content-Type: application/x-buttons\r\nSubject: buttons\r\n"
            f"Content-Length: {len(body.encode())}\r\n\r\n{body}")

def initial_state():
    parts = []
    for k in range(1, 25):
        light = "on" if k == 3 else "off"
        parts.append(f"k={k}\r\nc={light}\r\nl=Line {k} label for the TLS initial state\r\nn=2{k:02d}\r\n")
    return "\r\n".join(parts)

def read_message(sock, buffer):
    """One SIP message from a TLS socket (Content-Length framing)."""
    while b"\r\n\r\n" not in buffer[0]:
        buffer[0] += sock.recv(65536)
    head, rest = buffer[0].split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        more = sock.recv(65536)
        rest += more
    buffer[0] = rest[length:]
    return (head + b"\r\n\r\n" + rest[:length]).decode()

def small_mss(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, MSS)

def converse(port, server_ctx, client_ctx, key_update=False, session=None, pause=0.02):
    """Runs one connection; returns the client's TLS session (for resumption)."""
    import time
    CONNECTION[0] += 1
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    small_mss(listener)
    listener.bind((PBX, port))
    listener.listen(1)
    done = threading.Event()

    def pbx():
        conn, _ = listener.accept()
        tls = server_ctx.wrap_socket(conn, server_side=True)
        buf = [b""]
        reg = read_message(tls, buf)
        tls.sendall(ok(reg, f"Require: buttons\r\nContact: <sip:44@{PHONE}>;expires=3600\r\n").encode())
        time.sleep(pause)
        tls.sendall(message(port, 1, initial_state()).encode())
        read_message(tls, buf)
        # Two MESSAGEs in one record.
        tls.sendall((message(port, 2, "k=5\r\nc=on\r\nl=Two in one\r\n") + message(port, 3, "k=6\r\nc=on\r\n")).encode())
        read_message(tls, buf)
        read_message(tls, buf)
        if key_update:
            assert LIBSSL.SSL_key_update(ssl_pointer(tls), 0) == 1
        # One MESSAGE over two records.
        last = message(port, 4, "k=3\r\nc=off\r\nl=After split\r\n").encode()
        tls.sendall(last[:120])
        time.sleep(pause)
        tls.sendall(last[120:])
        read_message(tls, buf)
        time.sleep(pause)
        try:
            tls.unwrap()  # close_notify: an unclean close would drop the session from the cache
        except (ssl.SSLError, OSError):
            pass
        conn.close()
        done.set()

    thread = threading.Thread(target=pbx)
    thread.start()
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    small_mss(raw)
    raw.bind((PHONE, port + 1000))
    raw.connect((PBX, port))
    tls = client_ctx.wrap_socket(raw, server_hostname="pbx.test", session=session)
    buf = [b""]
    tls.sendall(register(port, 1).encode())
    read_message(tls, buf)
    for _ in range(4):
        m = read_message(tls, buf)
        tls.sendall(ok(m).encode())
    time.sleep(pause)
    got = tls.session
    try:
        tls.recv(1)
        tls.unwrap()
    except (ssl.SSLError, OSError):
        pass
    raw.close()
    done.wait(5)
    thread.join()
    listener.close()
    return got

#!/usr/bin/python3
"""Records the SIP-over-TLS captures: tcpdump on lo (127.0.4.0/24 only), OpenSSL through Python's
ssl on both ends, key logs written by the client (SSLContext.keylog_filename).

    sudo /usr/bin/python3 captures/tls/make_tls.py      # from the repository root

writes captures/tls13-suites.pcap, tls12-suites.pcap, tls12-rsa.pcap, tls12-resume.pcap and their
key logs here (tls/*.keys). Keys and randoms are fresh on every run, so the files change; the
manifest (expected-tls.json) does not. The certificates and the RSA server key (pbx-rsa.key, used
by `--tls-key` for the RSA key exchange) are made once with openssl and kept."""
import os
import signal
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURES = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import sip_over_tls as sip  # noqa: E402

OP_NO_ENCRYPT_THEN_MAC = 0x00080000
OP_NO_EXTENDED_MASTER_SECRET = 0x00000001


def certificates():
    rsa_key, rsa_cert = f"{HERE}/pbx-rsa.key", f"{HERE}/pbx-rsa.crt"
    ec_key, ec_cert = f"{HERE}/pbx-ecdsa.key", f"{HERE}/pbx-ecdsa.crt"
    if not os.path.exists(rsa_cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rsa_key, "-out", rsa_cert,
                        "-days", "36500", "-subj", "/CN=pbx.test"], check=True, capture_output=True)
    if not os.path.exists(ec_cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", ec_key, "-out", ec_cert, "-days", "36500", "-subj", "/CN=pbx.test"], check=True, capture_output=True)
    return (rsa_cert, rsa_key), (ec_cert, ec_key)


def server(cert, version, ciphers=None, suite13=None, options=0, tickets=True):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*cert)
    ctx.minimum_version = ctx.maximum_version = version
    if ciphers:
        ctx.set_ciphers(ciphers)
    if suite13:
        sip.set_tls13_suite(ctx, suite13)
    ctx.options |= options
    if not tickets:
        ctx.options |= ssl.OP_NO_TICKET
    return ctx


def client(keylog, version, options=0, tickets=True):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ctx.maximum_version = version
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    ctx.options |= options
    if not tickets:
        ctx.options |= ssl.OP_NO_TICKET
    ctx.keylog_filename = keylog
    return ctx


def record(name, body):
    pcap = f"{CAPTURES}/{name}.pcap"
    keys = f"{HERE}/{name}.keys"
    for f in (pcap, keys):
        if os.path.exists(f):
            os.remove(f)
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-s", "0", "-w", pcap, "net", "127.0.4.0/24", "and", "tcp"],
                            stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    try:
        body(keys)
        time.sleep(3)  # tcpdump lags on a busy machine: let it write everything
    finally:
        dump.send_signal(signal.SIGINT)
        dump.wait()
    print(name, os.path.getsize(pcap), "bytes")


def main():
    rsa, ec = certificates()
    v13, v12 = ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2

    def tls13(keys):
        for port, suite, update in [(5061, "TLS_AES_128_GCM_SHA256", True), (5062, "TLS_AES_256_GCM_SHA384", False),
                                    (5063, "TLS_CHACHA20_POLY1305_SHA256", True)]:
            sip.converse(port, server(rsa, v13, suite13=suite), client(keys, v13), key_update=update)

    def tls12(keys):
        for port, cert, ciphers, options in [
            (5071, rsa, "ECDHE-RSA-AES128-GCM-SHA256", 0),
            (5072, ec, "ECDHE-ECDSA-AES256-GCM-SHA384", 0),
            (5073, rsa, "ECDHE-RSA-CHACHA20-POLY1305", 0),
            (5074, ec, "ECDHE-ECDSA-CHACHA20-POLY1305", OP_NO_EXTENDED_MASTER_SECRET),
            (5075, rsa, "ECDHE-RSA-AES128-SHA", 0),                                   # CBC, HMAC-SHA1, encrypt-then-MAC
            (5076, rsa, "ECDHE-RSA-AES256-SHA", OP_NO_ENCRYPT_THEN_MAC),              # CBC, HMAC-SHA1, MAC-then-encrypt
            (5077, rsa, "ECDHE-RSA-AES128-SHA256", OP_NO_ENCRYPT_THEN_MAC | OP_NO_EXTENDED_MASTER_SECRET),
            (5078, ec, "ECDHE-ECDSA-AES256-SHA384", 0),
        ]:
            sip.converse(port, server(cert, v12, ciphers=ciphers, options=options), client(keys, v12))

    def rsa_kx(keys):
        for port, ciphers, options in [(5081, "AES128-GCM-SHA256", 0),
                                       (5082, "AES256-SHA256", OP_NO_ENCRYPT_THEN_MAC | OP_NO_EXTENDED_MASTER_SECRET)]:
            sip.converse(port, server(rsa, v12, ciphers=ciphers, options=options), client(keys, v12))

    def resume(keys):
        # By session ID (no tickets), then by ticket; each resumed connection's own key log line is
        # removed below, so reading it needs the session of the earlier connection in the capture.
        for port, tickets in [(5091, False), (5092, True)]:
            srv = server(rsa, v12, ciphers="ECDHE-RSA-AES128-GCM-SHA256", tickets=tickets)
            cli = client(keys, v12, tickets=tickets)
            with open(keys) if os.path.exists(keys) else open(os.devnull) as f:
                before = f.read()
            session = sip.converse(port, srv, cli)
            with open(keys) as f:
                full = f.read()
            sip.converse(port, srv, cli, session=session)
            with open(keys, "w") as f:
                f.write(full)  # keep the full handshake's line only
            assert full != before

    record("tls13-suites", tls13)
    record("tls12-suites", tls12)
    record("tls12-rsa", rsa_kx)
    os.remove(f"{HERE}/tls12-rsa.keys")  # read with the server's RSA key alone
    record("tls12-resume", resume)


if __name__ == "__main__":
    main()

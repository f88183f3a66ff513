#!/usr/bin/python3
"""Records the TLS 1.2 DHE captures and the TLS 1.3 HelloRetryRequest capture: tcpdump on lo
(127.0.22.0/24 only), OpenSSL through Python's ssl on both ends, key logs written by the client
(SSLContext.keylog_filename). Same conversation as make_tls.py (sip_over_tls.converse).

    sudo /usr/bin/python3 captures/tls/make_tls_dhe.py      # from the repository root

writes captures/tls12-dhe.pcap, captures/tls13-hrr.pcap and their key logs here (tls/*.keys).
The DHE group is RFC 7919 ffdhe2048 (tls/ffdhe2048.pem, written once by
`openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048`)."""
import ctypes
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
from make_tls import OP_NO_ENCRYPT_THEN_MAC, OP_NO_EXTENDED_MASTER_SECRET, certificates, client, server  # noqa: E402

sip.PBX = "127.0.22.1"
sip.PHONE = "127.0.22.2"
DH_PARAMS = f"{HERE}/ffdhe2048.pem"
# SSL_CTX_set1_groups_list is a macro over SSL_CTX_ctrl(ctx, SSL_CTRL_SET_GROUPS_LIST, 0, list).
SSL_CTRL_SET_GROUPS_LIST = 92
sip.LIBSSL.SSL_CTX_ctrl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_long, ctypes.c_char_p]
sip.LIBSSL.SSL_CTX_ctrl.restype = ctypes.c_long


def groups(ctx, names):
    assert sip.LIBSSL.SSL_CTX_ctrl(sip.ctx_pointer(ctx), SSL_CTRL_SET_GROUPS_LIST, 0, names.encode()) == 1


def record(name, body):
    pcap = f"{CAPTURES}/{name}.pcap"
    keys = f"{HERE}/{name}.keys"
    for f in (pcap, keys):
        if os.path.exists(f):
            os.remove(f)
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-s", "0", "-w", pcap, "net", "127.0.22.0/24", "and", "tcp"],
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
    rsa, _ = certificates()
    v13, v12 = ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2

    def dhe(keys):
        for port, ciphers, options in [
            (5101, "DHE-RSA-AES128-GCM-SHA256", 0),
            (5102, "DHE-RSA-AES256-GCM-SHA384", 0),
            (5103, "DHE-RSA-CHACHA20-POLY1305", OP_NO_EXTENDED_MASTER_SECRET),
            (5104, "DHE-RSA-AES128-SHA256", 0),                                  # CBC, HMAC-SHA256, encrypt-then-MAC
            (5105, "DHE-RSA-AES256-SHA", OP_NO_ENCRYPT_THEN_MAC),                # CBC, HMAC-SHA1, MAC-then-encrypt
        ]:
            srv = server(rsa, v12, ciphers=ciphers, options=options)
            srv.load_dh_params(DH_PARAMS)
            sip.converse(port, srv, client(keys, v12))

    def hrr(keys):
        # The phone offers a key share for X25519 only (its first group); the PBX takes P-256
        # alone, so it answers the ClientHello with a HelloRetryRequest asking for P-256.
        for port, suite in [(5111, "TLS_AES_128_GCM_SHA256"), (5112, "TLS_CHACHA20_POLY1305_SHA256")]:
            srv = server(rsa, v13, suite13=suite)
            groups(srv, "P-256")
            cli = client(keys, v13)
            groups(cli, "X25519:P-256")
            sip.converse(port, srv, cli, key_update=port == 5112)

    record("tls12-dhe", dhe)
    record("tls13-hrr", hrr)


if __name__ == "__main__":
    main()

#!/bin/sh
# Makes the TLS captures of this folder with real TLS stacks (Python's ssl = OpenSSL) on
# 127.0.5.x, recorded by tcpdump, with their NSS key logs; then the pcapng with the keys
# embedded by editcap. Run as root from anywhere:  sh captures/tls-keys/make.sh
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The PBX's certificate: RSA 2048, self-signed (the phone does not check it here).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/pbx-key.pem" -out "$tmp/pbx-cert.pem" \
    -days 3650 -subj /CN=pbx.tls.example 2>/dev/null
rm -f sip-tls13.keys sip-tls12.keys
python3 sip_over_tls.py sip-tls13.pcap sip-tls13.keys tls1.3 "$tmp/pbx-cert.pem" "$tmp/pbx-key.pem"
python3 sip_over_tls.py sip-tls12.pcap sip-tls12.keys tls1.2 "$tmp/pbx-cert.pem" "$tmp/pbx-key.pem" ECDHE-RSA-AES128-GCM-SHA256
# The same TLS 1.3 capture carrying its keys: what `editcap --inject-secrets` writes.
editcap --inject-secrets tls,sip-tls13.keys sip-tls13.pcap sip-tls13-dsb.pcapng
ls -l sip-tls13.pcap sip-tls12.pcap sip-tls13-dsb.pcapng sip-tls13.keys sip-tls12.keys

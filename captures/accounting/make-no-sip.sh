#!/bin/bash
# Writes captures/no-sip-mixed.pcap: a capture with no SIP at all, for the "Not read" accounting.
# tcpdump on lo (Ethernet link type, zero MACs) records, on 127.0.3.0/24 only:
#   DNS, RTP, ICMP echo and an ICMP port unreachable (no_sip_traffic.py), an HTTP GET of a
#   provisioning file (python3 -m http.server + curl) and a TLS connection to port 5061 without
#   keys (openssl s_server + s_client).
# As root (tcpdump, port 53, raw ICMP). Frame counts vary a little with TCP timing; the manifest
# entry in captures/expected-accounting.json was written from the committed file.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CAPTURES=$(cd "$HERE/.." && pwd)
WORK=$(mktemp -d /tmp/buttonscope-accounting.XXXXXX)
STARTED=()
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

# The servers start before the capture, and are probed until they answer (not recorded).
mkdir www && printf '<settings><phone-settings/></settings>\n' > www/snom370.xml
/usr/bin/python3 -m http.server 8080 --bind 127.0.3.1 --directory www >http.log 2>&1 &
STARTED+=("$!")
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 -subj /CN=pbx.example 2>/dev/null
openssl s_server -quiet -accept 127.0.3.1:5061 -cert cert.pem -key key.pem >/dev/null 2>&1 &
STARTED+=("$!")
until curl -s -o /dev/null http://127.0.3.1:8080/ && (exec 3<>/dev/tcp/127.0.3.1/5061) 2>/dev/null; do sleep 0.2; done
sleep 0.5

file=$CAPTURES/no-sip-mixed.pcap
rm -f "$file"
tcpdump -i lo --immediate-mode -U -s 0 -Z root -w "$file" 'net 127.0.3.0/24' 2>tcpdump.err &
TCPDUMP=$!; STARTED+=("$TCPDUMP")
until grep -qs 'listening on' tcpdump.err; do sleep 0.1; done
sleep 0.2

/usr/bin/python3 "$HERE/no_sip_traffic.py"

# HTTP: a phone fetching its provisioning file.
curl -s --interface 127.0.3.2 -o /dev/null http://127.0.3.1:8080/snom370.xml
sleep 0.2

# TLS on the SIP-over-TLS port; the reader gets no keys.
printf 'OPTIONS sip:pbx.example SIP/2.0\r\n\r\n' | timeout 3 openssl s_client -quiet -connect 127.0.3.1:5061 -bind 127.0.3.2:0 >/dev/null 2>&1 || true
sleep 0.5

kill -INT "$TCPDUMP"; wait "$TCPDUMP" || true
echo "wrote $file: $(tcpdump -r "$file" 2>/dev/null | wc -l) frames"

#!/bin/bash
# HEP from a real sender: Kamailio's siptrace module (hep_mode_on, duplicate_uri, capture id 2001)
# mirrors a SIPp exchange (phone 44 registers with Supported: buttons; a PBX sends two x-buttons
# MESSAGEs for key 3 through Kamailio, each answered 200 by the phone) to a collector at
# 127.0.2.1:9060. Only the HEP packets are captured (udp port 9060): what a HOMER collector sees.
# Usage: hep-kamailio.sh VERSION FILE   (VERSION 3 or 2)
. "$(dirname "$0")/lib.sh"
version=$1 file=$2
sed "s/HEP_VERSION/$version/" "$CARRIERS/hep-kamailio.cfg.in" > "$WORK/kamailio.cfg"
# The collector: a socket that takes the datagrams (no ICMP port unreachable in the capture).
python3 -c 'import socket,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.2.1",9060)); s.settimeout(30)
try:
    while True: s.recv(65535)
except Exception: pass' &
STARTED+=("$!")
capture_start "$file" "udp port 9060"
kamailio_start "$WORK/kamailio.cfg"
# The phone registers (Supported: buttons) from 127.0.2.2:5062, then answers MESSAGEs there.
sipp 127.0.2.1:5060 -sf "$PHONE_XML" -i 127.0.2.2 -p 5062 -t u1 -m 1 -nostdin -default_behaviors none \
    -base_cseq 1 -set user 44 -set line ";line=abcd1234" -set expires 3600 -set buttons yes \
    -set docs 0 -set answer 200 -set presses no >/dev/null 2>>"$WORK/sipp.err"
sipp -sf "$CAPTURES/real/scenarios/uas-message.xml" -i 127.0.2.2 -p 5062 -t u1 -m 2 -nostdin \
    >/dev/null 2>>"$WORK/sipp.err" &
PHONE=$!
STARTED+=("$PHONE")
sleep 0.5
for light in on off; do
    sipp 127.0.2.1:5060 -sf "$CARRIERS/scenarios/pbx-message.xml" -i 127.0.2.3 -p 5070 -t u1 -m 1 -nostdin \
        -set light $light >/dev/null 2>>"$WORK/sipp.err"
    sleep 0.3
done
wait "$PHONE" || echo "warning: the phone exited with $?" >&2
capture_stop

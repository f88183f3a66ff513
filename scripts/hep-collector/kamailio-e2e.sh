#!/bin/bash
# End to end with a real HEP sender: Kamailio's siptrace (hep_mode_on, duplicate_uri, capture ID
# 2301) relays a SIPp PBX's x-buttons MESSAGEs to a SIPp phone and mirrors every transaction to
# `buttonscope watch --hep`. tcpdump records the same SIP traffic on lo, independently.
# Loopback 127.0.23.0/24 only: proxy and collector 127.0.23.1, phone 127.0.23.2, PBX 127.0.23.3.
# Usage: kamailio-e2e.sh OUTDIR   (BUTTONSCOPE=path to the binary; leaves watch.ndjson, watch.err,
#        fleet.pcapng, lo.pcap in OUTDIR). Bounded: every step has a timeout; all started is stopped.
set -euo pipefail
OUT=$1
BUTTONSCOPE=${BUTTONSCOPE:-buttonscope}
HERE=$(cd "$(dirname "$0")" && pwd)
SCENARIOS=$HERE/../../captures/real/scenarios
PBX_XML=$HERE/../../captures/carriers/scenarios/pbx-message.xml
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/buttonscope-hep-e2e.XXXXXX)
STARTED=()
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    rm -rf "$WORK"
}
trap cleanup EXIT

sed -e "s/HEP_COLLECTOR/127.0.23.1:9060/" -e "s/NODE_ID/2301/" -e "s/PROXY_ADDRESS/127.0.23.1/" \
    "$HERE/kamailio.cfg.in" > "$WORK/kamailio.cfg"

timeout 60 tcpdump -i lo --immediate-mode -U -s 0 -Z root -w "$OUT/lo.pcap" "host 127.0.23.1 and udp port 5060" 2>"$WORK/tcpdump.err" &
TCPDUMP=$!
STARTED+=("$TCPDUMP")
timeout 60 "$BUTTONSCOPE" watch --hep udp:127.0.23.1:9060 --json -w "$OUT/fleet.pcapng" >"$OUT/watch.ndjson" 2>"$OUT/watch.err" &
WATCH=$!
STARTED+=("$WATCH")
for _ in $(seq 50); do
    grep -qs 'listening on' "$WORK/tcpdump.err" && grep -qs 'listening on' "$OUT/watch.err" && break
    sleep 0.1
done
grep -qs 'listening on' "$OUT/watch.err" || { cat "$OUT/watch.err" >&2; exit 1; }

kamailio -f "$WORK/kamailio.cfg" -DD -E -w "$WORK" -Y "$WORK" >"$WORK/kamailio.log" 2>&1 &
KAMAILIO=$!
STARTED+=("$KAMAILIO")
sleep 1.5
kill -0 "$KAMAILIO" || { cat "$WORK/kamailio.log" >&2; exit 1; }

# Phone 44 registers (Supported: buttons) from 127.0.23.2:5062, then answers MESSAGEs there.
timeout 20 sipp 127.0.23.1:5060 -sf "$SCENARIOS/phone.xml" -i 127.0.23.2 -p 5062 -t u1 -m 1 -nostdin -default_behaviors none \
    -base_cseq 1 -set user 44 -set line ";line=abcd1234" -set expires 3600 -set buttons yes \
    -set docs 0 -set answer 200 -set presses no >/dev/null 2>>"$WORK/sipp.err"
timeout 30 sipp -sf "$SCENARIOS/uas-message.xml" -i 127.0.23.2 -p 5062 -t u1 -m 3 -nostdin \
    >/dev/null 2>>"$WORK/sipp.err" &
PHONE=$!
STARTED+=("$PHONE")
sleep 0.5
for light in on off on; do
    timeout 20 sipp 127.0.23.1:5060 -sf "$PBX_XML" -i 127.0.23.3 -p 5070 -t u1 -m 1 -nostdin \
        -set light $light >/dev/null 2>>"$WORK/sipp.err"
    sleep 0.3
done
wait "$PHONE" || echo "warning: the phone exited with $?" >&2
sleep 0.7
kill -INT "$WATCH" "$TCPDUMP"
wait "$WATCH" || echo "warning: watch exited with $?" >&2
wait "$TCPDUMP" || true

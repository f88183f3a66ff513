#!/bin/bash
# registrations-live-expired-ambiguous.pcap: who is registered where, for `press */USER --registrations`.
# Real SIPp on loopback (127.0.8.0/24 only): a registrar at 127.0.8.10:5060 (captures/real's
# registrar.xml, no documents) and phones registering from their own addresses:
#   46@pbx.example       from 127.0.8.14, Expires 1: expired by the capture's end
#   (2 s pause)
#   44@pbx.example       from 127.0.8.11, Expires 3600: live (resolves to 127.0.8.11)
#   45@pbx.example       from 127.0.8.12 and from 127.0.8.13: two live addresses (ambiguous)
#   48@pbx.example       from 127.0.8.18 last, Expires 3600
#   47@lab.example.local from 127.0.8.16 and 47@other.example from 127.0.8.17: ambiguous as
#                        */47, one each as */47@lab.example.local and */47@other.example
# Run as root from anywhere: bash captures/specsend/make-registrations.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CAPTURES=$(cd "$HERE/.." && pwd)
WORK=$(mktemp -d /tmp/buttonscope-specsend.XXXXXX)
STARTED=()
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

out=$CAPTURES/registrations-live-expired-ambiguous.pcap
rm -f "$out"
tcpdump -i lo --immediate-mode -U -s 0 -Z root -w "$out" 'net 127.0.8.0/24 and udp port 5060' 2>"$WORK/tcpdump.err" &
TCPDUMP=$!
STARTED+=("$TCPDUMP")
until grep -qs 'listening on' "$WORK/tcpdump.err"; do sleep 0.1; done
sleep 0.2

sipp -sf "$CAPTURES/real/scenarios/registrar.xml" -i 127.0.8.10 -p 5060 -t u1 -m 7 -nostdin -default_behaviors none \
    -set docs 0 -set require_name Require -set subject yes -set presses no >/dev/null 2>>"$WORK/sipp.err" &
REGISTRAR=$!
STARTED+=("$REGISTRAR")
sleep 0.3

register() {  # ADDRESS USER DOMAIN EXPIRES
    sipp 127.0.8.10:5060 -sf "$HERE/scenarios/register-only.xml" -i "$1" -p 5062 -t u1 -m 1 -nostdin \
        -default_behaviors none -set user "$2" -set domain "$3" -set expires "$4" >/dev/null 2>>"$WORK/sipp.err"
}
register 127.0.8.14 46 pbx.example 1
sleep 2
register 127.0.8.11 44 pbx.example 3600
register 127.0.8.12 45 pbx.example 3600
register 127.0.8.13 45 pbx.example 3600
register 127.0.8.16 47 lab.example.local 3600
register 127.0.8.17 47 other.example 3600
sleep 0.1
register 127.0.8.18 48 pbx.example 3600
wait "$REGISTRAR" || echo "warning: the registrar exited with $?" >&2
sleep 0.5
kill -INT "$TCPDUMP"
wait "$TCPDUMP" || true
echo "wrote $out"

#!/bin/bash
# SIP over WebSocket from Kamailio's websocket module (ws://127.0.2.1:5066) and a Python
# `websockets` client playing phone 44: REGISTER (Supported: buttons) and its 200, a key press
# MESSAGE from the phone (sent as three frames: text + 2 continuations, masked) and its 200, then
# two x-buttons MESSAGEs from a SIPp PBX (UDP to Kamailio, relayed over the WebSocket, unmasked
# server frames) each answered 200 by the phone. Only tcp port 5066 is captured.
# Usage: ws-kamailio.sh FILE [--fragment]
. "$(dirname "$0")/lib.sh"
file=$1; shift
capture_start "$file" "tcp port 5066"
kamailio_start "$CARRIERS/ws-kamailio.cfg"
mkfifo "$WORK/ready"
python3 "$CARRIERS/ws-client.py" ws://127.0.2.1:5066 2 "$@" >"$WORK/ready" 2>"$WORK/client.err" &
CLIENT=$!
STARTED+=("$CLIENT")
read -t 10 line <"$WORK/ready" || { cat "$WORK/client.err" "$WORK/kamailio.log" >&2; exit 1; }
for light in on off; do
    sipp 127.0.2.1:5060 -sf "$CARRIERS/scenarios/pbx-message.xml" -i 127.0.2.3 -p 5070 -t u1 -m 1 -nostdin \
        -set light $light >/dev/null 2>>"$WORK/sipp.err"
    sleep 0.3
done
wait "$CLIENT" || { echo "warning: the WebSocket client exited with $?" >&2; cat "$WORK/client.err" >&2; }
capture_stop

# Sourced by the carriers capture scripts: paths, a work folder, cleanup of what we started.
# Loopback only, in this family's range 127.0.2.0/24: proxy 127.0.2.1, phone 127.0.2.2, PBX 127.0.2.3.
set -euo pipefail

CARRIERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(cd "$CARRIERS/.." && pwd)
PHONE_XML=$CAPTURES/real/scenarios/phone.xml
WORK=$(mktemp -d /tmp/buttonscope-carriers.XXXXXX)
STARTED=()
cd "$WORK"

cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    cd / && { [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"; }
}
trap cleanup EXIT

# capture_start FILE FILTER: tcpdump on lo into captures/FILE; returns once listening.
capture_start() {
    local file=$CAPTURES/$1
    rm -f "$file"
    tcpdump -i lo --immediate-mode -U -s 0 -Z root -w "$file" "$2" 2>"$WORK/tcpdump.err" &
    TCPDUMP=$!
    STARTED+=("$TCPDUMP")
    local tries=0
    until grep -qs 'listening on' "$WORK/tcpdump.err"; do
        sleep 0.1; tries=$((tries + 1))
        [ "$tries" -lt 50 ] || { cat "$WORK/tcpdump.err" >&2; return 1; }
    done
    sleep 0.2
}

capture_stop() {
    sleep 0.5
    kill -INT "$TCPDUMP"
    wait "$TCPDUMP" || true
}

# kamailio_start CFG: Kamailio in the foreground of a background job; $KAMAILIO is its PID.
kamailio_start() {
    kamailio -f "$1" -DD -E -w "$WORK" -Y "$WORK" >"$WORK/kamailio.log" 2>&1 &
    KAMAILIO=$!
    STARTED+=("$KAMAILIO")
    sleep 1.5
    kill -0 "$KAMAILIO" || { cat "$WORK/kamailio.log" >&2; return 1; }
}

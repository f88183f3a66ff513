# Sourced by every capture script: paths, packet capture, and the two SIPp sides.
# Loopback only: the registrar/PBX is 127.0.0.1:5060, phones are 127.0.0.2/127.0.0.3:5062.
set -euo pipefail

REAL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCENARIOS=$REAL/scenarios
CAPTURES=$(cd "$REAL/.." && pwd)
WORK=$(mktemp -d /tmp/buttonscope-real.XXXXXX)   # body files and SIPp logs live here
STARTED=()                                       # PIDs this script started
cd "$WORK"

cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    cd / && { [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"; }
}
trap cleanup EXIT

# body FILE FORMAT...: write a document's exact bytes (printf format, so \r\n is explicit).
body() { local file=$1; shift; printf "$@" > "$file"; }

# capture_start FILE [INTERFACE]: tcpdump on loopback into captures/FILE; returns once listening.
capture_start() {
    local file=$CAPTURES/$1 iface=${2:-lo}
    rm -f "$file"
    # Every packet of ours has a phone address in it; 127.0.0.1 alone is other people's tests.
    tcpdump -i "$iface" --immediate-mode -U -s 0 -Z root -w "$file" \
        'host 127.0.0.2 or host 127.0.0.3' 2>"$WORK/tcpdump.err" &
    TCPDUMP=$!
    STARTED+=("$TCPDUMP")
    local tries=0
    until grep -qs 'listening on' "$WORK/tcpdump.err"; do
        sleep 0.1; tries=$((tries + 1))
        [ "$tries" -lt 50 ] || { cat "$WORK/tcpdump.err" >&2; return 1; }
    done
    sleep 0.2
}

# capture_stop: let late packets arrive, then stop tcpdump with SIGINT and wait for it.
capture_stop() {
    sleep 0.5
    kill -INT "$TCPDUMP"
    wait "$TCPDUMP" || true
}

# registrar TRANSPORT [sipp options]: the PBX (scenarios/registrar.xml) in the background;
# $REGISTRAR is its PID. Defaults: one phone, Require: buttons, spec's Subject header, 500 ms
# before each document. UDP retransmissions follow RFC 3261 Timer E (T1 500 ms doubling, capped
# at T2 4 s); with -max_retrans 10 SIPp sends the 10 retransmissions that fit before Timer F
# (the last 31.5 s after the first send), then gives up ~4 s later without sending more.
registrar() {
    local transport=$1; shift
    sipp -sf "$SCENARIOS/registrar.xml" -i 127.0.0.1 -p 5060 -t "$transport" -m 1 \
        -nostdin -default_behaviors none -base_cseq 59620 -d 500 -T2 4000 -max_retrans 10 -max_non_invite_retrans 20 \
        -set require_name Require -set subject yes -set presses no ${SIPP_TRACE:-} "$@" \
        >/dev/null 2>>"$WORK/sipp.err" &
    REGISTRAR=$!
    STARTED+=("$REGISTRAR")
    sleep 0.3
}

# phone TRANSPORT ADDRESS USER [sipp options]: a phone (scenarios/phone.xml) registering at
# 127.0.0.1:5060 from ADDRESS:5062, in the background; $PHONE is its PID.
phone() {
    local transport=$1 address=$2 user=$3; shift 3
    sipp 127.0.0.1:5060 -sf "$SCENARIOS/phone.xml" -i "$address" -p 5062 -t "$transport" \
        -m 1 -nostdin -default_behaviors none -base_cseq 1 -set user "$user" -set line ";line=abcd1234" \
        -set expires 3600 -set buttons yes -set docs 0 -set answer 200 -set presses no ${SIPP_TRACE:-} "$@" \
        >/dev/null 2>>"$WORK/sipp.err" &
    PHONE=$!
    STARTED+=("$PHONE")
}

# finish PID...: wait for SIPp processes; complain (but go on) if one of them failed.
finish() {
    local pid status=0
    for pid in "$@"; do wait "$pid" || status=$?; done
    if [ "$status" -ne 0 ]; then
        echo "warning: a SIPp side exited with $status" >&2
        grep -hv "epoll\|as user" "$WORK"/sipp.err "$WORK"/*errors.log 2>/dev/null | head -20 >&2 || true
    fi
}

# The walk-through's initial state of keys 1-4, one description per key, CRLF, empty lines between.
initial_state() {
    body "$1" 'k=1\r\n\r\nk=2\r\n\r\nk=3\r\nl=42\r\n\r\nk=4\r\nc=on\r\nn=79\r\na=invite\r\nl=Office Hours\r\n'
}

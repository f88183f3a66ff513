# Sourced by every script in captures/spec/: real/lib.sh (paths, body, finish, cleanup), with the
# addresses moved to 127.0.7.0/24 so these captures can be made while other loopback tests run:
# the registrar/PBX is 127.0.7.1:5060, phones are 127.0.7.2 and 127.0.7.3, port 5062.
SPEC_SCENARIOS=$(cd "$(dirname "${BASH_SOURCE[0]}")/scenarios" && pwd)
. "$(dirname "${BASH_SOURCE[0]}")/../real/lib.sh"   # (it ends in the work directory)
PBX=127.0.7.1

# capture_start FILE: tcpdump on lo into captures/FILE, only the phones' packets.
capture_start() {
    local file=$CAPTURES/$1
    rm -f "$file"
    tcpdump -i lo --immediate-mode -U -s 0 -Z root -w "$file" \
        'host 127.0.7.2 or host 127.0.7.3' 2>"$WORK/tcpdump.err" &
    TCPDUMP=$!
    STARTED+=("$TCPDUMP")
    local tries=0
    until grep -qs 'listening on' "$WORK/tcpdump.err"; do
        sleep 0.1; tries=$((tries + 1))
        [ "$tries" -lt 50 ] || { cat "$WORK/tcpdump.err" >&2; return 1; }
    done
    sleep 0.2
}

# registrar [sipp options]: real/scenarios/registrar.xml on 127.0.7.1:5060 (UDP).
registrar() {
    sipp -sf "$SCENARIOS/registrar.xml" -i "$PBX" -p 5060 -t u1 -m 1 \
        -nostdin -default_behaviors none -base_cseq 59620 -d 500 -T2 4000 -max_retrans 10 -max_non_invite_retrans 20 \
        -set require_name Require -set subject yes -set presses no ${SIPP_TRACE:-} "$@" \
        >/dev/null 2>>"$WORK/sipp.err" &
    REGISTRAR=$!
    STARTED+=("$REGISTRAR")
    sleep 0.3
}

# phone ADDRESS USER USER-AGENT [sipp options]: spec/scenarios/phone.xml registering at the PBX.
phone() {
    local address=$1 user=$2 ua=$3; shift 3
    sipp "$PBX:5060" -sf "$SPEC_SCENARIOS/phone.xml" -i "$address" -p 5062 -t u1 \
        -m 1 -nostdin -default_behaviors none -base_cseq 1 -set user "$user" -set line ";line=abcd1234" \
        -set expires 3600 -set buttons yes -set docs 0 -set answer 200 -set presses no \
        -set ua "$ua" -set proxy_require yes ${SIPP_TRACE:-} "$@" \
        >/dev/null 2>>"$WORK/sipp.err" &
    PHONE=$!
    STARTED+=("$PHONE")
}

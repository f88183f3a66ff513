# Sourced by every tunnel capture script: network namespaces joined by a bridge, Linux tunnel
# devices between them, tcpdump on the bridge (the outer packets), SIPp on the inner addresses.
# Everything is prefixed "tun" and deleted on exit. Nothing leaves this machine: the namespaces
# have no route out, and every address lives only inside them.
#
# Underlay: namespace tunsw holds bridge tunbr; host namespaces tunA, tunB, … hang on it by veth,
# with outer addresses 192.0.2.1, .2, … (TEST-NET-1). Inner (overlay) addresses are 10.42.0.1 (the
# registrar) and 10.42.0.2 (the phone) unless a script says otherwise.
set -euo pipefail

TUNNELS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCENARIOS=$TUNNELS/../real/scenarios
CAPTURES=$(cd "$TUNNELS/.." && pwd)
WORK=$(mktemp -d /tmp/buttonscope-tunnels.XXXXXX)
STARTED=()
HOSTS=()
cd "$WORK"

cleanup() {
    local pid ns
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    for ns in "${HOSTS[@]}" tunsw; do ip netns del "$ns" 2>/dev/null || true; done
    cd / && { [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"; }
}
trap cleanup EXIT

body() { local file=$1; shift; printf "$@" > "$file"; }

# netns NS CMD...: run a command inside a namespace.
netns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# underlay: the switch namespace and its bridge.
underlay() {
    ip netns add tunsw
    netns tunsw sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    netns tunsw ip link add tunbr type bridge
    netns tunsw ip link set tunbr up
    netns tunsw ip link set lo up
}

# host NS ADDRESS [MAC]: a namespace on the bridge with ADDRESS/24 on its veth "tunv".
host() {
    local ns=$1 address=$2 mac=${3:-}
    ip netns add "$ns"
    HOSTS+=("$ns")
    # No IPv6 autoconfiguration chatter in the captures.
    netns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip link add tunv netns "$ns" type veth peer name "t$ns" netns tunsw
    [ -z "$mac" ] || netns "$ns" ip link set tunv address "$mac"
    netns "$ns" ip link set lo up
    netns "$ns" ip addr add "$address/24" dev tunv
    netns "$ns" ip link set tunv up
    netns tunsw ip link set "t$ns" master tunbr
    netns tunsw ip link set "t$ns" up
}

# capture_start FILE: tcpdump on the bridge (every outer packet once) into captures/FILE.
capture_start() {
    local file=$CAPTURES/$1
    rm -f "$file"
    ip netns exec tunsw tcpdump -i tunbr --immediate-mode -U -s 0 -Z root -w "$file" 'not arp' 2>"$WORK/tcpdump.err" &
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

# registrar NS ADDRESS TRANSPORT [sipp options]: the PBX (../real/scenarios/registrar.xml).
registrar() {
    local ns=$1 address=$2 transport=$3; shift 3
    ip netns exec "$ns" sipp -sf "$SCENARIOS/registrar.xml" -i "$address" -p 5060 -t "$transport" -m 1 \
        -nostdin -default_behaviors none -base_cseq 59620 -d 500 -T2 4000 -max_retrans 10 \
        -set require_name Require -set subject yes -set presses no "$@" \
        >/dev/null 2>>"$WORK/sipp.err" &
    REGISTRAR=$!
    STARTED+=("$REGISTRAR")
    sleep 0.3
}

# phone NS ADDRESS PBX TRANSPORT USER [sipp options]: a phone (../real/scenarios/phone.xml)
# registering at PBX:5060 from ADDRESS:5062.
phone() {
    local ns=$1 address=$2 pbx=$3 transport=$4 user=$5; shift 5
    ip netns exec "$ns" sipp "$pbx:5060" -sf "$SCENARIOS/phone.xml" -i "$address" -p 5062 -t "$transport" \
        -m 1 -nostdin -default_behaviors none -base_cseq 1 -set user "$user" -set line ";line=abcd1234" \
        -set expires 3600 -set buttons yes -set docs 0 -set answer 200 -set presses no "$@" \
        >/dev/null 2>>"$WORK/sipp.err" &
    PHONE=$!
    STARTED+=("$PHONE")
}

finish() {
    local pid status=0
    for pid in "$@"; do wait "$pid" || status=$?; done
    if [ "$status" -ne 0 ]; then
        echo "warning: a SIPp side exited with $status" >&2
        grep -hv "epoll\|as user" "$WORK"/sipp.err "$WORK"/*errors.log 2>/dev/null | head -20 >&2 || true
    fi
}

# The documents every tunnel capture carries to phone 44: initial state of keys 1-3, key 3
# ringing (pickup, caller 19781234567), key 3 back to off.
documents() {
    body doc1.txt 'k=1\r\nl=Line 1\r\n\r\nk=2\r\nl=Sales\r\nn=402\r\n\r\nk=3\r\nl=42\r\n'
    body doc2.txt 'k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n'
    body doc3.txt 'k=3\r\nl=42\r\n'
}

# vxlan NS VNI LOCAL REMOTE INNER MAC: a VXLAN device "tunvx" (UDP 4789) with the inner address.
vxlan() {
    local ns=$1 vni=$2 local=$3 remote=$4 inner=$5 mac=$6
    netns "$ns" ip link add tunvx type vxlan id "$vni" local "$local" remote "$remote" dstport 4789 dev tunv
    netns "$ns" ip link set tunvx address "$mac"
    netns "$ns" ip addr add "$inner/24" dev tunvx
    netns "$ns" ip link set tunvx up
}

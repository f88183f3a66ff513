#!/bin/bash
# One point of the HEP collector benchmark: `watch --hep --json` (output to /dev/null) under GNU time
# while scripts/hep-load sends RATE packets/s for SECONDS; prints the load's line, watch's stop line,
# and watch's CPU seconds and peak RSS. Loopback 127.0.23.1 only.
# Usage: bench.sh RATE SECONDS [CONFIG]   (CONFIG release or debug, default release)
#        bench.sh --pcap RATE SECONDS [CONFIG]   the same SIP sent plain, read by `watch -i lo`
set -euo pipefail
mode=hep
if [ "$1" = "--pcap" ]; then mode=pcap; shift; fi
rate=$1 seconds=$2 config=${3:-release}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/.build/$config/buttonscope
work=$(mktemp -d /tmp/buttonscope-hep-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ $mode = hep ]; then
    /usr/bin/time -f "cpu_user=%U cpu_sys=%S wall=%e peak_rss_kb=%M" -o "$work/time" \
        "$bin" watch --hep udp:127.0.23.1:9060 --json >/dev/null 2>"$work/err" &
else
    # A sink so the plain datagrams are taken (no ICMP unreachable for each).
    python3 -c 'import socket,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1<<20); s.bind(("127.0.23.1",15060)); s.settimeout(1)
end=time.time()+'"$seconds"'+20
while time.time()<end:
    try: s.recv(65535)
    except Exception: pass' &
    sink=$!
    /usr/bin/time -f "cpu_user=%U cpu_sys=%S wall=%e peak_rss_kb=%M" -o "$work/time" \
        "$bin" watch -i lo --bpf "udp and dst host 127.0.23.1 and dst port 15060" --json >/dev/null 2>"$work/err" &
fi
watch=$!
for _ in $(seq 600); do grep -qs 'listening on' "$work/err" && break; sleep 0.1; done
grep -qs 'listening on' "$work/err" || { echo "watch did not start" >&2; cat "$work/err" >&2; exit 1; }
sleep 0.3
if [ $mode = hep ]; then
    HEP_LOAD_CONFIG=$config "$root/scripts/hep-load" --to 127.0.23.1:9060 --rate "$rate" --seconds "$seconds"
else
    HEP_LOAD_CONFIG=$config "$root/scripts/hep-load" --plain --to 127.0.23.1:15060 --rate "$rate" --seconds "$seconds"
fi
sleep 1.5
# SIGTERM to watch itself (GNU time ignores SIGINT, and a background job's SIGINT is ignored).
kill -TERM "$(pgrep -P "$watch")"
wait "$watch" || true
[ $mode = pcap ] && kill "$sink" 2>/dev/null || true
tail -1 "$work/err"
cat "$work/time"

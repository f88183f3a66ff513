#!/bin/bash
# Regenerate every real capture in captures/ (run as root: tcpdump needs it). About 2.5 minutes:
# why-unanswered-udp alone waits out Timer F (~41 s). Loopback only.
set -euo pipefail
cd "$(dirname "$0")"
command -v sipp >/dev/null && command -v sipsak >/dev/null && command -v tcpdump >/dev/null || {
    echo "needs sipp (sip-tester), sipsak and tcpdump" >&2; exit 1; }

./spec-register-initial-udp.sh
./spec-register-initial-any.sh
./spec-incoming-call-key3.sh udp
./spec-incoming-call-key3.sh tcp
./spec-shared-line-udp.sh
./spec-dnd-udp.sh
./modsnom-lf-udp.sh
./sipsak-led-udp.sh >/dev/null
./sipp-register-buttons-tcp.sh
./why-no-document.sh
./why-no-buttons-support.sh
./why-registration-expired.sh
./why-wrong-port.sh
./why-404-user.sh
./why-unanswered-udp.sh
./why-icmp-unreachable.sh
./why-415.sh
./why-content-length-short.sh
./why-entries-one-line.sh
./why-overwritten.sh
./why-all-good.sh
./check.sh

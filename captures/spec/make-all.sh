#!/bin/bash
# Regenerate every capture of issue 15's decoding cases (as root: tcpdump needs it), ~20 s.
# Loopback 127.0.7.0/24 only.
set -euo pipefail
cd "$(dirname "$0")"
command -v sipp >/dev/null && command -v tcpdump >/dev/null || { echo "needs sipp (sip-tester) and tcpdump" >&2; exit 1; }
./spec-clear-by-omission-udp.sh
./spec-free-text-equals-udp.sh
./spec-grammar-edges-udp.sh
./spec-misread-udp.sh

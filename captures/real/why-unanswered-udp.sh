#!/bin/bash
# The phone receives the key 3 document but never answers. The registrar's SIPp retransmits
# 10 times (Timer E: after 0.5, 1, 2, 4, 4 ... s; see lib.sh) and gives up about 4 s after the
# last one, past Timer F (32 s). Takes ~37 s.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-unanswered-udp.pcap
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1 -set answer none
wait "$REGISTRAR" || true           # fails, as it should: no answer
kill "$PHONE" 2>/dev/null || true   # it is still keeping quiet
wait "$PHONE" 2>/dev/null || true
capture_stop

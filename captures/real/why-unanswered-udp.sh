#!/bin/bash
# The phone receives the key 3 document but never answers. The registrar's SIPp retransmits
# 10 times (Timer E: 0.5, 1, 2, 4, 4 ... s apart; the last 31.5 s after the first send; see
# lib.sh) and gives up about 4 s later, past Timer F (32 s), sending nothing more. ~41 s.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-unanswered-udp.pcap
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1 -set answer none
wait "$REGISTRAR" || true           # fails, as it should: no answer
finish "$PHONE"                     # quiet for 40 s: the capture runs past Timer F
capture_stop

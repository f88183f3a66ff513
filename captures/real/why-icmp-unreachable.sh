#!/bin/bash
# Phone 44 registers and then goes away (its SIPp exits), so the key 3 document hits a closed
# UDP port: the kernel answers ICMP port unreachable to each transmission. The registrar
# retransmits; the capture stops after ~5 s, long before Timer F.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-icmp-unreachable.pcap
registrar u1 -set docs 1 -d 1000
phone u1 127.0.0.2 44 -set docs 0
finish "$PHONE"
sleep 5                             # document sent at ~1 s, retransmitted at ~1.5, 2.5, 4.5 s
kill "$REGISTRAR"; wait "$REGISTRAR" 2>/dev/null || true
capture_stop

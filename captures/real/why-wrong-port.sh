#!/bin/bash
# Phone 44 registers 127.0.0.2:5062, but the registrar sends the key 3 document to
# 127.0.0.2:5070 (Request-URI still names the registered contact), where some other SIP
# endpoint (a SIPp UAS) answers 200 OK. The phone itself never sees the document.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-wrong-port.pcap
sipp -sf "$SCENARIOS/uas-message.xml" -i 127.0.0.2 -p 5070 -t u1 -m 1 -nostdin \
    >/dev/null 2>>"$WORK/sipp.err" &
other=$!
STARTED+=("$other")
registrar u1 -set docs 1 -set dest_port 5070
phone u1 127.0.0.2 44 -set docs 0
finish "$PHONE" "$REGISTRAR" "$other"
capture_stop

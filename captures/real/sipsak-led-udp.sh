#!/bin/bash
# The spec's sipsak example: sipsak sends led.txt (k=1 / c=on) to phone 1004 at 127.0.0.2:5060,
# played by a SIPp UAS that answers 200 OK. sipsak -G replaces $user$, $dsthost$ and $srchost$;
# it turns each LF of the file into CRLF, so the body is "k=1\r\nc=on\r\n" (11 bytes, as in
# led.txt's Content-Length).
. "$(dirname "$0")/lib.sh"

capture_start sipsak-led-udp.pcap
sipp -sf "$SCENARIOS/uas-message.xml" -i 127.0.0.2 -p 5060 -t u1 -m 1 -nostdin \
    >/dev/null 2>>"$WORK/sipp.err" &
uas=$!
STARTED+=("$uas")
sleep 0.3
sipsak -G -H 127.0.0.1 -l 1036 -s sip:1004@127.0.0.2 -f "$REAL/led.txt" -v
finish "$uas"
capture_stop

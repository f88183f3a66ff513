#!/bin/bash
# The key 3 document goes to phone 44's registered contact but with Request-URI user 45;
# the phone has no identity 45 and answers 404 Not Found.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-404-user.pcap
registrar u1 -set docs 1 -set msg_user 45
phone u1 127.0.0.2 44 -set docs 1 -set answer 404
finish "$PHONE" "$REGISTRAR"
capture_stop

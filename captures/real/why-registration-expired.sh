#!/bin/bash
# The phone registers with Expires: 2 (the 200 OK echoes expires=2); the document for key 3
# arrives about 4 s later, after the registration ran out (still answered 200).
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-registration-expired.pcap
registrar u1 -set docs 1 -d 4000
phone u1 127.0.0.2 44 -set docs 1 -set expires 2
finish "$PHONE" "$REGISTRAR"
capture_stop

#!/bin/bash
# The phone refuses the key 3 document with 415 Unsupported Media Type (Accept: text/plain).
# No Subject header.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-415.pcap
registrar u1 -set docs 1 -set subject no
phone u1 127.0.0.2 44 -set docs 1 -set answer 415
finish "$PHONE" "$REGISTRAR"
capture_stop

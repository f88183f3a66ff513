#!/bin/bash
# The key 3 document "k=3\r\nc=on\r\nl=Sales\r\n" (20 bytes) goes out with a hand-written
# Content-Length: 6, so a phone reads only "k=3\r\nc=". The phone answers 200.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-content-length-short.pcap
registrar u1 -set docs 1 -set content_length 6 -set subject no
phone u1 127.0.0.2 44 -set docs 1
finish "$PHONE" "$REGISTRAR"
capture_stop

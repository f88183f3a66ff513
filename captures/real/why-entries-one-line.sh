#!/bin/bash
# The key 3 document has all entries on one line, "k=3 c=on l=Sales\r\n": read literally, a key
# named "3 c=on l=Sales" with the light off. The phone answers 200.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3 c=on l=Sales\r\n'

capture_start why-entries-one-line.pcap
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1
finish "$PHONE" "$REGISTRAR"
capture_stop

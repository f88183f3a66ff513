#!/bin/bash
# Key 3 is lit (c=on), then a second later a document "k=3 / l=Sales" without c= replaces the
# whole state: the lamp goes off. Both answered 200. No Subject header.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'
body doc2.txt 'k=3\r\nl=Sales\r\n'

capture_start why-overwritten.pcap
registrar u1 -set docs 2 -set subject no -d 1000
phone u1 127.0.0.2 44 -set docs 2
finish "$PHONE" "$REGISTRAR"
capture_stop

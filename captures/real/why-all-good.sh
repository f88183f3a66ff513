#!/bin/bash
# Everything right: registered with buttons support, a valid document lighting key 3, 200 OK.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-all-good.pcap
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1
finish "$PHONE" "$REGISTRAR"
capture_stop

#!/bin/bash
# The REGISTER has no "Supported: buttons" (so the 200 OK has no Require: buttons either), yet
# the registrar sends a valid document for key 3 and the phone answers 200.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Sales\r\n'

capture_start why-no-buttons-support.pcap
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1 -set buttons no
finish "$PHONE" "$REGISTRAR"
capture_stop

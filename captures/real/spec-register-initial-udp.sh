#!/bin/bash
# Spec walk-through "The device registers": REGISTER (Supported: buttons) -> 200 OK
# (Require: buttons) -> one MESSAGE with the initial state of keys 1-4 -> 200 OK.
. "$(dirname "$0")/lib.sh"

body doc1.txt 'k=1\r\n\r\nk=2\r\n\r\nk=3\r\nl=42\r\n\r\nk=4\r\nc=on\r\nn=79\r\na=invite\r\nl=Office Hours\r\n'

capture_start spec-register-initial-udp.pcap
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1
finish "$PHONE" "$REGISTRAR"
capture_stop

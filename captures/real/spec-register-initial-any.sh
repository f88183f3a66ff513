#!/bin/bash
# The same exchange as spec-register-initial-udp, captured on the "any" pseudo-interface so the
# file has link type LINUX_SLL2 (Linux cooked capture v2) instead of Ethernet.
. "$(dirname "$0")/lib.sh"
initial_state doc1.txt

capture_start spec-register-initial-any.pcap any
registrar u1 -set docs 1
phone u1 127.0.0.2 44 -set docs 1
finish "$PHONE" "$REGISTRAR"
capture_stop

#!/bin/bash
# Spec walk-through "The device registers": REGISTER (Supported: buttons) -> 200 OK with the
# spec's spelling "Required: buttons" -> one MESSAGE with the initial state of keys 1-4 -> 200 OK.
. "$(dirname "$0")/lib.sh"
initial_state doc1.txt

capture_start spec-register-initial-udp.pcap
registrar u1 -set docs 1 -set require_name Required
phone u1 127.0.0.2 44 -set docs 1
finish "$PHONE" "$REGISTRAR"
capture_stop

#!/bin/bash
# Spec walk-through "DND": key 4 offers DND (n=*78, a=message); the user presses it (the phone
# sends a MESSAGE To *78); the registrar answers with key 4 "offline" (n=*79 turns DND off).
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=4\r\nl=DND\r\nn=*78\r\na=message\r\n'
body doc2.txt 'k=4\r\nc=offline\r\nl=DND\r\nn=*79\r\na=message\r\n'
printf '*78' > press1.to
body press1.txt 'k=4\r\na=message\r\n'

capture_start spec-dnd-udp.pcap
registrar u1 -set docs 2 -set presses yes
phone u1 127.0.0.2 44 -set docs 2 -set presses yes
finish "$PHONE" "$REGISTRAR"
capture_stop

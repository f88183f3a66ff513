#!/bin/bash
# Spec walk-through "shared line": 402 (127.0.0.2) and 404 (127.0.0.3) share a line. Both get
# "seize co2" on key 2; 404 presses key 1 (seize, To *602co1); both get key 1 lit with
# "release co1"; 404 presses key 2 (release, To *603co2); both get the first document again.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=2\r\nn=*602co2\r\na=seize\r\nl=(co2)\r\n'
body doc2.txt 'k=1\r\nc=on\r\nn=*603co1\r\na=release\r\nl=(co1)\r\n'
cp doc1.txt doc3.txt
printf '*602co1' > press1.to
body press1.txt 'k=1\r\na=seize\r\nt=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>\r\n'
printf '*603co2' > press2.to
body press2.txt 'k=2\r\na=release\r\nt=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>\r\n'

capture_start spec-shared-line-udp.pcap
registrar u1 -m 2 -set docs 3 -set presses yes
# One registrar call per phone, timed apart (see registrar.xml "presses"): 402 registers 0.1 s
# before 404, so 402's next document always falls between 404's presses.
phone u1 127.0.0.2 402 -set docs 3 -set line ";line=lkijv265"
phone402=$PHONE
sleep 0.1
phone u1 127.0.0.3 404 -set docs 3 -set presses yes -set line ";line=lsya6qco"
finish "$phone402" "$PHONE" "$REGISTRAR"
capture_stop

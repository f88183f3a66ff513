#!/bin/bash
# Issue 15 item 13: phone 404 (a snom370 on 8.7.5.35) gets "K=1 / c=on" with the right
# Content-Type (an upper-case K: no k= first, not a wrong Content-Type), then presses key 1 as in
# the spec's shared-line walk-through ("The owner of extension 404 decides to seize the line and
# sends a message to the registrar") but WITHOUT Proxy-Require: buttons (To *602co1); the
# registrar answers 200 and sends key 1 lit. A reader must not take *602co1 for a phone.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'K=1\r\nc=on\r\n'
body doc2.txt 'k=1\r\nc=on\r\nn=*603co1\r\na=release\r\nl=(co1)\r\n'
printf '*602co1' > press1.to
body press1.txt 'k=1\r\na=seize\r\nt=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>\r\n'

capture_start spec-misread-udp.pcap
registrar -set docs 2 -set presses yes
phone 127.0.7.3 404 snom370/8.7.5.35 -set docs 2 -set presses yes -set proxy_require no -set line ";line=lsya6qco"
finish "$PHONE" "$REGISTRAR"
capture_stop

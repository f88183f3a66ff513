#!/bin/bash
# Issue 15 item 11, the spec: text "may contain space and UTF-8 encoded characters". Phone 44 (a
# snomD785 on firmware 10.1.54.13) gets key 3 with the label "Press a=b now" (valid text with
# " a=" in it: a warning), then key 4 with "c=on a=message" on one line (a light is an
# enumeration, so the a= was surely meant as its own entry: an error). Both answered 200.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=3\r\nc=on\r\nl=Press a=b now\r\n'
body doc2.txt 'k=4\r\nc=on a=message\r\nl=DND\r\n'

capture_start spec-free-text-equals-udp.pcap
registrar -set docs 2
phone 127.0.7.2 44 snomD785/10.1.54.13 -set docs 2
finish "$PHONE" "$REGISTRAR"
capture_stop

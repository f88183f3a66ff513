#!/bin/bash
# mod_snom style (FreeSWITCH snom_bind_key): no Subject header, bodies with bare LF line ends.
# First "snom_bind_key 2 on DND 44 ... message api+uuid_transfer abc 9001", a second later
# "snom_bind_key 2 off DND 44 ... message notused" (6-7 arguments: the short form with "\n\n").
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=2\nc=on\nl=DND\nn=api+uuid_transfer abc 9001\na=message\n'
body doc2.txt 'k=2\nc=off\nl=DND\n\n'

capture_start modsnom-lf-udp.pcap
registrar u1 -set docs 2 -set subject no -d 1000
phone u1 127.0.0.2 44 -set docs 2
finish "$PHONE" "$REGISTRAR"
capture_stop

#!/bin/bash
# Registration and several documents over one TCP connection (opened by the phone's REGISTER,
# reused by the registrar for every MESSAGE): initial state, key 2 on, key 3 held, key 2 off.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=1\r\nl=Line 1\r\n\r\nk=2\r\nl=Sales\r\nn=402\r\n\r\nk=3\r\nl=Park 1\r\nn=*7001\r\n'
body doc2.txt 'k=2\r\nc=on\r\nl=Sales\r\nn=402\r\n'
body doc3.txt 'k=3\r\nc=hold\r\nl=Park 1\r\nn=*7001\r\ni=Alice <402>\r\n'
body doc4.txt 'k=2\r\nc=off\r\nl=Sales\r\nn=402\r\n'

capture_start sipp-register-buttons-tcp.pcap
registrar t1 -set docs 4 -d 300
phone t1 127.0.0.2 44 -set docs 4 -set line ";transport=tcp;line=abcd1234"
finish "$PHONE" "$REGISTRAR"
capture_stop

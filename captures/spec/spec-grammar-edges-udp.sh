#!/bin/bash
# Issue 15 item 12, the spec's ABNF: forward = "f=" ("always" / "busy") text; text is one or more
# characters; "a CRLF combination is the clear indication that the line ends". Phone 44 (a
# snom320 on firmware 7.3.30) gets key 5 with f=always and no target, key 6 with empty l= n= d=
# i=, and key 7 whose last line "l=Last" has no line end. All answered 200.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=5\r\nc=on\r\nf=always\r\n'
body doc2.txt 'k=6\r\nc=on\r\nl=\r\nn=\r\nd=\r\ni=\r\n'
body doc3.txt 'k=7\r\nc=on\r\nl=Last'

capture_start spec-grammar-edges-udp.pcap
registrar -set docs 3
phone 127.0.7.2 44 snom320/7.3.30 -set docs 3
finish "$PHONE" "$REGISTRAR"
capture_stop

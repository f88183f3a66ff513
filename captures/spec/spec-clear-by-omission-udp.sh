#!/bin/bash
# Issue 15 item 2, the spec: "If an entry is not present, then a default value shall apply. The
# previously stored value for that property will be overwritten in any case." Phone 44 (a
# snom370 on firmware 8.7.5.35, by its User-Agent) gets key 1 lit, then key 1 again without c=
# (so off), then key 2 lit, then key 2 with c=off: both keys end off with label Night, both are
# the PBX's intent. All answered 200.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=1\r\nc=on\r\nl=Night\r\n'
body doc2.txt 'k=1\r\nl=Night\r\n'
body doc3.txt 'k=2\r\nc=on\r\nl=Night\r\n'
body doc4.txt 'k=2\r\nc=off\r\nl=Night\r\n'

capture_start spec-clear-by-omission-udp.pcap
registrar -set docs 4
phone 127.0.7.2 44 snom370/8.7.5.35 -set docs 4
finish "$PHONE" "$REGISTRAR"
capture_stop

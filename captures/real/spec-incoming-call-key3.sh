#!/bin/bash
# Spec walk-through "a call coming in": initial state, then key 3 blinks "pickup" with the
# caller 19781234567, then the caller gives up and key 3 goes back to off (label 42).
# Usage: spec-incoming-call-key3.sh udp|tcp
. "$(dirname "$0")/lib.sh"
case "${1:-udp}" in
    udp) transport=u1 line=";line=abcd1234" ;;
    tcp) transport=t1 line=";transport=tcp;line=abcd1234" ;;
    *) echo "usage: $0 udp|tcp" >&2; exit 2 ;;
esac
initial_state doc1.txt
body doc2.txt 'k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n'
body doc3.txt 'k=3\r\nl=42\r\n'

capture_start "spec-incoming-call-key3-${1:-udp}.pcap"
registrar "$transport" -set docs 3 -d 1000
phone "$transport" 127.0.0.2 44 -set docs 3 -set line "$line"
finish "$PHONE" "$REGISTRAR"
capture_stop

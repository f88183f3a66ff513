#!/bin/bash
# SIP over a Linux VXLAN tunnel (VNI 42, UDP 4789) between two namespaces: the phone registers
# with Supported: buttons, the registrar sends three x-buttons documents (key 3: off → pickup →
# off), the phone answers 200. tcpdump sees only the outer VXLAN packets.
# Usage: vxlan.sh udp|tcp
. "$(dirname "$0")/lib.sh"
kind=${1:-udp}
case "$kind" in
    udp) transport=u1 line=";line=abcd1234" ;;
    tcp) transport=t1 line=";transport=tcp;line=abcd1234" ;;
    *) echo "usage: $0 udp|tcp" >&2; exit 2 ;;
esac
underlay
host tunA 192.0.2.1 02:00:00:00:01:01
host tunB 192.0.2.2 02:00:00:00:01:02
vxlan tunA 42 192.0.2.1 192.0.2.2 10.42.0.1 02:00:00:00:42:01
vxlan tunB 42 192.0.2.2 192.0.2.1 10.42.0.2 02:00:00:00:42:02
documents
capture_start "tunnel-vxlan-$kind.pcap"
registrar tunA 10.42.0.1 "$transport" -set docs 3
phone tunB 10.42.0.2 10.42.0.1 "$transport" 44 -set docs 3 -set line "$line"
finish "$PHONE" "$REGISTRAR"
capture_stop

#!/bin/bash
# Two VXLAN tenants (VNI 42 and VNI 43) whose overlays use the SAME private addresses
# (registrar 10.42.0.1:5060, phone 10.42.0.2:5062) and the same ports, both over TCP at the same
# time, captured on one underlay bridge. Only the tunnel tells the two TCP connections apart:
# phone 44 (VNI 42) sees key 3 go off → pickup → off; phone 45 (VNI 43) sees key 1 on → off.
. "$(dirname "$0")/lib.sh"
underlay
host tunA 192.0.2.1 02:00:00:00:01:01
host tunB 192.0.2.2 02:00:00:00:01:02
host tunC 192.0.2.3 02:00:00:00:01:03
host tunD 192.0.2.4 02:00:00:00:01:04
vxlan tunA 42 192.0.2.1 192.0.2.2 10.42.0.1 02:00:00:00:42:01
vxlan tunB 42 192.0.2.2 192.0.2.1 10.42.0.2 02:00:00:00:42:02
vxlan tunC 43 192.0.2.3 192.0.2.4 10.42.0.1 02:00:00:00:43:01
vxlan tunD 43 192.0.2.4 192.0.2.3 10.42.0.2 02:00:00:00:43:02
mkdir tenant42 tenant43
(cd tenant42 && documents)
(cd tenant43 && body doc1.txt 'k=1\r\nc=on\r\nl=Tenant 43\r\n' && body doc2.txt 'k=1\r\nc=off\r\nl=Tenant 43\r\n')

capture_start tunnel-vxlan-two-tenants-tcp.pcap
cd "$WORK/tenant42"
registrar tunA 10.42.0.1 t1 -set docs 3
R42=$REGISTRAR
phone tunB 10.42.0.2 10.42.0.1 t1 44 -set docs 3 -set line ";transport=tcp;line=abcd1234"
P42=$PHONE
cd "$WORK/tenant43"
registrar tunC 10.42.0.1 t1 -set docs 2
R43=$REGISTRAR
phone tunD 10.42.0.2 10.42.0.1 t1 45 -set docs 2 -set line ";transport=tcp;line=abcd1234"
P43=$PHONE
finish "$P42" "$R42"; finish "$P43" "$R43"
capture_stop

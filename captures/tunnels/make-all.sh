#!/bin/bash
# Regenerate every tunnel capture in captures/ (as root: namespaces and tcpdump need it). About
# 15 s. The kernel here has VXLAN but no GRE, ERSPAN, Geneve, IP-in-IP, sit, ip6tnl, MPLS or PPP
# (no modules to load), so vxlan.sh records real SIPp exchanges through kernel VXLAN devices and
# wrap.py re-encapsulates those recorded inner frames in the other tunnels with scapy.
set -euo pipefail
cd "$(dirname "$0")"
command -v sipp >/dev/null && command -v tcpdump >/dev/null && command -v ip >/dev/null || {
    echo "needs sipp (sip-tester), tcpdump and iproute2" >&2; exit 1; }
./vxlan.sh udp
./vxlan.sh tcp
./vxlan-two-tenants.sh
/usr/bin/python3 ./wrap.py

#!/bin/bash
# Regenerate every carriers capture (SIP over WebSocket, HEP, SCTP) in captures/.
# Needs: kamailio + kamailio-websocket-modules (Debian), sip-tester (SIPp), tcpdump, Debian's
# python3-scapy, and `pip install websockets` for the WebSocket client. Loopback 127.0.2.0/24 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/hep-kamailio.sh" 3 hep3-kamailio-siptrace.pcap
"$here/hep-kamailio.sh" 2 hep2-kamailio-siptrace.pcap
"$here/ws-kamailio.sh" ws-kamailio-fragmented.pcap --fragment
/usr/bin/python3 "$here/crafted_carriers.py"

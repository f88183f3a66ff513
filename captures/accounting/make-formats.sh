#!/bin/bash
# Writes the capture files in formats ButtonScope refuses (one line naming the format and the
# conversion), converted from sipsak-led-udp.pcap by Wireshark's editcap (a real writer of each
# format), and a gzip-compressed copy:
#   netmon2.cap  Microsoft Network Monitor 2.x (magic "GMBU")
#   snoop.snoop  Sun snoop (magic "snoop\0\0\0")
#   sipsak-led-udp.pcap.gz  gzip -9n
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../sipsak-led-udp.pcap
editcap -F netmon2 "$SRC" "$HERE/netmon2.cap"
editcap -F snoop "$SRC" "$HERE/snoop.snoop"
gzip -9nc "$SRC" > "$HERE/sipsak-led-udp.pcap.gz"
for f in netmon2.cap snoop.snoop sipsak-led-udp.pcap.gz; do
    printf '%-24s %6d bytes  %s\n' "$f" "$(stat -c %s "$HERE/$f")" "$(head -c 8 "$HERE/$f" | od -An -tx1)"
done

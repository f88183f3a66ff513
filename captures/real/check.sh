#!/bin/bash
# Print what tshark sees in each real capture (frame, method, status, Call-ID, ICMP type) and
# compare with expected-real.json: SIP messages sent (ICMP-quoted copies not counted) and link
# type. Exit 1 on a difference.
cd "$(dirname "$0")/.."
status=0
while read -r f want link; do
    got=$(tshark -r "$f" -o tcp.reassemble_out_of_order:TRUE -Y 'sip && !icmp' 2>/dev/null | wc -l)
    enc=$(capinfos -E "$f" 2>/dev/null | sed -n 's/^File encapsulation: *//p')
    echo "== $f ($enc): $got SIP messages, expected $want"
    tshark -r "$f" -o tcp.reassemble_out_of_order:TRUE -Y 'sip or icmp' -T fields \
        -e frame.number -e sip.Method -e sip.Status-Code -e sip.Call-ID -e icmp.type 2>/dev/null
    case "$link/$enc" in
        EN10MB/Ethernet|"LINUX_SLL2/Linux cooked-mode capture v2") ;;
        *) echo "!! link type $enc, expected $link"; status=1 ;;
    esac
    [ "$got" = "$want" ] || { echo "!! count differs"; status=1; }
done < <(python3 -c 'import json
for f, e in json.load(open("expected-real.json")).items(): print(f, e["sip_messages"], e["link_type"])')
exit $status

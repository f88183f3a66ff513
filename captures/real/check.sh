#!/bin/bash
# Print what tshark sees in each real capture: frame, method, status, Call-ID (and ICMP).
cd "$(dirname "$0")/.."
for f in $(python3 -c 'import json; print(" ".join(json.load(open("expected-real.json"))))'); do
    echo "== $f ($(capinfos -E "$f" 2>/dev/null | sed -n 's/^File encapsulation: *//p'))"
    tshark -r "$f" -o tcp.reassemble_out_of_order:TRUE -Y 'sip or icmp' -T fields \
        -e frame.number -e sip.Method -e sip.Status-Code -e sip.Call-ID -e icmp.type 2>/dev/null
done

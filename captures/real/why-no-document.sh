#!/bin/bash
# Why didn't key 3 change? Phone 44 registered with buttons support and got documents for
# keys 1 and 2 only (both answered 200): nothing was ever sent for key 3. No Subject header.
. "$(dirname "$0")/lib.sh"
body doc1.txt 'k=1\r\nc=on\r\nl=Line 1\r\n'
body doc2.txt 'k=2\r\nc=off\r\nl=Line 2\r\n'

capture_start why-no-document.pcap
registrar u1 -set docs 2 -set subject no
phone u1 127.0.0.2 44 -set docs 2
finish "$PHONE" "$REGISTRAR"
capture_stop

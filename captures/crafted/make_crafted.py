#!/usr/bin/python3
"""Regenerate every crafted capture in captures/ and captures/expected-crafted.json.

Run from anywhere with Debian's python3 (it has scapy):
    /usr/bin/python3 captures/crafted/make_crafted.py
Output is byte-for-byte identical on every run: fixed timestamps, IDs and seeds.
"""

import json
import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import captures_ip  # noqa: E402
import captures_link  # noqa: E402
import captures_tcp  # noqa: E402
import captures_faults  # noqa: E402
import captures_noise  # noqa: E402

OUT = os.path.dirname(HERE)

MODULES = [captures_ip, captures_link, captures_tcp, captures_faults, captures_noise]


def main():
    expected = {}
    for module in MODULES:
        for make in module.ALL:
            expected.update(make(OUT))
    with open(os.path.join(OUT, "expected-crafted.json"), "w") as f:
        json.dump(dict(sorted(expected.items())), f, indent=2, ensure_ascii=False)
        f.write("\n")
    for name in sorted(expected):
        print(name)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Compare what tshark decodes with captures/expected-crafted.json.

    /usr/bin/python3 captures/crafted/check_tshark.py [-v] [file ...]

Counts SIP messages the way the brief's command sees them (tshark -Y sip with
out-of-order TCP reassembly), one per start line (sip.Method or sip.Status-Code), so
two messages in one frame count twice and a frame of SIP continuation bytes not at all. Prints a line per file; with -v the per-frame fields as well.
Exit status 1 when a count differs from the recorded tshark_sip_messages.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURES = os.path.dirname(HERE)
FIELDS = ["frame.number", "sip.Method", "sip.Status-Code", "sip.Call-ID", "sip.CSeq", "_ws.expert.message"]


def tshark_rows(path):
    cmd = ["tshark", "-r", path, "-o", "tcp.reassemble_out_of_order:TRUE", "-Y", "sip",
           "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    rows = [line.split("\t") for line in p.stdout.splitlines() if line.strip()]
    err = "\n".join(l for l in p.stderr.splitlines() if "Running as user" not in l)
    return rows, err


def sip_count(rows):
    """Start lines tshark recognised: request methods plus response status codes."""
    return sum(len([v for v in r[1].split("|") if v]) + len([v for v in r[2].split("|") if v])
               for r in rows)


def main(argv):
    verbose = "-v" in argv
    names = [a for a in argv if a != "-v"]
    with open(os.path.join(CAPTURES, "expected-crafted.json")) as f:
        expected = json.load(f)
    bad = 0
    for name in names or sorted(expected):
        rows, err = tshark_rows(os.path.join(CAPTURES, name))
        n = sip_count(rows)
        exp = expected.get(name, {})
        mark = "ok " if n == exp.get("tshark_sip_messages") else "DIFF"
        bad += mark == "DIFF"
        print(f"{mark} {name}: tshark {n} (recorded {exp.get('tshark_sip_messages')}), "
              f"really {exp.get('sip_messages')}" + (f"  stderr: {err.strip()}" if err.strip() else ""))
        if verbose:
            for r in rows:
                print("     " + "  ".join(r))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""A phone web server for the `press` tests: demands Basic or Digest auth (RFC 7616/2617, MD5,
qop=auth) and checks the answer itself with hashlib, independently of ButtonScope's code.

Usage: http_auth_server.py --scheme digest|basic --user U --password P --dir DIR [--host ADDR]
Writes DIR/port (the port it listens on, on ADDR, 127.0.0.1 by default) and appends one JSON line per request
to DIR/requests.jsonl: {"path": …, "authorization": …, "valid": true|false, "why": …}.
"""
import argparse, base64, hashlib, http.server, json, os, re, secrets, signal

# A test runner may start us with SIGTERM ignored (ignored signals survive exec): take it back.
signal.signal(signal.SIGTERM, signal.SIG_DFL)

ap = argparse.ArgumentParser()
ap.add_argument("--scheme", choices=["digest", "basic"], required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--password", required=True)
ap.add_argument("--dir", required=True)
ap.add_argument("--host", default="127.0.0.1")
args = ap.parse_args()
REALM = "snom phone"
NONCE = secrets.token_hex(16)
OPAQUE = secrets.token_hex(8)
seen_nc = set()


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def check_digest(header, method, path):
    if not header.startswith("Digest "):
        return False, "not Digest"
    fields = dict((m.group(1).lower(), m.group(2) if m.group(2) is not None else m.group(3))
                  for m in re.finditer(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))', header[7:]))
    for name in ["username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"]:
        if name not in fields:
            return False, "missing " + name
    if fields["username"] != args.user: return False, "wrong username"
    if fields["realm"] != REALM: return False, "wrong realm"
    if fields["nonce"] != NONCE: return False, "wrong nonce"
    if fields.get("opaque") != OPAQUE: return False, "opaque not echoed"
    if fields["uri"] != path: return False, "uri %r is not the request target %r" % (fields["uri"], path)
    if fields["qop"] != "auth": return False, "qop is not auth"
    if not re.fullmatch(r"[0-9a-f]{8}", fields["nc"]): return False, "nc is not 8 hex digits"
    if (fields["cnonce"], fields["nc"]) in seen_nc: return False, "replayed nc"
    ha1 = md5("%s:%s:%s" % (args.user, REALM, args.password))
    ha2 = md5("%s:%s" % (method, path))
    expected = md5("%s:%s:%s:%s:%s:%s" % (ha1, NONCE, fields["nc"], fields["cnonce"], "auth", ha2))
    if fields["response"] != expected: return False, "wrong response (password?)"
    seen_nc.add((fields["cnonce"], fields["nc"]))
    return True, "ok"


def check_basic(header):
    if not header.startswith("Basic "):
        return False, "not Basic"
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode()
    except Exception:
        return False, "bad base64"
    return (decoded == "%s:%s" % (args.user, args.password)), decoded


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        header = self.headers.get("Authorization")
        valid, why = False, "no Authorization"
        if header:
            valid, why = check_digest(header, "GET", self.path) if args.scheme == "digest" else check_basic(header)
        with open(os.path.join(args.dir, "requests.jsonl"), "a") as f:
            f.write(json.dumps({"path": self.path, "authorization": header, "valid": valid, "why": why}) + "\n")
        if valid:
            body = b"<html>OK</html>"
            self.send_response(200, "OK")
        else:
            body = b"<html>401</html>"
            self.send_response(401, "Unauthorized")
            if args.scheme == "digest":
                self.send_header("WWW-Authenticate", 'Digest realm="%s", qop="auth,auth-int", nonce="%s", opaque="%s", algorithm=MD5' % (REALM, NONCE, OPAQUE))
            else:
                self.send_header("WWW-Authenticate", 'Basic realm="%s"' % REALM)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.HTTPServer((args.host, 0), Handler)
tmp = os.path.join(args.dir, "port.tmp")
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, os.path.join(args.dir, "port"))
server.serve_forever()

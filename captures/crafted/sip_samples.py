"""SIP message texts for the crafted captures.

Everything here is pure: the same arguments give the same bytes, so the captures
are reproducible. Messages follow what a PBX with mod_snom-like behaviour sends a
Snom phone (see /work/shared/PROTOCOL.md) and what the phone answers.
"""

from dataclasses import dataclass, field

PBX = "192.0.2.1"
PHONE = "192.0.2.44"
PHONE45 = "192.0.2.45"
PBX6 = "2001:db8::1"
PHONE6 = "2001:db8::44"
DOMAIN = "pbx.example"
LINE = "abcd1234"


def host_for_uri(addr):
    """IPv6 literals go in brackets inside SIP URIs and Via headers."""
    return f"[{addr}]" if ":" in addr else addr


def small_body(key="3", light="on", label="Sales", eol="\r\n"):
    """One lamp description, the spec's smallest useful document."""
    return f"k={key}{eol}c={light}{eol}l={label}{eol}".encode()


_LIGHTS = ["off", "on", "off", "hold", "off", "pickup", "on", "park", "off", "message"]


def initial_state_body(keys=60, rich=True, eol="\r\n"):
    """The initial state a registrar sends right after REGISTER: one description per key.

    With rich=True each key also carries a destination and an action, which pushes
    the 60-key document to about 3 KB: the size that needs IP fragments over UDP.
    """
    parts = []
    for i in range(1, keys + 1):
        light = _LIGHTS[i % len(_LIGHTS)]
        lines = [f"k={i}", f"c={light}", f"l=Ext {200 + i} Team {chr(65 + i % 26)}"]
        if rich:
            lines += [f"n={200 + i}", "a=invite"]
        parts.append(eol.join(lines) + eol)
    return eol.join(parts).encode()


@dataclass
class Message:
    """A MESSAGE from the PBX to a phone's registered contact, and the phone's answers."""

    call_id: str
    cseq: int
    branch: str
    from_tag: str
    body: bytes
    transport: str = "UDP"
    pbx: str = PBX
    pbx_port: int = 5060
    phone: str = PHONE
    phone_port: int = 5060
    user: str = "44"
    line: str = LINE
    eol: str = "\r\n"
    compact: bool = False
    subject: bool = False
    fold_from: bool = False
    extra_headers: list = field(default_factory=list)

    @property
    def ruri(self):
        params = f";line={self.line}"
        if self.transport != "UDP":
            params = f";transport={self.transport.lower()}" + params
        return f"sip:{self.user}@{host_for_uri(self.phone)}:{self.phone_port}{params}"

    @property
    def via(self):
        return (f"SIP/2.0/{self.transport} {host_for_uri(self.pbx)}:{self.pbx_port}"
                f";branch={self.branch};rport")

    @property
    def aor(self):
        return f"<sip:{self.user}@{DOMAIN}>"

    def request(self):
        c = self.compact
        h = [
            f"MESSAGE {self.ruri} SIP/2.0",
            f"{'v' if c else 'Via'}: {self.via}",
        ]
        if self.fold_from:
            # A folded header: the tag sits on a continuation line (RFC 3261 7.3.1).
            h += [f"{'f' if c else 'From'}: {self.aor}", f"   ;tag={self.from_tag}"]
        else:
            h.append(f"{'f' if c else 'From'}: {self.aor};tag={self.from_tag}")
        h += [
            f"{'t' if c else 'To'}: {self.aor}",
            f"{'i' if c else 'Call-ID'}: {self.call_id}",
            f"CSeq: {self.cseq} MESSAGE",
            "Max-Forwards: 70",
            f"{'m' if c else 'Contact'}: <sip:{host_for_uri(self.pbx)}:{self.pbx_port}"
            + (f";transport={self.transport.lower()}" if self.transport != "UDP" else "") + ">",
        ]
        if self.subject:
            h.append(f"{'s' if c else 'Subject'}: buttons")
        h += list(self.extra_headers)
        h += [
            f"{'c' if c else 'Content-Type'}: application/x-buttons",
            f"{'l' if c else 'Content-Length'}: {len(self.body)}",
        ]
        return (self.eol.join(h) + self.eol + self.eol).encode() + self.body

    def ok(self, to_tag, compact=False, eol="\r\n"):
        """The phone's 200 OK: echoes Via, From, To (plus its tag), Call-ID and CSeq."""
        c = compact
        h = [
            "SIP/2.0 200 OK",
            f"{'v' if c else 'Via'}: {self.via.replace(';rport', ';rport=' + str(self.pbx_port))}",
            f"{'f' if c else 'From'}: {self.aor};tag={self.from_tag}",
            f"{'t' if c else 'To'}: {self.aor};tag={to_tag}",
            f"{'i' if c else 'Call-ID'}: {self.call_id}",
            f"CSeq: {self.cseq} MESSAGE",
        ]
        if not c:
            h.append(f"Contact: <sip:{self.user}@{host_for_uri(self.phone)}:{self.phone_port}"
                     + (f";transport={self.transport.lower()}" if self.transport != "UDP" else "")
                     + f";line={self.line}>")
            h.append("User-Agent: snomD785/10.1.54.13")
        h.append(f"{'l' if c else 'Content-Length'}: 0")
        return (eol.join(h) + eol + eol).encode()


@dataclass
class Registration:
    """The phone's REGISTER (Supported: buttons) and the registrar's 200 (Require: buttons)."""

    call_id: str
    cseq: int
    branch: str
    from_tag: str
    transport: str = "UDP"
    pbx: str = PBX
    pbx_port: int = 5060
    phone: str = PHONE
    phone_port: int = 5060
    user: str = "44"
    line: str = LINE

    @property
    def via(self):
        return (f"SIP/2.0/{self.transport} {host_for_uri(self.phone)}:{self.phone_port}"
                f";branch={self.branch};rport")

    @property
    def contact(self):
        t = f";transport={self.transport.lower()}" if self.transport != "UDP" else ""
        return f"<sip:{self.user}@{host_for_uri(self.phone)}:{self.phone_port}{t};line={self.line}>"

    def request(self):
        h = [
            f"REGISTER sip:{DOMAIN} SIP/2.0",
            f"Via: {self.via}",
            f'From: "{self.user}" <sip:{self.user}@{DOMAIN}>;tag={self.from_tag}',
            f'To: "{self.user}" <sip:{self.user}@{DOMAIN}>',
            f"Call-ID: {self.call_id}",
            f"CSeq: {self.cseq} REGISTER",
            "Max-Forwards: 70",
            f'Contact: {self.contact};reg-id=1;+sip.instance="<urn:uuid:0a1b2c3d-0000-4000-8000-000000000044>"',
            "User-Agent: snomD785/10.1.54.13",
            "Supported: buttons",
            "Expires: 3600",
            "Content-Length: 0",
        ]
        return ("\r\n".join(h) + "\r\n\r\n").encode()

    def ok(self, to_tag):
        h = [
            "SIP/2.0 200 OK",
            f"Via: {self.via.replace(';rport', ';rport=' + str(self.phone_port))}",
            f'From: "{self.user}" <sip:{self.user}@{DOMAIN}>;tag={self.from_tag}',
            f'To: "{self.user}" <sip:{self.user}@{DOMAIN}>;tag={to_tag}',
            f"Call-ID: {self.call_id}",
            f"CSeq: {self.cseq} REGISTER",
            f"Contact: {self.contact};expires=3600",
            "Require: buttons",
            "Expires: 3600",
            "Content-Length: 0",
        ]
        return ("\r\n".join(h) + "\r\n\r\n").encode()


KEEPALIVE = b"\r\n\r\n"

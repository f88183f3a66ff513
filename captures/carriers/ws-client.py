#!/usr/bin/env python3
"""Phone 44 over SIP/WebSocket (RFC 7118), with the `websockets` library (PyPI) as the client.

Usage: ws-client.py URI DOCS [--fragment]
Registers with Supported: buttons, presses key 3 (a MESSAGE with Proxy-Require: buttons), then
answers DOCS incoming MESSAGEs with 200 OK and closes. Client frames are masked (the library does
it, as RFC 6455 requires); with --fragment the key press goes out in three frames (a text frame
and two continuation frames). Writes 'ready' to stdout once registered and pressed.
"""
import asyncio, sys, uuid
from websockets.asyncio.client import connect

CRLF = "\r\n"

def request(method, uri, to, cseq, call_id, extra, body=""):
    lines = [f"{method} {uri} SIP/2.0",
             f"Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK{uuid.uuid4().hex[:12]};rport",
             "Max-Forwards: 70",
             "From: <sip:44@pbx.example>;tag=ws44tag",
             f"To: <{to}>",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} {method}"] + extra + [f"Content-Length: {len(body.encode())}", "", body]
    return CRLF.join(lines)

def answer(msg):
    head = msg.split(CRLF + CRLF, 1)[0].split(CRLF)
    keep = [h for h in head[1:] if h.split(":", 1)[0].lower() in ("via", "from", "call-id", "cseq")]
    to = next(h for h in head[1:] if h.lower().startswith("to:"))
    return CRLF.join(["SIP/2.0 200 OK"] + keep + [to + ";tag=ws44answer", "Content-Length: 0", "", ""])

async def main(uri, docs, fragment):
    async with connect(uri, subprotocols=["sip"], ping_interval=None, compression=None,
                       local_addr=("127.0.2.2", 0)) as ws:
        await ws.send(request("REGISTER", "sip:pbx.example", "sip:44@pbx.example", 1, "ws-reg-44",
                              ["Contact: <sip:44@df7jal23ls0d.invalid;transport=ws;line=abcd1234>",
                               "Supported: buttons", "Expires: 3600", "User-Agent: ws-client.py (ButtonScope capture)"]))
        print("register:", (await ws.recv()).split(CRLF)[0], file=sys.stderr)
        press = request("MESSAGE", "sip:401@pbx.example", "sip:401@pbx.example", 2, "ws-press-44",
                        ["Proxy-Require: buttons", "Content-Type: application/x-buttons"], "k=3\r\na=seize\r\n")
        if fragment:
            third = len(press) // 3
            await ws.send([press[:third], press[third:2 * third], press[2 * third:]])
        else:
            await ws.send(press)
        print("press:", (await ws.recv()).split(CRLF)[0], file=sys.stderr)
        print("ready", flush=True)
        for _ in range(docs):
            msg = await asyncio.wait_for(ws.recv(), 20)
            if isinstance(msg, bytes):
                msg = msg.decode()
            await ws.send(answer(msg))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), "--fragment" in sys.argv))

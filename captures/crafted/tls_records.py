"""Plausible TLS 1.3 records for the SIP-over-TLS (port 5061) capture.

The handshake messages are well formed (Wireshark decodes them); the encrypted
application data is deterministic pseudo-random bytes of a SIP-like size, which is
exactly what a capture of SIP over TLS looks like without the keys.
"""

import random
import struct


def _u16(n):
    return struct.pack(">H", n)


def _vec16(b):
    return _u16(len(b)) + b


def _record(ctype, body, version=0x0303):
    return bytes([ctype]) + _u16(version) + _vec16(body)


def _handshake(htype, body):
    return bytes([htype]) + struct.pack(">I", len(body))[1:] + body


def _ext(etype, body):
    return _u16(etype) + _vec16(body)


def client_hello(rng, server_name="pbx.example"):
    name = server_name.encode()
    sni = _vec16(b"\x00" + _vec16(name))
    exts = b"".join([
        _ext(0, sni),
        _ext(10, _vec16(b"\x00\x1d\x00\x17\x00\x18")),            # groups: x25519, P-256, P-384
        _ext(11, b"\x01\x00"),                                    # ec_point_formats: uncompressed
        _ext(13, _vec16(b"\x04\x03\x08\x04\x04\x01\x05\x03\x08\x05\x05\x01")),
        _ext(43, b"\x04\x03\x04\x03\x03"),                        # supported_versions: 1.3, 1.2
        _ext(45, b"\x01\x01"),                                    # psk_dhe_ke
        _ext(51, _vec16(b"\x00\x1d" + _vec16(rng.randbytes(32)))),  # key_share x25519
    ])
    suites = b"\x13\x01\x13\x02\x13\x03\xc0\x2b\xc0\x2f\xc0\x2c\xc0\x30"
    body = (b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32)
            + _vec16(suites) + b"\x01\x00" + _vec16(exts))
    # The first record of a connection says TLS 1.0 (0x0301), as real clients do.
    return _record(0x16, _handshake(1, body), version=0x0301)


def server_hello(rng, session_id):
    exts = _ext(43, b"\x03\x04") + _ext(51, b"\x00\x1d" + _vec16(rng.randbytes(32)))
    body = b"\x03\x03" + rng.randbytes(32) + b"\x20" + session_id + b"\x13\x01\x00" + _vec16(exts)
    return _record(0x16, _handshake(2, body))


CHANGE_CIPHER_SPEC = _record(0x14, b"\x01")


def app_data(rng, plaintext_len):
    """An encrypted record as TLS_AES_128_GCM_SHA256 sizes it: content type byte + 16-byte tag."""
    return _record(0x17, rng.randbytes(plaintext_len + 1 + 16))


def rng(seed):
    return random.Random(seed)

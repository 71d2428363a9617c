"""RSA-PSS (SHA-256, MGF1-SHA-256) signature verification in pure Python, for the Kalshi simulator.

Reads an RSA public key from PEM (`BEGIN PUBLIC KEY`, as `openssl pkey -pubout` writes, or `BEGIN RSA PUBLIC KEY`)
and verifies per RFC 8017 section 9.1.2 (EMSA-PSS-VERIFY). Python standard library only.
"""

import base64
import hashlib

RSA_ENCRYPTION_OID = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1


class KeyError_(ValueError):
    pass


def _read_tlv(data, offset):
    """(tag, value, next offset) of the DER element at `offset`."""
    if offset + 2 > len(data):
        raise KeyError_("truncated DER")
    tag = data[offset]
    length = data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise KeyError_("bad DER length")
        length = int.from_bytes(data[offset:offset + count], "big")
        offset += count
    if offset + length > len(data):
        raise KeyError_("truncated DER")
    return tag, data[offset:offset + length], offset + length


def _rsa_public_key(der):
    """(n, e) from a PKCS#1 RSAPublicKey."""
    tag, body, _ = _read_tlv(der, 0)
    if tag != 0x30:
        raise KeyError_("RSAPublicKey is not a SEQUENCE")
    tag, modulus, offset = _read_tlv(body, 0)
    if tag != 0x02:
        raise KeyError_("modulus is not an INTEGER")
    tag, exponent, _ = _read_tlv(body, offset)
    if tag != 0x02:
        raise KeyError_("exponent is not an INTEGER")
    return int.from_bytes(modulus, "big"), int.from_bytes(exponent, "big")


def load_public_key(pem_text):
    """(n, e) from PEM text."""
    lines = [line.strip() for line in pem_text.strip().splitlines()]
    if not lines or not lines[0].startswith("-----BEGIN"):
        raise KeyError_("not PEM")
    label = lines[0]
    der = base64.b64decode("".join(line for line in lines[1:] if not line.startswith("-----")))
    if "RSA PUBLIC KEY" in label:
        return _rsa_public_key(der)
    if "PUBLIC KEY" not in label:
        raise KeyError_("not a public key")
    tag, spki, _ = _read_tlv(der, 0)
    if tag != 0x30:
        raise KeyError_("SubjectPublicKeyInfo is not a SEQUENCE")
    tag, algorithm, offset = _read_tlv(spki, 0)
    if tag != 0x30:
        raise KeyError_("AlgorithmIdentifier is not a SEQUENCE")
    tag, oid, _ = _read_tlv(algorithm, 0)
    if tag != 0x06 or oid != RSA_ENCRYPTION_OID:
        raise KeyError_("not an RSA key")
    tag, bits, _ = _read_tlv(spki, offset)
    if tag != 0x03 or not bits or bits[0] != 0:
        raise KeyError_("subjectPublicKey is not a BIT STRING")
    return _rsa_public_key(bits[1:])


def _mgf1(seed, length):
    output = b""
    counter = 0
    while len(output) < length:
        output += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return output[:length]


def verify(public_key, message, signature, salt_length=32):
    """Whether `signature` (bytes) is a valid RSA-PSS SHA-256 signature of `message` (bytes) with `salt_length`."""
    n, e = public_key
    mod_bits = n.bit_length()
    k = (mod_bits + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    m = pow(s, e, n)
    if m >= 1 << (8 * em_len):
        return False
    em = m.to_bytes(em_len, "big")
    h_len = 32
    m_hash = hashlib.sha256(message).digest()
    if em_len < h_len + salt_length + 2 or em[-1] != 0xBC:
        return False
    masked_db = em[: em_len - h_len - 1]
    h = em[em_len - h_len - 1: -1]
    unused_bits = 8 * em_len - em_bits
    top_mask = (0xFF << (8 - unused_bits)) & 0xFF if unused_bits else 0
    if masked_db[0] & top_mask:
        return False
    db = bytearray(a ^ b for a, b in zip(masked_db, _mgf1(h, len(masked_db))))
    db[0] &= ~top_mask & 0xFF
    padding_length = em_len - h_len - salt_length - 2
    if any(db[:padding_length]) or db[padding_length] != 0x01:
        return False
    salt = bytes(db[len(db) - salt_length:]) if salt_length else b""
    return hashlib.sha256(b"\x00" * 8 + m_hash + salt).digest() == h

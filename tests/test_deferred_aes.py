"""pdfminer's AES is imported when an AES-encrypted PDF is opened, not when a reader starts.

extractors/deferred.py keeps cryptography's ciphers (and its 9 MB Rust library) out of a
process until a PDF encrypted with AES needs them. Two things must hold, in a fresh process
(another test may have imported the real modules into this one):
- importing the readers and the whole pipeline does not import the ciphers' Rust bindings;
- a PDF encrypted with AES-128 (standard security handler V4/R4, AESV2, empty user password,
  built below by the PDF specification's algorithms 2, 3 and 5) still opens and its text is read,
  which imports the real ciphers: the stand-ins answered for them. pdfminer's own text
  (pdfplumber) is asserted as well as the reader's: only pdfminer decrypts with these ciphers.
Its page prints "Riket 703 000 000 kr", so reading it must find "703 000 000" in its text.
"""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ROOT = Path(__file__).resolve().parent.parent
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
RUST = "cryptography.hazmat.bindings._rust"


def rc4(key: bytes, data: bytes) -> bytes:
    box, j = list(range(256)), 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def rounds(key: bytes, data: bytes) -> bytes:
    """RC4 with the key, then 19 more times with the key's bytes XOR 1..19 (revision 3+)."""
    data = rc4(key, data)
    for i in range(1, 20):
        data = rc4(bytes(k ^ i for k in key), data)
    return data


def aes_pdf(path: Path, owner: bytes = b"owner") -> Path:
    file_id, permissions = b"0123456789abcdef", -4
    digest = hashlib.md5((owner + PAD)[:32]).digest()
    for _ in range(50):
        digest = hashlib.md5(digest).digest()
    o_entry = rounds(digest[:16], PAD)  # algorithm 3: empty user password
    digest = hashlib.md5(PAD + o_entry + struct.pack("<i", permissions) + file_id).digest()
    for _ in range(50):
        digest = hashlib.md5(digest[:16]).digest()
    key = digest[:16]  # algorithm 2
    u_entry = rounds(key, hashlib.md5(PAD + file_id).digest()) + bytes(16)  # algorithm 5

    def encrypted(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + bytes(2) + b"sAlT")
        iv = bytes(range(16))
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(object_key.digest()), modes.CBC(iv)).encryptor()
        return iv + encryptor.update(padder.update(data) + padder.finalize()) + \
            encryptor.finalize()

    content = encrypted(5, b"BT /F1 12 Tf 72 700 Td (Riket 703 000 000 kr) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 "
        b"/AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF "
        b"/O <%s> /U <%s> /P %d >>" % (o_entry.hex().encode(), u_entry.hex().encode(),
                                       permissions),
    ]
    out = bytearray(b"%PDF-1.6\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1, file_id.hex().encode(), file_id.hex().encode())
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


CHILD = f"""
import sys
from pathlib import Path
import pipeline.orchestrate
from extractors import pdf
assert {RUST!r} not in sys.modules, "the ciphers were imported at start-up"
import pdfplumber
with pdfplumber.open(sys.argv[1]) as document:  # pdfminer decrypts the content stream
    plumber_text = document.pages[0].extract_text()
text = " ".join(block.text for block in pdf.extract(Path(sys.argv[1])).text)
print({RUST!r} in sys.modules, "703 000 000" in plumber_text, "703 000 000" in text)
"""


def test_aes_is_imported_only_for_an_aes_pdf(tmp_path: Path) -> None:
    path = aes_pdf(tmp_path / "aes.pdf")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]

"""Bounds on what a PDF's streams unpack to, so a small file cannot inflate to gigabytes.

Two guards, both set by `ExtractSettings.max_unpacked_bytes`:

- `StreamBudget.check_page` walks every stream a page draws with — its content, the forms and
  pictures it places (forms inside forms too), its fonts and their embedded programs and
  character maps, patterns, shadings, soft masks, annotation appearances — and measures what
  each unpacks to with a chunked, bounded inflate that keeps nothing, before pdfminer or pdfium
  reads the page. Each stream, and all streams of the document together (pictures apart, each
  bounded on its own by the pixels it declares), must stay within the limit.
- `bounded_decoding` makes every decode pdfminer itself does while it is active (the cross
  reference and object streams it unpacks when it opens the file, and anything the walk does
  not reach) inflate in chunks up to the limit instead of all at once. pdfminer's
  `PDFStream.decode` calls the module-level `zlib`, `lzwdecode`, `rldecode` and
  `decompress_corrupted` of `pdfminer.pdftypes`; those names are replaced once by versions
  that obey the limit of the active context and behave as before outside one.

Going beyond the limit raises `StreamTooLarge`, a BaseException so that no library's broad
`except Exception` turns it into a damaged-file guess; the PDF reader turns it into one
`DocumentTooLargeError` naming the page when it is known.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFObjRef,
    PDFStream,
)

DEFAULT_INFLATE_CHUNK = 1 << 20  # bytes of output produced per step of a bounded inflate
LOG = logging.getLogger(__name__)
_LIMIT: ContextVar[int | None] = ContextVar("pdf_stream_limit", default=None)
_EXPANDING = (*LITERALS_FLATE_DECODE, *LITERALS_LZW_DECODE, *LITERALS_RUNLENGTH_DECODE)
# Keys that lead away from what a page draws (to other pages, the outline, actions).
_SKIP_KEYS = frozenset({"Parent", "P", "Dest", "A", "Next", "Prev", "First", "Last", "Kids",
                        "StructParent", "StructParents", "Thumb", "B", "Popup", "IRT"})
_COMPONENTS = {"DeviceGray": 1, "CalGray": 1, "G": 1, "Indexed": 1, "I": 1, "DeviceRGB": 3,
               "CalRGB": 3, "RGB": 3, "Lab": 3, "DeviceCMYK": 4, "CMYK": 4}


class StreamTooLarge(BaseException):
    """A stream, or the streams of a document together, unpack to more than the limit;
    `reason` is the line that says so."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def too_large(what: str, limit: int, verb: str = "inflates") -> StreamTooLarge:
    """The refusal of `what` ("the page content", "a form (object 6) the page draws")."""
    return StreamTooLarge(f"{what} {verb} to more than max_unpacked_bytes={limit} bytes (a "
                          "compression bomb?); check the file")


def inflate(data: bytes, cap: int, keep: bool = True) -> tuple[bytes, int, str]:
    """(output, size, state) of a zlib stream produced DEFAULT_INFLATE_CHUNK bytes at a time;
    state is "ok", "damaged" (zlib stopped on bad data) or "truncated" (no end). Raises
    StreamTooLarge beyond cap; with keep=False only the size is counted."""
    decoder = zlib.decompressobj()
    pieces: list[bytes] = []
    size, pending = 0, data
    while True:
        try:
            piece = decoder.decompress(pending, DEFAULT_INFLATE_CHUNK)
        except zlib.error:
            return b"".join(pieces), size, "damaged"
        size += len(piece)
        if size > cap:
            raise too_large("a stream", cap)
        if keep:
            pieces.append(piece)
        pending = decoder.unconsumed_tail
        if decoder.eof or not piece and not pending:
            return b"".join(pieces), size, "ok" if decoder.eof else "truncated"


def lzw_decode(data: bytes, cap: int) -> bytes:
    """pdfminer's LZW decoding, stopped beyond cap."""
    pieces, size = [], 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        size += len(piece)
        if size > cap:
            raise too_large("a stream", cap)
        pieces.append(piece)
    return b"".join(pieces)


def runlength_decode(data: bytes, cap: int) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5), stopped beyond cap."""
    out, index = bytearray(), 0
    while index < len(data) and data[index] != 128:
        length, index = data[index], index + 1
        if length < 128:
            out += data[index:index + length + 1]
            index += length + 1
        else:
            out += data[index:index + 1] * (257 - length)
            index += 1
        if len(out) > cap:
            raise too_large("a stream", cap)
    return bytes(out)


def decoded_size(stream: PDFStream, cap: int) -> tuple[int, bool]:
    """(bytes the stream unpacks to, whether its data is damaged), keeping only what a later
    filter needs; raises StreamTooLarge beyond cap. Filters that do not expand (pictures'
    DCT, JPX, JBIG2, CCITT) end the count at their input's size."""
    if stream.data is not None:
        return len(stream.data), False
    data = stream.rawdata or b""
    if stream.decipher and stream.objid is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters()
    for index, (name, _) in enumerate(filters):
        later = any(f in _EXPANDING for f, _ in filters[index + 1:])
        if name in LITERALS_FLATE_DECODE:
            data, size, state = inflate(data, cap, keep=later)
            if state == "damaged" or not later:
                return size, state == "damaged"
        elif name in LITERALS_LZW_DECODE:
            data = lzw_decode(data, cap)
        elif name in LITERALS_RUNLENGTH_DECODE:
            data = runlength_decode(data, cap)
        elif name in LITERALS_ASCII85_DECODE:
            data = pdftypes.ascii85decode(data)
        elif name in LITERALS_ASCIIHEX_DECODE:
            data = pdftypes.asciihexdecode(data)
        else:
            break
    return len(data), False


# --- pdfminer's own decoding, bounded while `bounded_decoding` is active ------------------

_ORIGINAL_LZW = pdftypes.lzwdecode
_ORIGINAL_RUNLENGTH = pdftypes.rldecode
_ORIGINAL_CORRUPTED = pdftypes.decompress_corrupted
_PDFMINER_LOG = logging.getLogger("pdfminer.pdftypes")
_CORRUPTED_STEP = 4096  # input bytes fed at a time when recovering a damaged stream


def _decompress(data: bytes, *args, **kwargs) -> bytes:
    """zlib.decompress within the active limit: the same output and the same errors."""
    limit = _LIMIT.get()
    if limit is None or args or kwargs:
        return zlib.decompress(data, *args, **kwargs)
    output, _, state = inflate(data, limit)
    if state == "damaged":
        raise zlib.error("Error -3 while decompressing data: corrupted data")
    if state == "truncated":
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return output


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's recovery of a damaged zlib stream (all output up to the damage; a warning
    when only the last bytes are bad), in linear time and within the active limit."""
    limit = _LIMIT.get()
    if limit is None:
        return _ORIGINAL_CORRUPTED(data)
    decoder, pieces, size = zlib.decompressobj(), [], 0
    for start in range(0, len(data), _CORRUPTED_STEP):
        chunk = data[start:start + _CORRUPTED_STEP]
        saved = decoder.copy()
        try:
            outputs = [decoder.decompress(chunk)]
        except zlib.error:
            decoder, outputs = saved, []
            for offset in range(len(chunk)):
                try:
                    outputs.append(decoder.decompress(chunk[offset:offset + 1]))
                except zlib.error:
                    if start + offset < len(data) - 3:
                        raise
                    _PDFMINER_LOG.warning("Data-loss while decompressing corrupted data")
                    return b"".join(pieces + outputs)
        for piece in outputs:
            size += len(piece)
            if size > limit:
                raise too_large("a stream", limit)
            pieces.append(piece)
    return b"".join(pieces)


def _lzwdecode(data: bytes) -> bytes:
    limit = _LIMIT.get()
    return _ORIGINAL_LZW(data) if limit is None else lzw_decode(data, limit)


def _rldecode(data: bytes) -> bytes:
    limit = _LIMIT.get()
    if limit is None or 128 * len(data) <= limit:
        return _ORIGINAL_RUNLENGTH(data)
    return runlength_decode(data, limit)


class _BoundedZlib:
    """What `pdfminer.pdftypes` sees as `zlib`: the real module but for a bounded
    `decompress`."""

    error = zlib.error
    decompress = staticmethod(_decompress)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def _install() -> None:
    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib()
        pdftypes.lzwdecode = _lzwdecode
        pdftypes.rldecode = _rldecode
        pdftypes.decompress_corrupted = _decompress_corrupted


_install()


@contextmanager
def bounded_decoding(limit: int) -> Iterator[None]:
    """While active, every stream pdfminer decodes in this thread unpacks to at most limit
    bytes, else StreamTooLarge."""
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


# --- every stream a page draws with ---------------------------------------------------------

_LABELS = {"Font": "a font of the page", "FontFile": "an embedded font",
           "FontFile2": "an embedded font", "FontFile3": "an embedded font",
           "ToUnicode": "a font's character map", "Encoding": "a font's encoding",
           "Pattern": "a pattern", "Shading": "a shading", "SMask": "a soft mask",
           "Mask": "a picture's mask", "AP": "an annotation's appearance",
           "CharProcs": "a Type 3 font's glyph", "ColorSpace": "a colour profile"}


class StreamBudget:
    """The streams of one document measured page by page, each once: see the module text."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.seen: set[int] = set()  # objects reached (by number)
        self.measured: set[int] = set()  # streams measured (by number)

    def check_page(self, page_obj) -> None:
        """Measure every stream the page draws with that no earlier page did; a damaged one
        is logged as pdfminer would (a decoder warning), one beyond the limit raised."""
        start = [(item, "the page content") for item in page_obj.contents or ()]
        start.append((page_obj.resources, "a stream of the page"))
        start.append((page_obj.annots, "an annotation's appearance"))
        for label, stream in self._streams(start):
            picture = _name(stream.get("Subtype")) == "Image"
            if picture and _declared_bytes(stream) > self.limit:
                raise too_large(label, self.limit, verb="declares pixels that unpack")
            try:
                size, damaged = decoded_size(stream, self.limit)
            except StreamTooLarge:
                raise too_large(label, self.limit) from None
            except Exception:  # a broken filter: the reader reports what it cannot read
                continue
            if damaged:
                LOG.warning("Data-loss while decompressing corrupted data (%s)", label)
            if picture:  # bounded on its own: a page of photos is no bomb
                continue
            self.total += size
            if self.total > self.limit:
                raise too_large("the streams of the pages up to this one together",
                                self.limit, verb="inflate")

    def _streams(self, start: list) -> Iterator[tuple[str, PDFStream]]:
        stack = list(start)
        while stack:
            obj, label = stack.pop()
            if isinstance(obj, PDFObjRef):
                if obj.objid in self.seen:
                    continue
                self.seen.add(obj.objid)
                try:
                    stack.append((obj.resolve(), label))
                except Exception:  # a missing object: the reader says what it cannot read
                    pass
                continue
            children = obj
            if isinstance(obj, PDFStream):
                key = obj.objid if obj.objid is not None else id(obj)
                if key in self.measured:
                    continue
                self.measured.add(key)
                yield _stream_label(obj, label), obj
                children = obj.attrs
            if isinstance(children, dict):
                stack.extend((value, _LABELS.get(key, label)) for key, value in
                             children.items() if key not in _SKIP_KEYS)
            elif isinstance(children, list):
                stack.extend((item, label) for item in children)


def _stream_label(stream: PDFStream, label: str) -> str:
    kind = _name(stream.get("Subtype"))
    if kind == "Form":
        label = "a form (XObject) the page draws"
    elif kind == "Image":
        label = "a picture the page draws"
    return f"{label} (object {stream.objid})" if stream.objid is not None else label


def _name(value) -> str | None:
    value = pdftypes.resolve1(value)
    return getattr(value, "name", None)


def _declared_bytes(stream: PDFStream) -> int:
    """What a picture's pixels take once decoded, from its declared size and colours."""
    try:
        width = int(pdftypes.resolve1(stream.get("Width", 0)))
        height = int(pdftypes.resolve1(stream.get("Height", 0)))
        if pdftypes.resolve1(stream.get("ImageMask")) is True:
            return width * height // 8
        bits = int(pdftypes.resolve1(stream.get("BitsPerComponent", 8)) or 8)
        return width * height * _components(stream.get("ColorSpace")) * bits // 8
    except (TypeError, ValueError):
        return 0


def _components(space) -> int:
    space = pdftypes.resolve1(space)
    if isinstance(space, list) and space:
        kind = _name(space[0])
        if kind == "ICCBased" and len(space) > 1:
            profile = pdftypes.resolve1(space[1])
            return int(pdftypes.resolve1(profile.get("N", 3))) if hasattr(profile, "get") else 3
        if kind == "DeviceN" and len(space) > 1:
            return len(pdftypes.resolve1(space[1]) or ()) or 4
        return 1 if kind in ("Indexed", "I", "Separation") else 4
    return _COMPONENTS.get(_name(space) or "", 4)

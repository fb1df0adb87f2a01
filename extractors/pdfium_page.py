"""What pdfium and pdfminer tell of a page before its glyphs are read (extractors/pdfium_chars.py):
the order of its text objects in the content stream, pdfminer's fonts of the page and their
widths by text, pdfminer's page matrix; and the pdfium functions called per glyph, declared to
take plain addresses.
"""

from __future__ import annotations

import ctypes
import unicodedata

import pypdfium2.raw as raw
from pdfminer.pdffont import PDFType3Font
from pdfminer.pdftypes import PDFObjRef, dict_value, resolve1


def stream_order(page) -> tuple[dict[int, int], int]:
    """Each text object's place in the content stream (forms walked where they are drawn),
    and the number of pictures: pdfium's text page may reorder objects, pdfminer never does."""
    order: dict[int, int] = {}
    images = 0
    top = address(page)
    stack = [(page_object, top, count_page_objects(top), 0)]
    kind_of = object_type
    while stack:
        get, parent, count, index = stack.pop()
        if index >= count:
            continue
        stack.append((get, parent, count, index + 1))
        obj = get(parent, index)
        kind = kind_of(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            order[obj or 0] = len(order)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            stack.append((form_object, obj, count_form_objects(obj), 0))
    return order, images


def page_fonts(page) -> dict[str, list]:
    """pdfminer's font objects of the page and of its forms, by base font name (with and
    without a subset prefix; one name can be several fonts, e.g. with other encodings);
    pdfplumber's resource manager caches them for the document."""
    fonts: dict[str, list] = {}
    manager = page.pdf.rsrcmgr
    seen: set[int] = set()
    pending = [page.page_obj.resources]
    while pending:
        resources = dict_value(pending.pop())
        for spec in dict_value(resources.get("Font") or {}).values():
            objid = spec.objid if isinstance(spec, PDFObjRef) else None
            font = manager.get_font(objid, dict_value(spec))
            name = str(font.fontname)
            for key in {name, name.partition("+")[2] or name}:
                if all(font is not known for known in fonts.setdefault(key, [])):
                    fonts[key].append(font)
        for ref in dict_value(resources.get("XObject") or {}).values():
            key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
            xobject = resolve1(ref)
            if key in seen or not hasattr(xobject, "attrs"):
                continue
            seen.add(key)
            if xobject.attrs.get("Resources") is not None:
                pending.append(xobject.attrs["Resources"])
    return fonts


def page_ctm(page) -> tuple[float, ...]:
    """pdfminer's page matrix: the mediabox origin moved to 0 and the /Rotate applied."""
    x0, y0, x1, y1 = page.page_obj.mediabox
    rotate = page.page_obj.rotate % 360
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def by_address(function, result, *arguments):
    """A pdfium function called with plain addresses and ints: ctypes converts those faster
    than pypdfium2's typed handles, which counts in the calls made per glyph."""
    return ctypes.CFUNCTYPE(result, *arguments)(ctypes.cast(function, ctypes.c_void_p).value)


_ADDRESS, _INT = ctypes.c_void_p, ctypes.c_int
# FPDFText_GetTextObject answering the object's address, a dict key, without a ctypes cast
text_object_address = by_address(raw.FPDFText_GetTextObject, _ADDRESS, _ADDRESS, _INT)
get_unicode = by_address(raw.FPDFText_GetUnicode, ctypes.c_uint, _ADDRESS, _INT)


def untyped(function, result):
    """A pdfium function of (pointer, int) declared with its result only: ctypes passes a
    ctypes pointer (`c_void_p`) as it is and a Python int as a C int, without a conversion
    per argument, which makes a call a third cheaper than `by_address`'s."""
    return ctypes.CFUNCTYPE(result)(ctypes.cast(function, ctypes.c_void_p).value)


# asked of every character of a page (extractors/pdfium_pieces.py); the object's address as
# a number, NULL as 0 (np.fromiter takes no None)
text_object_number = untyped(raw.FPDFText_GetTextObject, ctypes.c_size_t)
each_map_error = untyped(raw.FPDFText_HasUnicodeMapError, _INT)
get_text = by_address(raw.FPDFText_GetText, _INT, _ADDRESS, _INT, _INT, _ADDRESS)
is_generated = by_address(raw.FPDFText_IsGenerated, _INT, _ADDRESS, _INT)
char_origin = by_address(raw.FPDFText_GetCharOrigin, _INT, _ADDRESS, _INT, _ADDRESS, _ADDRESS)
count_page_objects = by_address(raw.FPDFPage_CountObjects, _INT, _ADDRESS)
page_object = by_address(raw.FPDFPage_GetObject, _ADDRESS, _ADDRESS, _INT)
object_type = by_address(raw.FPDFPageObj_GetType, _INT, _ADDRESS)
count_form_objects = by_address(raw.FPDFFormObj_CountObjects, _INT, _ADDRESS)
form_object = by_address(raw.FPDFFormObj_GetObject, _ADDRESS, _ADDRESS, ctypes.c_ulong)
# called once per text object, and once per font and glyph
get_matrix = by_address(raw.FPDFText_GetMatrix, _INT, _ADDRESS, _INT, _ADDRESS)
font_size = by_address(raw.FPDFTextObj_GetFontSize, _INT, _ADDRESS, _ADDRESS)
object_font = by_address(raw.FPDFTextObj_GetFont, _ADDRESS, _ADDRESS)
base_font_name = by_address(raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, _ADDRESS, _ADDRESS,
                            ctypes.c_size_t)
glyph_width = by_address(raw.FPDFFont_GetGlyphWidth, _INT, _ADDRESS, ctypes.c_uint32,
                         ctypes.c_float, _ADDRESS)


def address(handle) -> int | None:
    """The address a pypdfium2 handle (a ctypes pointer) holds: `ctypes.cast(handle,
    c_void_p).value`, without the cost of a cast."""
    return ctypes.c_void_p.from_buffer(handle).value


def unlike_pdfium(font) -> str | None:
    """Why pdfium would place this font's glyphs otherwise than pdfminer, if it would."""
    if font.is_vertical() or isinstance(font, PDFType3Font):
        return "a font pdfminer reads differently"
    if any(float(width) % 1 for width in font.widths.values() if width is not None):
        return "fractional glyph widths, which pdfium rounds"
    return None


def widths_by_text(font) -> dict[str, tuple[tuple[str, float], ...]]:
    """pdfminer's (text, advance width in text space) for each text the font can print, found
    by that text or by what pdfium makes of it (a ligature 'ﬁ' taken apart as 'fi'); several
    where glyphs of different widths print the same text."""
    unicode_map = getattr(font, "unicode_map", None)
    cids = set(getattr(unicode_map, "cid2unichr", {}) or ())
    if not font.is_multibyte():
        cids |= set(range(256))
    widths = {} if font.is_multibyte() else (getattr(font, "widths", None) or {})
    found: dict[str, set[tuple[str, float]]] = {}
    drawn: dict[str, set[tuple[str, float]]] = {}  # by codes the font gives a width
    for cid in cids:
        try:
            text = font.to_unichr(cid)
        except Exception:  # PDFUnicodeNotDefined: pdfminer prints (cid:N), pdfium cannot match
            continue
        entry = (text, font.char_width(cid))
        apart = unicodedata.normalize("NFKC", text)
        for key in (text, apart) if len(apart) > len(text) else (text,):
            found.setdefault(key, set()).add(entry)
            if widths.get(cid) is not None:
                drawn.setdefault(key, set()).add(entry)
    # A subset font's unused codes print its letters too, with no width: no glyph is drawn
    # by them, so where a code with a width prints the same text, only those count.
    return {text: tuple(sorted(drawn.get(text) or entries)) for text, entries in found.items()}


def merge_widths(tables) -> dict[str, tuple[tuple[str, float], ...]]:
    """The (text, width) entries of several fonts' tables, text by text."""
    merged: dict[str, set[tuple[str, float]]] = {}
    for table in tables:
        for text, entries in table.items():
            merged.setdefault(text, set()).update(entries)
    return {text: tuple(sorted(entries)) for text, entries in merged.items()}

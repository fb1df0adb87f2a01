"""The width pdfminer gives the standard 14 fonts' no-break space.

A PDF may print with a standard font (Helvetica, Times, Courier) without embedding it or
listing its widths; the reader then takes the font's metrics from its own tables. pdfminer's
tables (pdfminer.fontmetrics, keyed by character) have the space but no no-break space
(U+00A0), so pdfminer advances it by 0, while the fonts themselves, and every renderer
(pdfium, poppler), give it the width of the space. Where no-break spaces group digits
("164 423 176 kr"), pdfminer then places every glyph after them further left than printed;
Ghostscript, re-distilling a PDF, writes a table row as one text object with the spaces named
"nbspace", so the error adds up along the row (13 pt by its fifth column) and header words
land over the wrong columns. `add_missing_widths` gives it the space's width where pdfminer's
table lacks it: what is read is where the renderers draw it.
"""

from __future__ import annotations

from pdfminer.fontmetrics import FONT_METRICS

# a character pdfminer lacks: the character of the same width in every standard font
SAME_WIDTH_AS = {"\u00a0": " "}


def add_missing_widths(metrics: dict = FONT_METRICS) -> int:
    """Add the no-break space's width to every font of pdfminer's table that has the space
    but not it; returns how many were added (0 once done)."""
    added = 0
    for _descriptor, widths in metrics.values():
        for missing, like in SAME_WIDTH_AS.items():
            if missing not in widths and like in widths:
                widths[missing] = widths[like]
                added += 1
    return added

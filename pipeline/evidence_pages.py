"""The PDF pages a report's pictures show, each opened, read and rendered once per report.

A report shows up to a dozen rows per check and the diagnosis's causes, often on one page of
one annex: opening the PDF, having pdfminer interpret the page for its words and rendering it
for every picture took most of the report's time. The pages live as long as one report (a
`with` block); nothing is kept from one case to the next.

The glyphs are those of the extractor's pdfminer reader (`extractors.pdf.page_to_chars`): the
same chars as pdfplumber's `page.chars` without the attributes the words do not use, whose
resolving cost more than interpreting the page (tests/test_evidence.py holds them equal).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path

MAX_RENDERED_PAGES = 4  # a page rendered at 144 dpi is ~6 MB: keep only the last few


class PdfPages:
    """pdfplumber pages of a case's PDFs, their words (`page.extract_words()`) and their
    renderings, each made on first use and kept until the block ends."""

    def __init__(self, case_dir: Path) -> None:
        self.case_dir = case_dir
        self._pdfs: dict[str, object] = {}
        self._chars: dict[tuple[str, int], list[dict]] = {}
        self._words: dict[tuple[str, int], list[dict]] = {}
        self._images: OrderedDict[tuple[str, int, int], object] = OrderedDict()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for pdf in self._pdfs.values():
            pdf.close()
        self._pdfs.clear()
        self._chars.clear()
        self._words.clear()
        self._images.clear()

    def page(self, source_file: str, number: int):
        """The pdfplumber page (1-based number) of a PDF of the case."""
        import pdfplumber

        if source_file not in self._pdfs:
            self._pdfs[source_file] = pdfplumber.open(self.case_dir / source_file)
        return self._pdfs[source_file].pages[number - 1]

    def chars(self, source_file: str, number: int) -> list[dict]:
        """The page's glyphs as char dicts (text, font, box, upright), in content order."""
        from extractors.pdf import page_to_chars

        key = (source_file, number)
        if key not in self._chars:
            page = self.page(source_file, number)
            self._chars[key] = page_to_chars(page)[0]
            page.flush_cache()  # pdfminer's layout of the page is no longer needed
        return self._chars[key]

    def words(self, source_file: str, number: int) -> list[dict]:
        """The page's words as `page.extract_words()` gives them."""
        from pdfplumber.utils import extract_words

        key = (source_file, number)
        if key not in self._words:
            self._words[key] = extract_words(self.chars(source_file, number))
        return self._words[key]

    def search(self, source_file: str, number: int, pattern: re.Pattern[str]) -> list[dict]:
        """Where the page's text matches pattern, as `page.search(pattern, return_chars=False)`
        finds it."""
        from pdfplumber.utils.text import chars_to_textmap

        page = self.page(source_file, number)
        textmap = chars_to_textmap(self.chars(source_file, number), layout_bbox=page.bbox,
                                   layout_width=page.width, layout_height=page.height)
        return textmap.search(pattern, return_chars=False)

    def image(self, page, dpi: int):
        """The whole page rendered at dpi, as `page.to_image` renders it before cropping."""
        from pdfplumber.display import get_page_image

        key = (str(page.pdf.path), page.page_number, dpi)
        if key in self._images:
            self._images.move_to_end(key)
            return self._images[key]
        image = get_page_image(stream=page.pdf.stream, path=page.pdf.path,
                               page_ix=page.page_number - 1, resolution=dpi,
                               antialias=False, password=page.pdf.password)
        self._images[key] = image
        if len(self._images) > MAX_RENDERED_PAGES:
            self._images.popitem(last=False)
        return image

    def crop_image(self, page, bbox: tuple[float, float, float, float], dpi: int):
        """The page cropped to bbox as a pdfplumber PageImage, the same as
        `page.crop(bbox).to_image(resolution=dpi)`, from the page rendered once."""
        from pdfplumber.display import PageImage

        return PageImage(page.crop(bbox), original=self.image(page, dpi), resolution=dpi)

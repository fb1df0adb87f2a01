"""Recipients' codes printed with no amount beside them (pipeline/bare_codes.py): a table whose
money is not in the document's text is said to be unread, never a pass or an empty case."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.base import Extraction, TextBlock, empty_allocations
from pipeline.bare_codes import bare_code_findings
from pipeline.orchestrate import reconcile_case
from pipeline.reference import reference_codes
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LAN = "01 03 04 05 06 07 08 09 10 12 13 14 17 18 19 20 21 22 23 24 25"


def findings(*texts: str) -> list:
    extraction = Extraction(source_file="bilaga.pdf", source_format="pdf",
                            allocations=empty_allocations(),
                            text=[TextBlock(t, 2) for t in texts])
    return bare_code_findings([extraction], reference_codes)


def test_a_column_of_codes_without_amounts_is_a_table_not_read() -> None:
    [found] = findings(f"Länskod {LAN}")
    assert (found.check, found.severity, found.page, found.observed) == (
        "recipients_without_amounts", "error", 2, 21.0)
    assert found.message.startswith("page 2 of bilaga.pdf lists 21 län codes (01 03 04 … 25)")
    # Kommun codes (SCB: 0114 Upplands Väsby … 0127 Botkyrka) count the same way.
    [kommuner] = findings("Kod 0114 0115 0117 0120 0123 0125 0126 0127")
    assert "8 kommun codes" in kommuner.message


def test_codes_beside_money_or_cited_in_prose_are_no_such_table() -> None:
    assert findings("01 Stockholm 38 729 708 2 000 000 46 523 735") == []
    assert findings("Enligt punkterna 01 och 03 i beslutet ska länen 04 och 05 redovisa.") == []
    # Numbers that are no codes of one level (02, 11, 15, 16 are no län).
    assert findings("02 11 15 16 26 27 28") == []


def test_the_word_text_box_printed_by_writer_is_incomplete(tmp_path) -> None:
    # builder/exports_probes.py: the region table in a text box, sized to its contents; Writer's
    # PDF prints "Länskod" and the 21 codes, no amount (fixtures/builder/expected.py).
    folder = ROOT / "fixtures" / "cases" / "2024-word-tabell-i-textruta-pdf"
    reconcile_case(folder, tmp_path, Settings(data_docs=False, evidence_images=False))
    doc = json.loads((tmp_path / folder.name / "findings.json").read_text(encoding="utf-8"))
    assert doc["status"] == "incomplete"
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert [(f["check"], f["page"], f["observed"]) for f in errors] == [
        ("recipients_without_amounts", 1, 21.0)]

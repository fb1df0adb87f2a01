"""Every block that prints money has a fate: read as a table, reconciled as stated amounts, or
an `unread_table` error that shows its rows (issue 13). Expected values come from the 2024
truth (fixtures/sources/truth/2024), reasoned by hand."""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document

from extractors import web, word
from pipeline.fates import settle
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CASES, DEFECTS = ROOT / "fixtures" / "cases", ROOT / "fixtures" / "defects"
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024"


def truth(kind: str, measure: str) -> dict[str, int]:
    """Code -> amount of one truth column ("" is Riket)."""
    with open(TRUTH / f"{kind}.csv", encoding="utf-8", newline="") as handle:
        return {r[next(iter(r))]: int(r[measure]) for r in csv.DictReader(handle)}


REGION_TOTAL = truth("region", "Totalt belopp")
RECIPIENTS_SUM = sum(v for code, v in REGION_TOTAL.items() if code)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    settings = Settings(data_docs=False, evidence_images=False)
    return lambda folder: reconcile_case(folder, out, settings)


def unread(result) -> list:
    return [f for f in result.findings if f.check == "unread_table"]


def test_years_in_the_header_are_header_words_by_their_place(run):
    """Kod | Region | 2024 | 2025 above coded rows: read as the region table, and it foots."""
    result = run(CASES / "2024-regioner-kod-och-ar")
    assert result.status == "pass"
    recipients = result.frame.filter(result.frame["row_kind"] == "recipient")
    assert sorted(set(recipients["measure"])) == ["2024", "2025"]
    assert recipients.height == 2 * 21
    # Each column holds the truth's region Totalt belopp: 703 000 001 kr over the 21 regions.
    assert recipients.filter(recipients["measure"] == "2025")["amount_sek"].sum() == 703_000_001
    [block] = result.extractions[0].blocks
    assert (block.fate, block.table_index, block.first_rows[0]) == (
        "table", 0, "Kod | Region | 2024 | 2025")


def test_one_cell_plus_a_million_in_that_table_fails(run):
    result = run(DEFECTS / "ar-kolumn-cell-plus-1-mkr")
    assert result.status == "fail"
    footing = [f for f in result.findings if f.check == "footing" and f.severity == "error"]
    # Printed Riket 703 000 000 kr against the recipients' 703 000 001 + 1 000 000 kr.
    assert [(f.measure, f.observed, f.expected) for f in footing] == [
        ("2025", 703_000_000, 704_000_001)]


def test_region_names_without_header_word_are_an_unread_table(run):
    """Stockholm, Uppsala, ... beside a Mkr column: no kind, no total: unread, exit 1."""
    result = run(CASES / "2024-regionnamn-utan-rubrik-mkr")
    assert (result.status, result.exit_status) == ("incomplete", 1)
    [finding] = unread(result)
    mkr = [Decimal(v) / 1_000_000 for code, v in REGION_TOTAL.items() if code]
    printed = sum(m.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for m in mkr)
    assert finding.observed == int(printed * 1_000_000)  # 703,2 Mkr of rounded amounts
    assert (finding.severity, finding.source_file, finding.page) == (
        "error", "regionernas-medel-mkr.html", 1)
    assert "21 amounts" in finding.message
    assert "«Mkr» / «Stockholm | 164,4» / «Uppsala | 28,7»" in finding.message


def test_a_bulleted_name_amount_list_is_read_as_a_list_and_left_unchecked(run):
    """The 21 bullets name regions ("Region Stockholm: 164 423 176 kronor"), so they are read
    as a region table of 21 rows; nothing prints their total, so their money is unchecked."""
    result = run(CASES / "2024-regioner-punktlista")
    assert (result.status, result.exit_status) == ("incomplete", 1)
    assert unread(result) == []
    [block] = result.extractions[0].blocks
    assert (block.shape, block.fate, block.rows, len(block.amounts)) == ("table", "table", 21, 21)
    assert result.frame.filter(result.frame["table"] == "region")["scb_code"].n_unique() == 21
    # Said once: the one error is the unchecked money, the whole of the 21 bullets.
    [finding] = [f for f in result.findings if f.severity == "error"]
    assert (finding.check, finding.table, finding.observed) == (
        "unchecked_amounts", "region", RECIPIENTS_SUM)


def test_recipients_that_are_no_scb_unit_are_not_dropped(run):
    """Six universities under "Lärosäte" are read as a table of kind "other"; with no total
    row and no statement nothing reconciles them, so their money is unchecked, not a pass."""
    result = run(CASES / "2024-larosaten")
    assert result.status == "incomplete" and unread(result) == []
    assert set(result.frame["table"]) == {"other"} and result.frame.height == 6
    [finding] = [f for f in result.findings if f.check == "unchecked_amounts"]
    trauma = truth("region", "Traumavård")
    assert finding.observed == sum(trauma[c] for c in ("01", "03", "05", "12", "14", "24"))
    assert (finding.table, finding.severity) == ("other", "error")


def test_lanskod_and_kommunkod_rows_are_reported_with_their_sum(run):
    result = run(CASES / "2024-kommuner-lanskod-kommunkod")
    assert result.status == "incomplete"
    [finding] = unread(result)
    kommun = truth("kommun", "Totalt belopp")
    # 290 kommuner (99 999 999 kr) and the Riket row (100 000 000 kr).
    assert finding.observed == sum(kommun.values()) == 199_999_999
    assert "«Länskod | Kommunkod | Kommun | Belopp» / «01 | 0114 | Upplands Väsby | 475 568»" \
        in finding.message


def test_a_table_in_a_content_control_is_read_or_reported(run):
    """The DOCX walk reads w:sdt now; the safety net still sees such a table if it did not."""
    result = run(CASES / "2024-bilaga-innehallskontroll")
    assert result.status == "pass" and unread(result) == []
    assert result.frame.filter(result.frame["row_kind"] == "recipient").height == 4 * 21
    path = CASES / "2024-bilaga-innehallskontroll" / "bilaga1-regioner.docx"
    [info] = word.unreached_tables(Document(str(path)), [], path.name)
    assert (info.fate, info.page) == ("unread", 1)
    assert "content control" in info.reason
    # 22 rows × 4 amounts of the region table, Riket included.
    assert len(info.amounts) == 88


def test_not_an_allocation_table_has_nothing_to_reconcile(run):
    result = run(DEFECTS / "not-an-allocation-table")
    assert (result.status, result.exit_status) == ("empty", 0)
    assert unread(result) == []


def test_documents_json_lists_every_block_and_its_fate(run, tmp_path):
    settings = Settings(data_docs=False, evidence_images=False)
    result = reconcile_case(CASES / "2024-larosaten", tmp_path, settings)
    data = json.loads((tmp_path / result.case.name / "documents.json").read_text("utf-8"))
    [block] = data["documents"][0]["blocks"]
    # Read as allocation table 1 (kind "other"): its six university rows, the header apart.
    assert (block["fate"], block["shape"], block["page"], block["rows"]) == ("table", "table", 1,
                                                                            6)
    assert block["first_rows"][:2] == ["Lärosäte | Belopp (kr)",
                                       "Karolinska institutet | 11 630 934"]
    findings = json.loads((tmp_path / result.case.name / "findings.json").read_text("utf-8"))
    assert findings["status"] == "incomplete"
    html = (tmp_path / result.case.name / "report.html").read_text("utf-8")
    assert '<div class="verdict incomplete">Not fully read' in html
    # One failed check: its unchecked money (the reading itself passed).
    assert '<div class="stat"><b>1</b>failed</div>' in html


def test_a_block_whose_amounts_are_reconciled_as_statements_is_read(tmp_path):
    """A table of parts and their Totalt, handed to the text, reconciled there."""
    page = tmp_path / "sida.html"
    page.write_text(
        "<html><body><table><tr><th>Mottagare</th><th>Belopp (kr)</th></tr>"
        "<tr><td>Regioner</td><td>703 000 000</td></tr>"
        "<tr><td>Kommuner</td><td>100 000 000</td></tr>"
        "<tr><td>Totalt</td><td>803 000 000</td></tr></table></body></html>", encoding="utf-8")
    [block] = web.extract(page).blocks
    assert (block.fate, block.amount_sum_sek) == ("text", 1_606_000_000)
    every = {"703000000", "100000000", "803000000"}
    assert settle(block, every).fate == "statements"
    partly = settle(block, every - {"803000000"})
    assert partly.fate == "unread" and "2 of its 3 amounts" in partly.reason

"""Row labels wrapped onto two lines and centred on their row (extractors/centred_labels.py),
as LibreOffice Calc prints a spreadsheet whose cells are centred vertically
(fixtures/builder/exports_centred.py, from the 2024 truth's län table)."""

from __future__ import annotations

from pathlib import Path

from extractors import pdf
from fixtures.builder.data import truth_annex

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "fixtures" / "cases" / "2024-lan-calc-varav-centrerad"


def test_a_label_printed_above_and_below_its_amounts_is_the_rows_label() -> None:
    # "varav" above the row's amounts, "storstadslänen" below: one part row under Riket whose
    # amounts are Stockholm (01) + Skåne (12) + Västra Götaland (14) of the truth, column by
    # column (Suicidprevention: 46 523 735 + 26 943 187 + 33 485 400 = 106 952 322).
    lan = truth_annex().lan
    frame = pdf.extract(CASE / "lansgemensamma-medel-2024.pdf").allocations
    varav = frame.filter(frame["row_kind"] == "varav")
    assert set(varav["name_raw"]) == {"varav storstadslänen"}
    big = [r for r in lan.rows if r.code in ("01", "12", "14")]
    assert dict(zip(varav["measure"], varav["amount_sek"], strict=True)) == {
        m: sum(r.amounts[i] for r in big) for i, m in enumerate(lan.measures)}
    assert dict(zip(varav["measure"], varav["amount_sek"], strict=True))[
        "Suicidprevention"] == 106_952_322
    # The Riket row above it is read too, and every recipient cell is the truth's.
    total = frame.filter(frame["row_kind"] == "total")
    assert dict(zip(total["measure"], total["amount_sek"], strict=True)) == dict(
        zip(lan.measures, lan.riket.amounts, strict=True))
    recipients = frame.filter(frame["row_kind"] == "recipient")
    assert {(r["code"], r["measure"]): r["amount_sek"] for r in recipients.iter_rows(
        named=True)} == {(r.code, m): a for r in lan.rows
                         for m, a in zip(lan.measures, r.amounts, strict=True)}

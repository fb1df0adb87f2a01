"""The reasons for the diagnosis's cost weights (pipeline/settings.py), each tested by what it
decides on the 2024 annex and by what a weight without that reason would decide instead."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from test_diagnosis import annex_frame, case_findings, cells_of, truth_annex
from test_diagnosis_rules import findings_of
from test_expectations_support import KUNSKAP, amount, set_amount, truth_frame

from fixtures.builder.defects import DEFECTS
from pipeline import diagnosis_mip as mip
from pipeline.diagnosis import diagnose
from pipeline.edits import frame_to_system
from pipeline.settings import DiagnosisSettings

ROOT = Path(__file__).resolve().parent.parent
ANNEX = ("bilaga1.pdf", "bilaga1.docx")
TRUTH = truth_frame()


@pytest.fixture(scope="module")
def cases() -> dict:
    out = {}
    for name in ("region-cell-changed-total-kept", "kommun-row-missing"):
        frame = annex_frame(*DEFECTS[name](truth_annex()))
        out[name] = (frame, case_findings(frame))
    return out


def only(causes: list[dict]) -> dict:
    assert len(causes) == 1, causes
    return causes[0]


def test_a_total_alone_against_its_parts_is_stale_not_one_of_its_parts() -> None:
    # One column, Barn och unga of the 21 regions, its Riket printed 553 100 000 kr instead of
    # 553 000 000: only the column sum breaks, and any one of its 22 cells could mend it.
    frame = TRUTH.filter((pl.col("table") == "region") & (pl.col("measure") == "Barn och unga"))
    frame = set_amount(frame, "region", None, "Barn och unga", 553_100_000)
    findings = findings_of(frame)
    cause = only(diagnose(frame, findings))
    assert (cause["kind"], cause["alternatives"]) == ("stale_total", 0)
    assert cells_of(cause) == {("region", None, "Barn och unga", "beslut.pdf")}
    # Were a total to cost as much as a part, the 21 regions would tie with it: no answer.
    equal = only(diagnose(frame, findings, DiagnosisSettings(total_weight=1.0)))
    assert equal["alternatives"] == 21


def test_the_totals_that_would_move_instead_of_one_part_cost_more_than_it() -> None:
    # The kommun table (Kunskapsbaserad and its Totalt belopp), 1880 Örebro's Kunskapsbaserad
    # +3 000 kr: its row sum and the column sum break. Instead of the one cell (1), three
    # totals would have to move: Örebro's Totalt belopp, and the Riket of both columns
    # (3 × 0,9 = 2,7; at 0,45 still 1,35).
    frame = TRUTH.filter(pl.col("table") == "kommun")
    frame = set_amount(frame, "kommun", "1880", KUNSKAP, amount("kommun", "1880", KUNSKAP) + 3_000)
    findings = findings_of(frame)
    part = {("kommun", "1880", KUNSKAP, "beslut.pdf")}
    for weight in (0.9, 0.45):
        assert cells_of(only(diagnose(frame, findings, DiagnosisSettings(total_weight=weight)))
                        ) == part
    # At 0,3 the three totals (0,9) undercut the part: the weight must stay above a third.
    cheap = diagnose(frame, findings, DiagnosisSettings(total_weight=0.3))
    assert part not in [cells_of(c) for c in cheap]
    assert {c["scb_code"] for cause in cheap for c in cause["cells"]} == {"1880", None}


def test_a_cell_printed_alike_in_both_documents_counts_once_per_document(cases) -> None:
    frame, _ = cases["region-cell-changed-total-kept"]
    system = frame_to_system(frame)
    model = mip.build_model(system, DiagnosisSettings())
    # The PDF and the DOCX print region 05's row alike (Traumavård +10 000 kr in both): each
    # cell is one variable costing a part (1) or a total (0,9) once per document, so a slip
    # in one document alone is preferred where it explains as much (pdf-docx-disagree names
    # the DOCX cell alone).
    row_05 = {m[0][4]: float(model.weight[model.binary[v]]) for v, m in enumerate(model.members)
              if system.cells[m[0]].table == "region" and system.cells[m[0]].scb_code == "05"}
    assert row_05 == {"Traumavård": 2.0, "Totalt belopp": 1.8, "Barn och unga": 2.0, KUNSKAP: 2.0}


def test_a_missing_row_costs_one_cell_per_document(cases) -> None:
    frame, findings = cases["kommun-row-missing"]
    # Kiruna's row left out: both kommun columns fall 212 396 kr short and region 25's key
    # breaks. The row (1 per document) beats the Riket cells of both columns (0,9 × 2 per
    # document), which would still leave region 25's key broken.
    cause = only(diagnose(frame, findings))
    assert (cause["kind"], cause["alternatives"]) == ("missing_row", 0)
    # At 3 a row the Riket cells and a region cell become cheaper than the row.
    dear = diagnose(frame, findings, DiagnosisSettings(missing_row_weight=3.0))
    assert "missing_row" not in {c["kind"] for c in dear}


def test_a_row_coverage_finds_missing_is_cheaper_than_a_stale_stated_total(tmp_path) -> None:
    # A press release's list of the regions' Totalt belopp without Gotland (09, 3 726 716 kr)
    # under "703 000 000 kronor": the 20 lines sum to 703 000 001 - 3 726 716 = 699 273 285
    # kr. Coverage has found the row missing, so giving it a value is no new claim of error:
    # at 0,5 the missing row (3 726 715 kr, what the statement leaves) is the cause, and it
    # explains the coverage error; at 1,0 the statement (0,9) would be called stale instead
    # and the coverage error traced to nothing.
    from pipeline.orchestrate import reconcile_case
    from pipeline.settings import Settings

    case = ROOT / "fixtures" / "defects" / "regioner-lista-pdf-utan-gotland"
    result = reconcile_case(case, tmp_path / "half", Settings(data_docs=False))
    cause = only(result.diagnosis)
    assert cause["kind"] == "missing_row"
    assert [(c["scb_code"], c["measure"], c["reconciling_value"]) for c in cause["cells"]] == [
        ("09", "Belopp", 3_726_715)]
    assert [result.findings[i].check for i in cause["explains"]] == ["coverage"]
    old = reconcile_case(case, tmp_path / "one", Settings(
        data_docs=False, diagnosis=DiagnosisSettings(missing_row_weight=1.0)))
    assert [c["kind"] for c in old.diagnosis] == ["stale_total", "not_localised"]

"""Change columns ("Förändring", signed amounts) on fixtures drawn by Chromium and Calc
(fixtures/builder/exports_checks.py): a leading "+" and Calc's accounting "(1 234)" are signs,
a column of differences is no grant (no negativity error), and change = this year − last year
is found in the numbers as a key, so a wrong change cell is named.

The amounts asserted are reasoned by hand from the 2024 truth: Stockholm's Totalt belopp
164 423 176 kr; its 2023 is 164 423 176 × 0,97 = 159 490 480,72 → 159 490 481, a change of
+4 932 695. Uppsala (code 03, a multiple of 3) got 4 % more in 2023: 28 693 890 × 1,04 =
29 841 645,6 → 29 841 646, a change of −1 147 756.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from test_expectations_support import truth_frame

from expectations.frames import amounts_frame, cell_grid, prepare
from expectations.runner import run_suites
from expectations.settings import SuiteSettings
from extractors.amounts import parse_amount
from extractors.registry import detect_format
from pipeline.orchestrate import reconcile_case
from pipeline.resolver import Resolver, names_to_codes, reference_codes
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
SETTINGS = Settings(data_docs=False, evidence_images=False)
CHANGE = "Förändring 2023–2024"


@pytest.mark.parametrize(("text", "kronor"), [
    ("+4 932 695", 4_932_695), ("\u22121 147 756", -1_147_756), ("(1 147 756)", -1_147_756),
    ("+0", 0), ("(1 234 kr)", -1_234)])
def test_signs_of_a_change(text, kronor):
    assert parse_amount(text).amount_sek == kronor


@pytest.mark.parametrize("text", ["(1)", "(12)", "(2024)", "+"])
def test_a_note_or_year_in_parentheses_is_no_amount(text):
    assert parse_amount(text) is None


@cache
def read(folder: str) -> pl.DataFrame:
    path = next(p for p in sorted((ROOT / folder).iterdir()) if p.suffix == ".pdf")
    frame, _ = names_to_codes(detect_format(path).extract(path).allocations, Resolver())
    return frame


def cells(frame: pl.DataFrame, code: str) -> dict[str, int]:
    rows = frame.filter(pl.col("scb_code") == code)
    return dict(zip(rows["measure"], rows["amount_sek"], strict=True))


@pytest.mark.parametrize(("folder", "measures"), [
    ("cases/2024-chromium-forandring", ("2023", "2024", "Förändring")),
    ("cases/2024-calc-forandring-parentes", ("Belopp 2023", "Belopp 2024", "Förändring")),
])
def test_signed_changes_are_read(folder, measures):
    frame = read(folder)
    assert frame.filter(pl.col("row_kind") == "recipient").height == 21 * 3
    last, this, change = measures
    assert cells(frame, "01") == {last: 159_490_481, this: 164_423_176, change: 4_932_695}
    assert cells(frame, "03") == {last: 29_841_646, this: 28_693_890, change: -1_147_756}


def test_a_change_column_is_no_grant_and_passes():
    frame = read("cases/2024-chromium-forandring")
    run = run_suites(frame, {k: reference_codes(k) for k in ("region", "kommun", "lan")})
    # seven regions (03, 06, 09, 12, 18, 21, 24: codes that are multiples of 3) got less in
    # 2024: no "a grant cannot be negative" error, and no other
    assert frame.filter((pl.col("measure") == "Förändring") & (pl.col("amount_sek") < 0)
                        )["scb_code"].to_list() == ["03", "06", "09", "12", "18", "21", "24"]
    assert [f for f in run.findings if f["severity"] == "error"] == []


def test_one_negative_grant_is_still_an_error():
    frame = truth_frame().with_columns(
        pl.when((pl.col("scb_code") == "05") & (pl.col("measure") == "Traumavård"))
        .then(-pl.col("amount_sek")).otherwise(pl.col("amount_sek")).alias("amount_sek"))
    grid = cell_grid(prepare(frame, SuiteSettings()))
    negative = amounts_frame(grid).filter(pl.col("grant") < 0)
    # one negative cell among grants is a sign error: its grant value stays for the check
    assert negative.select("table", "scb_code", "measure").rows() == [
        ("region", "05", "Traumavård")]


def test_the_difference_key_is_found_in_the_numbers():
    frame = read("cases/2024-chromium-forandring-tre-ar")
    run = run_suites(frame, {k: reference_codes(k) for k in ("region", "kommun", "lan")})
    [key] = [k for k in run.found_keys if k.kind == "difference"]
    assert (key.dependent.measure, key.independent.measure, key.subtracted.measure) == (
        CHANGE, "2024", "2023")
    # 21 regions, every change exactly 2024 − 2023 as printed
    assert len(key.rows) == 21 and key.breaks == ()
    assert [f for f in run.findings if f["severity"] == "error"] == []


@pytest.fixture(scope="module")
def run_case(tmp_path_factory):
    """A function reading one fixture folder through the whole pipeline (once per folder)."""
    out = tmp_path_factory.mktemp("change-columns")

    @cache
    def run(folder: str) -> dict:
        reconcile_case(ROOT / folder, out, SETTINGS)
        return json.loads((out / Path(folder).name / "findings.json").read_text("utf-8"))
    return run


def test_a_wrong_change_cell_is_named(run_case):
    doc = run_case("defects/forandring-skane-plus-10000")
    errors = {(f["check"], f["scb_code"], f["measure"], f["observed"], f["expected"])
              for f in doc["findings"] if f["severity"] == "error"}
    # Skåne: 2024 Totalt belopp 96 566 286, 2023 = 96 566 286 × 1,04 = 100 428 937,44 →
    # 100 428 937 (12 is a multiple of 3): a change of −3 862 651, printed 10 000 higher
    skane = ("allocation_key", "12", CHANGE, -3_852_651.0, -3_862_651.0)
    assert skane in errors
    assert {e[:3] for e in errors} == {skane[:3], ("footing", None, CHANGE)}
    [cause] = doc["diagnosis"]
    assert cause["kind"] == "wrong_cell"
    assert {(c["scb_code"], c["measure"]) for c in cause["cells"]} == {("12", CHANGE)}

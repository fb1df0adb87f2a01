"""Coverage that reads the documents: which left-out recipients are errors, which the text
explains, and which tables only cover some of the country.

The pages are written here by hand: the region Barn och unga amounts of the 2024 truth for
the regions each page lists, and a Totalt row that is their sum (so every column foots and
only coverage speaks).
"""

from __future__ import annotations

import csv
from pathlib import Path

from expectations.runner import run_suites
from extractors import web
from pipeline.context import documents_text, name_forms
from pipeline.resolver import Resolver, names_to_codes, reference_codes
from pipeline.tables import extractions_to_frame

TRUTH = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "truth" / "2024"
CODES = {level: reference_codes(level) for level in ("kommun", "region", "lan")}
STORSTAD = ("01", "12", "14")


def barn() -> dict[str, tuple[str, int]]:
    with open(TRUTH / "region.csv", encoding="utf-8", newline="") as handle:
        return {r["lan_code"]: (r["name"], int(r["Barn och unga"]))
                for r in csv.DictReader(handle) if r["lan_code"]}


def page(tmp_path: Path, left_out: tuple[str, ...], text: str, header: str = "Belopp, kronor"
         ) -> Path:
    """A page listing every region but ``left_out`` with its Barn och unga amount."""
    kept = {c: v for c, v in barn().items() if c not in left_out}
    rows = "".join(f"<tr><td>{n}</td><td>{a}</td></tr>" for n, a in kept.values())
    total = sum(a for _, a in kept.values())
    path = tmp_path / "medel.html"
    path.write_text(
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Medel</title></head>"
        f"<body><h1>Medel till regionerna</h1><p>{text}</p><table><caption>Fördelning per "
        f"region</caption><thead><tr><th>Region</th><th>{header}</th></tr></thead><tbody>"
        f"{rows}<tr><td>Totalt</td><td>{total}</td></tr></tbody></table></body></html>",
        encoding="utf-8")
    return path


def coverage(path: Path) -> list[dict]:
    extraction = web.extract(path)
    frame, _ = names_to_codes(extractions_to_frame([extraction]), Resolver())
    run = run_suites(frame, CODES, documents=documents_text([extraction]), names=name_forms())
    assert not [f for f in run.findings if f["severity"] == "error"
                and f["check"] != "coverage"]
    return [f for f in run.findings if f["check"] == "coverage"]


def test_a_gap_the_text_names_as_exceptions_is_info_quoting_it(tmp_path: Path) -> None:
    sentence = ("Medlen fördelas till regionerna utom Region Stockholm, Region Skåne och "
                "Västra Götalandsregionen, som får sina medel genom en egen överenskommelse.")
    found = coverage(page(tmp_path, STORSTAD, "Tabellen visar samtliga regioner. " + sentence))
    assert [(f["severity"], f["scb_code"]) for f in found] == [("info", c) for c in STORSTAD]
    assert all(sentence in f["message"] for f in found)


def test_a_header_that_gives_the_number_left_out_explains_the_gap(tmp_path: Path) -> None:
    found = coverage(page(tmp_path, STORSTAD, "Så här fördelas medlen.",
                          header="Belopp, kronor (exkl. 3 regioner)"))
    assert [(f["severity"], f["scb_code"]) for f in found] == [("info", c) for c in STORSTAD]


def test_a_table_claiming_the_whole_country_without_reason_has_gap_errors(tmp_path: Path
                                                                          ) -> None:
    found = coverage(page(tmp_path, STORSTAD, "Tabellen visar fördelningen till landets "
                                              "regioner."))
    assert [(f["severity"], f["scb_code"]) for f in found] == [("error", c) for c in STORSTAD]


def test_all_but_one_is_a_claim_on_the_whole_country(tmp_path: Path) -> None:
    # 20 of 21 listed and nothing said: Gotland's row is missing, an error.
    found = coverage(page(tmp_path, ("09",), "Så här fördelas medlen."))
    assert [(f["severity"], f["scb_code"]) for f in found] == [("error", "09")]


def test_a_partial_table_is_one_warning_saying_how_many_are_covered(tmp_path: Path) -> None:
    # Three regions of 21 left out, and no word on the whole country or on why: a warning.
    found = coverage(page(tmp_path, STORSTAD, "Så här fördelas medlen."))
    [warning] = found
    assert (warning["severity"], warning["observed"], warning["expected"]) == ("warning", 18, 21)
    assert warning["unit"] == "count"
    assert "lists 18 of the 21 official recipients" in warning["message"]


def test_a_duplicated_region_is_an_error_even_when_the_gap_is_explained(tmp_path: Path
                                                                        ) -> None:
    path = page(tmp_path, STORSTAD, "Medlen går till alla regioner utom Stockholm, Skåne och "
                                    "Västra Götaland.")
    name, amount = barn()["03"]
    text = path.read_text(encoding="utf-8")
    total = sum(a for c, (_, a) in barn().items() if c not in STORSTAD)
    text = text.replace(f"<tr><td>Totalt</td><td>{total}</td>",
                        f"<tr><td>{name}</td><td>{amount}</td></tr>"
                        f"<tr><td>Totalt</td><td>{total + amount}</td>")
    path.write_text(text, encoding="utf-8")
    found = coverage(path)
    assert [(f["severity"], f["scb_code"]) for f in found if f["severity"] == "error"] == [
        ("error", "03")]
    assert len([f for f in found if f["severity"] == "info"]) == 3

"""A Markdown (or plain-text) list of name–amount lines is read as a list: where its names are
regions it is a region table, and with no total or statement to check it its money is reported
as unchecked, never left in silence.

The 21 items print each region's Totalt belopp from the verified 2024 truth; their sum is
computed here from the CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024" / "region.csv"
PAGE_2020 = ROOT / "fixtures" / "cases" / "2020-psykisk-halsa"


def regions() -> list[dict]:
    with open(TRUTH, encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["name"] != "Riket"]


def grouped(value: str) -> str:
    return f"{int(value):,}".replace(",", " ")


def bullet_list(marker: str = "-") -> str:
    items = [f"{marker} Region {r['name']}: {grouped(r['Totalt belopp'])} kronor"
             for r in regions()]
    return "# Medel till regionerna 2024\n\nRegionerna får följande belopp:\n\n" + \
        "\n".join(items) + "\n"


def run(tmp_path: Path, files: dict[str, str]):
    case = tmp_path / "case"
    case.mkdir()
    for name, text in files.items():
        (case / name).write_text(text, encoding="utf-8")
    return reconcile_case(case, tmp_path / "out", Settings(workers=1, data_docs=False))


def unchecked(result) -> list:
    return [f for f in result.findings if f.check == "unchecked_amounts"]


def test_a_markdown_bullet_list_of_amounts_is_read_and_reported_unchecked(tmp_path):
    result = run(tmp_path, {"lista.md": bullet_list()})
    assert result.status == "incomplete"
    assert [f for f in result.findings if f.check == "unread_table"] == []
    # The 21 items are the region table; their sum is the truth's Totalt belopp summed.
    (finding,) = unchecked(result)
    assert (finding.table, finding.severity) == ("region", "error")
    assert finding.observed == sum(int(r["Totalt belopp"]) for r in regions())
    (block,) = [b for e in result.extractions for b in e.blocks]
    assert (block.fate, block.rows) == ("table", 21)


def test_a_numbered_list_beside_a_reconciled_page_still_is_not_green(tmp_path):
    # The 2020 page reconciles on its own; the numbered list beside it is money no check
    # covers, so the case must not pass.
    page = next(PAGE_2020.glob("*.html"))
    result = run(tmp_path, {page.name: page.read_text(encoding="utf-8"),
                            "lista.txt": bullet_list("1.")})
    assert result.status == "incomplete"
    assert [f.source_file for f in unchecked(result)] == ["lista.txt"]


def test_the_text_above_a_list_names_its_level_by_the_vocabulary() -> None:
    # words.toml [level_words]: a word starting with a level's stem names it ("regionerna",
    # "landstingen", "länen", "kommunernas"); "länsgemensamma" starts with "län" but is left
    # out (not_stems), so län money under that heading alone names no level of a list.
    from extractors.vocabulary import level_words

    words = level_words()
    assert words.named("Medel till regionerna och landstingen") == ["region"]
    assert words.named("Fördelning av länsgemensamma medel") == []
    assert words.named("Länsgemensamma medel per län") == ["lan"]
    assert words.named("Kommunernas andel, se regionerna") == ["region", "kommun"]

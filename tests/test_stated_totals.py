"""Stated totals reconcile with their parts and with Bilaga 1's Riket values (issue 7)."""

from __future__ import annotations

import csv
from dataclasses import fields

from sources import TRUTH, docx_rows, paragraphs, rows, seed_lines

from expectations.pairing import Column, pick_column
from expectations.stated_totals import claims_table, reconcile_claims
from extractors.base import TextBlock
from extractors.statements import statements_to_claims, text_to_statements
from pipeline.findings import Finding


def riket_2024() -> dict[tuple[str, str], int]:
    """The Riket row of each 2024 Bilaga 1 table, from the verified truth files."""
    riket = {}
    for table in ("region", "kommun", "lan"):
        with open(TRUTH / f"{table}.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["name"] == "Riket":
                    for measure, value in row.items():
                        if measure not in ("lan_code", "kommun_code", "name") and value:
                            riket[(table, measure)] = int(value)
    return riket


def claims_of(*docs: tuple[str, list[TextBlock]]) -> list:
    claims = []
    for name, blocks in docs:
        claims += statements_to_claims(text_to_statements(blocks, name))
    return claims


def case_2024() -> list:
    return claims_of(
        ("beslut.pdf", paragraphs(seed_lines("002", 1, 1399))),
        ("overenskommelse.pdf", paragraphs(seed_lines("002", 1400, 2246))
         + rows(seed_lines("002", 2247, 2312)) + paragraphs(seed_lines("002", 2313, 2521))),
        ("beslut.docx", paragraphs(seed_lines("002", 2522, 2859))
         + docx_rows(seed_lines("002", 2860, 9652))),
        ("overenskommelse.docx", paragraphs(seed_lines("002", 9653, 9823))
         + docx_rows(seed_lines("002", 9824, 9999)) + paragraphs(seed_lines("002", 10000))),
    )


def errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


def agreements(findings: list[dict], source: str, observed: float, expected: float) -> list:
    return [f for f in findings if f["check"] == "stated_total" and f["severity"] == "info"
            and f["source_file"] == source and f["observed"] == observed
            and f["expected"] == expected]


def test_riket_truth_rows():
    riket = riket_2024()
    assert riket[("region", "Traumavård")] == 50_000_000
    assert sum(riket[(t, "Totalt belopp")] for t in ("region", "kommun", "lan")) == 1_527_000_000


def test_2024_everything_agrees():
    findings = reconcile_claims(case_2024(), riket_2024())
    assert errors(findings) == []
    for source in ("beslut.pdf", "beslut.docx"):
        payout = agreements(findings, source, 1_527_000_000, 1_527_000_000)
        assert any("Totalt belopp on their Riket rows" in f["message"] for f in payout)
        assert agreements(findings, source, 1_560_000_000, 1_527_000_000 + 33_000_000)
    for source in ("overenskommelse.pdf", "overenskommelse.docx"):
        assert agreements(findings, source, 803_000_000, 553_000_000 + 250_000_000)
        table = {(f["table"], f["measure"]): f["observed"] for f in findings
                 if f["source_file"] == source and f["table"] and f["observed"] % 1000 == 0}
        for key in [("region", "Barn och unga"), ("region", "Traumavård"),
                    ("lan", "Stärka samverkan för personer med samsjuklighet"),
                    ("lan", "Brukarmedverkan"), ("lan", "Suicidprevention"),
                    ("region", "Totalt belopp"), ("kommun", "Totalt belopp"),
                    ("lan", "Totalt belopp")]:
            assert table[key] == riket_2024()[key]


def test_2024_a_changed_riket_column_is_an_error():
    riket = riket_2024() | {("region", "Traumavård"): 60_000_000}
    wrong = errors(reconcile_claims(case_2024(), riket))
    assert wrong and {(f["table"], f["measure"]) for f in wrong} == {("region", "Traumavård")}
    assert {f["difference"] for f in wrong} == {-10_000_000}


def test_2020_page_agrees():
    findings = reconcile_claims(claims_of(("2020.txt", paragraphs(seed_lines("000")))), {})
    assert errors(findings) == []
    assert agreements(findings, "2020.txt", 1_716_000_000, 1_694_000_000 + 22_000_000)
    assert agreements(findings, "2020.txt", 1_694_000_000,
                      820_000_000 + 300_000_000 + 574_000_000)


def test_2021_table_adds_up():
    blocks = (paragraphs(seed_lines("001", 1, 976)) + rows(seed_lines("001", 977, 1040))
              + paragraphs(seed_lines("001", 1041)))
    findings = reconcile_claims(claims_of(("2021.pdf", blocks)), {})
    assert errors(findings) == []
    assert agreements(findings, "2021.pdf", 1_680_000_000, 1_680_000_000)
    for subtotal in (784_000_000, 300_000_000, 574_000_000, 22_000_000):
        assert agreements(findings, "2021.pdf", subtotal, subtotal)


def test_2017_page_lacks_250_mkr():
    findings = reconcile_claims(claims_of(("2017.txt", paragraphs(seed_lines("004")))), {})
    [error] = errors(findings)
    assert error["check"] == "stated_total" and error["scb_code"] is None
    assert (error["observed"], error["expected"], error["difference"]) == (
        780_000_000, 530_000_000, 250_000_000)
    assert agreements(findings, "2017.txt", 885_000_000, 780_000_000 + 60_000_000 + 45_000_000)


def test_jamtland_total_is_564_kr_off():
    findings = reconcile_claims(claims_of(("jamtland.txt", paragraphs(seed_lines("003")))), {})
    [error] = errors(findings)
    assert (error["check"], error["scb_code"]) == ("stated_total", "23")
    assert (error["observed"], error["expected"], error["difference"]) == (
        11_522_848, 11_522_284, 564)
    national = [f for f in findings if f["observed"] == 1_680_000_000 or "1 680 Mkr" in
                f["message"]]
    assert national and {f["scb_code"] for f in national} == {None}


def test_findings_have_the_finding_keys_and_nothing_is_dropped():
    claims = claims_of(("2020.txt", paragraphs(seed_lines("000"))))
    findings = reconcile_claims(claims, {})
    keys = {f.name for f in fields(Finding)}
    assert all(set(f) == keys for f in findings)
    assert all(Finding(**f) for f in findings)
    table = claims_table(claims)
    assert len(table) == 20  # every amount the page prints
    assert {r["result"] for r in table} <= {"agrees", "contradicts", "unplaced"}
    unplaced = [f for f in findings if f["check"] == "unplaced_statement"]
    assert {f["severity"] for f in unplaced} == {"info"}


def test_claims_from_dicts_give_the_same_findings():
    claims = claims_of(("2017.txt", paragraphs(seed_lines("004"))))
    assert reconcile_claims([c.to_dict() for c in claims]) == reconcile_claims(claims)


def test_words_of_a_statement_name_the_lan_columns():
    """The 2024 län headers; each statement's folded words against them. "samsjuklighet" is
    printed only in the first header; "brukar" begins "brukarmedverkan"; "suicidpreventivt"
    shares its first six letters with "suicidprevention"; "traumavard" is in no län header.
    Barn och unga and samsjuklighet both print 250 000 000 kr (Riket), so value cannot tell
    them apart: the words do (barn, unga: two against none)."""
    lan = [Column(m, v, 0.5, m == "Totalt belopp") for m, v in (
        ("Stärka samverkan för personer med samsjuklighet", 250_000_000),
        ("Brukarmedverkan", 24_000_000), ("Suicidprevention", 200_000_000),
        ("Barn och unga", 250_000_000), ("Totalt belopp", 724_000_000))]

    def named(*words: str, value: float = 0) -> str | None:
        col = pick_column(words, lan, value, 0)
        return col.measure if col else None

    assert named("samsjuklighet") == lan[0].measure
    assert named("systematisk", "patient", "brukar") == "Brukarmedverkan"
    assert named("utvecklat", "suicidpreventivt") == "Suicidprevention"
    assert named("barn", "unga", "starka") == "Barn och unga"
    assert named("traumavard") is None

"""The SCB code resolver: reference data against the 2024 truth, the cascade, traps, frames."""

from __future__ import annotations

import csv
import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sources import PAGES, SEEDS, TRUTH

from extractors.base import allocations_frame
from extractors.errors import SettingsError
from pipeline.reference import LEVELS, places
from pipeline.resolver import (
    Candidate,
    Match,
    Resolver,
    ResolverSettings,
    code_matches_name,
    names_to_codes,
    official_name,
    reference_codes,
)


def truth_rows(name: str) -> list[dict[str, str]]:
    with (TRUTH / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def truth_codes(name: str) -> dict[str, str]:
    """code -> name of the recipient rows (the Riket row has no code)."""
    rows = truth_rows(name)
    key = "kommun_code" if name == "kommun.csv" else "lan_code"
    return {r[key]: r["name"] for r in rows if r[key]}


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver()


# --- reference data -------------------------------------------------------------------------


def test_reference_codes_are_the_2024_annex_codes():
    kommuner = truth_codes("kommun.csv")
    assert len(kommuner) == 290
    assert reference_codes("kommun") == frozenset(kommuner)
    assert reference_codes("region") == frozenset(truth_codes("region.csv"))
    assert reference_codes("lan") == frozenset(truth_codes("lan.csv"))
    assert len(reference_codes("region")) == 21
    assert {"02", "11", "15", "16"}.isdisjoint(reference_codes("lan"))


@pytest.mark.parametrize(
    ("level", "truth"), [("kommun", "kommun.csv"), ("region", "region.csv"), ("lan", "lan.csv")]
)
def test_official_names_are_the_annex_names(level, truth):
    for code, name in truth_codes(truth).items():
        assert official_name(level, code) == name
    assert official_name(level, "99") is None


def test_truth_files_end_with_a_riket_row():
    for name in ("region.csv", "kommun.csv", "lan.csv"):
        last = truth_rows(name)[-1]
        assert last["name"] == "Riket"


def test_unknown_level_is_a_settings_error(resolver):
    with pytest.raises(SettingsError, match="level must be one of"):
        resolver.resolve("Stockholm", "county")
    with pytest.raises(SettingsError):
        reference_codes("län")


# --- canonical names and real-world variants ------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_every_canonical_name_resolves_to_itself(resolver, level):
    for place in places(level):
        for form in (place.name, *place.forms):
            match = resolver.resolve(form, level)
            assert (match.scb_code, match.method) == (place.code, "exact"), form


VARIANTS = [
    # (level, printed, code, method)
    ("kommun", "Upplands-Väsby", "0114", "exact"),
    ("kommun", "Upplands Bro", "0139", "exact"),
    ("kommun", "UPPLANDS  VÄSBY", "0114", "exact"),
    ("kommun", "Malung Sälen", "2023", "exact"),
    ("kommun", "Dals Ed", "1438", "exact"),
    ("kommun", "Ostersund", "2380", "folded"),
    ("kommun", "Upplands Vasby", "0114", "folded"),
    ("kommun", "Orebro", "1880", "folded"),
    ("kommun", "Falu kommun", "2080", "exact"),
    ("kommun", "Falun", "2080", "exact"),
    ("kommun", "Upplands Väsby kommun", "0114", "exact"),
    ("kommun", "Håbo kommun", "0305", "exact"),
    ("kommun", "Habo kommun", "0643", "exact"),
    ("kommun", "Stockholms stad", "0180", "exact"),
    ("kommun", "Göteborgs Stad", "1480", "exact"),
    ("kommun", "Göteborgs stad", "1480", "exact"),
    ("kommun", "Malmö stad", "1280", "exact"),
    ("kommun", "Solna stad", "0184", "exact"),
    ("kommun", "Sundbybergs stad", "0183", "exact"),
    ("kommun", "Västerås stad", "1980", "exact"),
    ("kommun", "Lidingö stad", "0186", "exact"),
    ("kommun", "Vaxholms stad", "0187", "exact"),
    ("kommun", "Landskrona stad", "1282", "exact"),
    ("kommun", "Helsingborgs stad", "1283", "exact"),
    ("kommun", "Trollhättans stad", "1488", "exact"),
    ("kommun", "Stockholms kommun", "0180", "known_form"),
    ("kommun", "Bergs kommun", "2326", "exact"),
    ("kommun", "Ostersunds kommun", "2380", "folded"),
    ("kommun", "Region Gotland", "0980", "exact"),
    ("kommun", "Gotlands kommun", "0980", "exact"),
    ("kommun", "Malung", "2023", "exact"),
    ("kommun", "“Mora”", "2062", "exact"),
    ("kommun", "Östersundd", "2380", "fuzzy"),
    ("region", "Region Jämtland Härjedalen", "23", "exact"),
    ("region", "Jämtland Härjedalen", "23", "exact"),
    ("region", "Västra Götalandsregionen", "14", "exact"),
    ("region", "Region Sörmland", "04", "exact"),
    ("region", "Region Jönköpings län", "06", "exact"),
    ("region", "Region Kalmar län", "08", "exact"),
    ("region", "Region Örebro län", "18", "exact"),
    ("region", "Region Gotland", "09", "exact"),
    ("region", "Stockholms läns landsting", "01", "exact"),
    ("region", "Landstinget i Uppsala län", "03", "exact"),
    ("region", "Landstinget Sörmland", "04", "exact"),
    ("region", "Jämtlands läns landsting", "23", "exact"),
    ("region", "Västerbottens läns landsting", "24", "exact"),
    ("region", "Jämtlands län", "23", "known_form"),
    ("region", "Jönköpings län", "06", "known_form"),
    ("region", "Landstinget i Dalarna", "20", "known_form"),
    ("region", "Region Ostergotland", "05", "folded"),
    ("lan", "Jämtlands län", "23", "exact"),
    ("lan", "Västra Götalands län", "14", "exact"),
    ("lan", "Stockholms län", "01", "exact"),
    ("lan", "Skåne län", "12", "exact"),
    ("lan", "Sörmland", "04", "exact"),
    ("lan", "Region Stockholm", "01", "known_form"),
    ("lan", "Skånes län", "12", "known_form"),
    ("lan", "Jamtlands lan", "23", "folded"),
]


@pytest.mark.parametrize(("level", "printed", "code", "method"), VARIANTS)
def test_real_world_variants(resolver, level, printed, code, method):
    match = resolver.resolve(printed, level)
    assert (match.scb_code, match.method) == (code, method)
    assert match.scb_name == official_name(level, code)


def page_table(name: str) -> list[list[str]]:
    """The data rows of every markdown table in a stored press release, as cell lists."""
    rows = []
    for line in (PAGES / name).read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] and not re.fullmatch(r"-+", cells[0]):
            rows.append(cells)
    return rows


def test_2023_press_release_names_regions_and_lan_in_code_order(resolver):
    rows = page_table("2023-12-tidiga-besked.md")
    region_rows, lan_rows = rows[1:23], rows[24:]
    assert region_rows[-1][0] == "Totalt" and lan_rows[0][0] != "Län"
    codes = sorted(reference_codes("region"))
    for level, table in (("region", region_rows[:-1]), ("lan", lan_rows)):
        assert len(table) == 21
        assert [resolver.resolve(r[0], level).scb_code for r in table] == codes
    assert resolver.resolve("Totalt", "region").scb_code is None


BOCKER_CODES = {
    "Blekinge län": "10", "Dalarnas län": "20", "Gotlands län": "09", "Gävleborgs län": "21",
    "Hallands län": "13", "Jämtlands län": "23", "Jönköpings län": "06", "Kalmar län": "08",
    "Kronobergs län": "07", "Norrbottens län": "25", "Skåne län": "12", "Stockholms län": "01",
    "Södermanlands län": "04", "Uppsala län": "03", "Värmlands län": "17",
    "Västerbottens län": "24", "Västernorrlands län": "22", "Västmanlands län": "19",
    "Västra Götalands län": "14", "Örebro län": "18", "Östergötlands län": "05",
}


def test_2025_press_release_lan_names(resolver):
    names = [r[0] for r in page_table("2025-04-bocker.md")]
    assert sorted(names) == sorted(BOCKER_CODES)
    for name in names:
        for level in ("lan", "region"):
            assert resolver.resolve(name, level).scb_code == BOCKER_CODES[name], (name, level)


def test_seed_names_resolve(resolver):
    jamtland = SEEDS.glob("003_*.txt")
    text = next(jamtland).read_text(encoding="utf-8")
    assert "Region Jämtland Härjedalen" in text and "Jämtlands län" in text
    assert resolver.resolve("Region Jämtland Härjedalen", "region").scb_code == "23"
    assert resolver.resolve("Jämtlands län", "lan").scb_code == "23"


# --- traps and non-names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "printed", "code"),
    [
        ("kommun", "Habo", "0643"), ("kommun", "Håbo", "0305"),
        ("kommun", "HABO", "0643"), ("kommun", "håbo", "0305"),
        ("kommun", "Upplands Väsby", "0114"), ("kommun", "Upplands-Bro", "0139"),
        ("kommun", "Mora", "2062"), ("kommun", "Orsa", "2034"),
        ("kommun", "Ale", "1440"), ("kommun", "Alingsås", "1489"),
        ("kommun", "Ale kommun", "1440"), ("kommun", "Alingsås kommun", "1489"),
        ("kommun", "Stockholm", "0180"), ("region", "Stockholm", "01"), ("lan", "Stockholm", "01"),
        ("kommun", "Gotland", "0980"), ("region", "Gotland", "09"),
        ("kommun", "Jönköping", "0680"), ("region", "Jönköping", "06"),
    ],
)
def test_traps(resolver, level, printed, code):
    assert resolver.resolve(printed, level).scb_code == code


def test_folding_never_merges_habo_and_habo(resolver):
    # "Häbo" folds to "habo", which both Habo and Håbo fold to: ambiguous, so unresolved.
    match = resolver.resolve("Häbo", "kommun")
    assert match.scb_code is None and match.method == "unresolved"
    assert {c.scb_code for c in match.candidates[:2]} == {"0643", "0305"}


@pytest.mark.parametrize(
    ("level", "printed"),
    [
        ("kommun", "Oslo"), ("kommun", "Riket"), ("kommun", "Totalt"), ("kommun", "Summa"),
        ("kommun", "SKR"), ("region", "Oslo"), ("region", "Riket"), ("region", "Totalt"),
        ("lan", "Summa"), ("region", "SKR"), ("kommun", "Upplands"), ("kommun", "Mira"),
        ("kommun", "Stockholms län"), ("kommun", "Region Stockholm"),
        ("region", "Stockholms stad"), ("region", "Gotlands kommun"), ("region", "Region"),
    ],
)
def test_non_names_stay_unresolved_with_candidates(resolver, level, printed):
    match = resolver.resolve(printed, level)
    assert match.scb_code is None and match.scb_name is None and match.method == "unresolved"
    assert 1 <= len(match.candidates) <= DEFAULT_CANDIDATES
    assert all(c.scb_code in reference_codes(level) for c in match.candidates)
    scores = [c.score for c in match.candidates]
    assert scores == sorted(scores, reverse=True) and match.score == scores[0]


DEFAULT_CANDIDATES = ResolverSettings().max_candidates


@pytest.mark.parametrize(
    ("printed", "between"),
    [
        ("Sola", {"0184", "1981"}),  # Solna or Sala, one letter from each
        ("Salna", {"0184", "1981"}),
        ("Male", {"1440", "2418"}),  # Ale or Malå
        ("Falen", {"2080", "0482"}),  # Falun or Flen
        ("Herby", {"1266", "0331"}),  # Hörby or Heby
        ("Trosås", {"0834", "0488"}),  # Torsås or Trosa
    ],
)
def test_typos_between_two_kommuner_stay_unresolved(resolver, printed, between):
    match = resolver.resolve(printed, "kommun")
    assert match.scb_code is None and match.method == "unresolved"
    assert {c.scb_code for c in match.candidates[:2]} == between


def test_empty_name_is_unresolved_without_candidates(resolver):
    match = resolver.resolve("", "kommun")
    assert (match.scb_code, match.method, match.candidates) == (None, "unresolved", ())
    assert resolver.resolve("   ", "region").scb_code is None


def test_to_dict_is_the_contract_object(resolver):
    fuzzy = resolver.resolve("Morra", "kommun")
    assert fuzzy.method == "fuzzy" and fuzzy.scb_code == "2062"
    data = fuzzy.to_dict()
    assert list(data) == ["input", "level", "scb_code", "scb_name", "method", "score",
                          "candidates"]
    assert data["input"] == "Morra" and data["scb_name"] == "Mora"
    assert isinstance(data["score"], float) and 0.0 <= data["score"] <= 100.0
    assert data["candidates"][0] == {"scb_code": "2062", "scb_name": "Mora",
                                     "score": data["score"]}
    assert resolver.resolve("Oslo", "kommun").to_dict()["scb_code"] is None


def test_printed_code_is_normalised(resolver):
    assert resolver.resolve("whatever", "region", code="1").scb_code == "01"
    assert resolver.resolve("whatever", "kommun", code="114").scb_code == "0114"
    assert resolver.resolve("Habo", "kommun", code=" 0643 ").method == "code"
    # not a code of the level: the name decides
    assert resolver.resolve("Habo", "kommun", code="0999").method == "exact"
    assert resolver.resolve("Uppsala", "region", code="0380").scb_code == "03"


def test_fuzzy_thresholds_come_from_settings():
    strict = Resolver(ResolverSettings(score_cutoff=95.0))
    assert strict.resolve("Morra", "kommun").scb_code is None
    with pytest.raises(SettingsError):
        ResolverSettings(score_cutoff=20.0)
    with pytest.raises(SettingsError):
        ResolverSettings(margin=-1.0)
    with pytest.raises(SettingsError):
        ResolverSettings(max_candidates=0)


# --- overrides ------------------------------------------------------------------------------


def test_overrides_are_applied_first(tmp_path):
    pins = tmp_path / "overrides.csv"
    pins.write_text("level,name,scb_code\nkommun,Väsby,114\nregion,SLL,1\nkommun,Habo,0305\n",
                    encoding="utf-8")
    pinned = Resolver(overrides=pins)
    assert pinned.resolve("Väsby", "kommun") == Match(
        "Väsby", "kommun", "0114", "Upplands Väsby", "override", 100.0
    )
    assert pinned.resolve("sll", "region").scb_code == "01"
    assert pinned.resolve("SLL", "kommun").scb_code is None  # pinned for region only
    assert pinned.resolve("Habo", "kommun").method == "override"
    assert Resolver().resolve("Väsby", "kommun").scb_code is None


@pytest.mark.parametrize(
    "content",
    [
        "level,name,scb_code\nkommun,Väsby,9999\n",
        "level,name,scb_code\ncounty,Väsby,0114\n",
        "level,name\nkommun,Väsby\n",
        "level,name,scb_code\nkommun,Väsby,0114\nkommun,väsby,0139\n",
    ],
)
def test_bad_overrides_say_how_to_fix(tmp_path, content):
    pins = tmp_path / "overrides.csv"
    pins.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match="overrides.csv"):
        Resolver(overrides=pins)
    with pytest.raises(SettingsError, match="no such overrides file"):
        Resolver(overrides=tmp_path / "missing.csv")


# --- code and name together -----------------------------------------------------------------


def test_code_matches_name():
    good = code_matches_name("kommun", "0643", "Habo")
    assert good.ok and good.belongs is True and good.code == "0643"
    bad = code_matches_name("kommun", "0643", "Håbo")
    assert bad.belongs is False and bad.name_match.scb_code == "0305"
    assert bad.message == (
        "Code 0643 is printed with the name Håbo, which is kommun 0305 Håbo; 0643 is Habo."
    )
    assert code_matches_name("region", "1", "Region Stockholm").ok
    assert code_matches_name("lan", "23", "Jämtlands län").ok
    assert code_matches_name("region", "23", "Region Jämtland Härjedalen").ok
    assert not code_matches_name("region", "22", "Region Jämtland Härjedalen").ok
    invalid = code_matches_name("kommun", "0999", "Habo")
    assert invalid.belongs is False and invalid.code is None
    unknown = code_matches_name("kommun", "0643", "Oslo")
    assert unknown.belongs is None and unknown.code == "0643" and not unknown.ok


# --- the allocation frame -------------------------------------------------------------------

MEASURES = {"region": "region.csv", "kommun": "kommun.csv", "lan": "lan.csv"}


def truth_frame(table: str, source: str = "bilaga.pdf", edit: dict | None = None) -> pl.DataFrame:
    """The long frame of one 2024 annex table as an extractor returns it, from the truth CSV."""
    rows = []
    for i, row in enumerate(truth_rows(MEASURES[table])):
        code = row.pop("kommun_code" if table == "kommun" else "lan_code")
        name = row.pop("name")
        code, name = (edit or {}).get(code, (code, name))
        for measure, amount in row.items():
            rows.append({
                "source_file": source, "source_format": "pdf", "page": 2 + i // 40,
                "table": table, "row_kind": "total" if name == "Riket" else "recipient",
                "row_index": i, "code": code, "name_raw": name, "measure": measure,
                "unit": "kr", "amount_sek": int(amount),
            })
    return allocations_frame(rows)


def test_every_2024_recipient_gets_its_truth_code(resolver):
    frame = pl.concat([truth_frame(t) for t in MEASURES])
    out, findings = names_to_codes(frame, resolver)
    assert findings == []
    assert out.height == frame.height
    assert out.select(frame.columns).equals(frame)
    recipients = out.filter(pl.col("row_kind") == "recipient")
    assert (recipients["scb_code"] == recipients["code"]).all()
    assert (recipients["scb_name"] == recipients["name_raw"]).all()
    assert set(recipients["match_method"]) == {"code"}
    assert recipients.filter(pl.col("table") == "kommun")["scb_code"].n_unique() == 290
    totals = out.filter(pl.col("row_kind") == "total")
    assert totals.height == 4 + 2 + 5
    assert totals["scb_code"].null_count() == totals.height


def test_names_alone_get_their_truth_codes(resolver):
    frame = pl.concat([truth_frame(t) for t in MEASURES]).with_columns(code=pl.lit(""))
    out, findings = names_to_codes(frame, resolver)
    assert findings == []
    recipients = out.filter(pl.col("row_kind") == "recipient")
    expected = pl.concat([truth_frame(t) for t in MEASURES]).filter(
        pl.col("row_kind") == "recipient"
    )["code"]
    assert recipients["scb_code"].to_list() == expected.to_list()
    assert set(recipients["match_method"]) == {"exact"}


def test_habo_defect_is_one_code_name_error(resolver):
    frame = truth_frame("kommun", edit={"0643": ("0643", "Håbo")})
    out, findings = names_to_codes(frame, resolver)
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.check, finding.severity, finding.table, finding.scb_code) == (
        "code_name", "error", "kommun", "0643"
    )
    assert finding.message == (
        "Code 0643 is printed with the name Håbo, which is kommun 0305 Håbo; 0643 is Habo."
    )
    habo_row = truth_rows("kommun.csv").index(
        next(r for r in truth_rows("kommun.csv") if r["kommun_code"] == "0643")
    )
    assert (finding.source_file, finding.row, finding.page) == (
        "bilaga.pdf", habo_row, 2 + habo_row // 40
    )
    # the printed code decides the row's code; Håbo's own row keeps 0305
    printed = out.filter(pl.col("row_index") == habo_row)
    assert set(printed["scb_code"]) == {"0643"} and set(printed["match_method"]) == {"code"}
    assert set(out.filter(pl.col("code") == "0305")["scb_code"]) == {"0305"}


def test_unresolved_and_override_findings(tmp_path):
    pins = tmp_path / "overrides.csv"
    pins.write_text("level,name,scb_code\nregion,SLL,01\n", encoding="utf-8")
    frame = truth_frame("region", edit={"01": ("", "SLL"), "03": ("", "Oslo"),
                                        "04": ("99", "Region Sörmland")})
    out, findings = names_to_codes(frame, Resolver(overrides=pins))
    by_check = {f.check: f for f in findings}
    assert sorted(f.check for f in findings) == ["code_name", "override_used", "unresolved_name"]
    assert by_check["override_used"].severity == "info"
    assert by_check["override_used"].scb_code == "01"
    assert by_check["unresolved_name"].severity == "error"
    assert "Oslo" in by_check["unresolved_name"].message
    assert by_check["code_name"].severity == "error" and "99" in by_check["code_name"].message
    codes = dict(out.filter(pl.col("row_kind") == "recipient")
                 .select("name_raw", "scb_code").unique().iter_rows())
    assert codes["SLL"] == "01" and codes["Oslo"] is None and codes["Region Sörmland"] == "04"


def test_same_defect_in_two_documents_is_two_findings(resolver):
    edit = {"0643": ("0643", "Håbo")}
    frame = pl.concat([truth_frame("kommun", "a.pdf", edit), truth_frame("kommun", "b.docx", edit)])
    _, findings = names_to_codes(frame, resolver)
    assert sorted(f.source_file for f in findings) == ["a.pdf", "b.docx"]


# --- properties -----------------------------------------------------------------------------

KOMMUNER = places("kommun")


@settings(max_examples=200, deadline=None)
@given(
    place=st.sampled_from(KOMMUNER),
    upper=st.booleans(),
    spaces=st.sampled_from([" ", "  ", "-", "\u00a0"]),
    suffix=st.sampled_from(["", " kommun"]),
)
def test_case_and_separator_variants_resolve_to_their_code(place, upper, spaces, suffix):
    printed = (place.name.upper() if upper else place.name).replace(" ", spaces) + suffix
    assert Resolver().resolve(printed, "kommun").scb_code == place.code


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30), level=st.sampled_from(LEVELS))
def test_any_text_gives_a_valid_code_or_none(text, level):
    match = Resolver().resolve(text, level)
    assert match.scb_code is None or match.scb_code in reference_codes(level)
    assert 0.0 <= match.score <= 100.0
    assert all(isinstance(c, Candidate) for c in match.candidates)
    if match.method == "fuzzy":
        assert match.score >= ResolverSettings().score_cutoff


def test_empty_frame_gets_the_new_columns(resolver):
    frame = truth_frame("region").clear()
    out, findings = names_to_codes(frame, resolver)
    assert out.height == 0 and findings == []
    assert out.columns == [*frame.columns, "scb_code", "scb_name", "match_method"]

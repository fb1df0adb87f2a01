"""A money amount in running text that no check evaluates keeps a case from passing, even when
everything else reconciles (issue 15: never green without evidence).

The 2020 SKR page reconciles on its own (1 694 = 820 + 300 + 574 Mkr; 1 716 = 1 694 + 22). A
second page states one more amount, 40 miljoner kronor for research, that no total, part or
table of the case speaks of: it is an `unchecked_amounts` error naming it, so the case is
incomplete. A per-recipient rate ("5 miljoner kronor per län") is no total and stays a note.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PAGE_2020 = next((ROOT / "fixtures" / "cases" / "2020-psykisk-halsa").glob("*.html"))


def run(tmp_path: Path, text: str | None):
    case = tmp_path / "case"
    case.mkdir()
    (case / PAGE_2020.name).write_text(PAGE_2020.read_text(encoding="utf-8"), encoding="utf-8")
    if text is not None:
        (case / "forskning.txt").write_text(text, encoding="utf-8")
    return reconcile_case(case, tmp_path / "out", Settings(workers=1, data_docs=False))


def test_the_2020_page_alone_passes(tmp_path):
    result = run(tmp_path, None)
    assert result.status == "pass"
    assert not [f for f in result.findings if f.check == "unchecked_amounts"]


def test_an_unplaced_prose_amount_beside_a_reconciled_page_is_not_green(tmp_path):
    result = run(tmp_path, "Forskning om psykisk hälsa\n\nRegeringen avsätter dessutom 40 "
                 "miljoner kronor till forskning om suicid. Varje län får 5 miljoner kronor "
                 "per län för samordning.\n")
    assert result.status == "incomplete"
    [unchecked] = [f for f in result.findings if f.check == "unchecked_amounts"]
    assert (unchecked.severity, unchecked.source_file, unchecked.observed) == (
        "error", "forskning.txt", 40_000_000)
    assert "40 miljoner kronor" in unchecked.message
    assert "5 miljoner" not in unchecked.message  # a rate: a note, not unchecked money

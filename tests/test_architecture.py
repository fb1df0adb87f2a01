"""The design's one-way dependencies, read from the import statements of every module.

pipeline/ uses extractors/ and expectations/; those two never import pipeline/ or each other;
model.py and errors.py, the types and exceptions all three share, import none of ours. A
violation names the module and the import, so the fix is obvious.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {"pipeline", "extractors", "expectations", "model", "errors", "fixtures", "bench", "tests"}
# What each part may import of ours (besides itself).
ALLOWED = {
    "model": set(),
    "errors": set(),
    "extractors": {"model", "errors"},
    "expectations": {"model", "errors"},
    "pipeline": {"model", "errors", "extractors", "expectations"},
}


def imported_tops(path: Path) -> set[str]:
    """The top-level names of every module a file imports, at any depth of the file."""
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            tops |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            tops.add(node.module.split(".")[0])
    return tops


def part_files(part: str) -> list[Path]:
    if part in ("model", "errors"):
        return [ROOT / f"{part}.py"]
    return sorted((ROOT / part).rglob("*.py"))


def test_every_part_imports_only_what_the_design_allows():
    wrong = []
    for part, allowed in ALLOWED.items():
        files = part_files(part)
        assert files, f"{part} has no module: the layout changed"
        for path in files:
            for top in sorted((imported_tops(path) & OURS) - allowed - {part}):
                wrong.append(f"{path.relative_to(ROOT)} imports {top}")
    assert wrong == []


def test_the_shared_types_live_in_the_model_module():
    # The types every part hands to another are defined once, in model.py; the other modules
    # only name them.
    import model
    from expectations import runner
    from extractors import base
    from pipeline import findings, orchestrate, verdict

    assert base.Problem is model.Problem
    assert findings.Finding is model.Finding
    assert runner.CheckSummary is model.CheckSummary
    assert verdict.Verdict is model.Verdict
    assert orchestrate.CaseResult is model.CaseResult

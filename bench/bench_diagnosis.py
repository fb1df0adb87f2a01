"""Benchmark of the diagnosis: the 2024 annex (780 printed amounts) with 3 independent errors,
against building its rules, and the localisation time of every fixture case.

Errors injected into the truth frame: region 05 Traumavård +10 000 kr, kommun 0180
Kunskapsbaserad +50 000 kr (its Totalt belopp kept), län 14 Brukarmedverkan 2 000 000 →
2 200 000 kr. Each is the only cheapest explanation of what it breaks, so the whole diagnosis
(localisation and the search for other explanations) runs. The target is under 1 s; the
baseline is building the edit system alone, timed in this run.

Per case: every folder of fixtures/cases and fixtures/defects is read once (not timed), then
``pipeline.diagnosis.diagnose`` on what was read is timed (median of the repeats), with the
number of causes it found and its share of the 1 s target.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl

from bench.bench_suites import _median_seconds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_expectations_support import KUNSKAP, truth_frame  # noqa: E402

DEFAULT_REPEATS = 5
DEFAULT_CASE_REPEATS = 3
TARGET_S = 1.0
ERRORS = (("region", "05", "Traumavård", 10_000), ("kommun", "0180", KUNSKAP, 50_000),
          ("lan", "14", "Brukarmedverkan", 200_000))
CASE_FOLDERS = (ROOT / "fixtures" / "cases", ROOT / "fixtures" / "defects")


def annex_with_errors() -> pl.DataFrame:
    frame = truth_frame()
    for table, code, measure, delta in ERRORS:
        hit = (pl.col("table") == table) & (pl.col("scb_code") == code) & (
            pl.col("measure") == measure)
        frame = frame.with_columns(pl.when(hit).then(pl.col("amount_sek") + delta)
                                   .otherwise(pl.col("amount_sek")).alias("amount_sek"))
    return frame


def case_times(repeats: int = DEFAULT_CASE_REPEATS) -> dict[str, float]:
    """Seconds of the diagnosis of each fixture case (its reading not counted)."""
    from pipeline.diagnosis import diagnose
    from pipeline.orchestrate import reconcile_case
    from pipeline.settings import Settings

    settings = Settings(data_docs=False, evidence_images=False)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for folder in sorted(p for root in CASE_FOLDERS for p in root.iterdir() if p.is_dir()):
            r = reconcile_case(folder, Path(tmp), settings)
            out[folder.name] = round(_median_seconds(lambda r=r: diagnose(
                r.frame, r.findings, settings.diagnosis, r.found_keys, r.attributes),
                repeats), 3)
    return out


def bench_diagnosis(repeats: int = DEFAULT_REPEATS) -> dict:
    """Median seconds of the diagnosis of the annex with 3 errors, against the 1 s target, and
    of every fixture case."""
    from pipeline import diagnosis_mip as mip
    from pipeline.diagnosis import numeric_causes
    from pipeline.edits import frame_to_system
    from pipeline.settings import DiagnosisSettings

    frame, settings = annex_with_errors(), DiagnosisSettings()
    causes = numeric_causes(frame, [], {}, settings)  # warm-up, and the causes reported
    system = frame_to_system(frame)
    model = mip.build_model(system, settings)
    edits_s = _median_seconds(lambda: frame_to_system(frame), repeats)
    localise_s = _median_seconds(lambda: mip.localise(model, settings), repeats)
    diagnose_s = _median_seconds(lambda: numeric_causes(frame, [], {}, settings), repeats)
    per_case = case_times()
    slowest = max(per_case, key=per_case.get) if per_case else None
    return {
        "amounts": frame.height,
        "edits": len(system.edits),
        "errors_injected": len(ERRORS),
        "causes": len(causes),
        "unique": sum(c["alternatives"] == 0 for c in causes),
        "edit_system_s": round(edits_s, 3),
        "localise_s": round(localise_s, 3),
        "diagnose_s": round(diagnose_s, 3),
        "target_s": TARGET_S,
        "of_target": round(diagnose_s / TARGET_S, 2),
        "slowest_case": slowest,
        "slowest_case_s": per_case.get(slowest) if slowest else None,
        "per_case_s": per_case,
    }


if __name__ == "__main__":
    result = bench_diagnosis()
    for name, seconds in result.pop("per_case_s").items():
        print(f"{name:45} {seconds:6.3f} s")
    print(result)

"""expectations/runner.py validates each suite with GX's own V1 validator on the batch
definition, as GX's ValidationDefinition.run does, instead of ``get_batch(...).validate(...)``,
whose validator asked the definition for the batch a second time (the frame copied and
fingerprinted twice). The two routes must give the same validation results.

Checked on the 2024 annex with a defect: every suite validated both ways, the results compared
as GX writes them out, leaving out only the load time and the run's time stamp.
"""

from __future__ import annotations

from test_expectations_support import KUNSKAP, amount, reference_codes, set_amount, truth_frame

from expectations.runner import INDEX_COLUMNS, check_frames, new_context, to_pandas, validate
from expectations.settings import SuiteSettings
from expectations.suites import SUITES, expectation_suite


def through_batch(context, suite, checks, cells=None):
    """The route before: a batch from the definition, then the batch's own validate."""
    rows = checks.to_dicts() if suite.per_row or suite.per_group else []
    data = cells if (suite.per_row or suite.per_group) and cells is not None else checks
    index = [c for c in INDEX_COLUMNS if c in data.columns]
    definition = context.data_sources.get("frames").get_asset("frame").get_batch_definition(
        "whole frame")
    batch = definition.get_batch(batch_parameters={"dataframe": to_pandas(data)})
    return batch.validate(
        expectation_suite(suite, rows),
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index})


def comparable(result) -> dict:
    """A result as GX writes it, without what differs between any two runs."""
    out = result.to_json_dict()
    out["meta"].pop("validation_time", None)
    out["meta"].pop("run_id", None)
    out["meta"]["batch_markers"].pop("ge_load_time")
    for outcome in out["results"]:
        outcome["expectation_config"].pop("id", None)
    return out


def test_one_batch_gives_the_results_two_gave() -> None:
    # Upplands Väsby's (0114) kommun amount 1 000 kr over: its row's cross-footing, its
    # column's footing and its row of the key the kommun columns share fail, so failures
    # (unexpected rows, their index columns) are compared as well as passes.
    frame = set_amount(truth_frame(), "kommun", "0114", KUNSKAP,
                       amount("kommun", "0114", KUNSKAP) + 1000)
    frames, *_ = check_frames(frame, reference_codes(), SuiteSettings())
    context = new_context()
    failed = set()
    for suite in SUITES:
        cells = frames.get(f"{suite.name}_cells")
        ours = validate(context, suite, frames[suite.name], cells)
        theirs = through_batch(context, suite, frames[suite.name], cells)
        assert comparable(ours) == comparable(theirs), suite.name
        assert ours.meta["batch_markers"]["pandas_data_fingerprint"]  # the batch was made
        failed |= {suite.name for r in ours.results if not r.success}
    assert failed == {"cross_footing", "footing", "allocation_key"}

"""Every settings class checks its ranges through errors.check_settings, so a bad value is
refused before any work with one message of one form: the field, what it may be, what it got."""

from __future__ import annotations

import pytest

from errors import SettingsError
from pipeline.cascade import ResolverSettings


@pytest.mark.parametrize(("kwargs", "message"), [
    # The fuzzy cutoff is a rapidfuzz score (0-100); below 50 almost any name would match.
    ({"score_cutoff": 49.5}, "score_cutoff must be between 50 and 100, got 49.5"),
    ({"score_cutoff": 101}, "score_cutoff must be between 50 and 100, got 101"),
    ({"margin": 50}, "margin must be a number at least 0 and below 50, got 50"),
    ({"margin": -1}, "margin must be a number at least 0 and below 50, got -1"),
    ({"max_candidates": 0}, "max_candidates must be a number at least 1, got 0"),
    # A bool is no count, although Python calls it an int.
    ({"max_candidates": True}, "max_candidates must be a number at least 1, got True"),
    ({"margin": "8"}, "margin must be a number at least 0 and below 50, got '8'"),
    # A cross-field rule stays beside the bounds.
    ({"max_candidates": 5, "fuzzy_pool": 4},
     "fuzzy_pool must be at least max_candidates (5), got 4"),
])
def test_a_setting_out_of_its_range_is_refused_with_its_name_and_range(kwargs, message):
    with pytest.raises(SettingsError) as caught:
        ResolverSettings(**kwargs)
    assert str(caught.value) == message


def test_the_edges_of_a_range_are_admitted():
    # at_least/at_most are inclusive; the defaults lie inside.
    assert ResolverSettings(score_cutoff=50, margin=0, max_candidates=1, fuzzy_pool=1)
    assert ResolverSettings(score_cutoff=100.0, margin=49.9)
    assert ResolverSettings() == ResolverSettings(85.0, 8.0, 3, 15)

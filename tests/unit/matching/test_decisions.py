"""Decision bands from thresholds (pure)."""

from __future__ import annotations

import pytest

from matching.decisions import Thresholds, decide, default_thresholds


def test_bands() -> None:
    t = Thresholds(auto=0.9, review=0.4)
    assert decide(0.95, t) == "auto"
    assert decide(0.9, t) == "auto"
    assert decide(0.899, t) == "review"
    assert decide(0.4, t) == "review"
    assert decide(0.39, t) == "none"
    assert decide(None, t) == "none"


def test_thresholds_are_ordered() -> None:
    with pytest.raises(ValueError):
        Thresholds(auto=0.5, review=0.6)
    with pytest.raises(ValueError):
        Thresholds(auto=1.2, review=0.1)
    Thresholds(auto=0.5, review=0.5)


def test_defaults_come_from_the_calibration() -> None:
    from matching.calibration import load_calibration

    t = default_thresholds()
    calibration = load_calibration()
    assert (t.auto, t.review) == (calibration.auto_threshold, calibration.review_threshold)
    assert t.auto >= 0.9

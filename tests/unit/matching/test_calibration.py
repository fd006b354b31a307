"""The confidence model: fitting, prediction, the stored calibration, reliability and
threshold choice (pure)."""

from __future__ import annotations

import json
import math
import random

import pytest

from matching.calibration import (
    CALIBRATION_FILE,
    Calibration,
    GameModel,
    choose_thresholds,
    fit_logistic,
    load_calibration,
    reliability_table,
)
from matching.scoring import FEATURES


def test_fit_recovers_a_known_model() -> None:
    rng = random.Random(7)
    true_w, true_b = {"a": 3.0, "b": -2.0}, -0.5
    rows = []
    for _ in range(6000):
        x = {"a": rng.random(), "b": float(rng.random() < 0.5)}
        p = 1 / (1 + math.exp(-(true_b + sum(true_w[k] * v for k, v in x.items()))))
        rows.append((x, int(rng.random() < p)))
    weights, bias = fit_logistic(rows, names=("a", "b"), l2=0.01)
    assert weights["a"] == pytest.approx(3.0, abs=0.4)
    assert weights["b"] == pytest.approx(-2.0, abs=0.3)
    assert bias == pytest.approx(-0.5, abs=0.3)


def test_l2_keeps_separable_data_finite() -> None:
    rows = [({"a": 1.0}, 1)] * 50 + [({"a": 0.0}, 0)] * 50
    weights, bias = fit_logistic(rows, names=("a",), l2=1.0)
    assert 0 < weights["a"] < 50 and math.isfinite(bias)


def test_predict_and_json_round_trip(tmp_path) -> None:
    calibration = Calibration({"name": 2.0, "set_miss": -5.0}, -1.0, 0.95, 0.3, {"k": "v"})
    assert calibration.predict({"name": 1.0}) == pytest.approx(1 / (1 + math.exp(-1)))
    assert calibration.predict({"name": 1.0, "set_miss": 1.0}) < 0.02
    path = tmp_path / "c.json"
    calibration.save(path)
    loaded = Calibration.from_json(json.loads(path.read_text()))
    assert loaded.predict({"name": 0.5}) == pytest.approx(calibration.predict({"name": 0.5}))
    assert (loaded.auto_threshold, loaded.review_threshold) == (0.95, 0.3)


def test_the_shipped_calibration_is_complete() -> None:
    doc = json.loads(CALIBRATION_FILE.read_text())
    assert doc["features"] == list(FEATURES)
    assert set(doc["weights"]) == set(FEATURES)
    assert 0 < doc["thresholds"]["review"] <= doc["thresholds"]["auto"] < 1
    assert doc["meta"]["command"].startswith(".venv/bin/python -m bench.match.evaluate")
    calibration = load_calibration()
    perfect = dict.fromkeys(FEATURES, 0.0) | {
        "name": 1.0,
        "name_exact": 1.0,
        "set_match": 1.0,
        "number_match": 1.0,
        "margin": 1.0,
    }
    assert calibration.predict(perfect) > calibration.auto_threshold
    wrong_set = perfect | {
        "set_match": 0.0,
        "set_miss": 1.0,
        "number_match": 0.0,
        "number_miss": 1.0,
    }
    assert calibration.predict(wrong_set) < calibration.review_threshold


def test_reliability_table_bins() -> None:
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.1, False)] * 4 + [(1.0, True)]
    table = {row["bin"]: row for row in reliability_table(pairs, edges=(0, 0.5, 0.9, 1.0))}
    assert table["[0.00, 0.50)"]["rows"] == 4 and table["[0.00, 0.50)"]["accuracy"] == 0
    assert table["[0.90, 1.00]"]["rows"] == 11
    assert table["[0.90, 1.00]"]["accuracy"] == pytest.approx(10 / 11)
    assert table["[0.50, 0.90)"]["rows"] == 0


def test_choose_thresholds() -> None:
    pairs = (
        [(0.99, True)] * 500
        + [(0.97, True)] * 300
        + [(0.97, False)] * 1
        + [(0.93, True)] * 50
        + [(0.93, False)] * 20
        + [(0.2, False)] * 100
    )
    auto, review = choose_thresholds(pairs, auto_precision=0.997, review=0.4)
    assert auto == 0.97  # 800 of 801 right at >= 0.97; at 0.93 precision drops to 0.976
    assert review == 0.4
    # sparse data must not pull the threshold under the floor
    assert choose_thresholds([(0.6, True)] * 10, floor=0.9)[0] == 0.9
    # review never above auto
    assert choose_thresholds([(0.95, True)] * 10, review=0.99, floor=0.9) == (0.95, 0.95)


def test_each_game_has_its_model_and_others_use_the_pooled_one(tmp_path) -> None:
    pooled = Calibration({"name": 2.0}, -1.0)
    pooled.games["YUGIOH"] = GameModel({"name": 2.0, "rarity_match": 3.0}, -1.0)
    x = {"name": 1.0, "rarity_match": 1.0}
    assert pooled.predict(x, game="YUGIOH") == pytest.approx(1 / (1 + math.exp(-4)))
    assert pooled.predict(x, game="MTG") == pytest.approx(1 / (1 + math.exp(-1)))
    assert pooled.predict(x) == pooled.predict(x, game="MTG")
    path = tmp_path / "c.json"
    pooled.save(path)
    loaded = Calibration.from_json(json.loads(path.read_text()))
    assert loaded.predict(x, game="YUGIOH") == pytest.approx(pooled.predict(x, game="YUGIOH"))


def test_a_prior_pulls_a_small_fit_towards_it() -> None:
    rows = [({"a": 1.0}, 1)] * 3 + [({"a": 0.0}, 0)] * 3
    alone, _ = fit_logistic(rows, names=("a",), l2=5.0)
    pulled, _ = fit_logistic(rows, names=("a",), l2=5.0, prior=({"a": 8.0}, -4.0))
    assert alone["a"] < pulled["a"]
    assert abs(pulled["a"] - 8.0) < abs(alone["a"] - 8.0)


def test_the_shipped_calibration_has_a_model_per_game() -> None:
    calibration = load_calibration()
    assert set(calibration.games) == {"MTG", "POKEMON", "YUGIOH", "OPTCG"}
    unique = dict.fromkeys(FEATURES, 0.0) | {
        "name": 1.0,
        "name_exact": 1.0,
        "set_match": 1.0,
        "number_missing": 1.0,
        "rarity_match": 1.0,
        "margin": 0.25,
    }
    # a unique name + set + rarity (the next print of the name is another rarity) is accepted
    for game in ("YUGIOH", "POKEMON"):
        assert calibration.predict(unique, game=game) >= calibration.auto_threshold

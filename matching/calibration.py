"""The confidence model: logistic regression over `scoring.FEATURES`, fitted on labelled real
rows, stored as data in `matching/calibration.json` (with the decision thresholds).

    confidence = 1 / (1 + exp(-(bias[game] + sum(weight[game][f] * x[f]))))

One pooled model over every game, and one model per game fitted with its L2 penalty pulling
towards the pooled weights (a game with little data stays near the pooled model; a game with
much data gets its own: a unique Yu-Gi-Oh! name + set + rarity is as sure as a Magic name +
set + number). The thresholds are shared: each game's confidence means the same chance of
being right.

Fitting (`fit_logistic`) is plain Newton-Raphson with an L2 penalty on identical feature rows
grouped together, so it needs nothing beyond the standard library. `bench/match/evaluate.py
--fit` refits the file from the gold rows (see docs/matching.md); `reliability_table` and
`choose_thresholds` are the measurements the docs report.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from matching.scoring import FEATURES

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")

#: Used when no calibration file exists (hand-set, conservative).
DEFAULT_WEIGHTS: dict[str, float] = {
    "name": 4.0,
    "name_exact": 1.5,
    "name_missing": -2.0,
    "set_match": 2.0,
    "set_fuzzy": 1.0,
    "set_miss": -5.0,
    "set_missing": -2.0,
    "number_match": 2.0,
    "number_partial": -1.0,
    "number_miss": -3.0,
    "number_missing": -0.5,
    "total_miss": -2.0,
    "language_miss": -3.0,
    "language_unavailable": -0.5,
    "finish_miss": -1.0,
    "rarity_miss": -2.0,
    "rarity_match": 0.5,
    "variant_miss": -1.0,
    "margin": 3.0,
    "tie": -3.0,
    "title": -1.0,
}
DEFAULT_BIAS = -6.0
DEFAULT_AUTO = 0.9
DEFAULT_REVIEW = 0.4


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


@dataclass
class GameModel:
    """One game's weights and bias (and what they were fitted on)."""

    weights: dict[str, float]
    bias: float
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "bias": round(self.bias, 6),
            "weights": {k: round(self.weights.get(k, 0.0), 6) for k in FEATURES},
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> GameModel:
        return cls(
            weights={k: float(v) for k, v in doc.get("weights", {}).items()},
            bias=float(doc.get("bias", 0.0)),
            meta=dict(doc.get("meta", {})),
        )


@dataclass
class Calibration:
    """The pooled model (`weights`, `bias`), the per-game models, and the thresholds."""

    weights: dict[str, float]
    bias: float
    auto_threshold: float = DEFAULT_AUTO
    review_threshold: float = DEFAULT_REVIEW
    meta: dict[str, Any] = field(default_factory=dict)
    games: dict[str, GameModel] = field(default_factory=dict)

    def predict(self, x: dict[str, float], *, game: str | None = None) -> float:
        """The confidence of features `x` under `game`'s model (the pooled one when the game
        has none)."""
        model = self.games.get(game) if game else None
        weights, z = (model.weights, model.bias) if model else (self.weights, self.bias)
        for name, value in x.items():
            if value:
                z += weights.get(name, 0.0) * value
        return _sigmoid(z)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": "logistic",
            "features": list(FEATURES),
            "bias": round(self.bias, 6),
            "weights": {k: round(self.weights.get(k, 0.0), 6) for k in FEATURES},
            "games": {game: model.to_json() for game, model in sorted(self.games.items())},
            "thresholds": {
                "auto": round(self.auto_threshold, 4),
                "review": round(self.review_threshold, 4),
            },
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Calibration:
        thresholds = doc.get("thresholds", {})
        return cls(
            weights={k: float(v) for k, v in doc.get("weights", {}).items()},
            bias=float(doc.get("bias", 0.0)),
            auto_threshold=float(thresholds.get("auto", DEFAULT_AUTO)),
            review_threshold=float(thresholds.get("review", DEFAULT_REVIEW)),
            meta=dict(doc.get("meta", {})),
            games={g: GameModel.from_json(m) for g, m in doc.get("games", {}).items()},
        )

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2, sort_keys=False) + "\n")


def default_calibration() -> Calibration:
    return Calibration(dict(DEFAULT_WEIGHTS), DEFAULT_BIAS, meta={"source": "hand-set defaults"})


@lru_cache(maxsize=4)
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    if not path.exists():
        return default_calibration()
    return Calibration.from_json(json.loads(path.read_text()))


# -- fitting ---------------------------------------------------------------------------------


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (small dense systems)."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col and a[r][col]:
                factor = a[r][col] / a[col][col]
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    return [a[i][n] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit_logistic(
    rows: Iterable[tuple[dict[str, float], int]],
    *,
    names: Sequence[str] = FEATURES,
    l2: float = 1.0,
    iterations: int = 25,
    prior: tuple[dict[str, float], float] | None = None,
) -> tuple[dict[str, float], float]:
    """Maximum a-posteriori logistic regression: L2 on the weights (not the bias), towards 0
    or towards `prior` (weights, bias: the fit starts there and the penalty pulls there)."""
    grouped: dict[tuple[float, ...], list[int]] = {}
    for x, label in rows:
        key = tuple(round(float(x.get(n, 0.0)), 3) for n in names)
        counts = grouped.setdefault(key, [0, 0])
        counts[1 if label else 0] += 1
    data = [([*k, 1.0], c[0], c[1]) for k, c in grouped.items()]
    d = len(names) + 1
    center = [*(prior[0].get(n, 0.0) for n in names), 0.0] if prior else [0.0] * d
    beta = [*center[:-1], prior[1]] if prior else [0.0] * d
    for _ in range(iterations):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for features, negatives, positives in data:
            p = _sigmoid(sum(b * v for b, v in zip(beta, features, strict=True)))
            total = negatives + positives
            residual = positives - total * p
            weight = total * p * (1 - p)
            for i, xi in enumerate(features):
                if not xi:
                    continue
                grad[i] += residual * xi
                row = hess[i]
                for j, xj in enumerate(features):
                    if xj:
                        row[j] += weight * xi * xj
        for i in range(d - 1):
            grad[i] -= l2 * (beta[i] - center[i])
            hess[i][i] += l2
        hess[d - 1][d - 1] += 1e-6
        step = _solve(hess, grad)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return dict(zip(names, beta[:-1], strict=True)), beta[-1]


# -- measuring -------------------------------------------------------------------------------


def reliability_table(
    pairs: Sequence[tuple[float, bool]],
    edges: Sequence[float] = (0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0),
) -> list[dict[str, Any]]:
    """Confidence bins vs observed accuracy: rows, mean confidence, share correct."""
    table = []
    for low, high in itertools.pairwise(edges):
        last = high >= 1.0
        inside = [(p, ok) for p, ok in pairs if low <= p < high or (last and p == high)]
        if not inside:
            table.append({"bin": f"[{low:.2f}, {high:.2f}{']' if last else ')'}", "rows": 0})
            continue
        table.append(
            {
                "bin": f"[{low:.2f}, {high:.2f}{']' if last else ')'}",
                "rows": len(inside),
                "mean_confidence": sum(p for p, _ in inside) / len(inside),
                "accuracy": sum(1 for _, ok in inside if ok) / len(inside),
            }
        )
    return table


def choose_thresholds(
    pairs: Sequence[tuple[float, bool]],
    *,
    auto_precision: float = 0.997,
    review: float = DEFAULT_REVIEW,
    min_auto: float = 0.5,
    floor: float = DEFAULT_AUTO,
) -> tuple[float, float]:
    """The lowest auto threshold whose accepted rows (confidence >= it) are at least
    `auto_precision` right, never below `floor` (a calibrated 0.9: sparse data in the middle
    bins must not pull the threshold down); the review threshold is a calibrated probability
    (`review`)."""
    ordered = sorted(pairs, key=lambda pair: -pair[0])
    auto = 1.0
    right = 0
    for count, (p, ok) in enumerate(ordered, start=1):
        right += ok
        if p < min_auto:
            break
        nxt = ordered[count][0] if count < len(ordered) else -1.0
        if nxt == p:
            continue  # a threshold takes every row of equal confidence
        if right / count >= auto_precision:
            auto = p
    auto = max(auto, floor)
    return auto, min(review, auto)

"""Fit the confidence model and measure the matcher on the gold rows of every game.

    .venv/bin/python -m bench.match.evaluate            # measure with matching/calibration.json
    .venv/bin/python -m bench.match.evaluate --fit      # refit it first (train half), then measure
    .venv/bin/python -m bench.match.evaluate --game POKEMON --wrong

The gold rows (`matching/gold/`: real files read in place, hand-written labels) are split
50/50 by a hash of source and line: the models and the auto threshold are fitted on `train`,
the `test` table comes from rows the fit never saw. Matching is blind (ids removed). Prints
Markdown tables (docs/matching.md holds a copy).
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.catalog import DEFAULT_URL, ensure_catalog
from bench.match import data
from matching.calibration import (
    CALIBRATION_FILE,
    DEFAULT_REVIEW,
    DEFAULT_WEIGHTS,
    Calibration,
    GameModel,
    choose_thresholds,
    fit_logistic,
    load_calibration,
    reliability_table,
)
from matching.decisions import Thresholds
from matching.formats import read_inventory
from matching.gold.report import evaluate_gold, report_markdown, training_rows
from matching.gold.rows import GoldRow
from matching.gold.sets import NOT_IN_THIS_CATALOG, gold_rows
from matching.index_build import build_index
from matching.scoring import FEATURES
from matching.service import Matcher
from models.db import make_engine
from models.games import GAME_CODES

L2_POOLED = 1.0
#: Pull of each game's model towards the pooled one (a game with few rows stays near it).
L2_GAME = 5.0
#: Games with fewer training rows than this do not move the auto threshold.
MIN_THRESHOLD_ROWS = 500
AUTO_PRECISION = 0.997


def reliability_markdown(pairs) -> str:
    lines = [
        "| confidence | rows | mean confidence | observed accuracy |",
        "|---|---:|---:|---:|",
    ]
    for row in reliability_table(pairs):
        if not row["rows"]:
            lines.append(f"| {row['bin']} | 0 | - | - |")
            continue
        lines.append(
            f"| {row['bin']} | {row['rows']:,} | {row['mean_confidence']:.3f} "
            f"| {row['accuracy']:.3f} |"
        )
    return "\n".join(lines)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def fit(matcher: Matcher, train: list[GoldRow]) -> Calibration:
    """A pooled model over every game, one model per game pulled towards it, and one shared
    auto threshold: the lowest confidence whose accepted train rows (every game) are >= 99.7%
    right. A game whose own such threshold is higher (its confident rows are wrong more often)
    gets its bias lowered by the difference in log-odds, so the shared threshold accepts its
    rows exactly where its own would."""
    rows = training_rows(matcher, train)
    pooled = [(x, y) for _, x, y in rows]
    weights, bias = fit_logistic(pooled, l2=L2_POOLED)
    seen = collections.Counter(name for x, _ in pooled for name, value in x.items() if value)
    unfitted = [name for name in FEATURES if seen[name] == 0]
    for name in unfitted:
        weights[name] = DEFAULT_WEIGHTS[name]
    calibration = Calibration(weights, bias)
    by_game = {game: [(x, y) for g, x, y in rows if g == game] for game in GAME_CODES}
    for game, game_rows in by_game.items():
        if game_rows:
            game_weights, game_bias = fit_logistic(game_rows, l2=L2_GAME, prior=(weights, bias))
            meta = {"training_rows": len(game_rows), "positives": sum(y for _, y in game_rows)}
            calibration.games[game] = GameModel(game_weights, game_bias, meta)

    def auto_threshold(game_rows_by_game) -> float:
        pairs = [
            (calibration.predict(x, game=game), bool(y))
            for game, game_rows in game_rows_by_game.items()
            for x, y in game_rows
        ]
        return choose_thresholds(pairs, auto_precision=AUTO_PRECISION, review=DEFAULT_REVIEW)[0]

    shared = auto_threshold(by_game)
    for game, model in calibration.games.items():
        alone = auto_threshold({game: by_game[game]})
        model.meta["auto_threshold_alone"] = round(alone, 4)
        if alone > shared and len(by_game[game]) >= MIN_THRESHOLD_ROWS:
            shift = _logit(shared) - _logit(alone)
            model.bias += shift
            model.meta["bias_shift_to_shared_threshold"] = round(shift, 4)
    calibration.auto_threshold = shared
    calibration.review_threshold = min(DEFAULT_REVIEW, shared)
    calibration.meta = {
        "fitted_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "command": ".venv/bin/python -m bench.match.evaluate --fit",
        "training_rows": len(rows),
        "positives": sum(y for _, _, y in rows),
        "l2_pooled": L2_POOLED,
        "l2_game_towards_pooled": L2_GAME,
        "auto_threshold_rule": (
            "the lowest confidence whose accepted train rows of every game are >= 99.7% right "
            "(at least 0.9); a game (>= "
            f"{MIN_THRESHOLD_ROWS} rows) whose own such threshold is higher has its bias "
            "lowered by the log-odds difference"
        ),
        "review_threshold_rule": f"calibrated probability {DEFAULT_REVIEW}",
        "hand_set_features": unfitted,
        "data": "train half of the gold rows of matching/gold/ (ids removed)",
    }
    return calibration


def decision_distribution(matcher: Matcher, thresholds: Thresholds) -> str:
    lines = [
        "| export | format | rows | auto | review | none | error |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for path in data.paths(data.ALL):
        inventory = read_inventory(path)
        counts = collections.Counter()
        for row in inventory:
            result = matcher.match(row.listing, thresholds=thresholds, error=row.error)
            counts[result.decision] += 1
        total = sum(counts.values())
        lines.append(
            f"| {path.relative_to(data.exports_dir())} | {inventory.detected_format} | {total:,} | "
            + " | ".join(f"{counts[k]:,}" for k in ("auto", "review", "none", "error"))
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--fit", action="store_true", help="refit matching/calibration.json")
    parser.add_argument("--game", action="append", choices=GAME_CODES, help="only these games")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument("--wrong", action="store_true", help="list wrong auto-accepts")
    parser.add_argument(
        "--distribution", action="store_true", help="also the decisions on every real export"
    )
    args = parser.parse_args()

    ensure_catalog(args.database_url, verbose=False)
    engine = make_engine(args.database_url)
    started = time.perf_counter()
    index = build_index(engine)
    print(f"index: {index.stats()} in {time.perf_counter() - started:.1f}s\n")
    started = time.perf_counter()
    rows = gold_rows(index, games=args.game or GAME_CODES)
    print(f"gold rows: {len(rows):,} in {time.perf_counter() - started:.1f}s\n")
    missing = [r for r in rows if r.note.startswith(NOT_IN_THIS_CATALOG)]
    for row in missing:  # a typo in a hand-written label shows here
        print(f"warning: {row.source}:{row.line}: {row.note}")
    train = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]

    if args.fit:
        load_calibration.cache_clear()
        calibration = fit(Matcher(index, load_calibration(), cache_size=0), train)
        calibration.save(CALIBRATION_FILE)
        load_calibration.cache_clear()
        print(f"fitted {CALIBRATION_FILE} on {calibration.meta['training_rows']:,} rows\n")
    calibration = load_calibration()
    thresholds = Thresholds(calibration.auto_threshold, calibration.review_threshold)
    print(f"thresholds: auto >= {thresholds.auto:.4f}, review >= {thresholds.review:.4f}\n")

    matcher = Matcher(index, calibration)
    started = time.perf_counter()
    reports = {"test half": evaluate_gold(matcher, test, thresholds)}
    reports["all rows"] = evaluate_gold(matcher, rows, thresholds)
    seconds = time.perf_counter() - started
    print(f"matched {len(test) + len(rows):,} rows in {seconds:.1f}s\n")
    for label, report in reports.items():
        print(f"#### Gold rows, {label}, blind (ids removed)\n")
        print(report_markdown(report))
        print()
    print("#### Reliability (test half, best candidate of each row)\n")
    print(reliability_markdown(reports["test half"].pairs))
    print()
    if args.distribution:
        print("#### Decisions on every real export (no labels needed)\n")
        print(decision_distribution(matcher, thresholds))
    if args.wrong:
        print("\nwrong auto-accepts (all rows):")
        for wrong in reports["all rows"].wrong():
            print(f"  {json.dumps(wrong, ensure_ascii=False)}")
    if args.json:
        args.json.write_text(
            json.dumps({label: r.summary() for label, r in reports.items()}, indent=2)
        )


if __name__ == "__main__":
    main()

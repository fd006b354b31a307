"""Fit the confidence model and measure the matcher on the real labelled exports.

    .venv/bin/python -m bench.match.evaluate            # measure with matching/calibration.json
    .venv/bin/python -m bench.match.evaluate --fit      # refit it first (train half), then measure

Labelled rows (Scryfall / TCGplayer ids, Yu-Gi-Oh! passcodes) are split 50/50 by a hash of
file and line: the model and the auto threshold are fitted on `train`, every number reported
for `test` comes from rows the fit never saw. Matching is blind (ids removed). Prints Markdown
tables (docs/matching.md and docs/benchmarks.md hold a copy).
"""

from __future__ import annotations

import argparse
import collections
import json
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
    choose_thresholds,
    fit_logistic,
    load_calibration,
    reliability_table,
)
from matching.decisions import Thresholds
from matching.evaluation import (
    Report,
    evaluate,
    evaluate_shapes,
    iter_labelled,
    training_rows,
)
from matching.formats import read_inventory
from matching.index import build_index
from matching.scoring import FEATURES
from matching.service import Matcher
from models.db import make_engine


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def report_table(title: str, reports: dict[str, Report]) -> str:
    lines = [
        f"#### {title}",
        "",
        "| rows | in catalog | not in catalog | auto (right / rows) | auto precision | auto recall "
        "| review (right / rows) | none (right / rows) | in-catalog name+set auto rate "
        "| not-in-catalog auto rate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in reports.items():
        b = r.bands
        lines.append(
            f"| {name} | {r.in_catalog:,} | {r.not_in_catalog:,} "
            f"| {b['auto'].right:,} / {b['auto'].rows:,} | {_pct(r.auto_precision)} "
            f"| {_pct(r.auto_recall)} | {b['review'].right:,} / {b['review'].rows:,} "
            f"| {b['none'].right:,} / {b['none'].rows:,} | {_pct(r.name_set_auto_rate)} "
            f"| {_pct(r.not_in_catalog_auto_rate)} |"
        )
    return "\n".join(lines)


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


def fit(matcher: Matcher, train_rows) -> Calibration:
    rows = training_rows(matcher, train_rows)
    weights, bias = fit_logistic(rows, l2=1.0)
    seen = collections.Counter()
    for x, _ in rows:
        for name, value in x.items():
            if value:
                seen[name] += 1
    unfitted = [name for name in FEATURES if seen[name] == 0]
    for name in unfitted:
        weights[name] = DEFAULT_WEIGHTS[name]
    calibration = Calibration(weights, bias)
    pairs = [(calibration.predict(x), bool(y)) for x, y in rows]
    auto, review = choose_thresholds(pairs, auto_precision=0.997, review=DEFAULT_REVIEW)
    calibration.auto_threshold = auto
    calibration.review_threshold = review
    calibration.meta = {
        "fitted_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "command": ".venv/bin/python -m bench.match.evaluate --fit",
        "training_rows": len(rows),
        "positives": sum(y for _, y in rows),
        "l2": 1.0,
        "auto_threshold_rule": (
            "lowest confidence whose accepted train rows are >= 99.7% right, at least 0.9"
        ),
        "review_threshold_rule": f"calibrated probability {DEFAULT_REVIEW}",
        "hand_set_features": unfitted,
        "data": "train half of the labelled real exports in bench/match/data.py (ids removed)",
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
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument("--wrong", action="store_true", help="list wrong auto-accepts")
    args = parser.parse_args()

    ensure_catalog(args.database_url, verbose=False)
    engine = make_engine(args.database_url)
    started = time.perf_counter()
    index = build_index(engine)
    print(f"index: {index.stats()} in {time.perf_counter() - started:.1f}s\n")
    mtg = list(iter_labelled(data.paths(data.LABELLED), index))
    ygo = list(iter_labelled(data.paths(data.LABELLED_YUGIOH), index))
    labelled = mtg + ygo
    train = [r for r in labelled if r.split == "train"]
    test = [r for r in labelled if r.split == "test"]

    if args.fit:
        load_calibration.cache_clear()
        calibration = fit(Matcher(index), train)
        calibration.save(CALIBRATION_FILE)
        load_calibration.cache_clear()
        print(f"fitted {CALIBRATION_FILE} on {calibration.meta['training_rows']} rows\n")
    calibration = load_calibration()
    thresholds = Thresholds(calibration.auto_threshold, calibration.review_threshold)
    print(f"thresholds: auto >= {thresholds.auto:.4f}, review >= {thresholds.review:.4f}\n")

    matcher = Matcher(index, calibration)
    reports = {
        "MTG test half": evaluate(matcher, [r for r in mtg if r.split == "test"], thresholds),
        "MTG train half": evaluate(matcher, [r for r in mtg if r.split == "train"], thresholds),
        "MTG all": evaluate(matcher, mtg, thresholds),
        "Yu-Gi-Oh! all (passcode labels)": evaluate(matcher, ygo, thresholds),
        "everything, test half": evaluate(matcher, test, thresholds),
        "everything": evaluate(matcher, labelled, thresholds),
    }
    per_file: dict[str, Report] = {}
    for path in data.paths(data.LABELLED + data.LABELLED_YUGIOH):
        rows = [r for r in labelled if r.source == str(path)]
        per_file[path.name] = evaluate(matcher, rows, thresholds)

    print(report_table("Labelled rows, blind (ids removed)", reports))
    print()
    print(report_table("Per labelled file", per_file))
    print()
    shapes = evaluate_shapes(matcher, [r for r in mtg if r.split == "test"], thresholds)
    print(
        report_table("MTG test half, per listing shape (fields removed, titles rendered)", shapes)
    )
    print()
    print("#### Reliability (test half, best candidate of each row)\n")
    print(reliability_markdown(reports["everything, test half"].pairs))
    print()
    print("#### Reliability (MTG test half, every listing shape pooled)\n")
    print(reliability_markdown([pair for r in shapes.values() for pair in r.pairs]))
    print()
    print("#### Reliability (all labelled rows)\n")
    print(reliability_markdown(reports["everything"].pairs))
    print()
    print("#### Decisions on every real export (no labels needed)\n")
    print(decision_distribution(matcher, thresholds))
    if args.wrong:
        print("\nwrong auto-accepts:")
        for w in reports["everything"].wrong_auto:
            best = w["best"]
            print(
                f"  {w['source']}:{w['line']} {w['text']!r} -> {best['name']} "
                f"{best['set_code']} {best['number']} {best['language']} "
                f"{best['confidence']} {best['matched_fields']}"
            )
    if args.json:
        args.json.write_text(
            json.dumps({k: v.summary() for k, v in {**reports, **per_file}.items()}, indent=2)
        )


if __name__ == "__main__":
    main()

"""Matching benchmark on the full catalog and the real exports.

    .venv/bin/python -m bench.match.run [--database-url URL] [--rows 100000]

1. structured rows/s: every row of the real structured exports, already read (so only
   matching is timed), with the matcher's result cache on (repeated rows are cheap, as in a
   real inventory) and off (every row pays candidate generation and scoring);
2. titles/s: the real eBay titles plus titles rendered from real export rows (`Name Set Name
   Number Condition`), parse_title + match;
3. a 100k-row inventory end to end as a bulk job: upload checks (format detection and row
   count), then `run_job` (read, match, write match_job_rows and product_catalog_matches in
   chunks of 1,000, one transaction each) on PostgreSQL. The file is one Dragon Shield export
   made of the rows of every real MTG/Yu-Gi-Oh! export (cycled to reach the size).

Prints a Markdown table (docs/benchmarks.md, section "Matching (bench/match)").
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import platform
import time

import sqlalchemy as sa

from bench.catalog import DEFAULT_URL, ensure_catalog
from bench.match import data
from matching.decisions import default_thresholds
from matching.formats import read_inventory
from matching.index_build import build_index
from matching.parsing import parse_title
from matching.service import Matcher
from models.db import make_engine

STRUCTURED = (
    "dragonshield-biestervictor/all-folders.csv",
    "moxfield-SaintGabriel602/Collection102125.csv",
    "dragonshield-acquadrod/all-folders.csv",
    "dragonshield-ygo-MadisK2/all-folders.csv",
    "ygo-collection-PepeFranco/collection.json",
    "mtgcsvhelper/Collection/moxfield-haves.csv",
    "mtgcsvhelper/Collection/mtggoldfish-from-mtgarena.csv",
    "mtgcsvhelper/Collection/manabox-collection.csv",
    "mtgcsvhelper/Collection/topdecked-collection.csv",
    "mtgcsvhelper/Collection/dragonshield-collection.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection-old.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection.csv",
    "collx-940smiley/download_RecoveredTreasures-2025-05-14-071313.csv",
)
DRAGONSHIELD_HEADER = [
    "Folder Name",
    "Quantity",
    "Trade Quantity",
    "Card Name",
    "Set Code",
    "Set Name",
    "Card Number",
    "Condition",
    "Printing",
    "Language",
    "Price Bought",
    "Date Bought",
    "LOW",
    "MID",
    "MARKET",
]
_CONDITION_WORDS = {
    "NM": "NearMint",
    "LP": "Excellent",
    "MP": "Good",
    "HP": "Played",
    "DMG": "Poor",
}
_LANGUAGES = {
    "EN": "English",
    "JP": "Japanese",
    "DE": "German",
    "FR": "French",
    "IT": "Italian",
    "ES": "Spanish",
    "PT": "Portuguese",
}


def structured_listings():
    listings = []
    for path in data.paths(STRUCTURED):
        for row in read_inventory(path):
            if not row.error:
                listings.append(row.listing)
    return listings


def rendered_titles(listings, limit: int) -> list[str]:
    titles = []
    for listing in listings:
        if not (listing.name and listing.set_name):
            continue
        parts = [listing.name, listing.set_name]
        if listing.number:
            parts.append(f"#{listing.number}")
        parts.append({"NM": "NM", "LP": "LP", "MP": "MP", "HP": "HP"}.get(listing.condition, ""))
        if listing.finish == "FOIL":
            parts.append("Foil")
        titles.append(" ".join(p for p in parts if p))
        if len(titles) >= limit:
            break
    return titles


def time_rows(matcher: Matcher, listings) -> tuple[float, int]:
    thresholds = default_thresholds()
    started = time.perf_counter()
    for listing in listings:
        matcher.match(listing, thresholds=thresholds)
    return time.perf_counter() - started, len(listings)


def dragonshield_file(listings, rows: int) -> bytes:
    out = io.StringIO()
    out.write("sep=,\n")
    writer = csv.writer(out)
    writer.writerow(DRAGONSHIELD_HEADER)
    usable = [x for x in listings if x.name and (x.set_code or x.set_name)]
    for listing in itertools.islice(itertools.cycle(usable), rows):
        writer.writerow(
            [
                "bench",
                listing.quantity or 1,
                0,
                listing.name,
                listing.set_code or "",
                listing.set_name or "",
                listing.number or "",
                _CONDITION_WORDS.get(listing.condition or "NM", "NearMint"),
                "Foil" if listing.finish in ("FOIL", "HOLO") else "Normal",
                _LANGUAGES.get(listing.language or "EN", "English"),
                *[""] * 5,  # Price Bought, Date Bought, LOW, MID, MARKET
            ]
        )
    return out.getvalue().encode("utf-8")


def end_to_end(url: str, content: bytes) -> dict[str, float]:
    from matching.index_build import index_cache
    from matching.jobs.intake import create_job
    from matching.jobs.runner import run_job
    from matching.models import MatchJob
    from models.db import session_factory

    engine = make_engine(url)
    session = session_factory(engine)()
    timings: dict[str, float] = {"bytes": len(content)}
    try:
        started = time.perf_counter()
        index_cache.get(engine)  # warm: a running API already holds its index
        timings["index"] = time.perf_counter() - started
        started = time.perf_counter()
        job = create_job(session, seller_id="bench-100k", content=content)
        timings["upload"] = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        status = run_job(job.id, engine=engine)
        timings["run"] = time.perf_counter() - started
        timings["run_cpu"] = time.process_time() - cpu  # this process; PostgreSQL's is apart
        session.expire_all()
        done = session.get(MatchJob, job.id)
        timings.update(
            rows=done.processed_rows,
            auto=done.count_auto,
            review=done.count_review,
            none=done.count_none,
            error=done.count_error,
            ok=status == "succeeded",
        )
        session.execute(sa.delete(MatchJob).where(MatchJob.id == job.id))
        session.execute(
            sa.text("DELETE FROM product_catalog_matches WHERE seller_id = 'bench-100k'")
        )
        session.commit()
    finally:
        session.close()
        engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--titles", type=int, default=5_000)
    parser.add_argument(
        "--job-only", action="store_true", help="only the bulk job, end to end (step 3)"
    )
    args = parser.parse_args()
    ensure_catalog(args.database_url, verbose=False)
    engine = make_engine(args.database_url)
    started = time.perf_counter()
    index = build_index(engine)
    index_seconds = time.perf_counter() - started
    engine.dispose()

    listings = structured_listings()
    results = []
    if args.job_only:
        report_job(end_to_end(args.database_url, dragonshield_file(listings, args.rows)))
        return
    seconds, n = time_rows(Matcher(index), listings)
    results.append(("structured rows, result cache on", n, seconds))
    seconds, n = time_rows(Matcher(index, cache_size=0), listings)
    results.append(("structured rows, no cache (every row matched afresh)", n, seconds))

    ebay = [r.raw["Title"] for r in read_inventory(data.exports_dir() / data.ALL[6])]
    titles = ebay + rendered_titles(listings[::7], args.titles)
    for label, cache in (("titles, result cache on", 50_000), ("titles, no cache", 0)):
        matcher = Matcher(index, cache_size=cache)
        thresholds = default_thresholds()
        started = time.perf_counter()
        for title in titles:
            matcher.match(parse_title(title), thresholds=thresholds)
        results.append((f"{label} (parse + match)", len(titles), time.perf_counter() - started))

    content = dragonshield_file(listings, args.rows)
    e2e = end_to_end(args.database_url, content)

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; one process\n"
    )
    print(f"catalog index build: {index.stats()} in {index_seconds:.1f}s\n")
    print("| workload | rows | seconds | rows/s |")
    print("|---|---:|---:|---:|")
    for label, n, secs in results:
        print(f"| {label} | {n:,} | {secs:.2f} | {n / secs:,.0f} |")
    report_job(e2e)


def report_job(e2e: dict[str, float]) -> None:
    total = e2e["upload"] + e2e["run"]
    print(
        f"| {e2e['rows']:,}-row Dragon Shield inventory as a bulk job, end to end "
        f"(upload check {e2e['upload']:.1f}s + run {e2e['run']:.1f}s) | {e2e['rows']:,} "
        f"| {total:.1f} | {e2e['rows'] / total:,.0f} |"
    )
    print(
        f"\n100k job: {e2e['auto']:,} auto, {e2e['review']:,} review, {e2e['none']:,} none, "
        f"{e2e['error']:,} error; succeeded={e2e['ok']}; {e2e['bytes'] / 1e6:.1f} MB; "
        f"index warm-up {e2e['index']:.1f}s; run: {e2e['run_cpu']:.1f}s of this process's CPU "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()

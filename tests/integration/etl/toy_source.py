"""A tiny JSON-lines source for loader tests that do not depend on a real upstream format.

Each line is one printing: {"id", "oracle", "name", "set", "set_name", "number", "lang",
"finishes", "artist", ...}. A line with "bad": "reason" makes `normalize` raise
`QuarantineError(reason)`. `sets/*.json` files (a JSON list of {"code","name","total"}) beside
the cards give full set metadata.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from etl.records import (
    InputUnit,
    NormalizedCard,
    PrintRecord,
    QuarantineError,
    RawRecord,
    SetRecord,
)
from models.sku import number_token


class ToySource:
    name = "toy"
    game = "OPTCG"

    def discover(self, paths: list[Path]) -> list[InputUnit]:
        units = []
        for root in paths:
            files = sorted(root.glob("*.jsonl")) if root.is_dir() else [root]
            for path in files:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                units.append(InputUnit(key=path.name, path=path, content_hash=digest))
        return units

    def read(self, unit: InputUnit) -> Iterator[RawRecord]:
        with unit.path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    payload = json.loads(line)
                    yield RawRecord(self.name, str(payload.get("id", "")), payload, unit.key)

    def sets(self, paths: list[Path]) -> Iterator[SetRecord]:
        for root in paths:
            folder = root if root.is_dir() else root.parent
            for path in sorted(folder.glob("sets/*.json")):
                for item in json.loads(path.read_text()):
                    yield SetRecord(
                        game=self.game,
                        code=item["code"],
                        name=item["name"],
                        card_count=item.get("total"),
                        series="Toy series",
                    )

    def normalize(self, raw: RawRecord) -> NormalizedCard:
        p = raw.payload
        if p.get("bad"):
            raise QuarantineError(p["bad"])
        set_record = SetRecord(game=self.game, code=p["set"], name=p.get("set_name", p["set"]))
        print_record = PrintRecord(
            print_key=p["id"],
            set=set_record,
            collector_number=p["number"],
            sku_number=number_token(p["number"], pad=3),
            language=p.get("lang", "EN"),
            finishes=p.get("finishes", ["NORMAL"]),
            artist=p.get("artist"),
            rarity=p.get("rarity"),
        )
        return NormalizedCard(
            game=self.game,
            oracle_key=p["oracle"],
            name=p["name"],
            prints=[print_record],
            power=p.get("power"),
            cost=p.get("cost"),
            rules_text=p.get("text"),
        )


source = ToySource()

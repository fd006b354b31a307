"""Scryfall (Magic: The Gathering): bulk card files, search pages, JSON lines.

`reader.py` reads and normalises, `fetch.py` downloads, `demo.py` cuts the demo sample.
"""

from celery.schedules import crontab

from etl.sources.base import SourceEntry
from etl.sources.scryfall import demo, fetch
from etl.sources.scryfall.reader import source

SOURCE = SourceEntry(
    name="scryfall",
    game="MTG",
    reader=source,
    fetcher=fetch,
    sync_at=crontab(hour=3, minute=0),
    demo_sample=demo.sample,
)

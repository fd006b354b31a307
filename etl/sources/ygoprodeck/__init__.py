"""YGOProDeck (Yu-Gi-Oh!): cardinfo responses and per-set card files.

`reader.py` reads and normalises, `fetch.py` downloads, `demo.py` cuts the demo sample.
"""

from celery.schedules import crontab

from etl.sources.base import SourceEntry
from etl.sources.ygoprodeck import demo, fetch
from etl.sources.ygoprodeck.reader import source

SOURCE = SourceEntry(
    name="ygoprodeck",
    game="YUGIOH",
    reader=source,
    fetcher=fetch,
    sync_at=crontab(hour=4, minute=0),
    demo_sample=demo.sample,
)

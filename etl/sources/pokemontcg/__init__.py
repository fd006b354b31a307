"""pokemontcg.io (Pokémon): pokemon-tcg-data files or API pages, with sets.

`reader.py` reads and normalises, `fetch.py` downloads, `demo.py` cuts the demo sample.
"""

from celery.schedules import crontab

from etl.sources.base import SourceEntry
from etl.sources.pokemontcg import demo, fetch
from etl.sources.pokemontcg.reader import source

SOURCE = SourceEntry(
    name="pokemontcg",
    game="POKEMON",
    reader=source,
    fetcher=fetch,
    sync_at=crontab(hour=3, minute=30),
    demo_sample=demo.sample,
)

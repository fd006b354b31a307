"""The search query language: what users type in `q` -> the engine-neutral `indexer.query` tree.

    >>> parse_query("t:dragon c>=rg mv<=3 -is:foil").node
    And(children=(FieldMatch(field='type_line', text='dragon'), ...))

`parse_query` returns a `ParsedQuery` (the tree plus warnings for ignored terms) or raises
`QuerySyntaxError` (message + 0-based position); it raises nothing else for any text.
The language is documented in docs/query-language.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.query import MatchAll, Node
from models.games import GAME_CODES, resolve_game
from models.rarity import rarity_rank
from search_api.query.errors import QuerySyntaxError
from search_api.query.interpreter import Interpreter, implied_game
from search_api.query.keywords import MAX_DEPTH, MAX_QUERY_LENGTH
from search_api.query.lexer import tokenize
from search_api.query.parser import parse_tokens

__all__ = [
    "MAX_DEPTH",
    "MAX_QUERY_LENGTH",
    "ParsedQuery",
    "QuerySyntaxError",
    "parse_query",
    "rarity_rank",
]


@dataclass(slots=True)
class ParsedQuery:
    node: Node
    #: Human-readable notes about terms that were ignored (unknown keyword, value, ...).
    warnings: list[str] = field(default_factory=list)


def parse_query(text: str, *, game: str | None = None) -> ParsedQuery:
    """Parse a user query.

    `game` (a game code such as "POKEMON", or an alias) only changes how game-specific keywords
    read (`c:red` is a One Piece colour with game="OPTCG"); it adds no filter by itself. Without
    it, a single top-level `game:` term in the query plays the same part.
    """
    if game is not None:
        code = game.upper() if game.upper() in GAME_CODES else resolve_game(game)
        if code is None:
            raise ValueError(f"unknown game {game!r}")
        game = code
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            f"the query is longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH
        )
    warnings: list[str] = []
    tree = parse_tokens(tokenize(text, warnings), len(text))
    if tree is None:
        return ParsedQuery(MatchAll(), warnings)
    node = Interpreter(text, game or implied_game(tree), warnings).node(tree)
    if node is None:
        warnings.append("every term was ignored: the query matches everything")
        return ParsedQuery(MatchAll(), warnings)
    return ParsedQuery(node, warnings)

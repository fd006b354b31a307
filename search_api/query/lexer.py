"""Tokenizer: query text -> tokens with their character positions.

Lexical rules (see docs/query-language.md):

* whitespace separates terms; `(` and `)` are always tokens outside quotes;
* `-` at the start of a term negates it (`-t:goblin`, `-(a OR b)`, `-"x y"`); elsewhere it is an
  ordinary character, so `OP01-001`, `LOB-EN001` and `Lim-Dûl's` stay whole words;
  a `-` followed by a space, `)` or the end is ignored with a warning;
* `"..."` is a quoted string anywhere (backslash escapes the next character); unclosed is an
  error at the quote. `'...'` is a quoted string only at the start of a term or value and only
  if a closing `'` followed by a space, a parenthesis, `"` or the end exists; otherwise the `'`
  is an ordinary character (so `Urza's` and `'Twas` are words, and `'Urza's Saga'` a phrase);
* `!` at the start of a term introduces an exact name: `!"Lightning Bolt"` or `!fire`;
* `KEY OP VALUE` with KEY = letter then letters/digits/underscores and OP one of
  `: = != < <= > >=` is a keyword term; VALUE is a quoted string or the characters up to the
  next space, parenthesis or `"` (it may be empty: the parser decides what that means);
* a bare word `OR` / `or` is the OR operator and `AND` the (optional) AND operator;
* anything else up to the next space, parenthesis or `"` is a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from search_api.query.errors import QuerySyntaxError


class Kind(Enum):
    WORD = "word"
    PHRASE = "phrase"
    EXACT = "exact"
    KEYWORD = "keyword"
    LPAREN = "("
    RPAREN = ")"
    OR = "OR"
    AND = "AND"
    NOT = "-"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    pos: int  # index of the token's first character
    end: int  # index just past its last character
    #: WORD: the word; PHRASE/EXACT: the unquoted text; KEYWORD: the text as typed.
    text: str = ""
    key: str = ""  # KEYWORD: the keyword, lower-case
    op: str = ""  # KEYWORD: the operator
    op_pos: int = 0
    value: str = ""  # KEYWORD: the value, unquoted
    value_pos: int = 0
    quoted: bool = False  # KEYWORD: the value was quoted


_KEY_RE = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(!=|>=|<=|:|=|<|>)")
#: A `'` that can close a single-quoted string.
_SINGLE_CLOSE_RE = re.compile(r"'(?=[\s()\"]|$)")
_WORD_STOP = frozenset('()"')


def _is_stop(ch: str) -> bool:
    return ch.isspace() or ch in _WORD_STOP


def _read_double(text: str, start: int) -> tuple[str, int]:
    """Read `"..."` starting at the quote; return (content, index after the closing quote)."""
    out: list[str] = []
    i = start + 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        elif ch == '"':
            return "".join(out), i + 1
        else:
            out.append(ch)
            i += 1
    raise QuerySyntaxError('unclosed quote: add the closing "', start)


def _read_quoted(text: str, start: int) -> tuple[str, int] | None:
    """A quoted string at `start` (`"` or a closable `'`), or None if there is none."""
    ch = text[start]
    if ch == '"':
        return _read_double(text, start)
    if ch == "'":
        close = _SINGLE_CLOSE_RE.search(text, start + 1)
        if close is not None:
            return text[start + 1 : close.start()], close.start() + 1
    return None


def _read_bare(text: str, start: int) -> int:
    """Index just past the bare word starting at `start`."""
    i = start
    n = len(text)
    while i < n and not _is_stop(text[i]):
        i += 1
    return i


def tokenize(text: str, warnings: list[str]) -> list[Token]:
    """Split `text` into tokens; raises QuerySyntaxError for an unclosed `"`."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(Token(Kind.LPAREN, i, i + 1, "("))
            i += 1
        elif ch == ")":
            tokens.append(Token(Kind.RPAREN, i, i + 1, ")"))
            i += 1
        elif ch == "-":
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                warnings.append(
                    f"ignored the '-' at position {i}: write it right before a term (-word)"
                )
            else:
                tokens.append(Token(Kind.NOT, i, i + 1, "-"))
            i += 1
        elif ch == "!":
            i = _exact(text, i, tokens, warnings)
        else:
            i = _term(text, i, tokens)
    return tokens


def _exact(text: str, start: int, tokens: list[Token], warnings: list[str]) -> int:
    i = start + 1
    quoted = _read_quoted(text, i) if i < len(text) else None
    if quoted is not None:
        name, end = quoted
    else:
        end = _read_bare(text, i)
        name = text[i:end]
    if not name.strip():
        warnings.append(f"ignored the '!' at position {start}: it needs a name after it")
    else:
        tokens.append(Token(Kind.EXACT, start, end, name.strip()))
    return end


def _term(text: str, start: int, tokens: list[Token]) -> int:
    quoted = _read_quoted(text, start)
    if quoted is not None:
        content, end = quoted
        tokens.append(Token(Kind.PHRASE, start, end, content))
        return end
    match = _KEY_RE.match(text, start)
    if match is not None:
        value_pos = match.end()
        value_quoted = _read_quoted(text, value_pos) if value_pos < len(text) else None
        if value_quoted is not None:
            value, end = value_quoted
        else:
            end = _read_bare(text, value_pos)
            value = text[value_pos:end]
        tokens.append(
            Token(
                Kind.KEYWORD,
                start,
                end,
                text[start:end],
                key=match.group(1).lower(),
                op=match.group(2),
                op_pos=match.start(2),
                value=value,
                value_pos=value_pos,
                quoted=value_quoted is not None,
            )
        )
        return end
    end = _read_bare(text, start)
    if end == start:  # unreachable (stop characters are handled above); never loop forever
        end = start + 1
    word = text[start:end]
    kind = Kind.OR if word in ("OR", "or") else Kind.AND if word == "AND" else Kind.WORD
    tokens.append(Token(kind, start, end, word))
    return end

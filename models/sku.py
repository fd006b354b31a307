"""The universal catalog SKU: `{GAME}-{SET}-{NUMBER}-{LANG}-{CONDITION}-{FINISH}[-{GRADE}]`.

Examples: `MTG-NEO-001-EN-NM-FOIL`, `POKEMON-SV3PT5-199-JP-LP-HOLO-PSA9`,
`YUGIOH-LOB-001UR-EN-NM-1ST`, `OPTCG-OP01-001-EN-NM-NORMAL`.

`-` separates components, so SET and NUMBER are written as *tokens* by a reversible,
URL-safe encoding of the upstream strings (see docs/sku.md):

* ASCII letters and digits stand for themselves, letters upper-cased (set codes and
  collector numbers are case-blind in every game we carry);
* `-` becomes `.` (PLST numbers `ZNR-123`, One Piece `OP01-001`);
* any other character `c` becomes `~{hex(ord(c))}~`, e.g. `★` -> `~2605~`, `/` -> `~2F~`.

Every character of a SKU is then in `[A-Z0-9.~_-]`, all unreserved in RFC 3986, so a SKU can
stand in a URL path as it is. `decode_token(encode_token(s))` gives back `s` with its ASCII
letters upper-cased, for any string `s`,
and `parse_sku(format_sku(p)) == p` for any valid `SkuParts` `p`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.games import GAME_CODES
from models.vocabulary import CONDITION_CODES, FINISH_CODES, LANGUAGE_CODES

#: The codes each SKU component takes, derived from the vocabulary's declarations.
GAMES = GAME_CODES
CONDITIONS = CONDITION_CODES
FINISHES = FINISH_CODES
LANGUAGES = LANGUAGE_CODES
GRADING_COMPANIES = ("PSA", "BGS", "CGC")

_TOKEN_RE = re.compile(r"^(?:[A-Z0-9.]|~[0-9A-F]{1,6}~)+$")
_GRADE_RE = re.compile(r"^(PSA|BGS|CGC)(10|[1-9](?:\.5)?)$")
_MAX_TOKEN_LENGTH = 40


class SkuError(ValueError):
    """An invalid SKU; `component` names the part that is wrong."""

    def __init__(self, component: str, value: str, reason: str) -> None:
        self.component = component
        self.value = value
        self.reason = reason
        super().__init__(f"invalid SKU {component} {value!r}: {reason}")


def encode_token(raw: str) -> str:
    """Encode an upstream set code or collector number as a SKU token."""
    if not raw:
        raise SkuError("token", raw, "must not be empty")
    out: list[str] = []
    for ch in raw:
        if ch.isascii() and ch.isalnum():
            out.append(ch.upper())
        elif ch == "-":
            out.append(".")
        else:
            out.append(f"~{ord(ch):X}~")
    return "".join(out)


def decode_token(token: str) -> str:
    """Inverse of `encode_token` (ASCII letters come back upper-case)."""
    if not _TOKEN_RE.match(token):
        raise SkuError(
            "token", token, "contains characters outside A-Z, 0-9, '.' and ~hex~ escapes"
        )
    out: list[str] = []
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "~":
            end = token.index("~", i + 1)
            out.append(chr(int(token[i + 1 : end], 16)))
            i = end + 1
        elif ch == ".":
            out.append("-")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Grade:
    company: str
    value: str  # "10", "9.5", "9"

    def __str__(self) -> str:
        return f"{self.company}{self.value}"


@dataclass(frozen=True, slots=True)
class SkuParts:
    game: str
    set_token: str
    number_token: str
    language: str
    condition: str
    finish: str
    grade: Grade | None = None

    def __post_init__(self) -> None:
        _validate(self)

    def __str__(self) -> str:
        return format_sku(self)

    def with_condition(self, condition: str) -> SkuParts:
        return SkuParts(
            self.game,
            self.set_token,
            self.number_token,
            self.language,
            condition,
            self.finish,
            self.grade,
        )


def _validate_token(component: str, token: str) -> None:
    if not token:
        raise SkuError(component, token, "must not be empty")
    if len(token) > _MAX_TOKEN_LENGTH:
        raise SkuError(component, token, f"longer than {_MAX_TOKEN_LENGTH} characters")
    if not _TOKEN_RE.match(token):
        raise SkuError(
            component, token, "only A-Z, 0-9, '.' and ~hex~ escapes are allowed (see docs/sku.md)"
        )
    try:
        decode_token(token)
    except (ValueError, OverflowError) as exc:
        raise SkuError(component, token, f"bad escape ({exc})") from None


def _validate(parts: SkuParts) -> None:
    if parts.game not in GAMES:
        raise SkuError("game", parts.game, f"expected one of {', '.join(GAMES)}")
    _validate_token("set", parts.set_token)
    _validate_token("number", parts.number_token)
    if parts.language not in LANGUAGES:
        raise SkuError("language", parts.language, f"expected one of {', '.join(LANGUAGES)}")
    if parts.condition not in CONDITIONS:
        raise SkuError("condition", parts.condition, f"expected one of {', '.join(CONDITIONS)}")
    if parts.finish not in FINISHES:
        raise SkuError("finish", parts.finish, f"expected one of {', '.join(FINISHES)}")
    if parts.grade is not None:
        if parts.grade.company not in GRADING_COMPANIES:
            raise SkuError("grade", str(parts.grade), "grading company must be PSA, BGS or CGC")
        if not _GRADE_RE.match(str(parts.grade)):
            raise SkuError("grade", str(parts.grade), "grade must be 1 to 10 in steps of 0.5")


def parse_grade(text: str) -> Grade:
    match = _GRADE_RE.match(text)
    if not match:
        raise SkuError(
            "grade", text, "expected PSA, BGS or CGC followed by 1 to 10, e.g. PSA10, BGS9.5"
        )
    return Grade(match.group(1), match.group(2))


def format_sku(parts: SkuParts) -> str:
    return sku_code(
        parts.game,
        parts.set_token,
        parts.number_token,
        parts.language,
        parts.condition,
        parts.finish,
        parts.grade,
    )


def sku_code(
    game: str,
    set_token: str,
    number_token: str,
    language: str,
    condition: str,
    finish: str,
    grade: Grade | None = None,
) -> str:
    """The SKU string of components already validated (the ETL's hot path: no `SkuParts`)."""
    core = [game, set_token, number_token, language, condition, finish]
    if grade is not None:
        core.append(str(grade))
    return "-".join(core)


_COMPONENTS = ("game", "set", "number", "language", "condition", "finish", "grade")


def parse_sku(sku: str) -> SkuParts:
    """Parse a SKU string; raises `SkuError` naming the first bad component."""
    if not isinstance(sku, str) or not sku:
        raise SkuError("sku", str(sku), "must be a non-empty string")
    if len(sku) > 200:
        raise SkuError("sku", sku[:40] + "...", "longer than 200 characters")
    pieces = sku.strip().upper().split("-")
    if len(pieces) < 6:
        missing = _COMPONENTS[len(pieces)]
        raise SkuError(
            missing, "", f"missing; a SKU has 6 or 7 '-'-separated parts, got {len(pieces)}"
        )
    if len(pieces) > 7:
        raise SkuError("sku", sku, f"too many '-'-separated parts ({len(pieces)}, at most 7)")
    game, set_token, number_token, language, condition, finish = pieces[:6]
    grade = parse_grade(pieces[6]) if len(pieces) == 7 else None
    return SkuParts(game, set_token, number_token, language, condition, finish, grade)


def is_valid_sku(sku: str) -> bool:
    try:
        parse_sku(sku)
    except SkuError:
        return False
    return True


def number_token(raw: str, *, pad: int = 0) -> str:
    """Token for a collector number; purely numeric numbers are zero-padded to `pad` digits."""
    raw = raw.strip()
    if pad and raw.isdigit():
        raw = raw.zfill(pad)
    return encode_token(raw)

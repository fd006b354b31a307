"""The title grammar: `RULES`, the ordered patterns `parse_title` scans a title with, each with
its handler (matching/parsing/title_handlers.py). Order matters: a rule's match is consumed, so
later rules and the card name never see it."""

from __future__ import annotations

import re

from matching.parsing import spellings, vocab
from matching.parsing.listing import KIND_CHOICE, KIND_LOT, KIND_SEALED
from matching.parsing.title_handlers import (
    on_bracket_code,
    on_comparison,
    on_condition,
    on_edition,
    on_ex_condition,
    on_finish,
    on_fraction,
    on_game,
    on_game_rarity_code,
    on_grade,
    on_hit_points,
    on_hp_condition,
    on_kind,
    on_language,
    on_lot_count,
    on_marked_number,
    on_noise,
    on_number_range,
    on_optcg,
    on_playset,
    on_pokemon_set_code,
    on_promo,
    on_quantity,
    on_rarity,
    on_set_phrase,
    on_suspect,
    on_variant,
    on_yugioh,
)
from matching.parsing.title_state import (
    Rule,
    phrase_alternation,
    rx,
)
from matching.parsing.title_words import (
    AMBIGUOUS_VARIANTS,
    GAME_PATTERNS,
    GAME_RARITY_CODES,
    NOISE_PHRASES,
    NOT_BEFORE_NAME,
    RARITY_CODES,
    RARITY_PHRASES,
    SET_PHRASES,
    SUSPECT_VARIANTS,
    TITLE_CONDITION_CODES,
    TITLE_CONDITIONS,
    TITLE_LANGUAGE_CODES,
    TITLE_LANGUAGES,
    VARIANT_PHRASES,
)

# --------------------------------------------------------------------------- the grammar

_RARITY_PHRASE_RX = phrase_alternation(RARITY_PHRASES)
_CODE_BOUNDARY_L = r"(?<![\w/.-])"
_CODE_BOUNDARY_R = r"(?![\w/-])"

RULES: tuple[Rule, ...] = (
    # Grades, and "(same as PSA 10)" comparisons that are not grades.
    Rule(
        "grade comparison",
        rx(
            r"\(?\b(?:same\s+as|like|equiv(?:alent)?(?:\s+to)?|compare[sd]?\s+to)\s+(?:an?\s+)?"
            r"(?:psa|bgs|cgc|beckett)\s*\d+(?:\.5)?\s*\)?"
        ),
        on_comparison,
    ),
    Rule("grade", vocab.GRADE_RE, on_grade),
    Rule("grade (words first)", vocab.GRADE_AFTER_RE, on_grade),
    *(Rule("set phrase", rx(p), on_set_phrase(g)) for g, p in SET_PHRASES),
    # Collector numbers, most specific first.
    Rule("number range", rx(r"\b\d{1,3}\s*-\s*\d{1,3}(?:\s*/\s*\d{1,3})?\b"), on_number_range),
    Rule(
        "One Piece number",
        rx(rf"{_CODE_BOUNDARY_L}(?:(?:OP|ST|EB|PRB)\d{{2}}|P)-\d{{3}}{_CODE_BOUNDARY_R}"),
        on_optcg,
    ),
    Rule(
        "Yu-Gi-Oh! number",
        rx(
            rf"{_CODE_BOUNDARY_L}(?P<prefix>[A-Z0-9]{{2,4}})-"
            rf"(?:(?P<region>{'|'.join(sorted(spellings.YUGIOH_REGIONS, key=len, reverse=True))})"
            rf"(?P<num>[A-Z]?\d{{2,3}})|(?P<plain>\d{{3}}))"
            rf"(?P<variant>[A-Z]{{1,4}})?{_CODE_BOUNDARY_R}"
        ),
        on_yugioh,
    ),
    Rule(
        "number/total",
        rx(
            r"(?<![\w/.])(?P<number>[A-Z]{0,4}\d{1,3}[a-z]?)\s?/\s?(?P<total>[A-Z]{0,4}\d{1,3})"
            r"(?![\w/])"
        ),
        on_fraction,
    ),
    Rule("promo number", rx(r"\b(?:SWSH|SM|XY|BW|DP|HGSS|SVP|SV)[\s-]?\d{3}\b"), on_promo),
    Rule("gallery number", rx(r"\b(?:TG|GG|RC)\d{2}\b"), on_promo),
    Rule(
        "marked number",
        rx(r"(?:#|\bN[or]\.\s?|\bNo\s)(?P<number>[A-Z]{0,4}\d{1,4}[a-z]?★?)(?![\w/])"),
        on_marked_number,
    ),
    Rule(
        "star number",  # 222★ (Dragon Shield), *222 / ★222 (Scryfall's promo stars)
        rx(
            r"\b(?P<number>\d{1,4}[a-z]?★)"
            r"|(?<![\w*★])(?P<starred>[*★]\d{1,4}[a-z]?)(?![\w*★/%.,])(?!\s*(?:x|cards?)\b)"
        ),
        on_marked_number,
    ),
    Rule(
        "Pokémon set code",
        rx(r"\b(?:SWSH|SV|SM|XY|BW|DP|HGSS|S)(?:\d{1,2}(?:pt5|\.5|[a-z]{1,2})?|-P)\b"),
        on_pokemon_set_code,
    ),
    # Quantities and listing kinds.
    Rule("lot of N", rx(r"\b(?:lot|set|bundle|pack)\s+of\s+(?P<count>\d{1,5})\b"), on_lot_count),
    Rule("lot N", rx(r"\blot\s+(?P<count>\d{1,5})\b"), on_lot_count),
    Rule(
        "N cards",
        rx(r"\b(?P<count>\d{1,5})\s*x?\s+(?:(?!cards?\b)[a-zé]+\s+){0,2}cards?\b"),
        on_lot_count,
    ),
    Rule("Nx", rx(r"(?<![\w.])(?P<count>\d{1,4})\s?[x×](?![\w])"), on_quantity),
    Rule("xN", rx(r"(?<![\w.])[x×]\s?(?P<count>\d{1,3})\b"), on_quantity),
    Rule("playset", rx(r"\bplay[\s-]?set\b"), on_playset),
    Rule(
        "choice listing",
        rx(
            r"\b(?:choose|pick|select)\s+(?:your|from|a|any)\b(?:\s+(?:own\s+)?(?:cards?|list))?"
            r"|\byou\s+(?:choose|pick)\b|\ball\s+cards\s+available\b|\bcomplete\s+your\s+set\b"
            r"|\bsingles?\s+cards?\b"
        ),
        on_kind(KIND_CHOICE),
    ),
    Rule(
        "sealed product",
        rx(
            r"\b(?:booster(?:\s+(?:packs?|box(?:es)?|bundles?))?|etb|elite\s+trainer\s+box"
            r"|sealed|blister|(?:online\s+)?code\s+cards?|online\s+codes?|tcg\s+live)\b"
            rf"|\b(?:packs?|box(?:es)?|tins?|codes?)\b{NOT_BEFORE_NAME}"
        ),
        on_kind(KIND_SEALED),
    ),
    Rule(
        "lot",
        rx(
            r"\b(?:lots?|bundles?|bulk|job\s*lot|assortment|assorted|grab\s*bag"
            r"|complete\s+set|full\s+set|master\s+set)\b"
            rf"|\b(?:mystery|random|mixed)\b{NOT_BEFORE_NAME}"
        ),
        on_kind(KIND_LOT),
    ),
    # Language, edition, rarity, finish, condition, variants.
    Rule(
        "language",
        rx(rf"\b(?P<lang>{phrase_alternation(TITLE_LANGUAGES)})\b"),
        on_language(TITLE_LANGUAGES),
    ),
    Rule(
        "language code",
        re.compile(rf"\b(?P<lang>{phrase_alternation(TITLE_LANGUAGE_CODES)})\b\.?"),
        on_language(TITLE_LANGUAGE_CODES),
    ),
    Rule(
        "edition",
        rx(
            r"\b(?P<edition>(?:1st|first)\s*ed(?:ition)?\.?|1st|unlimited(?:\s+edition)?"
            r"|limited\s+edition)(?!\s+(?:alpha|beta))(?![\w])"
        ),
        on_edition,
    ),
    Rule(
        "rarity",  # not the "Holo Rare" of "Reverse Holo Rare" or "Non-Holo Rare"
        rx(rf"(?<!reverse )(?<!rev )(?<!non-)(?<!non )\b(?P<rarity>{_RARITY_PHRASE_RX})\b"),
        on_rarity,
    ),
    Rule(
        "rarity code",
        re.compile(rf"(?<![\w'’-])\[?(?P<rarity>{phrase_alternation(RARITY_CODES)})\]?(?![\w'’-])"),
        on_rarity,
    ),
    Rule(
        "game rarity code",
        re.compile(
            rf"(?<![\w'’.-])(?P<rarity>{phrase_alternation(sorted(set().union(*GAME_RARITY_CODES.values())))})"
            r"(?![\w'’.-])"
        ),
        on_game_rarity_code,
    ),
    Rule(
        "finish",
        rx(
            r"\b(?:reverse\s+holo(?:foil|s)?|rev\.?\s+holos?|reverse\s+foil|non[\s-]?holo"
            r"|non[\s-]?foil|holo(?:foil|graphic|s)?|foil[\s-]+etched|etched(?:\s+foil)?|foil"
            r"|glossy)\b"
        ),
        on_finish,
    ),
    Rule(
        "condition",
        rx(rf"\b(?P<cond>{phrase_alternation(TITLE_CONDITIONS)})\b"),
        on_condition(TITLE_CONDITIONS),
    ),
    Rule(
        "condition code",
        rx(rf"(?<![\w/+-])(?P<cond>{phrase_alternation(TITLE_CONDITION_CODES)})(?![\w/-])"),
        on_condition(TITLE_CONDITION_CODES),
    ),
    Rule("hit points", re.compile(r"\b(?P<value>\d{2,3})\s?HP\b"), on_hit_points),
    Rule("HP condition", re.compile(r"\bHP\b"), on_hp_condition),
    Rule("EX condition", re.compile(r"(?<![\w/+-])EX(?![\w/+-])"), on_ex_condition),
    Rule("variant", rx(rf"\b(?:{phrase_alternation(VARIANT_PHRASES)})\b"), on_variant),
    Rule(
        "ambiguous variant",
        rx(rf"\b(?:{phrase_alternation(AMBIGUOUS_VARIANTS)})\b{NOT_BEFORE_NAME}"),
        on_variant,
    ),
    Rule("suspect", rx(rf"\b(?:{phrase_alternation(SUSPECT_VARIANTS)})\b"), on_suspect),
    Rule("bracketed set code", re.compile(r"[\[(](?P<code>[A-Z0-9]{2,5})[\])]"), on_bracket_code),
    # Game words, then noise.
    *(Rule("game", rx(p), on_game(g)) for g, p in GAME_PATTERNS),
    Rule("noise", rx(rf"\b(?:{'|'.join(NOISE_PHRASES)})(?![\w])"), on_noise),
)

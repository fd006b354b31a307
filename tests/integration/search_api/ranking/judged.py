"""Judged queries: what a player types and the card that must come first (or within the first
`within`), over the sample of `support.py` (real cards of all four games).

`expect` is the card name; `number` (optional) the `SET:number` of the print shown for it,
for code and number queries. Ties between equally good cards (e.g. Pokémon cards that share a
name, one card per set) are judged with `within`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Judged:
    q: str
    expect: str
    within: int = 1
    number: str | None = None
    game: str | None = None
    why: str = ""


JUDGED: tuple[Judged, ...] = (
    # --- Magic: exact names, prefixes, typos, accents, faces, split cards, codes ---------------
    Judged("lightning bolt", "Lightning Bolt", why="exact name"),
    Judged("Lightning Bolt", "Lightning Bolt", why="case"),
    Judged("ligthning bolt", "Lightning Bolt", why="transposition"),
    Judged("lightnig bolt", "Lightning Bolt", why="missing letter"),
    Judged("bolt", "Lightning Bolt", why="one word of the name"),
    Judged("lightning", "Lightning Bolt", within=5, why="prefix shared by several cards"),
    Judged("tarmogoyf", "Tarmogoyf"),
    Judged("tarmgoyf", "Tarmogoyf", why="typo"),
    Judged("snapcaster", "Snapcaster Mage", why="first word"),
    Judged("snapcaster mage", "Snapcaster Mage"),
    Judged("snapcastr mage", "Snapcaster Mage", why="typo"),
    Judged("counterspel", "Counterspell", why="prefix / typo"),
    Judged("jotun grunt", "Jötun Grunt", why="accent-blind"),
    Judged("jötun grunt", "Jötun Grunt", why="accent typed"),
    Judged("seance", "Séance", why="accent-blind"),
    Judged("lim-dul's vault", "Lim-Dûl's Vault", why="accent + punctuation"),
    Judged("lim dul", "Lim-Dûl's Vault", why="partial, no punctuation"),
    Judged("delver of secrets", "Delver of Secrets // Insectile Aberration", why="front face"),
    Judged("insectile aberration", "Delver of Secrets // Insectile Aberration", why="back face"),
    Judged("fire ice", "Fire // Ice", why="split card without //"),
    Judged("fire // ice", "Fire // Ice", why="split card"),
    Judged("!fire", "Fire // Ice", why="exact face name"),
    Judged("tear", "Wear // Tear", why="exact face beats other words"),
    Judged("wear tear", "Wear // Tear"),
    Judged("black lotus", "Black Lotus"),
    Judged("blak lotus", "Black Lotus", why="typo"),
    Judged("liliana of the veil", "Liliana of the Veil"),
    Judged("garruk relentless", "Garruk Relentless // Garruk, the Veil-Cursed"),
    Judged("veil-cursed", "Garruk Relentless // Garruk, the Veil-Cursed", why="back face word"),
    Judged("nicol bolas", "Nicol Bolas, Dragon-God", why="prefix of a long name"),
    Judged("m10 146", "Lightning Bolt", number="M10:146", why="set code + number"),
    Judged("bolt m10", "Lightning Bolt", number="M10:146", why="name + set code"),
    Judged("tarmogoyf set:mm3", "Tarmogoyf", number="MM3:141", why="fielded set"),
    Judged("t:instant c:r bolt", "Lightning Bolt", why="fielded + text"),
    # whole names beat longer names containing them, with apostrophes joined or one typo
    Judged("islnd", "Island", why="one-word name, one typo: beats Island of Wak-Wak"),
    Judged("mazes end", "Maze's End", why="the apostrophe joins"),
    Judged("deths shadow", "Death's Shadow", why="a typo in a word with an apostrophe"),
    # --- Pokémon -----------------------------------------------------------------------------
    Judged("N", "N", why="one-letter name: exact beats every prefix"),
    Judged("n", "N", why="lower-case"),
    Judged("N", "N", game="pokemon", why="with game"),
    Judged("iono", "Iono"),
    Judged("pikachu", "Pikachu", within=4, why="four Pikachu cards tie (one per set)"),
    Judged("pikchu", "Pikachu", within=4, why="typo"),
    Judged("charizard", "Charizard", why="exact beats Charizard ex/V/VSTAR"),
    Judged("charzard", "Charizard", within=4, why="typo"),
    Judged("charizard ex", "Charizard ex"),
    Judged("mewtwo", "Mewtwo", within=3),
    Judged("mr mime", "Mr. Mime", within=2, why="punctuation"),
    Judged("mr. mime", "Mr. Mime", within=2),
    Judged("flabebe", "Flabébé", why="accent-blind"),
    Judged("Flabébé", "Flabébé"),
    Judged("pokegear", "Pokégear 3.0", why="accent-blind prefix"),
    Judged("pokégear 3.0", "Pokégear 3.0"),
    Judged("sv3pt5 25", "Pikachu", number="SV3PT5:25", why="set id + number"),
    Judged("4/102", "Charizard", number="BASE1:4", why="number/printed total"),
    Judged("base1 4", "Charizard", number="BASE1:4"),
    Judged("pal 185", "Iono", number="SV2:185", why="set alias (ptcgo code)"),
    Judged("mew 151", "Mew ex", number="SV3PT5:151", why="alias + number"),
    Judged("charizard hp>=300", "Charizard ex", why="fielded numeric"),
    Judged("pikachu s:base1", "Pikachu", number="BASE1:58"),
    # whole names beat longer names containing them, with apostrophes joined or one typo
    Judged("professors research", "Professor's Research", why="beats (Professor Sada)"),
    Judged("professor's research", "Professor's Research", why="beats the (Professor ...) cards"),
    Judged("pkachu", "Pikachu", why="one typo: beats Pikachu ex"),
    Judged("kyogr", "Kyogre", why="one letter short: beats Kyogre V"),
    Judged("zapods", "Zapdos", why="transposition: beats Zapdos ex"),
    Judged("venusuar", "Venusaur", why="transposition: beats Venusaur ex"),
    # --- Yu-Gi-Oh! ---------------------------------------------------------------------------
    Judged("blue-eyes white dragon", "Blue-Eyes White Dragon"),
    Judged("blue eyes white dragon", "Blue-Eyes White Dragon", why="no hyphen"),
    Judged("blue eyes", "Blue-Eyes White Dragon", why="prefix words"),
    Judged("dark magician", "Dark Magician"),
    Judged("dark magican", "Dark Magician", why="typo"),
    Judged('"dark magician"', "Dark Magician", why="phrase"),
    Judged("exodia", "Exodia the Forbidden One", why="first word"),
    Judged("exodia forbidden", "Exodia the Forbidden One"),
    Judged("LOB-EN001", "Blue-Eyes White Dragon", number="LOB:LOB-EN001", why="print code"),
    Judged("red eyes black dragon", "Red-Eyes Black Dragon"),
    Judged("red-eyes", "Red-Eyes Black Dragon"),
    Judged("kuriboh", "Kuriboh"),
    Judged("kurib", "Kuriboh", why="prefix"),
    Judged("dark magician t:spellcaster", "Dark Magician", why="monster race in the type line"),
    Judged("t:dragon s:lob", "Blue-Eyes White Dragon", within=20, why="race + set filter"),
    # whole names beat longer names containing them, with one typo
    Judged("harpie lday", "Harpie Lady", why="beats Harpie Lady Sisters"),
    Judged("hinotma", "Hinotama", why="beats Hinotama Soul"),
    # --- One Piece -----------------------------------------------------------------------------
    Judged("monkey d luffy", "Monkey.D.Luffy", why="dots in the name"),
    Judged("monkey.d.luffy", "Monkey.D.Luffy"),
    Judged("luffy", "Monkey.D.Luffy", why="last word"),
    Judged("roronoa zoro", "Roronoa Zoro"),
    Judged("OP01-001", "Roronoa Zoro", number="OP01:OP01-001", why="card number"),
    Judged("ST01-001", "Monkey.D.Luffy", number="ST01:ST01-001"),
    Judged("nami", "Nami", within=2, why="exact beats O-Nami"),
    Judged("shanks", "Shanks"),
    Judged("trafalgar law", "Trafalgar Law"),
    Judged("trafalger law", "Trafalgar Law", why="typo"),
    Judged("boa hancock", "Boa Hancock"),
    Judged("thousand sunny", "Thousand Sunny"),
    Judged("nami game:op", "Nami", within=2),
    # whole names with apostrophes joined or one typo
    Judged("kinemon", "Kin'emon", why="the apostrophe joins `kin` and `emon`"),
    Judged("monkey d lufy", "Monkey.D.Luffy", why="a typo in a dotted name"),
)

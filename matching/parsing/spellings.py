"""Spelling tables: how sellers and tools write conditions, finishes, editions, languages and
graders, each spelling mapped to the universal SKU vocabulary (`models.sku`). A data table:
docs/matching-input.md shows and justifies every entry; `matching.parsing.vocab` keys them by
`models.text.spelling_key` and reads them. One entry per line.
"""

from __future__ import annotations

NM, LP, MP, HP, DMG = "NM", "LP", "MP", "HP", "DMG"

NORMAL, FOIL, ETCHED, GLOSSY = "NORMAL", "FOIL", "ETCHED", "GLOSSY"
HOLO, REVERSE_HOLO = "HOLO", "REVERSE_HOLO"
FIRST, UNLIMITED, LIMITED = "1ST", "UNLIMITED", "LIMITED"

# --------------------------------------------------------------------------- conditions

#: Spellings that mean the same on every scale.
CONDITION_COMMON = {
    "NM": NM,
    "Near Mint": NM,
    "NearMint": NM,
    "near_mint": NM,
    "Mint": NM,
    "M": NM,
    "MT": NM,
    "M/NM": NM,
    "NM/M": NM,
    "NM-M": NM,
    "NM-MT": NM,
    "NM+": NM,
    "Mint/Near Mint": NM,
    "Near Mint/Mint": NM,
    "Gem Mint": NM,
    "Pristine": NM,
    "Brand New": NM,
    "New": NM,
    "MP": MP,
    "Moderately Played": MP,
    "Moderate Played": MP,
    "HP": HP,
    "Heavily Played": HP,
    "Heavy Played": HP,
    "Heavily-Played": HP,
    "DMG": DMG,
    "Damaged": DMG,
    "D": DMG,
    "DM": DMG,
    "Poor": DMG,
    "PO": DMG,
    "PR": DMG,
}

#: US scale (TCGplayer and the US collection tools).
CONDITION_TCGPLAYER = {
    **CONDITION_COMMON,
    "LP": LP,
    "Lightly Played": LP,
    "Light Played": LP,
    "LightPlayed": LP,
    "light_played": LP,
    "Slightly Played": LP,
    "SP": LP,
    "Good (Lightly Played)": LP,
    "Good": LP,
    "Excellent": LP,
    "EX": LP,
    "EXC": LP,
    "Played": MP,
    "PL": MP,
    "VG": MP,
    "Very Good": MP,
}

#: EU scale (Cardmarket; Dragon Shield and ManaBox use the same seven grades). Cardmarket's
#: CSV export writes the grade as an integer 1-7 in this order.
CONDITION_CARDMARKET = {
    **CONDITION_COMMON,
    "1": NM,  # MT
    "2": NM,  # NM
    "EX": LP,
    "Excellent": LP,
    "3": LP,
    "GD": MP,
    "Good": MP,
    "4": MP,
    "LP": MP,
    "Light Played": MP,
    "Lightly Played": MP,
    "LightPlayed": MP,
    "5": MP,
    "PL": HP,
    "Played": HP,
    "6": HP,
    "7": DMG,  # PO
}

#: Sports-card words (CollX): Excellent ~ LP, Very Good/Good ~ MP, Fair ~ HP, Poor ~ DMG.
CONDITION_COLLX = {
    **CONDITION_COMMON,
    "Excellent": LP,
    "EX": LP,
    "EX-MT": LP,
    "Excellent-Mint": LP,
    "Very Good": MP,
    "VG": MP,
    "VG-EX": MP,
    "Good": MP,
    "Fair": HP,
}

#: Finish words (the surface treatment), without edition.
FINISH_SPELLINGS = {
    "Normal": NORMAL,
    "Non-Foil": NORMAL,
    "Nonfoil": NORMAL,
    "Non Foil": NORMAL,
    "Regular": NORMAL,
    "Non-Holo": NORMAL,
    "Non Holo": NORMAL,
    "Nonholo": NORMAL,
    "Foil": FOIL,
    "Premium": FOIL,
    "Etched": ETCHED,
    "Foil Etched": ETCHED,
    "Etched Foil": ETCHED,
    "foil_etched": ETCHED,
    "Glossy": GLOSSY,
    "Holo": HOLO,
    "Holofoil": HOLO,
    "Holographic": HOLO,
    "Holo Foil": HOLO,
    "Reverse Holo": REVERSE_HOLO,
    "Reverse Holofoil": REVERSE_HOLO,
    "Reverse Foil": REVERSE_HOLO,
    "Rev Holo": REVERSE_HOLO,
    "Reverse": REVERSE_HOLO,
    "RH": REVERSE_HOLO,
}
#: Edition words (Yu-Gi-Oh! and vintage Pokémon).
EDITION_SPELLINGS = {
    "1st Edition": FIRST,
    "1st Ed": FIRST,
    "1st Ed.": FIRST,
    "First Edition": FIRST,
    "1st": FIRST,
    "1 Ed": FIRST,
    "First Ed": FIRST,
    "Unlimited": UNLIMITED,
    "Unlimited Edition": UNLIMITED,
    "Unl": UNLIMITED,
    "Limited": LIMITED,
    "Limited Edition": LIMITED,
}
#: Languages: codes and names in the languages sellers write them.
LANGUAGE_SPELLINGS = {
    # English
    "EN": "EN",
    "ENG": "EN",
    "English": "EN",
    "en-US": "EN",
    "Inglés": "EN",
    "Englisch": "EN",
    "Anglais": "EN",
    "Inglese": "EN",
    # Japanese (Archidekt and Pokémon sellers write JP, ISO is JA)
    "JP": "JP",
    "JA": "JP",
    "JPN": "JP",
    "JAP": "JP",
    "Japanese": "JP",
    "Japan": "JP",
    "Japonais": "JP",
    "Japanisch": "JP",
    "Giapponese": "JP",
    "Japonés": "JP",
    "日本語": "JP",
    # German
    "DE": "DE",
    "GER": "DE",
    "DEU": "DE",
    "German": "DE",
    "Deutsch": "DE",
    "Allemand": "DE",
    "Tedesco": "DE",
    "Alemán": "DE",
    # French
    "FR": "FR",
    "FRA": "FR",
    "FRE": "FR",
    "French": "FR",
    "Français": "FR",
    "Französisch": "FR",
    "Francese": "FR",
    "Francés": "FR",
    # Italian
    "IT": "IT",
    "ITA": "IT",
    "Italian": "IT",
    "Italiano": "IT",
    "Italienisch": "IT",
    "Italien": "IT",
    # Spanish
    "ES": "ES",
    "SP": "ES",
    "SPA": "ES",
    "Spanish": "ES",
    "Español": "ES",
    "Castellano": "ES",
    "Spanisch": "ES",
    "Espagnol": "ES",
    "Spagnolo": "ES",
    # Portuguese
    "PT": "PT",
    "POR": "PT",
    "pt-BR": "PT",
    "Portuguese": "PT",
    "Português": "PT",
    "Brazilian Portuguese": "PT",
    "Portuguese (Brazil)": "PT",
    "Portugiesisch": "PT",
    # Korean (Archidekt writes KR)
    "KO": "KO",
    "KR": "KO",
    "KOR": "KO",
    "Korean": "KO",
    "한국어": "KO",
    "Koreanisch": "KO",
    # Russian
    "RU": "RU",
    "RUS": "RU",
    "Russian": "RU",
    "Русский": "RU",
    "Russisch": "RU",
    # Chinese. Moxfield, Deckbox and TCGplayer write plain "Chinese" for Simplified (their
    # "Traditional Chinese" is the other one); Archidekt writes CS / CT; ManaBox zh_CN / zh_TW.
    "ZHS": "ZHS",
    "zh_CN": "ZHS",
    "zh-Hans": "ZHS",
    "CS": "ZHS",
    "CHS": "ZHS",
    "SC": "ZHS",
    "CN": "ZHS",
    "CHN": "ZHS",
    "Chinese": "ZHS",
    "Simplified Chinese": "ZHS",
    "Chinese Simplified": "ZHS",
    "Chinese (Simplified)": "ZHS",
    "简体中文": "ZHS",
    "ZHT": "ZHT",
    "zh_TW": "ZHT",
    "zh-Hant": "ZHT",
    "CT": "ZHT",
    "CHT": "ZHT",
    "TC": "ZHT",
    "Traditional Chinese": "ZHT",
    "Chinese Traditional": "ZHT",
    "Chinese (Traditional)": "ZHT",
    "繁體中文": "ZHT",
    "ZH": "ZH",
    "中文": "ZH",
    # Rarer Magic / Pokémon languages
    "HE": "HE",
    "Hebrew": "HE",
    "LA": "LA",
    "Latin": "LA",
    "GRC": "GRC",
    "Ancient Greek": "GRC",
    "AR": "AR",
    "Arabic": "AR",
    "SA": "SA",
    "Sanskrit": "SA",
    "PH": "PH",
    "Phyrexian": "PH",
    "NL": "NL",
    "Dutch": "NL",
    "Nederlands": "NL",
    "PL": "PL",
    "Polish": "PL",
    "Polski": "PL",
    "TH": "TH",
    "Thai": "TH",
    "ID": "ID",
    "Indonesian": "ID",
    "Indonesia": "ID",
    "Bahasa Indonesia": "ID",
}
#: Cardmarket `idLanguage` (MKM API 2.0 "Stock"; see SITE_BEHAVIOR.md of MtgCsvHelper).
CARDMARKET_LANGUAGES = {
    "1": "EN",
    "2": "FR",
    "3": "DE",
    "4": "ES",
    "5": "IT",
    "6": "ZHS",
    "7": "JP",
    "8": "PT",
    "9": "RU",
    "10": "KO",
    "11": "ZHT",
}

#: Yu-Gi-Oh! set-code region letters (`LOB-EN001`, `SDY-E001`, `LOB-G001`).
YUGIOH_REGIONS = {
    "EN": "EN",
    "E": "EN",
    "AE": "EN",
    "DE": "DE",
    "G": "DE",
    "FR": "FR",
    "F": "FR",
    "IT": "IT",
    "I": "IT",
    "SP": "ES",
    "S": "ES",
    "PT": "PT",
    "P": "PT",
    "JP": "JP",
    "J": "JP",
    "JA": "JP",
    "KR": "KO",
    "K": "KO",
    "TC": "ZHT",
    "SC": "ZHS",
}


#: Finish names for sentences a seller reads.
FINISH_DISPLAY = {
    NORMAL: "non-foil",
    FOIL: "foil",
    ETCHED: "etched foil",
    GLOSSY: "glossy",
    HOLO: "holo",
    REVERSE_HOLO: "reverse holo",
    FIRST: "1st Edition",
    f"{FIRST}_HOLO": "1st Edition holo",
    UNLIMITED: "Unlimited",
    f"{UNLIMITED}_HOLO": "Unlimited holo",
    LIMITED: "Limited Edition",
}

#: Graders whose grade is part of the SKU, and the aliases sellers use for them.
GRADER_ALIASES = {"PSA": "PSA", "BGS": "BGS", "BECKETT": "BGS", "CGC": "CGC"}
#: What a grade column holds for a raw card (spelling keys): nothing to read.
UNGRADED_WORDS = frozenset({"ungraded", "raw", "none", "no", "na", "0"})
#: Graders seen in listings whose grade the SKU cannot carry (listing is kept, grade dropped).
OTHER_GRADERS = ("SGC", "TAG", "ACE", "AGS", "RPA", "AP", "MNT", "HGA", "GMA", "PCA", "ARS")

"""Which writing form a message is in: Cyrillic Bulgarian, Latin-script Bulgarian or English.

Cyrillic letters mean Bulgarian. For Latin letters every word votes: a word the English
dictionary knows votes English, a word that transliterates to a known Bulgarian word votes
Bulgarian, and a word known to both counts half for each. Words that belong to no language
(protocol and product names, "ok", emoji, numbers) do not vote; a message made only of them
is undecided, so the conversation keeps its language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from simplemma import is_known

from bot.translit import latin_word_to_cyrillic

WritingForm = Literal["bg", "bg_latn", "en"]
REPLY_LANGUAGE: dict[str, str] = {"bg": "bg", "bg_latn": "bg", "en": "en"}

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[a-z]")

# Technical words shared by all writing forms: they keep their Latin spelling everywhere.
TECH_WORDS = frozenset(
    """
    ok okay okey imap imap4 pop pop3 smtp email emails mail mails gmail outlook thunderbird
    iphone android ipad mac macbook windows apple samsung xiaomi huawei webmail roundcube
    spam inbox server wifi internet sync
    """.split()
)
# Words that say nothing about the language: technical words and fillers.
NEUTRAL_WORDS = TECH_WORDS | frozenset("k kk e tea bg en eng hmm hm mm aha ah oh lol a vs".split())
# Informal English that dictionaries miss.
EN_MARKERS = frozenset("thx thanx ty pls plz cya u ur btw asap hi hey hello bye".split())
# Bulgarian inflection endings (definite article, plural) on a word no dictionary knows.
_BG_ENDING = re.compile(r"(ite|ata|iata|qta|yata|ovete|ove|eto|ete|uta|ut|at|ta|to)$")
# Latin-script Bulgarian words that English dictionaries also list or transliteration
# does not reach; they are strong evidence of Bulgarian.
BG_LATIN_MARKERS = frozenset(
    """
    da ne na za mi si se e ot kak kakvo koe koi koya koq zashto zasto zashto6 moje mozhe
    moga mojete mozhete iskam trqbva tryabva triabva imam nqma nyama nema mersi blagodarya
    blagodaria zdravei zdraveite zdrasti zdr chao dovijdane dovizhdane pozdravi molq molya
    kude kade tuk tam sega li ili ama ami oshte o6te mnogo malko dobre dobro vsi4ki vsichki
    pisma pismata poshta poshtata pochta po4ta kutiq kutiya kutiqta kutiyata nastroika
    nastroiki nastroya nastroq telefon telefona kompiutur kompyutar laptopa
    """.split()
)


@lru_cache(maxsize=50_000)
def _votes(word: str) -> tuple[float, float]:
    """(English, Bulgarian) vote of one lowercase Latin word."""
    if word in BG_LATIN_MARKERS or re.search(r"[a-z][46]|[46][a-z]", word):
        return 0.0, 1.0
    if word in EN_MARKERS:
        return 1.0, 0.0
    english = is_known(word, lang="en")
    bulgarian = len(word) > 1 and is_known(latin_word_to_cyrillic(word), lang="bg")
    if english and bulgarian:
        return 0.5, 0.5
    if not english and not bulgarian and _BG_ENDING.search(word):
        return 0.0, 0.5
    return float(english), float(bulgarian)


def detect_writing_form(text: str) -> WritingForm | None:
    """The writing form of `text`, or None when it cannot be decided."""
    lowered = (text or "").lower()
    cyrillic = len(_CYRILLIC.findall(lowered))
    latin = len(_LATIN.findall(lowered))
    if cyrillic and cyrillic >= latin / 2:
        return "bg"
    words = [w for w in _WORD.findall(lowered) if _LATIN.search(w) and w not in NEUTRAL_WORDS]
    if not words:
        return "bg" if cyrillic else None
    en = bg = 0.0
    for word in words:
        e, b = _votes(word)
        en += e
        bg += b
    if en == bg:
        return "bg" if cyrillic else None
    return "en" if en > bg else "bg_latn"


def reply_language(form: str | None) -> str | None:
    """The language to answer in for a writing form (both Bulgarian forms get Bulgarian)."""
    return REPLY_LANGUAGE.get(form) if form else None

"""Which writing form a message is in: Cyrillic Bulgarian, Latin-script Bulgarian or English.

Cyrillic letters mean Bulgarian. For Latin letters every word votes: a word the English
dictionary knows votes English, a word that transliterates to a known Bulgarian word votes
Bulgarian, and a word known to both counts half for each. Words that belong to no language
(protocol and product names, "ok", emoji, numbers) do not vote; a message made only of them
is undecided, so the conversation keeps its language.

Markup, links, e-mail addresses and phone numbers are removed before anything votes, so a
pasted `<img onerror=...>` or a signature cannot sway the language. A message in Russian or
German is told apart ("other"): the assistant answers it in both of its languages. An
undecided message may still have a *guess* (`guess_writing_form`): "mailbx ful" is close to
English words; the first message of a conversation is answered in that guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from simplemma import is_known

from bot.translit import latin_word_to_cyrillic

WritingForm = Literal["bg", "bg_latn", "en", "other"]
REPLY_LANGUAGE: dict[str, str] = {"bg": "bg", "bg_latn": "bg", "en": "en"}

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[a-z]")
# What is not language: markup, links, e-mail addresses, phone and other long numbers, and
# the masks bot/privacy.py puts in their place ([***], [email], [phone]).
NOISE = re.compile(
    r"<[^>]{0,500}>|&[a-z]+;|\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\+?\d(?:[\s().\-/]?\d){6,}|\[(?:\*\*\*|email|phone)\]",
    re.IGNORECASE,
)
# Letters Bulgarian does not have, and frequent Russian and German words Bulgarian and
# English do not share (small lists: a full dictionary costs 150 MB per process).
_RUSSIAN_LETTERS = re.compile(r"[ыэё]")
RUSSIAN_WORDS = frozenset(
    """
    что это почему пожалуйста здравствуйте спасибо почта почту почты работает
    ящик ящика меня могу нет есть вы мне письмо письма получаю отправить помогите
    """.split()
)
GERMAN_WORDS = frozenset(
    """
    ich nicht und ist mein meine meinen die der das funktioniert habe kann keine kein mit
    ein eine bitte wie warum guten danke postfach voll ich's sie wir nachricht
    """.split()
)

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


def strip_noise(text: str) -> str:
    return NOISE.sub(" ", text or "")


def _foreign(words: list[str], cyrillic: bool) -> bool:
    """Russian or German: at least two of their words, or one in a message of up to three."""
    markers = RUSSIAN_WORDS if cyrillic else GERMAN_WORDS
    hits = sum(w in markers for w in words)
    return hits >= 2 or (hits == 1 and len(words) <= 3 and len(words[0]) > 2)


def detect_writing_form(text: str) -> WritingForm | None:
    """The writing form of `text`, or None when it cannot be decided."""
    lowered = strip_noise(text).lower()
    cyrillic = len(_CYRILLIC.findall(lowered))
    latin = len(_LATIN.findall(lowered))
    if cyrillic and cyrillic >= latin / 2:
        words = _WORD.findall(lowered)
        if _RUSSIAN_LETTERS.search(lowered) or _foreign(words, cyrillic=True):
            return "other"
        return "bg"
    words = [w for w in _WORD.findall(lowered) if _LATIN.search(w) and w not in NEUTRAL_WORDS]
    if not words:
        return "bg" if cyrillic else None
    if re.search(r"[äöüß]", lowered) or _foreign(words, cyrillic=False):
        return "other"
    en = bg = 0.0
    for word in words:
        e, b = _votes(word)
        en += e
        bg += b
    if en == bg:
        return "bg" if cyrillic else None
    return "en" if en > bg else "bg_latn"


@lru_cache(maxsize=20_000)
def near_english(word: str) -> bool:
    """One letter missing from an English word ("mailbx", "ful"), and not Bulgarian."""
    if len(word) < 3 or is_known(latin_word_to_cyrillic(word), lang="bg"):
        return False
    return any(
        is_known(word[:i] + letter + word[i:], lang="en")
        for i in range(len(word) + 1)
        for letter in "abcdefghijklmnopqrstuvwxyz"
    )


def guess_writing_form(text: str) -> WritingForm | None:
    """For an undecided Latin message: "en" when most of its words are near English words."""
    lowered = strip_noise(text).lower()
    words = [w for w in _WORD.findall(lowered) if _LATIN.search(w) and w not in NEUTRAL_WORDS]
    if not words or _CYRILLIC.search(lowered):
        return None
    near = sum(near_english(w) for w in words)
    return "en" if near * 2 > len(words) else None


def reply_language(form: str | None) -> str | None:
    """The language to answer in for a writing form (both Bulgarian forms get Bulgarian)."""
    return REPLY_LANGUAGE.get(form) if form else None

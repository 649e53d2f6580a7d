"""Latin-script Bulgarian ("shlyokavitsa") to Cyrillic.

Customers type Bulgarian in Latin letters with mixed conventions: "sht"/"6" for щ, "ch"/"4"
for ч, "q"/"ya"/"ia" for я, "u"/"a"/"y" for ъ. A fixed table gives one Cyrillic spelling;
where that spelling is not a Bulgarian word, the ambiguous vowels are tried the other way
and a spelling the Bulgarian dictionary knows is preferred ("pulna" -> "пълна").
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from simplemma import is_known

# Longest sequences first; the order of this table is the order of matching.
_MULTI: tuple[tuple[str, str], ...] = (
    ("sht", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("iu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("ja", "я"),
    ("yo", "йо"),
    ("kh", "х"),
)
_SINGLE: dict[str, str] = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "я",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "кс",
    "y": "ъ",
    "z": "з",
    "6": "ш",
    "4": "ч",
    "`": "ъ",
    "'": "ь",
}
# Cyrillic letters that Latin typists write in more than one way: the alternatives tried
# when the first spelling is not a known word.
_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "у": ("ъ",),
    "а": ("ъ",),
    "ъ": ("у", "й"),
    "и": ("й",),
    "ш": ("щ",),
    "я": ("ия",),
}
_MAX_AMBIGUOUS = 4

_LATIN_WORD = re.compile(r"[a-z`'46]*[a-z][a-z`'46]*")


def _table_transliterate(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        for latin, cyr in _MULTI:
            if word.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            ch = word[i]
            out.append(_SINGLE.get(ch, ch))
            i += 1
    return "".join(out)


@lru_cache(maxsize=50_000)
def latin_word_to_cyrillic(word: str) -> str:
    """Transliterate one lowercase Latin-script Bulgarian word."""
    base = _table_transliterate(word)
    if is_known(base, lang="bg"):
        return base
    positions = [i for i, ch in enumerate(base) if ch in _ALTERNATIVES][:_MAX_AMBIGUOUS]
    for n_changes in (1, 2):
        for combo in itertools.combinations(positions, n_changes):
            for replacements in itertools.product(*(_ALTERNATIVES[base[i]] for i in combo)):
                chars = list(base)
                for i, rep in zip(combo, replacements, strict=True):
                    chars[i] = rep
                candidate = "".join(chars)
                if is_known(candidate, lang="bg"):
                    return candidate
    return base


def latin_to_cyrillic(text: str) -> str:
    """Transliterate every Latin-script word of `text`; other characters stay as they are."""
    return _LATIN_WORD.sub(lambda m: latin_word_to_cyrillic(m.group(0)), text.lower())

"""Password redaction: applied by every channel before a message reaches Rasa.

Customers paste passwords in every shape: "паролата ми е Tea2024!", "Tea2024! това ми е
паролата", "parolata za ivan@abv.bg e ...", "password: correct horse battery staple",
"user: ivan@abv.bg / Tea2024!". The secret is replaced with MASK before the text is logged,
stored in the tracker store, shown to agents or counted in analytics; the channel then
reminds the customer never to share a password (`found`).

Three rules find a secret (tests/fixtures/credentials.yml measures them on real phrasings):

1. After a password word ("парола", "пасуърд", "parolata", "pass", "pw", ...) and a
   connector: a quoted string; after ":" or "=" the words up to the end of the clause (a
   passphrase); after "is / е" a single token that is not an ordinary word.
2. Next to an account, with no password word: "ivan@abv.bg / secret", "ivan@abv.bg:secret",
   "user: ivan / secret".
3. In a message about a password (or about typing one in: "пробвах ..."), every token shaped
   like a password, wherever it stands: "Tea2024! това ми е паролата", "новата е Sofia2024!".
   In any message, a token that mixes upper and lower case, digits and symbols ("Tea2024!!").

An ordinary sentence about passwords ("паролата ми е грешна", "password reset") has no such
token and is left alone. E-mail addresses are not secrets: agents need them.

Contact details (e-mail addresses, phone numbers) are a second, weaker class: they stay in the
conversation for the agents, but `mask_contacts` hides them in log files (every log record of
a process that called `mask_logs`) and in analytics; MASK_CONTACTS=1 in `.env` hides them in
the tracker store too (the channels apply it with the password mask).
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from typing import Any

from simplemma import is_known

from bot.translit import latin_word_to_cyrillic

# Script-neutral, so it does not sway language detection.
MASK = "[***]"

# --- words ------------------------------------------------------------------------------------
# "Password" in Cyrillic and Latin-script Bulgarian and English, with the misspellings and
# slang customers use: парола-та, паролка, пасуърд/пасуорд/пасворд, пас(ът), pasuorda, pw ...
# A PIN of the account counts too: "ПИН кодът ми е 48213907", "pin-a mi e ...".
_KEYWORD = (
    r"(?:пар[оo]л(?:а(?:-?та)?|о|ка(?:та)?|и(?:те)?)|пас(?:уър|уор|уар|вор)д(?:а|ът)?|пас(?:а|ът)?"
    r"|parol(?:[aeo]a?(?:-?ta)?|ka(?:ta)?|i(?:te)?)|pas(?:uor|uar|vor|wor|uur)d(?:a|at|ut)?"
    r"|pass?(?:word|wrod|wd|w|code|phrase)?s?(?:-?a|ut|at)?|pas-?a|pwd?"
    r"|пин(?:-?(?:а|ът))?(?:\s+код(?:а|ът)?)?|pin(?:-?(?:a|ut))?(?:\s+(?:code|kod(?:a|ut)?))?)"
)
# Typing a password in: "пробвах Zdravko77 и zdravko77", "влизам с ivan@abv.bg и Tea2024".
_ATTEMPT = (
    r"(?:пробва[хм]|опита[хм]|опитвам|въвежда[хм]|въведох|написах|сложих|слагам|влизам|влязох"
    r"|probva[hm]|opita[hm]|v[au]vejda[hm]|v[au]vedoh|napisah|slojih|vlizam|vlqzoh|vlyazoh"
    r"|tried|typed|entered)"
)
# A message that mentions either is about a password (rule 3).
_CONTEXT = re.compile(rf"\b(?:{_KEYWORD}|{_ATTEMPT})\b", re.IGNORECASE)

# First words of a sentence *about* the password, not a passphrase: "password: forgot it",
# "парола: не я помня".
_TALK = frozenset(
    """
    i i'm im it it's its forgot forgotten forget don't dont do does doesn't not no none same
    wrong incorrect invalid expired reset changed change required empty blank unknown how why
    what where when can could is was please help see ok okay n/a
    не няма забравих забравена грешна грешен невалидна същата сменена смених изтекла
    как защо какво къде кога може трябва моля е
    ne nqma nyama zabravih greshna nevalidna sushtata smenena smenih iztekla kak zashto kakvo
    kude moje trqbva molq e
    """.split()
)
# Latin-script words that the dictionaries miss but that describe a password, not are one.
_ORDINARY = frozenset("smenena nevalidna zaklyuchena zakluchena blokirana iztekla okey".split())
# Bulgarian adjective and participle endings ("zapazena", "greshen"): ordinary words too.
_BG_ENDING = re.compile(r"(?:na|no|ni|en|an|ta|to|te|ite)$")

# --- rule 1: a password word, then the secret ---------------------------------------------------
# Between the word and the secret: "ми"/"й", "(case sensitive)", "за ivan@abv.bg", "for my
# account", "на пощата"; then the connector, whose kind decides what counts as a secret.
# Repetitions are bounded: a 2000-character word must not cost quadratic time.
_INTRO = re.compile(
    rf"\b{_KEYWORD}\b(?:['’]s\b)?"
    r"(?:\s+(?:ми|mi|й|ѝ))?"
    r"(?:\s*\([^()\n]{1,40}\))?"
    r"(?:\s+(?:за|za|for|на|na|of)\s+(?:\S{1,64}\s+){0,2}?\S{1,64}?)?"
    r"(?:(?P<colon>(?:\s+(?:е|e|is))?\s*[:=]\s*|\s+[-–—]+>?\s+)"
    r"|(?P<copula>\s+(?:е|e|is|was|беше|beshe)\s+|(?<=['’]s)\s+)"
    r"|(?P<space>\s+))",
    re.IGNORECASE,
)
# "…", '…', „…“, “…”, «…», ‘…’; an apostrophe inside a word ("can't") does not close a quote.
_QUOTES = [('"', '"', ""), ("'", "'", r"(?!\w)"), ("„“", "“”", ""), ("«", "»", ""), ("‘", "’", "")]
_QUOTED = re.compile(
    "|".join(rf"[{o}](?P<q{i}>[^{c}\n]{{1,80}})[{c}]{after}" for i, (o, c, after) in enumerate(_QUOTES))
)
# Where a passphrase after "password:" ends: the end of the clause or of the line.
_CLAUSE_END = re.compile(r"[.,;!?](?=\s|$)|\n")
_PASSPHRASE_WORDS = 8

# --- rule 2: an account, then "/" or "|" (or ":" right after an address), then the secret -------
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_ACCOUNT = re.compile(
    rf"(?:{EMAIL.pattern}(?:\s*[/|]\s*|:(?=\S))"
    r"|\b(?:user(?:name)?|login|логин|потребител|account|акаунт)\s*[:=]?\s*[^\s/|]+\s*[/|]\s*)"
    r"(?P<secret>[^\s/|]+)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\d{9,}")

# --- rule 3: what a password looks like ---------------------------------------------------------
_TOKEN = re.compile(r"\S+")
_LABEL = re.compile(rf"{_KEYWORD}[:=]", re.IGNORECASE)
# Punctuation around a token that is not part of it ("Krasi2022?", "„Varna2023“,"). A
# trailing "!" is kept: passwords end with one far more often than a sentence does here.
_LEADING = "([{\"'«„“‘"
_TRAILING = ".,;:?)]}\"'»“”’"
_SYMBOL = re.compile(r"[!#$%&*^~+=?@]")
_LETTER = re.compile(r"[^\W\d_]")
# Tokens with letters and digits that are not passwords: error codes (0x800CCC0E), host names
# (pop3.tea.bg), half addresses (office@), numbers with a unit or an ending (50MB, 12.03.2024г,
# 2-ри), product versions (Outlook2016, iPhone13) and ticket numbers (TEA-20931).
_NOT_A_PASSWORD = re.compile(
    r"0x[0-9a-f]+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}|[\w.+-]+@|@[\w.-]+"
    r"|\d+(?:[.,:/-]\d+)*(?:kb|mb|gb|tb|кб|мб|гб|г|ч|h|лв|st|nd|rd|th|ти|ри|ви|ми|am|pm|px|%)?\.?"
    r"|(?:pop|imap|smtp|ssl|tls|utf|iso|win(?:dows)?|office|outlook|iphone|ipad|android|ios"
    r"|galaxy|redmi|ms|x|v|ver|version|port|http|https|ipv)[-.]?\d[\d.]*[a-z]?"
    r"|(?-i:[A-Z]{2,6}-\d{2,})",
    re.IGNORECASE,
)


def _strip(token: str) -> tuple[int, str]:
    """(offset of the bare token in `token`, the token without the punctuation around it)."""
    start = len(token) - len(token.lstrip(_LEADING))
    return start, token[start:].rstrip(_TRAILING)


def _password_like(token: str) -> bool:
    """Letters with digits or symbols, six characters or more, and not a code or a product."""
    # "anything!!", "Здравейте!": an exclamation mark at the end alone is punctuation.
    core = token.rstrip("!")
    return (
        len(token) >= 6
        and _LETTER.search(token) is not None
        and (any(c.isdigit() for c in token) or _SYMBOL.search(core) is not None)
        and EMAIL.search(token) is None
        and MASK.strip("[]") not in token  # a mask, or what is left of one after stripping "]"
        and _NOT_A_PASSWORD.fullmatch(token) is None
        and not _digits_for_letters(token)
    )


def _digits_for_letters(token: str) -> bool:
    """Latin-script Bulgarian writes ч as 4 and ш/щ as 6: "vsi4ko", "po6tata", "Spe6no"."""
    word = token.lower()
    if not re.fullmatch(r"[a-z46]+", word) or not re.search(r"[a-z][46]|[46][a-z]", word):
        return False
    return any(_ordinary_word(word.replace("4", "ch").replace("6", six)) for six in ("sht", "sh"))


def _unmistakable(token: str) -> bool:
    """Upper and lower case, a digit and a symbol: a password even with no word around it."""
    return (
        _password_like(token)
        and any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
        and _SYMBOL.search(token) is not None
    )


@lru_cache(maxsize=10_000)
def _ordinary_word(word: str) -> bool:
    """A word of English or (Latin-script) Bulgarian: "wrong", "greshna", "zapazena"."""
    word = word.lower()
    return (
        word in _ORDINARY
        or word in _TALK
        or is_known(word, lang="en")
        or is_known(latin_word_to_cyrillic(word), lang="bg")
        or _BG_ENDING.search(word) is not None
    )


def _secret_after_copula(token: str) -> bool:
    """X in "паролата ми е X", "my password is X", unless it is an ordinary word.

    Digits alone count ("1234"); so does a Latin word no dictionary knows ("qwerty"). A
    Cyrillic word never does: "паролата ми е сменена" is far likelier than a Cyrillic password.
    """
    if token.isdigit():
        return 4 <= len(token) <= 64
    if "_" in token.strip("_") and token.isascii() and 5 <= len(token) <= 32:
        return True  # "sharo_kuche": words do not join with an underscore
    return 5 <= len(token) <= 32 and token.isascii() and token.isalpha() and not _ordinary_word(token)


def _passphrase(text: str, begin: int) -> tuple[int, int] | None:
    """"password: correct horse battery staple": the words up to the end of the clause, but
    never an e-mail address or the next "parola: ..." of the message."""
    clause = _CLAUSE_END.search(text, begin)
    end = clause.start() if clause else len(text)
    for stop in (EMAIL.search(text, begin, end), _CONTEXT.search(text, begin, end)):
        if stop:
            end = min(end, stop.start())
    words = list(_TOKEN.finditer(text, begin, end))[:_PASSPHRASE_WORDS]
    if not words:
        return None
    offset, last = _strip(words[-1].group())
    return begin, words[-1].start() + offset + len(last)


def _secret_after(text: str, start: int, kind: str) -> tuple[int, int] | None:
    """The span of the secret at `start`, right after a connector of `kind`, if there is one."""
    quoted = _QUOTED.match(text, start)
    if quoted:
        name = next(name for name, value in quoted.groupdict().items() if value is not None)
        words = quoted.group(name).split()
        if not words:  # '" "': quotes around blanks
            return None
        # Not 'password is "wrong"' nor 'password: "forgot it"'.
        if words[0].lower() in _TALK or (len(words) == 1 and kind == "copula" and _ordinary_word(words[0])):
            return None
        return quoted.span(name)
    token = _TOKEN.match(text, start)
    if not token:
        return None
    offset, word = _strip(token.group())
    begin = token.start() + offset
    if not word or EMAIL.search(word) or MASK in token.group():
        return None
    if _password_like(word) or (kind == "copula" and _secret_after_copula(word)):
        return begin, begin + len(word)
    if kind == "colon" and word.lower() not in _TALK:
        return _passphrase(text, begin)
    return None


def _spans(text: str) -> list[tuple[int, int]]:
    """Where the secrets are (possibly overlapping)."""
    spans: list[tuple[int, int]] = []
    for intro in _INTRO.finditer(text):  # rule 1
        span = _secret_after(text, intro.end(), intro.lastgroup or "space")
        if span:
            spans.append(span)
    for account in _ACCOUNT.finditer(text):  # rule 2
        raw = account.group("secret")
        offset, word = _strip(raw)
        # Not a phone ("ivan@abv.bg / 0888123456"), an address, nor the next "pass:" label.
        is_label = raw.endswith(":") or _CONTEXT.fullmatch(word) is not None
        if len(word) >= 4 and not EMAIL.search(word) and not _PHONE.fullmatch(word) and not is_label:
            begin = account.start("secret") + offset
            spans.append((begin, begin + len(word)))
    about_passwords = bool(spans) or _CONTEXT.search(text) is not None
    for token in _TOKEN.finditer(text):  # rule 3
        offset, word = _strip(token.group())
        # "password:Dragon2023" is a label and a secret: rule 1 masked the secret; keep the label.
        label = _LABEL.match(word)
        if label:
            offset, word = offset + label.end(), word[label.end() :]
        if _unmistakable(word) or (about_passwords and _password_like(word)):
            begin = token.start() + offset
            spans.append((begin, begin + len(word)))
    # Masking twice changes nothing: the agent tools mask the stored (masked) text again.
    return [(begin, end) for begin, end in spans if text[begin:end] not in MASK]


def _merged(spans: list[tuple[int, int]], emails: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined into one; e-mail addresses cut out of them."""
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    kept = []
    for begin, end in merged:
        for email_start, email_end in emails:
            if email_start <= begin < email_end:
                begin = email_end
            elif begin < email_start < end:
                end = email_start
        if begin < end:
            kept.append((begin, end))
    return kept


def redact(text: str) -> tuple[str, bool]:
    """(text with passwords masked, whether anything was masked)."""
    spans = _merged(_spans(text), [m.span() for m in EMAIL.finditer(text)])
    for begin, end in reversed(spans):
        text = text[:begin] + MASK + text[end:]
    return text, bool(spans)


# --- contact details --------------------------------------------------------------------------
EMAIL_MASK, PHONE_MASK = "[email]", "[phone]"
# A phone number as Bulgarians write it: +359 88 812 3456, 0888 123 456, (02) 987-65-43,
# 0888123456. At least eight digits, starting with + or 0, so that ports (993), years,
# error codes (0x800CCC0E) and order numbers without a leading 0 stay.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?0?\d{1,4}\)?(?:[ .\-/]?\d){6,12}(?![\w])")


_DATE = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2,4}")


def _phone_shaped(match: re.Match[str]) -> bool:
    number = match.group()
    digits = sum(ch.isdigit() for ch in number)
    return 8 <= digits <= 15 and number.lstrip("(")[:1] in "+0" and not _DATE.fullmatch(number)


def mask_contacts(text: str) -> str:
    """E-mail addresses and phone numbers replaced by [email] and [phone]."""
    text = EMAIL.sub(EMAIL_MASK, text)
    return PHONE.sub(lambda m: PHONE_MASK if _phone_shaped(m) else m.group(), text)


def contacts_masked_in_store() -> bool:
    """MASK_CONTACTS=1: the tracker store keeps no e-mail address or phone number either."""
    return os.environ.get("MASK_CONTACTS", "").strip().lower() in {"1", "true", "yes", "on"}


def mask_message(text: str) -> tuple[str, bool]:
    """What a channel passes on to Rasa: passwords masked (and the flag for the warning),
    contact details too when MASK_CONTACTS is set."""
    text, found = redact(text)
    return (mask_contacts(text) if contacts_masked_in_store() else text), found


def mask_logs() -> None:
    """Mask contact details in every log record this process writes (passwords are masked
    before any message reaches the code that logs it).

    A record factory, not a handler filter: Rasa, Sanic and the libraries each install their
    own handlers (coloredlogs, access logs), and a factory sees every record before any of
    them. Only records of an enabled level are built, so a quiet log costs nothing.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_contacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as it would
            return record
        masked = mask_contacts(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    factory.masks_contacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)

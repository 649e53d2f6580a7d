"""Passwords never reach the tracker store or the logs; the customer is warned.

The masking is measured on tests/fixtures/credentials.yml (real phrasings, with and without a
secret); tests/test_credentials_e2e.py sends the same messages through the running servers.
"""

from __future__ import annotations

import glob
import logging
import re
import time
import uuid

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import KnowledgeBase
from bot.privacy import MASK, mask_contacts, mask_logs, mask_message, redact
from bot.settings import PROJECT_DIR
from tests.conftest import LiveAssistant, load_fixture

CORPUS = load_fixture("credentials.yml")
WITH_SECRET, INNOCENT = CORPUS["with_secret"], CORPUS["innocent"]
MAX_INNOCENT_CHANGED = 0.02


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("паролата ми е Kotka123!", "Kotka123!"),
        ("my password is hunter2 and it doesnt work", "hunter2"),
        ("password: s3cr3t", "s3cr3t"),
        ("parolata mi e 12345abc", "12345abc"),
        ("pass=qwerty", "qwerty"),
        ("моята парола за пощата е Sofia2024", "Sofia2024"),
    ],
)
def test_passwords_are_masked(text: str, secret: str) -> None:
    masked, found = redact(text)
    assert found
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "text",
    [
        "забравих си паролата",
        "password reset please",
        "паролата не работи",
        "how do I change my password?",
        "my password is wrong",
        "POP3 или IMAP?",
    ],
)
def test_talk_about_passwords_is_left_alone(text: str) -> None:
    assert redact(text) == (text, False)


# --- the corpus -------------------------------------------------------------------------------
def test_the_corpus_is_large_and_mixed() -> None:
    assert len(WITH_SECRET) + len(INNOCENT) >= 160
    assert 0.4 <= len(WITH_SECRET) / (len(WITH_SECRET) + len(INNOCENT)) <= 0.6
    for items in (WITH_SECRET, INNOCENT):
        languages = {item["lang"] for item in items}
        assert {"bg", "bg_latn", "en"} <= languages <= {"bg", "bg_latn", "en", "none"}
    for item in WITH_SECRET:
        for secret in item["secrets"]:
            assert secret in item["text"], item
            # Long enough that the end-to-end byte search cannot hit a timestamp by chance.
            assert len(secret) >= (8 if secret.isdigit() else 6), secret
        assert all(kept in item["text"] for kept in item.get("keep", [])), item
    texts = [item["text"] for item in WITH_SECRET + INNOCENT]
    assert len(texts) == len(set(texts))


def surviving(item: dict, masked: str) -> list[str]:
    """What is left of the item's secrets: the whole string, or a word (4+ letters) of a
    passphrase that the rest of the message does not contain anyway."""
    rest = item["text"]
    for secret in item["secrets"]:
        rest = rest.replace(secret, " ")
    left = []
    for secret in item["secrets"]:
        if secret in masked:
            left.append(secret)
        words = secret.split()
        if len(words) > 1:
            left += [w for w in words if len(w) >= 4 and w in masked and w not in rest]
    return left


def test_no_secret_of_the_corpus_survives() -> None:
    failures = []
    for item in WITH_SECRET:
        masked, found = redact(item["text"])
        left = surviving(item, masked)
        lost = [kept for kept in item.get("keep", []) if kept not in masked]  # addresses stay
        if left or lost or not found or MASK not in masked:
            failures.append((item["text"], masked, left, lost))
    caught = len(WITH_SECRET) - len(failures)
    print(f"\nsecrets caught: {caught}/{len(WITH_SECRET)}")
    assert not failures, f"caught {caught}/{len(WITH_SECRET)}; missed: {failures}"


def test_innocent_messages_are_left_alone() -> None:
    changed = [(item["text"], redact(item["text"])) for item in INNOCENT]
    changed = [(text, result) for text, result in changed if result != (text, False)]
    print(f"\ninnocent messages changed: {len(changed)}/{len(INNOCENT)}")
    assert len(changed) <= MAX_INNOCENT_CHANGED * len(INNOCENT), changed


def nlu_examples() -> list[str]:
    """Every training and test example of the NLU (annotations removed): thousands of real
    customer messages, some about passwords, none with one."""
    texts = set()
    for path in glob.glob(str(PROJECT_DIR / "data/nlu/**/*.yml"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            for block in (yaml.safe_load(handle) or {}).get("nlu") or []:
                for line in str(block.get("examples") or "").splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        texts.add(re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line[2:]))
    return sorted(texts)


def test_the_nlu_data_is_left_alone() -> None:
    examples = nlu_examples()
    assert len(examples) > 1000
    changed = [(text, redact(text)[0]) for text in examples if redact(text)[1]]
    print(f"\nNLU examples changed: {len(changed)}/{len(examples)}")
    assert len(changed) <= MAX_INNOCENT_CHANGED * len(examples), changed[:20]


# --- the held-out corpus ----------------------------------------------------------------------
# Written independently of bot/privacy.py; first measured at 47 of 60 secrets caught. The
# PIN keyword, the misspellings "пароло", "parolaa", "passwrod" and underscore passwords were
# then added, so it is no longer blind. These are the phrasings still missed (what to do next:
# a secret named without a password word, "either X or Y", "set the password to 'a b c'").
HOLDOUT = load_fixture("credentials_holdout.yml")
HOLDOUT_MISSES = {
    "пробвах с розоваградина и с rozovagradina, нито едното не става",
    "ПИН кодът за достъп до акаунта ми е 48213907, а пак ме заключва",
    "Забравих дали е Plovdiv88 или plovdiv_88, може ли да проверите кое е вярното",
    "I tried with london_calling and with LondonCalling77, still locked out",
    "My PIN for the account is 30917264, can you unlock it?",
    "I set the password to 'purple monkey dishwasher' but the app says it's too weak",
    "it's either rainbow1999 or Rainbow1999!, can't remember wich",
}
HOLDOUT_FALSE_MASKS = {"Can I use a password manager like Bitwarden or 1Password with webmail?"}


def test_the_held_out_corpus_misses_no_more_than_known() -> None:
    missed = {i["text"] for i in HOLDOUT["with_secret"] if surviving(i, redact(i["text"])[0])}
    false = {i["text"] for i in HOLDOUT["innocent"] if redact(i["text"])[1]}
    print(f"\nheld out: caught {len(HOLDOUT['with_secret']) - len(missed)}/{len(HOLDOUT['with_secret'])}")
    assert missed <= HOLDOUT_MISSES, missed - HOLDOUT_MISSES
    assert false <= HOLDOUT_FALSE_MASKS, false - HOLDOUT_FALSE_MASKS


# --- details --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The address stays (agents need it), only the secret goes.
        ("user: ivan@abv.bg / Tea2024!", f"user: ivan@abv.bg / {MASK}"),
        ("creds ivan@abv.bg:Tea2024!", f"creds ivan@abv.bg:{MASK}"),
        ("parola: Tea2024! mail: ivan@abv.bg", f"parola: {MASK} mail: ivan@abv.bg"),
        # The whole passphrase, up to the end of the clause; the question after it stays.
        ("password: correct horse battery staple", f"password: {MASK}"),
        ("парола: зелен чай с мед. Кутията ми е пълна", f"парола: {MASK}. Кутията ми е пълна"),
        # Only the secret, not the rest of the sentence, after a single-token password.
        ("пасуърд: Tea2024! кутията пак е пълна", f"пасуърд: {MASK} кутията пак е пълна"),
        # The label stays when it is glued to the secret.
        ("password:Dragon2023", f"password:{MASK}"),
        # A letters-only password no dictionary knows, after "is / е".
        ("my password is qwerty, is that the problem?", f"my password is {MASK}, is that the problem?"),
        ("parolata mi e asdfgh", f"parolata mi e {MASK}"),
        # Quoted, with spaces.
        ('паролата ми е "Слънце 2024"', f'паролата ми е "{MASK}"'),
    ],
)
def test_what_exactly_is_masked(text: str, expected: str) -> None:
    assert redact(text) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "паролата ми е сменена",  # Cyrillic words after "е" are words, not passwords
        "my password is okay",
        "password: see above",
        "Outlook 2016 says wrong password, error 0x800CCC0E",
        "ne moga da vlqza, pishe gre6na parola",  # 6 for ш: a word, not a password
        "I did not change anything!! password still wrong",
        "pass this to ticket TEA-20931",
    ],
)
def test_more_talk_is_left_alone(text: str) -> None:
    assert redact(text) == (text, False)


def test_masking_twice_changes_nothing_more() -> None:
    for item in WITH_SECRET:
        masked, _ = redact(item["text"])
        assert redact(masked) == (masked, False), masked


# Pieces of credentials, quotes and separators, so random text often looks like a password.
PIECES = list("aZ09!@#:=/|\"'„“«»‘’()[]*-_. \n\tпе") + [
    "password", "парола", "pass", "pw", " е ", " is ", " за ", " for ", "ivan@abv.bg", "Tea2024!", MASK,
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_text_is_handled(text: str) -> None:
    """Never an exception (a channel would answer 500); unchanged unless something was found;
    an address in the text is never masked."""
    masked, found = redact(text)
    assert found or masked == text
    assert masked.count("ivan@abv.bg") == text.count("ivan@abv.bg")


@pytest.mark.parametrize(
    "text",
    [
        "password for " + "a" * 2000,
        "a" * 2000,
        "паролата ми е " + "x" * 1986,
        "password: (" * 180,
        "ivan@abv.bg/" * 160,
        "Tea2024! " * 220,
        "a." * 1000 + "@b",
    ],
    ids=["long-target", "long-word", "long-copula-word", "colon-parens", "addresses", "secrets", "dots"],
)
def test_hostile_input_is_fast(text: str) -> None:
    """The channels cut messages at 2000 characters; none may take long to scan."""
    start = time.perf_counter()
    redact(text)
    assert time.perf_counter() - start < 1.0


# --- contact details -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("телефонът ми е 0888 123 456, обадете се", "телефонът ми е [phone], обадете се"),
        ("call me at +359 888 123 456.", "call me at [phone]."),
        ("офис (02) 987-65-43 или 0888123456", "офис [phone] или [phone]"),
        ("pishete na ivan.petrov@firma.bg ili 00359888123456", "pishete na [email] ili [phone]"),
        ("user: ivan@abv.bg / [***]", "user: [email] / [***]"),
    ],
)
def test_contact_details_are_masked(text: str, expected: str) -> None:
    assert mask_contacts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "IMAP е на порт 993, POP3 на 995, SMTP 587 / 465",
        "грешка 0x800CCC0E от Outlook 2016",
        "от 03.12.2026 не получавам писма",
        "поръчка 12345678, сървър 10.0.0.1",
        "кутията е 2048 MB, пълна на 99%",
    ],
)
def test_numbers_that_are_not_phones_stay(text: str) -> None:
    assert mask_contacts(text) == text


def test_innocent_phones_and_addresses_of_the_corpus_are_masked_for_logs() -> None:
    """The corpus's messages with a phone or an address keep none of it once masked."""
    found = [item["text"] for item in WITH_SECRET + INNOCENT if PHONE_OR_EMAIL.search(item["text"])]
    assert len(found) >= 20
    for text in found:
        assert not PHONE_OR_EMAIL.search(mask_contacts(text)), text


PHONE_OR_EMAIL = re.compile(r"@[\w-]+\.|(?:\+359|\b0)\s?8\d{2}\s?\d{3}\s?\d{3}")


def test_mask_message_masks_contacts_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "паролата за ivan@firma.bg е Tea2024!, телефон 0888 123 456"
    monkeypatch.delenv("MASK_CONTACTS", raising=False)
    assert mask_message(text) == (f"паролата за ivan@firma.bg е {MASK}, телефон 0888 123 456", True)
    monkeypatch.setenv("MASK_CONTACTS", "1")
    assert mask_message(text) == (f"паролата за [email] е {MASK}, телефон [phone]", True)
    assert mask_message("кутията ми е пълна") == ("кутията ми е пълна", False)


def test_log_records_lose_contact_details(caplog: pytest.LogCaptureFixture) -> None:
    previous = logging.getLogRecordFactory()
    try:
        mask_logs()
        mask_logs()  # installing twice wraps once
        caplog.set_level(logging.DEBUG, logger="tea.test")
        log = logging.getLogger("tea.test")
        log.debug("Received user message '%s' from %s", "пишете на ivan@abv.bg, 0888 123 456", "s1")
        log.info("no personal data: %d messages", 3)
        log.warning({"text": "dict message ivan@abv.bg"})
        messages = [record.getMessage() for record in caplog.records]
        assert messages == [
            "Received user message 'пишете на [email], [phone]' from s1",
            "no personal data: 3 messages",
            "{'text': 'dict message [email]'}",
        ]
        assert "ivan@abv.bg" not in caplog.text and "0888 123 456" not in caplog.text
    finally:
        logging.setLogRecordFactory(previous)


@pytest.mark.e2e
def test_password_is_nowhere_after_a_conversation(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    secret = f"Zx{uuid.uuid4().hex[:10]}!"
    sender = f"privacy-{uuid.uuid4().hex[:6]}"
    replies = assistant.ask(f"паролата ми е {secret} и пощата не тегли", sender=sender)
    assert replies[0]["text"] == kb.data["channel_texts"]["password"]["bg"]
    assert len(replies) > 1  # the question itself is still answered
    replies = assistant.ask(f"my password is {secret}", sender=sender)
    assert replies[0]["text"] == kb.data["channel_texts"]["password"]["en"]

    stores = [assistant.tracker_db, *assistant.log_dir.glob("*.log")]
    assert assistant.tracker_db.exists()
    for path in stores:
        assert secret.encode() not in path.read_bytes(), f"password found in {path}"
    assert MASK.encode() in assistant.tracker_db.read_bytes()  # the masked message was stored

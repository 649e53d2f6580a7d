"""Password redaction: applied by every channel before a message reaches Rasa.

Customers paste passwords ("паролата ми е …", "my password is …", "pass: …"). The secret
is replaced before the text is logged, stored in the tracker store, shown to agents or
counted in analytics; the channel then reminds the customer never to share a password.
"""

from __future__ import annotations

import re

# Script-neutral, so it does not sway language detection.
MASK = "[***]"

# A password keyword, an optional "is / е / :" connector, then the secret itself.
_KEYWORD = (
    r"(?:password|passwd|passcode|pass|pwd|pw|парола(?:та)?|паролата|пасуорд(?:а|ът)?|"
    r"parola(?:ta)?|pass(?:a|ut|at)|парола за [^\s:]+)"
)
_CONNECTOR = r"(?:\s*(?:[:=]|\bis\b|\bwas\b|\bе\b|\be\b|\bбеше\b|\bbeshe\b)\s*|\s+)"
_OWNER = r"(?:\s+(?:ми|mi|my|ми е|mi e))?"
_SECRET = r"(?P<secret>[\"'“„]?[^\s\"'“”„]{3,}[\"'”“]?)"
PASSWORD = re.compile(rf"(?P<keep>\b{_KEYWORD}{_OWNER}{_CONNECTOR}){_SECRET}", re.IGNORECASE)
# Words that can follow "password" without being one ("password reset", "паролата не работи").
_NOT_SECRETS = frozenset(
    """
    reset change changed forgot forgotten doesnt doesn't dont don't not isnt isn't wrong
    incorrect expired manager for of to on in the a my your field box has and or but
    не ми е за на си се беше е сменя смених забравих грешна работи ли да
    ne mi e za na si se beshe smenih zabravih greshna raboti li da
    """.split()
)


def redact(text: str) -> tuple[str, bool]:
    """(text with passwords masked, whether anything was masked)."""
    found = False

    def mask(match: re.Match[str]) -> str:
        nonlocal found
        secret = match.group("secret").strip("\"'“”„").lower()
        if secret in _NOT_SECRETS:
            return match.group(0)
        found = True
        return match.group("keep") + MASK

    return PASSWORD.sub(mask, text), found

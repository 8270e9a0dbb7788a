"""Redaction of secrets from recorded exchanges before anything is written or attached.

What is removed (replaced by ``[REDACTED]``), and why it is safe for a reviewer:

- PEM blocks (``-----BEGIN …-----`` … ``-----END …-----``): private keys above all; certificates inside
  XML (``ds:X509Certificate``) are *kept*, because which certificate was used is evidence.
- XML-DSig ``SignatureValue`` and ``wsse:Password``/``*Password*`` elements, ``BinarySecret`` values, and the
  IDSAS masking salt (``idsas:Salt``): with it and a person's name and CPR anyone can recompute the pseudonym
  of a masked employee, so it is as secret as a key. The pseudonyms themselves stay: they are evidence.
- HTTP headers ``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Admin-Token``
  and any header or JSON key whose name contains *token*, *password*, *secret*, *private_key*, *api-key* or *salt*
  (an HSUID ``authorization_code`` is a health-professional authorisation id, not a secret, and is kept).

    redact_exchange(entry)  # a new dict; the journal entry itself is not changed
"""

from __future__ import annotations

import re
from typing import Any

MARK = "[REDACTED]"

_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \1-----", re.DOTALL)
_XML_SECRET_ELEMENTS = re.compile(
    r"(<(?P<tag>(?:[\w.-]+:)?(?:SignatureValue|Password|BinarySecret|PrivateKey|ClientSecret|Salt))\b[^>]*>)"
    r"(?P<body>.*?)(</(?P=tag)\s*>)",
    re.DOTALL | re.IGNORECASE,
)
_SECRET_WORDS = ("token", "password", "passwd", "secret", "private_key", "private-key", "privatekey", "apikey",
                 "api-key", "api_key", "salt")
_SECRET_NAMES = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def is_secret_name(name: str) -> bool:
    """True for header, key or parameter names that hold credentials (``authorization_code`` is not one)."""
    lowered = name.lower()
    return lowered in _SECRET_NAMES or any(word in lowered for word in _SECRET_WORDS)


def redact_text(text: str) -> str:
    """Remove PEM blocks and secret XML element contents from a body."""
    text = _PEM.sub(lambda m: f"-----BEGIN {m.group(1)}-----{MARK}-----END {m.group(1)}-----", text)
    return _XML_SECRET_ELEMENTS.sub(lambda m: f"{m.group(1)}{MARK}{m.group(4)}", text)


def redact_value(value: Any) -> Any:
    """Redact recursively: secret-named keys lose their value, strings lose PEM blocks and secret elements."""
    if isinstance(value, dict):
        return {k: (MARK if isinstance(k, str) and is_secret_name(k) and v not in (None, "") else redact_value(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_exchange(entry: dict[str, Any]) -> dict[str, Any]:
    """A redacted copy of a mock NSP journal entry (see docs/ARCHITECTURE.md "Journal")."""
    redacted = redact_value(entry)
    assert isinstance(redacted, dict)
    return redacted

"""SKR business rules (domain-nsp §2.3): what a typed-in item may contain."""

from __future__ import annotations

import re
from datetime import date

import nsp_vocabulary as v
from mock_nsp.plane.control.validation import MAX_YEAR, MIN_YEAR

#: ISO 639-1 two-letter language codes
ISO_639_1 = frozenset(
    ["aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"]
)
_CPR_LIKE = re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)")


class SkrFault(Exception):
    """A business-rule violation: code (vocabulary SKR_FAULT_*), Danish text, the field."""

    def __init__(self, code: str, text: str, field: str | None = None) -> None:
        super().__init__(text)
        self.code = code
        self.text = text
        self.field = field


def no_cpr(value: str | None, field: str) -> None:
    if value and _CPR_LIKE.search(value):
        raise SkrFault(v.SKR_FAULT_CPR_IN_TEXT, f"Feltet {field} må ikke indeholde et CPR-nummer", field)


def language(code: str | None) -> str:
    if not code or code.lower() not in ISO_639_1:
        raise SkrFault(v.SKR_FAULT_INVALID_LANGUAGE, f"Ukendt sprogkode {code!r} (ISO 639-1)", "Language/Code")
    return code.lower()


def phone_use(use: str | None, field: str) -> str:
    if use not in v.PHONE_USES:
        raise SkrFault(v.SKR_FAULT_INVALID_PHONE_USE, f"Ugyldig telefontype {use!r} (H, MC eller WP)", field)
    return use


#: xs:date without a zone, ASCII digits only: what the mock's WSDL (`skr:Date`) allows
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def day(value: str | None, field: str) -> date | None:
    """A date field: None when absent, else a real day written YYYY-MM-DD in MIN_YEAR..MAX_YEAR (README, SKR)."""
    if value is None:
        return None
    text = value.strip()
    parsed = _real_day(text) if _DATE.fullmatch(text) else None
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise SkrFault(v.SKR_FAULT_INVALID_DATE,
                       f"Ugyldig dato {value!r} i {field}: angiv en dag som ÅÅÅÅ-MM-DD mellem år {MIN_YEAR} og {MAX_YEAR}",
                       field)
    return parsed


def _real_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def period(start: str | None, end: str | None, section: str = "TemporaryAddress") -> tuple[str | None, str | None]:
    """The From/To of a section: each a real day, the end not before the start; answered as YYYY-MM-DD."""
    first, last = day(start, f"{section}/From"), day(end, f"{section}/To")
    if first and last and last < first:
        raise SkrFault(v.SKR_FAULT_INVALID_PERIOD, "Slutdato ligger før startdato", f"{section}/To")
    return (first.isoformat() if first else None), (last.isoformat() if last else None)

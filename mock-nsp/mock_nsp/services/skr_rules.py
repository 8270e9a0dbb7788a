"""SKR business rules ("SKR – Guide til anvendere" changelog and domain-nsp §2.3): what a typed-in item may hold.

The guide documents its validation messages (changelog 1.0.24) but their wording could not be read (docs/skr.md);
the Danish texts here say what each rule refuses, and the codes (`SKR_FAULT_*`) are the mock's own.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta, timezone

import nsp_vocabulary as v
from mock_nsp.plane.control.validation import MAX_YEAR, MIN_YEAR
from mock_nsp.registers.clock import DK

#: ISO 639-1 two-letter language codes
ISO_639_1 = frozenset(
    ["aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"]
)
_CPR_LIKE = re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)")
#: an HL7 TS as the PDC writes it: a day, optionally a time to the minute or second, optionally a UTC offset
_TS = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:([0-9]{2})([0-9]{2})([0-9]{2})?)?([+-][0-9]{4})?")


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


def language(code: str | None, field: str) -> str:
    if not code or code.lower() not in ISO_639_1:
        raise SkrFault(v.SKR_FAULT_INVALID_LANGUAGE, f"Ukendt sprogkode {code!r} (ISO 639-1)", field)
    return code.lower()


def phone_use(use: str | None, field: str) -> str:
    if use not in v.PHONE_USES:
        raise SkrFault(v.SKR_FAULT_INVALID_PHONE_USE, f"Ugyldig telefontype {use!r} (H, MC eller WP)", field)
    return use


def item_id(extension: str | None, field: str) -> str:
    """An item's id: a UUID the client made (the guide: create requests carry the item's id, a UUID)."""
    try:
        return str(uuid.UUID(extension or ""))
    except ValueError:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, f"Id {extension!r} er ikke en UUID", field) from None


def day(value: str | None, field: str) -> date | None:
    """A period bound, an HL7 TS (``20250601`` or ``20250601000000+0200``): its Danish calendar day. None when
    absent; anything but a real day in the years MIN_YEAR..MAX_YEAR is refused naming the field."""
    if value is None:
        return None
    match = _TS.fullmatch(value.strip())
    parsed = _instant(match) if match else None
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise SkrFault(v.SKR_FAULT_INVALID_DATE,
                       f"Ugyldig dato {value!r} i {field}: angiv et HL7-tidspunkt (ÅÅÅÅMMDD[ttmmss][+zzzz]) mellem år "
                       f"{MIN_YEAR} og {MAX_YEAR}", field)
    return parsed


def _instant(match: re.Match[str]) -> date | None:
    y, mo, d, h, mi, s, offset = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if not offset:
        return moment.date()
    sign = 1 if offset[0] == "+" else -1
    zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
    return moment.replace(tzinfo=zone).astimezone(DK).date()


def period(start: str | None, end: str | None, field: str) -> tuple[str | None, str | None]:
    """The low/high of a period: each a real day, the end not before the start; answered as YYYY-MM-DD."""
    first, last = day(start, f"{field}/low"), day(end, f"{field}/high")
    if first and last and last < first:
        raise SkrFault(v.SKR_FAULT_INVALID_PERIOD, "Slutdato ligger før startdato", f"{field}/high")
    return (first.isoformat() if first else None), (last.isoformat() if last else None)

"""The MinLog2 2025-03-12 `LogDataEntry` rules (unqualified children, fixed order, lengths, sources,
`DateTime` or `FromDateTime`+`ToDateTime` ≥ 2015-01-01T00:00:00Z), checked without shipping the XSD."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from lxml import etree

import nsp_vocabulary as v

EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
TIME = "(time)"


@dataclass(frozen=True)
class Field:
    name: str
    min: int
    max: int | None
    length: int = 0
    sources: tuple[str, ...] = ()
    complex: bool = False


#: Destination children in schema order; TIME marks the DateTime | (FromDateTime, ToDateTime) choice
DESTINATION: tuple[Field, ...] = (
    Field("SystemName", 1, 1, 25),
    Field("Activity", 1, 1, 75),
    Field("Reason", 0, 1, 50),
    Field("Addition", 0, 1, 50),
    Field("Criticality", 0, 1, 50),
    Field(TIME, 1, 1),
    Field("OrganisationId", 0, 1, 200, ("SOR", "YDER", "CVR", "EuropeanHealthcareOrganisation")),
    Field("OrganisationName", 0, 1, 200),
    Field("PersonIdentifier", 1, 1, 50, ("CPR", "eCPR")),
    Field("PersonName", 0, 1, 50),
    Field("CorrelationId", 0, 1, 46),
    Field("SequenceNumber", 0, 1, 36),
    Field("UserPersonIdentifier", 1, 1, 50, ("CPR", "Autorisation", "EuropeanHealthcareProfessional")),
    Field("UserPersonName", 0, 1, 50),
    Field("UserRole", 0, 1, 200),
    Field("OnBehalfOfPersonIdentifier", 0, 1, 50, ("CPR", "Autorisation")),
    Field("OnBehalfOfPersonName", 0, 1, 50),
    Field("OnBehalfOfUserRole", 0, 1, 200),
    Field("Filter", 0, None, 50),
)
SOURCE: tuple[Field, ...] = (
    Field("CorrelationId", 0, 1, 46), Field("SystemName", 0, 1, 25), Field("Source", 0, 1, complex=True),
)


class EntryError(ValueError):
    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def _schema(text: str) -> EntryError:
    return EntryError(v.MINLOG_FAULT_SCHEMA, text)


def children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _name(el: etree._Element) -> str:
    q = etree.QName(el)
    if q.namespace is not None:
        raise _schema(f"{q.localname} must be unqualified (elementFormDefault=unqualified)")
    return q.localname


#: the xs:dateTime lexical form (XSD 1.0 §3.2.7); a four-digit year (Python's datetime ends at 9999, and no log
#: entry is from later). `datetime.fromisoformat` alone also takes dates, a space for the T, minutes without
#: seconds, week dates and the basic format, which the real 2025-03-12 XSD refuses.
_XS_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?")
#: a time without a zone may be any zone from -14:00 to +14:00, so XSD calls it ≥ the minimum only if it is
#: at least this much after it
_NO_ZONE_SLACK = timedelta(hours=14)


def parse_time(text: str | None, name: str) -> datetime:
    """An xs:dateTime ≥ 2015-01-01T00:00:00Z, as the XSD checks it; a time without a zone is read as UTC."""
    match = _XS_DATETIME.fullmatch(text or "")
    if match is None:
        raise _schema(f"{name} is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm])")
    try:
        dt = _instant(match)
    except ValueError:
        raise _schema(f"{name} {text!r} is not a valid date and time") from None
    earliest = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC) - _NO_ZONE_SLACK
    if earliest < EARLIEST:
        raise EntryError(v.MINLOG_FAULT_DATETIME_TOO_EARLY, f"{name} is before 2015-01-01T00:00:00Z")
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _instant(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
    zone = _zone(match.group(8))
    if (hour, minute, second, micro) == (24, 0, 0, 0):  # 24:00:00 is the end of the day, i.e. the next midnight
        return datetime(year, month, day, tzinfo=zone) + timedelta(days=1)
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)


def _zone(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    if text == "Z":
        return UTC
    hours, minutes = int(text[1:3]), int(text[4:6])
    if minutes > 59 or hours * 60 + minutes > 14 * 60:
        raise ValueError(f"time zone {text} is outside -14:00..+14:00")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _check_value(el: etree._Element, f: Field) -> None:
    if f.complex:
        return
    text = el.text or ""
    if not 1 <= len(text) <= f.length:
        raise _schema(f"{f.name} must be 1..{f.length} characters, was {len(text)}")
    if f.sources:
        source = el.get("source")
        if source is None:
            raise _schema(f"{f.name} needs a source attribute")
        if source not in f.sources:
            raise EntryError(v.MINLOG_FAULT_UNKNOWN_SOURCE, f"{f.name}@source {source!r} is not one of {f.sources}")


def _take_time(items: list[etree._Element], i: int) -> tuple[int, list[etree._Element]]:
    names = [_name(e) for e in items[i:i + 2]]
    if names[:1] == ["DateTime"]:
        return i + 1, items[i:i + 1]
    if names == ["FromDateTime", "ToDateTime"]:
        return i + 2, items[i:i + 2]
    raise _schema("expected DateTime, or FromDateTime followed by ToDateTime")


def check_sequence(el: etree._Element, spec: tuple[Field, ...]) -> dict[str, list[etree._Element]]:
    """Match the children of `el` against `spec` in order; return them by name."""
    items, i, found = children(el), 0, {}
    for f in spec:
        if f.name == TIME:
            i, times = _take_time(items, i)
            for t in times:
                found[_name(t)] = [t]
                parse_time(t.text, _name(t))
            continue
        taken: list[etree._Element] = []
        while i < len(items) and _name(items[i]) == f.name and (f.max is None or len(taken) < f.max):
            _check_value(items[i], f)
            taken.append(items[i])
            i += 1
        if len(taken) < f.min:
            raise _schema(f"{f.name} is required here (found {_name(items[i]) if i < len(items) else 'nothing'})")
        found[f.name] = taken
    if i < len(items):
        raise _schema(f"unexpected element {_name(items[i])}")
    return found


def check_source(el: etree._Element, depth: int = 0) -> None:
    if depth > 20:
        raise _schema("Source nested too deeply")
    for nested in check_sequence(el, SOURCE).get("Source", []):
        check_source(nested, depth + 1)


def check_entry(entry: etree._Element) -> dict[str, list[etree._Element]]:
    """Validate one LogDataEntry; return its Destination children by name."""
    kids = children(entry)
    names = [_name(k) for k in kids]
    if names not in (["Destination"], ["Source", "Destination"]):
        raise _schema(f"LogDataEntry must be (Source?, Destination), was {names}")
    if names[0] == "Source":
        check_source(kids[0])
    return check_sequence(kids[-1], DESTINATION)

"""What a step's "Actual result" says of the evidence the collector stored on it: the checks that passed, with
what each received and where (:mod:`nspcert.results.collect.checked`), and the parts of each screen a check judged
(:mod:`nspcert.results.collect.screens`)."""

from __future__ import annotations

import json
import re
from typing import Any

from nspcert.results.model.records import StepRecord
from nspcert.results.render.words import Words

#: per step: the places shown per check and value, the check lines shown, and how long a shown value may be
PLACES_SHOWN = 3
LINES_SHOWN = 8
CHECK_VALUE_LIMIT = 200
SCREEN_VALUE_LIMIT = 400

#: how a check's ``where`` names a journal entry (the report links it to the entry's evidence files)
JOURNAL_ID = re.compile(r"journal #(\d+)")


def describe_checks(step: StepRecord, exchange_files: dict[int, str], words: Words) -> tuple[str, list[str]]:
    """The step's passed checks as "Actual result" lines, and the evidence files they name."""
    lines: list[str] = []
    files: list[str] = []
    for group in step.checked[:LINES_SHOWN]:
        places = [_place(where, exchange_files, files) for where in group["where"]]
        more = len(places) - PLACES_SHOWN + group["more"]
        where = "; ".join(places[:PLACES_SHOWN]) + (words("step.more_places", n=more) if more > 0 else "")
        lines.append(f"{group['check']}: {_clip_check(group['received'])}" + (f" — {where}" if where else ""))
    unlisted = len(step.checked) - LINES_SHOWN + step.checked_unlisted
    if unlisted > 0:
        lines.append(words("step.more_checks", n=unlisted))
    return "\n".join(lines), list(dict.fromkeys(files))


def _place(where: str, exchange_files: dict[int, str], files: list[str]) -> str:
    """``where`` with the evidence file of each journal entry it names: "(journal #17, FSK_3.2.1.2_A_S.xml)"."""
    def with_file(match: re.Match[str]) -> str:
        name = exchange_files.get(int(match.group(1)))
        if name is None:
            return match.group(0)
        files.append(name)
        return f"{match.group(0)}, {name}"
    return JOURNAL_ID.sub(with_file, where)


def _clip_check(text: str) -> str:
    return text if len(text) <= CHECK_VALUE_LIMIT else text[:CHECK_VALUE_LIMIT] + "…"


def describe_screens(judged_parts: list[dict[str, Any]], screen_files: dict[int, str], words: Words) -> str:
    """'Shown in FSK_3.1.1.3_A_R.json: fgvh = {"state": "opted_out", …}' for each screen a step judged."""
    lines = []
    for index in dict.fromkeys(j["screen"] for j in judged_parts):
        parts = "; ".join(f"{j['part']} = {_compact(j['value'], words)}" for j in judged_parts if j["screen"] == index)
        lines.append(words("step.shown_in", file=screen_files.get(index, words("step.screen_model")), parts=parts))
    return "\n".join(lines)


def _compact(value: Any, words: Words) -> str:
    if value is None:
        return words("step.not_shown")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SCREEN_VALUE_LIMIT else text[:SCREEN_VALUE_LIMIT] + "…"

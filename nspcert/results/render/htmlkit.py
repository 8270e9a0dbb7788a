"""The building blocks of certification.html: escaping, tables, badges, evidence links and the inline CSS."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

CSS = """
body{font-family:Calibri,Arial,Helvetica,sans-serif;font-size:10.5pt;margin:2em auto;max-width:1200px;color:#222}
h1{font-size:20pt;color:#1f3864}h2{font-size:15pt;color:#1f3864;border-bottom:2px solid #1f3864;margin-top:2em}
h3{font-size:12.5pt;color:#2f5496;margin-top:1.6em}h4{font-size:11pt;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #999;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#d9e2f3}table.kv th{width:28%}
.pass,.OK{background:#e2efda}.fail,.F1,.F2,.F3{background:#f8cbad}.F4{background:#fff2cc}
.error{background:#d9d9d9}.not_applicable,.Not,.not_run,.not_tested{background:#ededed}
.waived,.manual_review{background:#fff2cc}
.badge{display:inline-block;padding:1px 8px;border-radius:3px;font-weight:bold}
.banner{padding:.6em 1em;border:2px solid #c00000;background:#fbe5d6;margin:1em 0}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid #ddd;padding:6px;font-size:9pt}
.msg{white-space:pre-wrap;font-family:Consolas,monospace;font-size:9pt}.muted{color:#666}
details{margin:.2em 0}summary{cursor:pointer}@media print{details{display:block}a{color:#000}}
"""

def e(value: Any) -> str:
    return escape("" if value is None else str(value))


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("\n<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'\n<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}\n</tbody></table>\n'


def kv(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"\n<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'\n<table class="kv"><tbody>{body}\n</tbody></table>\n'


def badge(css: str, text: str) -> str:
    return f'<span class="badge {e(css.split()[0])}">{e(text)}</span>'


def link(name: str, title: str = "") -> str:
    hint = f' title="{e(title)}"' if title else ""
    return f'<a href="evidence/{e(name)}"{hint}>{e(name)}</a>'


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


FOLD_AT = 6  # a list of more evidence items than this is folded into <details>
LIST_LIMIT = 100  # at most this many items of one list in the page; the manifest in evidence.zip lists all


def folded(items: list[str], label: str, *, separator: str = "<br>", more: str = "") -> str:
    """Items (HTML), at most LIST_LIMIT of them, folded under ``label`` when there are more than FOLD_AT; ``more``
    says where the rest are.

    One scenario may record thousands of exchanges; the page stays readable whatever a scenario records."""
    shown = items[:LIST_LIMIT]
    if len(items) > LIST_LIMIT:
        shown.append(f"<span class='muted'>{e(more)}</span>")
    body = separator.join(shown)
    return body if len(items) <= FOLD_AT else f"<details><summary>{e(label)}</summary>{body}</details>"

"""The mutation-testing tool's own logic: what it leaves out, how it samples, how it matches outcomes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tools.mutants import annotation_spans, defect_guarded_spans, sample
from tools.mutants_report import diff_key

SOURCE = '''from __future__ import annotations


def shown(value: str | None, limit: int = 3) -> str | None:
    size: int | None = limit | 1
    return value[:size] if value is not None else None
'''


def test_annotations_are_found_but_not_the_code_beside_them(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE, encoding="utf-8")
    spans = annotation_spans(path)
    covered = {line for (start, _), (end, _) in spans for line in range(start, end + 1)}
    assert covered == {4, 5}
    runtime_or = (5, SOURCE.splitlines()[4].index("limit | 1") + 6)  # the `|` evaluated at run time
    assert not any(low <= runtime_or < high for low, high in spans)


def _mutant(line: int) -> SimpleNamespace:
    return SimpleNamespace(job_id=str(line), mutations=[SimpleNamespace(module_path="m.py", start_pos=(line, 0),
                                                                        operator_name="core/NumberReplacer")])


def test_the_sample_is_seeded_and_the_shards_partition_it() -> None:
    items: list[object] = [_mutant(line) for line in range(100)]
    whole = [m.job_id for m in sample(items, 10, 7, (1, 1))]  # type: ignore[attr-defined]
    assert whole == [m.job_id for m in sample(items, 10, 7, (1, 1))]  # type: ignore[attr-defined]
    assert whole != [m.job_id for m in sample(items, 10, 8, (1, 1))]  # type: ignore[attr-defined]
    shards = [m.job_id for i in (1, 2, 3) for m in sample(items, 10, 7, (i, 3))]  # type: ignore[attr-defined]
    assert sorted(shards) == sorted(whole) and len(whole) == 10


def test_cosmic_rays_diff_and_the_test_commands_diff_name_the_same_mutant() -> None:
    ours = "--- a/reference_eoj/clock.py\n+++ b/reference_eoj/clock.py\n@@ -3,1 +3,1 @@\n-    x = a - b\n+    x = a + b\n"
    theirs = ("--- mutation diff ---\n--- a//tmp/s/src/reference_eoj/clock.py\n+++ b//tmp/s/src/reference_eoj/clock.py\n"
              "@@ -1,5 +1,5 @@\n def f():\n-    x = a - b\n+    x = a + b\n     return x\n")
    assert diff_key(ours)[1:] == diff_key(theirs)[1:] == (("    x = a - b",), ("    x = a + b",))


GUARDED = '''def shown(state, defects, retries):
    symbol = state == "opted_out" or (state == "not_opted_out" and Defect.SYMBOL_ON_FALSE in defects)
    if Defect.RETRY in defects and retries > 1:
        retries = retries - 1
    if Defect.NO_HSUID not in defects:
        header = state + "x"
    margin = 0 if Defect.AT_EXPIRY in defects else 5
    return symbol, retries, margin
'''


def _at(text: str, line: int) -> tuple[int, int]:
    return line, GUARDED.splitlines()[line - 1].index(text)


def test_code_only_a_seeded_defect_runs_is_found_but_not_the_switch_or_the_code_that_always_runs(
        tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(GUARDED, encoding="utf-8")
    spans = defect_guarded_spans(path)

    def guarded(position: tuple[int, int]) -> bool:
        return any(low <= position < high for low, high in spans)

    assert guarded(_at('"not_opted_out"', 2))  # an operand of the and beside the switch
    assert guarded(_at("retries > 1", 3)) and guarded(_at("retries - 1", 4))
    assert guarded(_at("0 if", 7))  # the value only a defect picks
    assert not guarded(_at('state == "opted_out"', 2))  # always counts
    assert not guarded(_at("in defects", 2)) and not guarded(_at("in defects", 3))  # the switch itself is mutated
    assert not guarded(_at('"x"', 6))  # `not in`: the normal path
    assert not guarded(_at("5", 7)) and not guarded(_at("return", 8))


def test_code_only_an_allowed_variant_runs_is_found_as_such_and_not_as_defect_code(tmp_path: Path) -> None:
    """The variants matrix judges code behind ``Variant.X in variants``; the catalogue runs the clean EOJ."""
    path = tmp_path / "v.py"
    path.write_text("def f(variants, x):\n    if Variant.GP_YDERNUMMER in variants and x:\n        return 'YDER'\n"
                    "    return 'SOR'\n", encoding="utf-8")
    variant, defect = defect_guarded_spans(path, "Variant"), defect_guarded_spans(path)
    assert any(low <= (3, 8) < high for low, high in variant) and defect == []
    assert not any(low <= (4, 11) < high for low, high in variant)

"""The import rules of docs/ARCHITECTURE.md, checked by import-linter on the real import graph (contracts in
pyproject.toml): the harness's layers, and the mock NSP, the reference EOJ and the wire vocabulary as programs that
never import the harness."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = str(Path(sys.executable).with_name("lint-imports"))


def lint(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINT, "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_every_import_keeps_the_layers_and_the_programs_apart() -> None:
    result = lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "0 broken" in result.stdout


def test_the_checker_sees_the_real_graph_an_upward_import_is_broken(tmp_path: Path) -> None:
    """The same checker with the layers upside down must find the imports that exist (it is not vacuous)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    upside_down = text.replace('    "nspcert.act",\n    "nspcert.arrange",', '    "nspcert.arrange",\n    "nspcert.act",')
    assert upside_down != text
    config = tmp_path / "pyproject.toml"
    config.write_text(upside_down, encoding="utf-8")
    result = lint(config)
    assert result.returncode != 0 and "nspcert.act" in result.stdout and "BROKEN" in result.stdout

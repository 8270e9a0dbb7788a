"""The harness settings file: read, validated with messages that name the key, and overridable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nspcert.config import ConfigError, load_config, load_vendor


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nspcert.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_settings_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, '[nspcert]\nsut = "http://127.0.0.1:9000"\nslow_answer_ms = 8000\n')
    assert load_config(path) == {"sut": "http://127.0.0.1:9000", "slow_answer_ms": 8000}


@pytest.mark.parametrize(("text", "complaint"), [
    ('[nspcert]\nsutt = "x"\n', 'unknown key \\[nspcert\\].sutt; did you mean "sut"'),
    ("[nspcert]\nslow_answer_ms = \"soon\"\n", r"slow_answer_ms must be a int, not str"),
    ('[harness]\nsut = "x"\n', r"unknown table \[harness\].*expected a \[nspcert\] table"),
    ('[vendor]\nadress = "Testvej 1"\n', 'unknown key \\[vendor\\].adress; did you mean "address"'),
    ("[vendor]\nphone = 4512345678\n", r"\[vendor\].phone must be a string, not int"),
    ("[nspcert\n", "cannot read it as TOML"),
])
def test_a_bad_settings_file_says_what_and_where(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        load_config(write(tmp_path, text))


def test_nspcert_run_refuses_a_bad_settings_file_with_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, '[nspcert]\nnps = "embedded"\n')
    finished = subprocess.run([sys.executable, "-m", "nspcert.cli", "run", "--config", str(path),
                               "--report-dir", str(tmp_path / "reports")],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 2
    assert 'did you mean "nsp"' in finished.stderr + finished.stdout


def test_the_vendor_table_is_read_on_its_own_or_beside_nspcert(tmp_path: Path) -> None:
    path = write(tmp_path, '[vendor]\ncompany = "Journal A/S"\nemail = "cert@journal.example"\n')
    assert load_config(path) == {}
    assert load_vendor(path) == {"company": "Journal A/S", "email": "cert@journal.example"}
    both = write(tmp_path, '[nspcert]\nnsp = "embedded"\n[vendor]\ncontact = "Jens Hansen"\n')
    assert (load_config(both), load_vendor(both)) == ({"nsp": "embedded"}, {"contact": "Jens Hansen"})

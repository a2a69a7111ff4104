"""ruff check and ruff format --check on the whole repository."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _ruff():
    probe = subprocess.run(
        [sys.executable, "-m", "ruff", "--version"], capture_output=True
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "ruff"]
    if shutil.which("ruff"):
        return [shutil.which("ruff")]
    pytest.skip("ruff is not installed (pip install ruff)")


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=" ".join)
def test_ruff(args):
    proc = subprocess.run(
        [*_ruff(), *args, "."],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        pytest.fail(
            f"ruff {' '.join(args)}:\n{proc.stdout}{proc.stderr}", pytrace=False
        )


def test_pylint_odoo():
    """pylint-odoo, every check of its own (see .pylintrc), on the add-on."""
    pytest.importorskip("pylint_odoo", reason="pip install pylint-odoo")
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile=.pylintrc", "kefu_order_flow"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        pytest.fail(f"pylint-odoo:\n{proc.stdout}{proc.stderr}", pytrace=False)

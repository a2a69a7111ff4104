# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The load benchmark of the whole order flow (``python3 bench/load_flow.py``,
see main.py): rpc, server, fixture, desk, invariants, report, core, main."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests"))
import odoo_harness as h  # noqa: E402

ADDON = h.ADDON
X = f"{ADDON}."

#!/usr/bin/env python3
# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Load benchmark of the whole order flow: see bench/loadflow/main.py.

python3 bench/load_flow.py --workers 2 --clients 8 --orders 200
"""

import contextlib
import sys

from loadflow.main import main

if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)

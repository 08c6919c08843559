#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""uev - assemble, build, boot, test and export the uevent patch series.

The entry point series/uev runs: the tooling is the package uevtool
beside this file (series/uevtool/, one module per concern; see its
__init__.py).  Run "series/uev help" for the subcommands.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from uevtool.cli import main  # noqa: E402

if __name__ == "__main__":
    main()

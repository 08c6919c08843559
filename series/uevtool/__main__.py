# SPDX-License-Identifier: GPL-2.0
"""python3 -m uevtool (from series/): the same as series/uev."""

from .cli import main

main()

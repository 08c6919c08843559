# SPDX-License-Identifier: GPL-2.0
"""The per-phase profile: parsing the guest's lines, medians over runs,
the table and the CSV."""

import os

from support import ToolTest, fixture

from uevtool.profile import (PHASES, merge_runs, parse_profile, print_profile,
                             profile_rows, write_profile_csv)


def parsed(name):
    with open(fixture(name)) as f:
        return parse_profile(f.read())


class Profile(ToolTest):

    def test_parse(self):
        res = parsed("profile_ours.txt")
        self.assertEqual(sorted(res), [("none", "small"), ("none", "typical"),
                                       ("one", "small"), ("one", "typical")])
        one = res[("one", "small")]
        self.assertEqual(one["plain"], 3128.1)
        self.assertEqual(one["broadcast"], 748.8)
        self.assertEqual(one["brackets"], 13.0)
        self.assertNotIn("events", one)
        # The phases add up to the profiled total (within rounding).
        self.assertAlmostEqual(sum(one[p] for p in PHASES), one["total"],
                               delta=1)

    def test_median_over_runs(self):
        a = {("one", "small"): {"plain": 10.0}}
        b = {("one", "small"): {"plain": 30.0}}
        c = {("one", "small"): {"plain": 20.0}}
        self.assertEqual(merge_runs([a, b, c]),
                         {("one", "small"): {"plain": (20.0, 10.0, 30.0)}})

    def test_rows_table_and_csv(self):
        rows = profile_rows(merge_runs([parsed("profile_stock.txt")]),
                            merge_runs([parsed("profile_ours.txt")]))
        by = {(key, fig): (sv, ov, share)
              for key, fig, sv, ov, share in rows}
        sv, ov, share = by[(("one", "typical"), "format")]
        self.assertEqual((sv, ov), (6551.6, 2061.8))
        self.assertAlmostEqual(share[0], 6551.6 / 11710.2 * 100)
        self.assertIsNone(by[(("one", "typical"), "plain")][2])
        print_profile(rows)
        out = self.stdout.getvalue()
        self.assertIn("listeners=one, env=typical", out)
        self.assertIn("| format               |    6552 |   56 % |    2062 "
                      "|   36 % |        -4490 |", out)
        csv = os.path.join(self.tmp, "profile.csv")
        write_profile_csv(rows, csv)
        with open(csv) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "listeners,env,phase,stock_ns,ours_ns")
        self.assertIn("one,typical,format,6551.6,2061.8", lines)

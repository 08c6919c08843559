# SPDX-License-Identifier: GPL-2.0
"""Benchmark parsing, medians, CSV and the matplotlib plot."""

import importlib.util
import os
import unittest

from support import ToolTest, fixture

from uevtool.bench import median, parse_bench, summarize, write_csv, write_plot


def parsed(name):
    with open(fixture(name)) as f:
        return parse_bench(f.read())


class Bench(ToolTest):

    def test_parse(self):
        res = parsed("bench_ours.txt")
        self.assertEqual(res[("none", "e2e writers=4 ns/event")], 3485.0)
        self.assertEqual(res[("none", "core small 1 CPU ns/event")], 2246.0)
        self.assertEqual(res[("none", "core small allocs/event")], 1.0)
        self.assertEqual(res[("none", "core small all CPUs ns/event")],
                         2138.0)
        self.assertEqual(res[("one", "listener out-of-order")], 0.0)
        self.assertEqual(parsed("bench_stock.txt")[
            ("one", "listener gaps")], 514.0)

    def test_median(self):
        self.assertEqual(median([3, 1, 2]), 2)
        self.assertEqual(median([4, 1, 2, 3]), 2.5)

    def test_summary_and_csv(self):
        rows = summarize({"stock": [parsed("bench_stock.txt")],
                          "ours": [parsed("bench_ours.txt")]})
        row = dict((r[0], r[1:]) for r in rows)
        st, ou, ratio = row["e2e writers=1 ns/event, listeners=none"]
        self.assertEqual((st, ou), (10560.0, 5800.0))
        self.assertAlmostEqual(ratio, 5800 / 10560)
        self.assertEqual(row["listener out-of-order, listeners=one"],
                         (522.0, 0.0, 0.0))
        self.assertIsNone(row["listener ENOBUFS, listeners=one"][2])
        csv = os.path.join(self.tmp, "bench.csv")
        write_csv(rows, csv)
        with open(csv) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "figure,stock,ours,ratio")
        self.assertIn('"e2e writers=1 ns/event, listeners=none",10560.0,'
                      '5800.0,0.549', lines)
        self.assertIn('"listener ENOBUFS, listeners=one",0.0,0.0,', lines)

    @unittest.skipUnless(importlib.util.find_spec("matplotlib"),
                         "python3-matplotlib is not installed")
    def test_plot(self):
        rows = summarize({"stock": [parsed("bench_stock.txt")],
                          "ours": [parsed("bench_ours.txt")]})
        png = os.path.join(self.tmp, "bench.png")
        svg = os.path.join(self.tmp, "bench.svg")
        write_plot(rows, png, svg)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        with open(svg) as f:
            text = f.read()
        self.assertIn("<svg", text)
        self.assertIn("ours / stock", text)

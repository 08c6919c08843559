# SPDX-License-Identifier: GPL-2.0
"""Benchmark parsing, medians, CSV and the matplotlib plot."""

import importlib.util
import io
import os
import unittest
from unittest import mock

from support import ToolTest, fixture

from uevtool import bench
from uevtool.bench import (median, parse_bench, row_spread, spread,
                           summarize, write_csv, write_plot)
from uevtool.common import Context, StageFailed


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

    def test_one_vcpu_all_cpus_figure(self):
        # On one vCPU (icount1) the all-CPUs measurement prints cpus=1
        # too; only the one-CPU line counts allocations.
        res = parse_bench(
            "uevent_bench: label=one env=small cpus=1 events=2000 "
            "ns_per_event=6205 allocs_per_event=5.00\n"
            "uevent_bench: label=one env=small cpus=1 events=2000 "
            "ns_per_event=10365\n")
        self.assertEqual(res[("one", "core small 1 CPU ns/event")], 6205.0)
        self.assertEqual(res[("one", "core small all CPUs ns/event")],
                         10365.0)

    def test_deferred_beside_direct(self):
        # The deferred line is not a core figure; its row pairs it with
        # the direct one-CPU figure of the same setup and environment.
        text = ("uevent_bench: label=one env=small cpus=1 events=2000 "
                "ns_per_event=6000 allocs_per_event=5.00\n"
                "uevent_bench: label=one env=small path=deferred "
                "events=2000 ns_per_event=9000 queue_ns_per_event=700\n")
        res = parse_bench(text)
        self.assertEqual(res[("one", "deferred small from hardirq ns/event")],
                         9000.0)
        self.assertEqual(res[("one", "deferred small queueing ns/event")],
                         700.0)
        self.assertNotIn(("one", "core small all CPUs ns/event"), res)
        rows = bench.deferred_rows([res, parse_bench(text)], "[x] ")
        self.assertEqual(rows, [bench.DeferRow("[x] small, listeners=one",
                                               6000.0, 9000.0, 700.0)])

    def test_subscribed_rows_put_the_three_setups_side_by_side(self):
        def run(none, one, sub):
            return parse_bench(
                f"uevent_bench: label=none env=small cpus=1 events=9 "
                f"ns_per_event={none} allocs_per_event=1.00\n"
                f"uevent_bench: label=one env=small cpus=1 events=9 "
                f"ns_per_event={one} allocs_per_event=1.00\n"
                f"uevent_bench: label=subscribed uevmon filtering in the "
                f"kernel (1 entry)\n"
                f"uevent_bench: label=subscribed env=small cpus=1 events=9 "
                f"ns_per_event={sub} allocs_per_event=1.00\n")
        rows = bench.subscribed_rows({"stock": [run(10, 30, 31)],
                                      "ours": [run(5, 20, 6), run(5, 22, 8)]},
                                     "[x] ")
        self.assertEqual(rows, [
            bench.SubRow("[x] small", "stock", 10.0, 30.0, 31.0),
            bench.SubRow("[x] small", "ours", 5.0, 21.0, 7.0)])
        with mock.patch("sys.stdout", new=io.StringIO()) as out:
            bench.print_subscribed_table(rows)
        self.assertIn("| ours   |", out.getvalue())
        self.assertIn("0.33 |", out.getvalue())

    def test_run_guests_boots_each_mode_as_its_table_says(self):
        with open(fixture("bench_ours.txt")) as f:
            console = f.read()
        calls = []

        def boot(ctx, kernel, initrd, mode, **kw):
            calls.append((kernel, kw["args"], kw["smp"], kw["qemu_args"]))
            return console
        with mock.patch.object(bench, "boot", boot):
            res = bench.run_guests(Context(environ={}), {"ours": ("bz", "rd")},
                                   2, "icount1", "uev.events=7",
                                   parse_bench, "bench")
        self.assertEqual(len(res["ours"]), 2)
        self.assertEqual(res["ours"][0], parsed("bench_ours.txt"))
        self.assertEqual(calls[0], ("bz", "uev.events=7 uev.noflood", 1,
                                    ("-icount", "shift=0,sleep=off")))

    def test_run_guests_adds_a_kernels_own_arguments(self):
        with open(fixture("bench_ours.txt")) as f:
            console = f.read()
        calls = []

        def boot(ctx, kernel, initrd, mode, **kw):
            calls.append(kw["args"])
            return console
        with mock.patch.object(bench, "boot", boot):
            bench.run_guests(Context(environ={}),
                             {"ours": ("bz", "rd"),
                              bench.NORING: ("bz", "rd", bench.NORING_ARG)},
                             1, "tcg", "uev.events=7", parse_bench, "bench")
        self.assertEqual(calls, ["uev.events=7",
                                 "uev.events=7 uevent_replay_size=0"])

    def test_ring_rows_are_ours_off_and_on(self):
        on = parsed("bench_ours.txt")
        off = {k: v / 2 for k, v in on.items()}
        rows = bench.ring_rows({"ours": [on], bench.NORING: [off]}, "[x] ")
        self.assertTrue(rows)
        for r in rows:
            self.assertIn("ns/event", r.fig)
            self.assertTrue(r.fig.startswith("[x] "))
            self.assertAlmostEqual(r.on, 2 * r.off)

    def test_run_guests_fails_on_a_silent_guest(self):
        with mock.patch.object(bench, "boot", lambda *a, **kw: "panic\n"):
            with self.assertRaises(StageFailed):
                bench.run_guests(Context(environ={}), {"ours": ("bz", "rd")},
                                 1, "tcg", "", parse_bench, "bench")

    def test_median(self):
        self.assertEqual(median([3, 1, 2]), 2)
        self.assertEqual(median([4, 1, 2, 3]), 2.5)

    def test_summary_and_csv(self):
        rows = summarize({"stock": [parsed("bench_stock.txt")],
                          "ours": [parsed("bench_ours.txt")]})
        row = dict((r.fig, r) for r in rows)
        r = row["e2e writers=1 ns/event, listeners=none"]
        self.assertEqual((r.stock, r.ours), (10560.0, 5800.0))
        self.assertAlmostEqual(r.ratio, 5800 / 10560)
        r = row["listener out-of-order, listeners=one"]
        self.assertEqual((r.stock, r.ours, r.ratio), (522.0, 0.0, 0.0))
        self.assertIsNone(row["listener ENOBUFS, listeners=one"].ratio)
        csv = os.path.join(self.tmp, "bench.csv")
        write_csv(rows, csv)
        with open(csv) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "figure,stock,ours,ratio,stock_min,"
                         "stock_max,ours_min,ours_max")
        self.assertIn('"e2e writers=1 ns/event, listeners=none",10560.0,'
                      '5800.0,0.549,10560.0,10560.0,5800.0,5800.0', lines)
        self.assertIn('"listener ENOBUFS, listeners=one",0.0,0.0,,0.0,0.0,'
                      '0.0,0.0', lines)

    def test_spread_over_runs(self):
        # Three runs of ours: 5800, 5900 and 6100 ns; stock once.
        runs = []
        for v in (5800.0, 6100.0, 5900.0):
            r = dict(parsed("bench_ours.txt"))
            r[("none", "e2e writers=1 ns/event")] = v
            runs.append(r)
        rows = summarize({"stock": [parsed("bench_stock.txt")],
                          "ours": runs}, "[icount] ")
        r = dict((r.fig, r) for r in rows)[
            "[icount] e2e writers=1 ns/event, listeners=none"]
        self.assertEqual(r.ours, 5900.0)
        self.assertEqual(r.ours_range, (5800.0, 6100.0))
        self.assertAlmostEqual(row_spread(r), 300 / 5900 * 100)
        self.assertEqual(spread(100.0, (99.0, 101.0)), 2.0)
        self.assertIsNone(spread(None, None))

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

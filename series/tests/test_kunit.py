# SPDX-License-Identifier: GPL-2.0
"""KUnit results from kunit.py's --json output (kunit_json's format).

The JSON fixtures were written by the kernel's own kunit_parser and
kunit_json from small KTAP logs."""

import json
import os

from support import ToolTest, fixture

from uevtool.common import Context, StageFailed
from uevtool.kunit import (kunit_command, kunit_counts, kunit_report,
                           kunit_statuses)


class Counts(ToolTest):

    def test_good(self):
        self.assertEqual(kunit_counts(fixture("kunit_good.json")),
                         {"passed": 5, "failed": 0, "crashed": 0,
                          "skipped": 1})

    def test_all_failed(self):
        self.assertEqual(kunit_counts(fixture("kunit_all_failed.json")),
                         {"passed": 0, "failed": 4, "crashed": 0,
                          "skipped": 0})

    def test_none_passed(self):
        # kunit.py's summary: "Ran 4 tests: crashed: 2, skipped: 2,
        # errors: 3" -- no "passed:" count at all.
        self.assertEqual(kunit_counts(fixture("kunit_none_passed.json")),
                         {"passed": 0, "failed": 0, "crashed": 2,
                          "skipped": 2})

    def test_missing_or_unparsable(self):
        self.assertIsNone(kunit_counts(os.path.join(self.tmp, "none.json")))
        self.assertIsNone(kunit_counts(fixture("kunit_truncated.json")))
        path = os.path.join(self.tmp, "list.json")
        with open(path, "w") as f:
            json.dump([{"status": "PASS"}], f)
        self.assertIsNone(kunit_counts(path))

    def test_command_asks_for_json(self):
        cmd = kunit_command("um", ["--arch=um"], ["lib/tests"], "/x/k.json")
        self.assertIn("--json=/x/k.json", cmd)
        self.assertEqual(cmd[2:3], ["run"])
        self.assertEqual(cmd[-2:], ["--kunitconfig=lib/tests", "--arch=um"])


class Report(ToolTest):
    """kunit_report(): the verdict of one kunit.py run."""

    def report(self, json_name, rc=0, test_log="kunit_test_clean.log",
               required=()):
        ctx = Context()
        log = os.path.join(self.tmp, "kunit-um.log")
        with open(log, "w") as f:
            f.write("kunit.py output\n")
        try:
            kunit_report(ctx, "um", rc, fixture(json_name),
                         fixture(test_log), log, required=required)
        except StageFailed as e:
            return ctx, str(e)
        return ctx, None

    def test_good_run_passes(self):
        ctx, err = self.report("kunit_good.json")
        self.assertIsNone(err)
        self.assertEqual((ctx.results.passed, ctx.results.failed), (5, 0))
        self.assertIn("KUnit um: ran 6, passed 5, failed 0, skipped 1",
                      self.stdout.getvalue())

    def test_all_failed_fails(self):
        ctx, err = self.report("kunit_all_failed.json", rc=1)
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 4))

    def test_none_passed_fails(self):
        ctx, err = self.report("kunit_none_passed.json", rc=1)
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 2))

    def test_only_skipped_fails(self):
        path = os.path.join(self.tmp, "skipped.json")
        with open(path, "w") as f:
            json.dump({"name": "KUnit Test Group", "test_cases": [],
                       "sub_groups": [{"name": "kobject_uevent",
                                       "sub_groups": [], "test_cases": [
                                           {"name": "a", "status": "SKIP"}]}]},
                      f)
        ctx, err = self.report(path)
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 1))

    def test_no_tests_fails(self):
        ctx, err = self.report("kunit_no_tests.json", rc=1)
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 1))

    def test_missing_json_fails(self):
        ctx, err = self.report(os.path.join(self.tmp, "none.json"), rc=1)
        self.assertRegex(err, r"^KUnit um: no result \(rc 1;")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 1))

    def test_unparsable_json_fails(self):
        ctx, err = self.report("kunit_truncated.json")
        self.assertRegex(err, r"^KUnit um: no result \(rc 0;")

    def test_nonzero_exit_fails_a_good_json(self):
        ctx, err = self.report("kunit_good.json", rc=1)
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (5, 1))

    def test_kernel_report_fails(self):
        # The WARNING during boot does not count; the KASAN report
        # after "KTAP version" does.
        ctx, err = self.report("kunit_good.json",
                               test_log="kunit_test_splat.log")
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (5, 1))
        out = self.stdout.getvalue()
        self.assertIn("  kernel: [    1.500000] BUG: KASAN:", out)
        self.assertNotIn("early boot noise", out)

    def test_required_case_that_skipped_fails(self):
        # The debug run boots with failslab.ignore_gfp_wait=N: if the
        # allocation failure case still skips, the stage fails.
        ctx, err = self.report("kunit_good.json",
                               required=("uevent_alloc_failure",))
        self.assertEqual(err, "KUnit um failed")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (5, 1))
        self.assertIn("uevent_alloc_failure: SKIP (this run must pass it)",
                      self.stdout.getvalue())

    def test_required_case_missing_fails(self):
        ctx, err = self.report("kunit_good.json", required=("no_such",))
        self.assertEqual(err, "KUnit um failed")

    def test_required_case_that_passed(self):
        ctx, err = self.report("kunit_good.json",
                               required=("uevent_move",))
        self.assertIsNone(err)
        self.assertEqual(kunit_statuses(fixture("kunit_good.json"),
                                        "uevent_alloc_failure"), ["SKIP"])

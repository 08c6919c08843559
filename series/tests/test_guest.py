# SPDX-License-Identifier: GPL-2.0
"""Guest result parsing and booting, with a fake QEMU."""

import time

from support import ToolTest, fixture

from uevtool.common import Context, StageFailed
from uevtool.guest import boot, guest_tests, parse_guest


def read(name):
    with open(fixture(name)) as f:
        return f.read()


class ParseGuest(ToolTest):

    def test_good_run(self):
        results, problems = parse_guest(read("guest_good.txt"))
        self.assertEqual(problems, [])
        self.assertEqual(results, {
            "global.tagged_event_credentials": "PASS",
            "events.synthetic_invalid": "PASS",
            "events.ordering_under_concurrent_writers": "PASS",
            "uevent_helper.runs_with_event_environment": "SKIP",
            "(exit status)": "PASS",
        })

    def test_truncated_ktap_is_incomplete(self):
        # Plan 1..13, four "ok" lines, then the binary exits with 0.
        results, problems = parse_guest(read("guest_truncated.txt"))
        self.assertEqual(problems, ["planned 13 tests, 4 reported"])
        self.assertEqual(sum(r == "PASS" for r in results.values()), 5)

    def test_nonzero_exit_status_fails(self):
        results, problems = parse_guest(read("guest_exit_nonzero.txt"))
        self.assertEqual(problems, [])
        self.assertEqual(results["(exit status)"], "FAIL")

    def test_no_plan_no_exit_status(self):
        _, problems = parse_guest(read("guest_no_plan.txt"))
        self.assertEqual(problems, ["no KTAP plan line", "no exit status"])


class GuestStage(ToolTest):
    """guest_tests() on a fake QEMU that prints a fixture."""

    def stage(self, console):
        ctx = Context(qemu=self.fake_qemu(console))
        guest_tests(ctx, "bzImage", "initramfs.cpio.gz", timeout=30)
        return ctx

    def failing_stage(self, console):
        ctx = Context(qemu=self.fake_qemu(console))
        with self.assertRaisesRegex(StageFailed, "guest tests failed"):
            guest_tests(ctx, "bzImage", "initramfs.cpio.gz", timeout=30)
        return ctx

    def test_good_run_passes(self):
        ctx = self.stage("guest_good.txt")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (4, 0))
        self.assertIn("  PASS (exit status)\n", self.stdout.getvalue())
        self.assertIn("guest tests: 4 passed, 0 failed\n",
                      self.stdout.getvalue())

    def test_truncated_run_fails(self):
        ctx = self.failing_stage("guest_truncated.txt")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (5, 1))
        self.assertIn("  INCOMPLETE: planned 13 tests, 4 reported\n",
                      self.stdout.getvalue())

    def test_nonzero_exit_status_fails(self):
        ctx = self.failing_stage("guest_exit_nonzero.txt")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (3, 1))
        self.assertIn("  FAIL (exit status)\n", self.stdout.getvalue())

    def test_qemu_gets_kernel_initrd_and_mode(self):
        args = f"{self.tmp}/args"
        qemu = self.script("qemu", f'echo "$@" > {args}\n'
                           f"cat '{fixture('guest_good.txt')}'\n")
        boot(Context(qemu=qemu), "bzImage", "initrd", "test",
             log=f"{self.tmp}/console.log", timeout=30, args="uev.args=-f,x")
        with open(args) as f:
            line = f.read()
        self.assertIn("-kernel bzImage -initrd initrd", line)
        self.assertIn("uev.mode=test uev.args=-f,x", line)


class Boot(ToolTest):

    def test_silent_hang_is_killed(self):
        # A guest that hangs without printing a line: only timeout(1)
        # can stop it.
        ctx = Context(qemu=self.script("qemu", "sleep 60\n"))
        t = time.time()
        with self.assertRaisesRegex(StageFailed, "killed after its 2 s"):
            boot(ctx, "bzImage", "initrd", "test",
                 log=f"{self.tmp}/console.log", timeout=2)
        self.assertLess(time.time() - t, 10)

    def test_guest_that_does_not_finish_fails(self):
        ctx = Context(qemu=self.script("qemu", "echo 'Kernel panic'\n"))
        with self.assertRaisesRegex(StageFailed, "did not finish"):
            boot(ctx, "bzImage", "initrd", "test",
                 log=f"{self.tmp}/console.log", timeout=30)

    def test_qemu_override_from_environment(self):
        self.assertEqual(Context(environ={"UEV_QEMU": "/x/qemu"}).qemu,
                         "/x/qemu")
        self.assertEqual(Context(environ={}).qemu, "qemu-system-x86_64")

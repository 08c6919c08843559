# SPDX-License-Identifier: GPL-2.0
"""The guest: its results channel and their parsing, the client checks,
booting with a fake QEMU, the selftests' build and the initramfs'
host programs."""

import os
import re
import subprocess
import time
from unittest import mock

from support import ToolTest, fixture

from uevtool import guest
from uevtool.common import Context, StageFailed
from uevtool.guest import (MDEV_CHECK, UDEVADM_CHECK, boot, check_clients,
                           guest_tests, ldd_paths, parse_guest,
                           run_guest_tests, split_sections)


def read(name):
    with open(fixture(name)) as f:
        return f.read()


class ParseGuest(ToolTest):

    def test_good_run(self):
        results, problems = parse_guest(read("results_good.txt"))
        self.assertEqual(problems, [])
        self.assertEqual(results, {
            "uevent_filtering": "PASS",
            "uevent_filtering/global.uevent_filtering": "PASS",
            "uevent_delivery": "PASS",
            "uevent_delivery/global.tagged_event_credentials": "PASS",
            "uevent_delivery/events.synthetic_invalid": "PASS",
            "uevent_delivery/events.ordering_under_concurrent_writers":
                "PASS",
            "uevent_delivery/failslab.synthetic_alloc_failure": "PASS",
            "uevent_replay": "PASS",
            **{f"uevent_replay/{t}": "PASS" for t in (
                "global.write_open_refused", "global.unprivileged_reader",
                "global.new_userns_reader_sees_no_untagged_event",
                "global.counters", "replay.seek_end_and_set",
                "replay.short_buffer_consumes_nothing",
                "replay.poll_and_blocking_read",
                "replay.epipe_when_overwritten",
                "replay.storm_recovered_from_replay",
                "tracing.send_deliver_drop")},
            "uevent_subscribe": "PASS",
            "uevent_subscribe/global.sockopt_abi": "PASS",
            "uevent_subscribe/storm.block_listener_survives_net_storm":
                "PASS",
            "kselftest (exit status)": "PASS",
            "clients/uevmon is listening": "PASS",
            "clients/udevadm monitor --kernel --property is listening":
                "PASS",
            "clients/mdev removed /dev/mdev/loop0 on a synthetic remove":
                "PASS",
            UDEVADM_CHECK: "PASS",
            MDEV_CHECK: "PASS",
            "clients (exit status)": "PASS",
        })

    def test_binary_died_mid_run(self):
        # The runner: "not ok 2 ... # exit=139"; the binary's own KTAP
        # planned 13 tests and reported 2.
        results, problems = parse_guest(read("results_crash.txt"))
        self.assertEqual(problems, ["uevent_delivery: planned 13 tests, "
                                    "2 reported (runner: exit=139)"])
        self.assertEqual(results["uevent_delivery"], "FAIL")
        self.assertEqual(
            results["uevent_delivery/global.tagged_event_credentials"],
            "PASS")
        self.assertEqual(results["uevent_filtering"], "PASS")

    def test_runner_timeout(self):
        results, problems = parse_guest(read("results_timeout.txt"))
        self.assertEqual(problems, [
            "uevent_delivery: planned 26 tests, 1 reported "
            "(runner: TIMEOUT 1200 seconds)"])
        self.assertEqual(results["uevent_delivery"], "FAIL")
        self.assertEqual(results["clients (exit status)"], "PASS")

    def test_channel_cut_short(self):
        # The guest stopped writing in the middle of a binary's output.
        results, problems = parse_guest(read("results_cut.txt"))
        self.assertEqual(problems, [
            "kselftest: planned 2 tests, 1 reported",
            "kselftest: no exit status", "clients: no results",
            "no final line"])
        self.assertEqual(results, {
            "uevent_filtering": "PASS",
            "uevent_filtering/global.uevent_filtering": "PASS"})

    def test_no_results_at_all(self):
        _, problems = parse_guest("")
        self.assertEqual(problems, ["kselftest: no results",
                                    "clients: no results", "no final line"])

    def test_section_without_plan(self):
        text = ("uev-results: begin clients\nok 1 uevmon is listening\n"
                "uev-results: end clients exit 0\nuev-results: done\n")
        _, problems = parse_guest(text, ("clients",))
        self.assertEqual(problems, ["clients: no KTAP plan line"])

    def test_crlf_from_a_cooked_tty(self):
        text = read("results_good.txt").replace("\n", "\r\n")
        self.assertEqual(parse_guest(text), parse_guest(
            read("results_good.txt")))

    def test_selected_tests_run_directly(self):
        # The stable stage: the binary itself is the section.
        results, problems = parse_guest(read("results_select_stock.txt"),
                                        ("uevent_delivery",))
        self.assertEqual(problems, [])
        self.assertEqual(results, {
            "uevent_delivery/events.ordering_under_concurrent_writers":
                "FAIL",
            "uevent_delivery/snaplen.snap1_untagged_one_netns."
            "others_get_full_event": "PASS",
            "uevent_delivery/snaplen.snap1_tagged_one_netns."
            "others_get_full_event": "FAIL",
            "uevent_delivery (exit status)": "FAIL",
        })


class Clients(ToolTest):

    def lines(self, name):
        return split_sections(read(name))["clients"][0]

    def test_clients_agree(self):
        self.assertEqual(check_clients(self.lines("results_good.txt")), [
            (UDEVADM_CHECK, "PASS", "7 events"),
            (MDEV_CHECK, "PASS", "7 events")])

    def test_clients_differ(self):
        results, problems = parse_guest(read("results_clients_differ.txt"))
        self.assertEqual(problems, [])
        self.assertEqual(results[UDEVADM_CHECK], "FAIL")
        self.assertEqual(results[MDEV_CHECK], "FAIL")
        self.assertEqual(results["clients (exit status)"], "FAIL")
        self.assertEqual(
            results["clients/mdev removed /dev/mdev/loop0 on a synthetic "
                    "remove"], "FAIL")
        self.assertEqual(check_clients(
            self.lines("results_clients_differ.txt")), [
            (UDEVADM_CHECK, "FAIL",
             "200342 move /devices/virtual/net/uevc1 only uevmon; "
             "200346 change /devices/virtual/block/loop0 only udevadm"),
            (MDEV_CHECK, "FAIL",
             "200348 remove /devices/virtual/block/loop0 only uevmon")])

    def test_window_needs_both_markers(self):
        lines = [line for line in self.lines("results_good.txt")
                 if not line.startswith("# udevadm:") or "end" not in line]
        self.assertEqual(check_clients(lines)[0],
                         (UDEVADM_CHECK, "FAIL",
                          "no complete window: udevadm"))
        lines = [line for line in self.lines("results_good.txt")
                 if not line.startswith("# uevmon:") or "begin" not in line]
        self.assertEqual(check_clients(lines), [
            (UDEVADM_CHECK, "FAIL", "no complete window: uevmon"),
            (MDEV_CHECK, "FAIL", "no complete window: uevmon")])

    def test_events_outside_the_window_do_not_count(self):
        lines = self.lines("results_good.txt") + [
            "# uevmon: 200351 add /devices/virtual/block/loop1",
            "# mdev: 200338 add /devices/virtual/block/loop1"]
        self.assertEqual([r for _, r, _ in check_clients(lines)],
                         ["PASS", "PASS"])

    def test_trailing_blank_of_an_empty_mark(self):
        lines = [line + " " if line.startswith("# mdev:") else line
                 for line in self.lines("results_good.txt")]
        self.assertEqual(check_clients(lines)[1],
                         (MDEV_CHECK, "PASS", "7 events"))


class GuestStage(ToolTest):
    """guest_tests() on a fake QEMU that prints a console fixture and
    writes a results fixture into its results port."""

    def stage(self, results):
        ctx = Context(qemu=self.fake_qemu("guest_console.txt", results))
        guest_tests(ctx, "bzImage", "initramfs.cpio.gz", timeout=30)
        return ctx

    def failing_stage(self, results):
        ctx = Context(qemu=self.fake_qemu("guest_console.txt", results))
        with self.assertRaisesRegex(StageFailed, "guest tests failed"):
            guest_tests(ctx, "bzImage", "initramfs.cpio.gz", timeout=30)
        return ctx

    def test_good_run_passes(self):
        ctx = self.stage("results_good.txt")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (27, 0))
        out = self.stdout.getvalue()
        self.assertIn("  PASS uevent_delivery/events.synthetic_invalid\n", out)
        self.assertIn("  PASS kselftest (exit status)\n", out)
        self.assertIn("  4 writers, 200000 events, 200000 received, 0 out "
                      "of order, 0 gaps, 0 ENOBUFS\n", out)
        self.assertIn(f"  {UDEVADM_CHECK}: 7 events\n", out)
        self.assertIn("  PASS uevent_replay/replay.storm_recovered_from_replay\n",
                      out)
        self.assertIn("guest tests: 27 passed, 0 failed\n", out)

    def test_crashed_binary_fails(self):
        ctx = self.failing_stage("results_crash.txt")
        # The fixture predates uevent_replay and uevent_subscribe:
        # missing, each fails twice.
        self.assertEqual((ctx.results.passed, ctx.results.failed), (10, 7))
        out = self.stdout.getvalue()
        self.assertIn("  INCOMPLETE: uevent_replay: did not run\n", out)
        self.assertIn("  FAIL uevent_delivery\n", out)
        self.assertIn("  not ok 2 selftests: uevent: uevent_delivery "
                      "# exit=139\n", out)
        self.assertIn("  INCOMPLETE: uevent_delivery: planned 13 tests, "
                      "2 reported (runner: exit=139)\n", out)

    def test_timeout_fails(self):
        ctx = self.failing_stage("results_timeout.txt")
        self.assertEqual(ctx.results.failed, 7)
        self.assertIn("# TIMEOUT 1200 seconds\n", self.stdout.getvalue())

    def test_skipped_wholesale_fails(self):
        # The runner says ok # SKIP and the binary ran no test: the
        # clients still pass, the stage must not.
        with open(fixture("results_good.txt")) as f:
            text = f.read()
        start = text.index("# selftests: uevent: uevent_delivery")
        end = text.index("ok 2 selftests: uevent: uevent_delivery")
        skipped = (text[:start] + "# selftests: uevent: uevent_delivery\n"
                   "# 1..0 # SKIP needs root\n"
                   "ok 1 selftests: uevent: uevent_delivery # SKIP\n" +
                   text[text.index("\n", end) + 1:])
        path = os.path.join(self.tmp, "results_skipped.txt")
        with open(path, "w") as f:
            f.write(skipped)
        self.failing_stage(path)
        self.assertIn("INCOMPLETE: uevent_delivery: SKIP",
                      self.stdout.getvalue())
        self.assertIn("INCOMPLETE: uevent_delivery: no test passed",
                      self.stdout.getvalue())

    def test_no_results_file_fails(self):
        # The console is complete, but nothing came over the results port.
        ctx = self.failing_stage(None)
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 9))
        self.assertIn("  INCOMPLETE: kselftest: no results\n",
                      self.stdout.getvalue())

    def test_clients_differ_fails(self):
        ctx = self.failing_stage("results_clients_differ.txt")
        self.assertEqual(ctx.results.failed, 8)
        self.assertIn(f"  {MDEV_CHECK}: 200348 remove "
                      "/devices/virtual/block/loop0 only uevmon\n",
                      self.stdout.getvalue())

    def test_report_only_counts_nothing(self):
        ctx = Context(qemu=self.fake_qemu("guest_console.txt",
                                          "results_crash.txt"))
        guest_tests(ctx, "bzImage", "initramfs.cpio.gz", report_only=True,
                    timeout=30)
        self.assertEqual((ctx.results.passed, ctx.results.failed), (0, 0))

    def test_select_mode_reads_its_section(self):
        ctx = Context(qemu=self.fake_qemu("guest_console.txt",
                                          "results_select_stock.txt"))
        results, problems, _, _ = run_guest_tests(
            ctx, "bzImage", "initrd", "stock", "guest-stock", "select",
            "uevent_delivery,-f,snaplen", ("uevent_delivery",), timeout=30)
        self.assertEqual(problems, [])
        self.assertEqual(results["uevent_delivery (exit status)"], "FAIL")

    def test_qemu_gets_kernel_initrd_mode_and_results_port(self):
        args = f"{self.tmp}/args"
        qemu = self.script("qemu", f'echo "$@" > {args}\n'
                           f"cat '{fixture('guest_console.txt')}'\n")
        boot(Context(qemu=qemu), "bzImage", "initrd", "select",
             log=f"{self.tmp}/console.log", timeout=30,
             args="uev.args=uevent_delivery,-f,x",
             results=f"{self.tmp}/results")
        with open(args) as f:
            line = f.read()
        self.assertIn("-kernel bzImage -initrd initrd", line)
        self.assertIn("uev.mode=select uev.args=uevent_delivery,-f,x", line)
        self.assertIn(f"-serial mon:stdio -chardev file,id=results,path="
                      f"{self.tmp}/results -serial chardev:results", line)

    def test_stale_results_file_is_removed(self):
        results = f"{self.tmp}/results"
        with open(results, "w") as f:
            f.write(read("results_good.txt"))
        boot(Context(qemu=self.fake_qemu("guest_console.txt")), "bzImage",
             "initrd", "test", log=f"{self.tmp}/console.log", timeout=30,
             results=results)
        self.assertFalse(os.path.exists(results))

    def test_demo_has_no_results_port(self):
        args = f"{self.tmp}/args"
        qemu = self.script("qemu", f'echo "$@" > {args}\n'
                           f"cat '{fixture('guest_console.txt')}'\n")
        boot(Context(qemu=qemu), "bzImage", "initrd", "demo",
             log=f"{self.tmp}/console.log", timeout=30)
        with open(args) as f:
            self.assertNotIn("-serial", f.read())


class StableStage(ToolTest):
    """check_stable() with the builds faked: it boots stock and base +
    the stable fixes in select mode and reads their results ports."""

    class Patch:
        def __init__(self, stable):
            self.message = "subject\n\nCc: stable@vger.kernel.org\n" \
                if stable else "subject\n"

    def check(self, stock, stable):
        args = f"{self.tmp}/args"
        qemu = self.script("qemu", f"""echo "$@" >> {args}
fixture='{fixture(stock)}'
case "$*" in
*"-kernel stable-bzImage"*) fixture='{fixture(stable)}';;
esac
for a; do
    case "$a" in
    file,id=results,path=*) cat "$fixture" > "${{a#*path=}}";;
    esac
done
cat '{fixture("guest_console.txt")}'
""")
        ctx = Context(qemu=qemu)
        patches = [self.Patch(True), self.Patch(False)]
        with mock.patch.object(guest, "build_stock",
                               lambda ctx, rev, name: name + "-bzImage"), \
             mock.patch.object(guest, "git", lambda *a: "c1\nc2"), \
             mock.patch.object(guest, "make_initramfs",
                               lambda *a: "initrd"):
            try:
                guest.check_stable(ctx, patches)
            finally:
                with open(args) as f:
                    self.boots = f.read().splitlines()
        return ctx

    def test_stock_fails_stable_passes(self):
        ctx = self.check("results_select_stock.txt",
                         "results_select_stable.txt")
        self.assertEqual((ctx.results.passed, ctx.results.failed), (2, 0))
        self.assertEqual(len(self.boots), 2)
        for line in self.boots:
            self.assertIn("uev.mode=select uev.args=uevent_delivery,-f,"
                          "snaplen,-t,ordering_under_concurrent_writers",
                          line)
        self.assertIn("  PASS base + stable fixes passes all 3 selected "
                      "selftests\n", self.stdout.getvalue())

    def test_stable_fixes_that_fail(self):
        with self.assertRaisesRegex(StageFailed, "stable fixes alone"):
            self.check("results_select_stock.txt",
                       "results_select_stock.txt")

    def test_stock_that_passes_is_not_caught(self):
        with self.assertRaisesRegex(StageFailed, "do not catch"):
            self.check("results_select_stable.txt",
                       "results_select_stable.txt")


class Boot(ToolTest):

    def test_silent_hang_is_killed(self):
        # A guest that hangs without printing a line: only timeout(1)
        # can stop it.
        ctx = Context(qemu=self.script("qemu", "sleep 60\n"))
        t = time.time()
        with self.assertRaisesRegex(StageFailed, "killed after its 2 s"):
            boot(ctx, "bzImage", "initrd", "test",
                 log=f"{self.tmp}/console.log", timeout=2,
                 results=f"{self.tmp}/results")
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


class Selftests(ToolTest):
    """build_selftests(): their own Makefile, from a copy of the tree,
    installed statically into the guest tools."""

    def setUp(self):
        super().setUp()
        for name, path in (("KSFT_SRC", "src"), ("KSFT_OUT", "out"),
                           ("KSFT_INSTALL", "install")):
            p = mock.patch.object(guest, name, os.path.join(self.tmp, path))
            p.start()
            self.addCleanup(p.stop)
        self.cmds = []

    def fake_run(self, files):
        def run(cmd, log, cwd=None, env=None, check=True, timeout=None):
            self.cmds.append((cmd, cwd))
            if cmd[0] == "make":
                for f in files:
                    path = os.path.join(guest.KSFT_INSTALL, f)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    open(path, "w").close()
            return 0
        return mock.patch.object(guest, "run", run)

    def test_make_install_out_of_tree(self):
        with self.fake_run(guest.KSFT_FILES):
            self.assertEqual(guest.build_selftests(Context(), "log", "/tree"),
                             guest.KSFT_INSTALL)
        (rsync, cwd), (make, _) = self.cmds
        self.assertEqual(cwd, "/tree")
        self.assertEqual(rsync[0], "rsync")
        self.assertIn("tools/testing/selftests", rsync)
        self.assertEqual(rsync[-1], guest.KSFT_SRC + "/")
        self.assertEqual(make[:3], ["make", "-C", os.path.join(
            guest.KSFT_SRC, "tools/testing/selftests")])
        for arg in ("TARGETS=uevent", f"O={guest.KSFT_OUT}",
                    f"KSFT_INSTALL_PATH={guest.KSFT_INSTALL}",
                    "USERCFLAGS=-static"):
            self.assertIn(arg, make)
        self.assertEqual(make[-1], "install")
        self.assertNotIn("/tree", " ".join(make))

    def test_incomplete_install_fails(self):
        with self.fake_run(["run_kselftest.sh"]):
            with self.assertRaisesRegex(StageFailed,
                                        "uevent/uevent_filtering"):
                guest.build_selftests(Context(), f"{self.tmp}/log", "/tree")


class HostPrograms(ToolTest):

    LDD = ("\tlinux-vdso.so.1 (0x00007ffd3b5f2000)\n"
           "\tlibkmod.so.2 => /lib/x86_64-linux-gnu/libkmod.so.2 "
           "(0x00007f56351ab000)\n"
           "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x7f56)\n"
           "\t/lib64/ld-linux-x86-64.so.2 (0x00007f5635329000)\n")

    def test_ldd_paths(self):
        self.assertEqual(ldd_paths(self.LDD), [
            "/lib/x86_64-linux-gnu/libkmod.so.2",
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib64/ld-linux-x86-64.so.2"])

    def test_missing_library_fails(self):
        with self.assertRaisesRegex(StageFailed, "libfoo.so.1 => not found"):
            ldd_paths(self.LDD + "\tlibfoo.so.1 => not found\n")

    def test_copy_with_libraries_and_loader(self):
        root = os.path.join(self.tmp, "root")
        guest.copy_host_program(root, "/usr/bin/timeout")
        for path in ["/usr/bin/timeout"] + ldd_paths(
                subprocess.run(["ldd", "/usr/bin/timeout"], text=True,
                               capture_output=True).stdout):
            self.assertTrue(os.path.isfile(root + path), path)


class GuestScripts(ToolTest):

    def test_scripts_parse(self):
        for name in ("init", "clients.sh", "demo.sh", "bench.sh"):
            p = subprocess.run(["sh", "-n", os.path.join(guest.GUEST, name)],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, name + ": " + p.stderr)

    def test_clients_plan_matches_its_results(self):
        with open(os.path.join(guest.GUEST, "clients.sh")) as f:
            src = f.read()
        plan = re.search(r'echo "1\.\.(\d+)"', src).group(1)
        # Each result has a skip in the other branch of its "if".
        self.assertEqual(int(plan), len(re.findall(r"^\s*result \$\?", src,
                                                   re.M)))
        self.assertEqual(len(re.findall(r"^\s*result \$\?\s", src, re.M)) -
                         len(re.findall(r"^result \$\?", src, re.M)),
                         len(re.findall(r"^\s*skip ", src, re.M)))


class OptionsOff(ToolTest):
    """The guest kernel without CONFIG_SB_UEVENT and
    CONFIG_KOBJECT_UEVENT_REPLAY: its superblock tests pass and saw the
    option off, the replay tests that need the ring skip for want of
    /dev/uevent and the others pass."""

    def verdict(self, text):
        results, problems = parse_guest(text, guest.NOSB_SECTIONS)
        return guest.nosb_verdict(results, problems, text)

    def test_real_run(self):
        self.assertEqual(self.verdict(read("results_nosb.txt")), (19, []))

    def test_option_not_seen_off(self):
        text = read("results_nosb.txt").replace(guest.NOSB_NOTE, "x")
        n, bad = self.verdict(text)
        self.assertEqual(bad, [f"the tests did not report "
                               f"'{guest.NOSB_NOTE}'"])

    def test_failed_test(self):
        text = read("results_nosb.txt").replace(
            "ok 2 superblock.vfat.read_only",
            "not ok 2 superblock.vfat.read_only")
        n, bad = self.verdict(text)
        self.assertIn("uevent_delivery/superblock.vfat.read_only: FAIL", bad)

    def test_nothing_ran(self):
        n, bad = self.verdict("")
        self.assertEqual(n, 0)
        self.assertIn("no superblock test ran", bad)
        self.assertIn("no replay test ran", bad)

    def test_ring_present(self):
        """A replay test that ran instead of skipping: the ring is on."""
        text = read("results_nosb.txt").replace(
            "ok 1 global.write_open_refused # SKIP no /dev/uevent",
            "ok 1 global.write_open_refused")
        n, bad = self.verdict(text)
        self.assertIn("uevent_replay/global.write_open_refused: PASS, not "
                      "skipped without the ring", bad)

    def test_counters_skipped(self):
        """The counters must work without the ring."""
        text = re.sub(r"ok (\d+) global.counters",
                      r"ok \1 global.counters # SKIP no counters",
                      read("results_nosb.txt"))
        n, bad = self.verdict(text)
        self.assertIn("uevent_replay/global.counters: SKIP", bad)


class WantedOptions(ToolTest):

    def test_later_fragment_overrides(self):
        from uevtool.builds import wanted_options
        a = os.path.join(self.tmp, "a.config")
        b = os.path.join(self.tmp, "b.config")
        with open(a, "w") as f:
            f.write("CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\n")
        with open(b, "w") as f:
            f.write("# comment\n# CONFIG_B is not set\nCONFIG_C=y\n")
        self.assertEqual(sorted(wanted_options([a, b])),
                         ["CONFIG_A=y", "CONFIG_C=y"])

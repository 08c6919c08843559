# SPDX-License-Identifier: GPL-2.0
"""The tool's structure: no import side effects, the build environment,
packages, the stage table, the command line, the self-test parser."""

import glob
import inspect
import os
import re
from unittest import mock

from support import ENV_BEFORE, ToolTest

import uevtool
from uevtool import checks, cli, common, packages, stages
from uevtool.common import Context, StageFailed, build_env


class Environment(ToolTest):

    def test_import_leaves_environ_alone(self):
        self.assertEqual(dict(os.environ), ENV_BEFORE)

    def test_build_env(self):
        base = {"PATH": "/bin", "HOME": "/root", "CCACHE_DIR": "/cc"}
        env = build_env(base)
        self.assertEqual(base, {"PATH": "/bin", "HOME": "/root",
                                "CCACHE_DIR": "/cc"})
        self.assertEqual(env["PATH"], "/usr/lib/ccache:/usr/bin:/bin")
        self.assertEqual(env["CCACHE_DIR"], "/cc")
        self.assertEqual(env["CCACHE_MAXSIZE"], "20G")
        self.assertEqual(env["CCACHE_BASEDIR"], common.WORK)
        self.assertEqual((env["KBUILD_BUILD_TIMESTAMP"],
                          env["KBUILD_BUILD_USER"],
                          env["KBUILD_BUILD_HOST"]),
                         ("2026-01-01", "uev", "uev"))
        self.assertEqual(build_env({})["CCACHE_DIR"],
                         os.path.expanduser("~/.cache/ccache"))

    def test_context_owns_results(self):
        a, b = Context(), Context()
        a.results.add(2, 1)
        self.assertEqual(a.results.line(), "2 passed, 1 failed")
        self.assertEqual(b.results.line(), "0 passed, 0 failed")


class Packages(ToolTest):

    def test_lists(self):
        self.assertIn("python3-matplotlib", packages.PACKAGES)
        for sub in (packages.BASE, packages.BUILD, packages.GUEST):
            self.assertLessEqual(set(sub), set(packages.PACKAGES))

    def test_installed_only_by_demo_test_bench(self):
        src = os.path.dirname(uevtool.__file__)
        callers = set()
        for path in glob.glob(os.path.join(src, "*.py")):
            with open(path) as f:
                if re.search(r"^\s*(?:packages\.)?ensure_packages\(",
                             f.read(), re.M):
                    callers.add(os.path.basename(path))
        self.assertEqual(callers, {"cli.py"})
        installers = {name for name, (fn, _) in cli.COMMANDS.items()
                      if "ensure_packages(" in inspect.getsource(fn)}
        self.assertEqual(installers, {"demo", "test", "bench"})
        checkers = {name for name, (fn, _) in cli.COMMANDS.items()
                    if "require_packages(" in inspect.getsource(fn)}
        self.assertEqual(checkers, set(cli.COMMANDS) - installers)

    def test_missing_package_is_named(self):
        with self.assertRaisesRegex(StageFailed,
                                    "missing packages: uev-no-such-pkg; "
                                    "install them with: apt-get install "
                                    "uev-no-such-pkg"):
            packages.require_packages(["uev-no-such-pkg"])


class Stages(ToolTest):

    def test_table(self):
        names = [name for name, _ in stages.STAGES]
        self.assertEqual(names[0], "tooling self-test")
        self.assertEqual(len(names), len(set(names)))
        self.assertTrue(all(callable(fn) for _, fn in stages.STAGES))
        self.assertIs(stages.STAGES[0][1], checks.check_tooling)

    def test_run_in_order_and_stop_at_failure(self):
        seen = []

        def ok(name):
            return lambda ctx: seen.append((name, ctx))

        def bad(ctx):
            seen.append(("bad", ctx))
            raise StageFailed("bad")
        ctx = Context()
        table = [("a", ok("a")), ("b", bad), ("c", ok("c"))]
        with self.assertRaises(StageFailed):
            stages.run_stages(ctx, table)
        self.assertEqual(seen, [("a", ctx), ("bad", ctx)])


class CommandLine(ToolTest):

    def exit_code(self, argv):
        with self.assertRaises(SystemExit) as e:
            cli.main(argv)
        return e.exception.code

    def test_help(self):
        self.assertEqual(self.exit_code(["help"]), 0)
        out = self.stdout.getvalue()
        self.assertTrue(out.startswith("usage: series/uev COMMAND\n"))
        for name in cli.COMMANDS:
            self.assertIn(f"\n  {name:<12} ", out)

    def test_unknown_command(self):
        self.assertEqual(self.exit_code(["frobnicate"]), 2)
        self.assertEqual(self.exit_code([]), 2)

    def test_failure_prints_results_and_exits_1(self):
        def fails(ctx, argv):
            ctx.results.add(3, 1)
            raise StageFailed("broken")
        cmds = dict(cli.COMMANDS, test=(fails, "x"))
        orig = cli.COMMANDS
        cli.COMMANDS = cmds
        try:
            self.assertEqual(self.exit_code(["test"]), 1)
        finally:
            cli.COMMANDS = orig
        self.assertTrue(self.stdout.getvalue().endswith(
            "\nFAILED: broken\n3 passed, 1 failed\n"))

    def test_guest_test_usage(self):
        self.assertEqual(self.exit_code(["guest-test", "--bogus"]), 1)
        self.assertIn("usage: series/uev guest-test [--stock]",
                      self.stdout.getvalue())


class SelfTestParser(ToolTest):

    def test_ok(self):
        self.assertEqual(
            checks.parse_unittest("...\n------\nRan 12 tests in 2.1s\n\n"
                                  "OK (skipped=2)\n"),
            {"ran": 12, "passed": 10, "failed": 0, "skipped": 2})

    def test_failed(self):
        self.assertEqual(
            checks.parse_unittest("FAIL: test_x (m.C.test_x)\n"
                                  "Ran 5 tests in 0.1s\n\n"
                                  "FAILED (failures=1, errors=2)\n"),
            {"ran": 5, "passed": 2, "failed": 3, "skipped": 0})

    def test_no_summary(self):
        self.assertIsNone(checks.parse_unittest("Traceback...\n"))


class SeriesObjects(ToolTest):

    def test_included_suite_builds_its_includer(self):
        p = mock.Mock()
        p.files.return_value = ["drivers/acpi/dock_kunit.c",
                                "drivers/acpi/Kconfig", "fs/internal.h",
                                "tools/uevent/uevmon.c", "lib/kobject.c"]
        self.assertEqual(checks.series_objects(p),
                         ["drivers/acpi/dock.o", "fs/super.o",
                          "lib/kobject.o"])

    def test_prefix_builds_only_objects_it_has(self):
        """A header maps to objects a later patch adds: an earlier
        prefix builds those it has."""
        os.makedirs(os.path.join(self.tmp, "lib"))
        with open(os.path.join(self.tmp, "lib", "kobject_uevent.c"), "w"):
            pass
        self.assertEqual(checks.present_objects(
            self.tmp, ["lib/kobject_uevent.o", "lib/kobject_uevent_replay.o"]),
            ["lib/kobject_uevent.o"])

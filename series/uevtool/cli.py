# SPDX-License-Identifier: GPL-2.0
"""The subcommands of series/uev: argument parsing and COMMANDS.

Each command gets a fresh Context (common.Context) that owns its results
and build environment.  demo, test and bench install their packages
first; the others check for what they need.
"""

import argparse
import os
import subprocess
import sys
import time

from . import packages
from .assembly import EXPORT, assemble, export_series, import_base, writeback
from .bench import bench
from .profile import profile
from .builds import build_guest, build_stock
from .checks import bloat
from .common import Context, StageFailed, header
from .guest import (GUEST_TOOLS, check_stable, demo, guest_image, guest_tests,
                    make_initramfs)
from .kunit import kunit_all
from .stages import run_stages


def cmd_demo(ctx, _):
    packages.ensure_packages()
    demo(ctx)


def cmd_test(ctx, _):
    packages.ensure_packages()
    t = time.time()
    run_stages(ctx)
    header(f"all stages passed in {time.time() - t:.0f} s")
    print(ctx.results.line())


def cmd_bench(ctx, argv):
    ap = argparse.ArgumentParser(prog="series/uev bench")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--events", type=int, default=None,
                    help="events per figure (default 20000)")
    ap.add_argument("--mode", choices=("tcg", "icount", "icount1"),
                    action="append", help="QEMU timing mode; default: all")
    ap.add_argument("--profile", action="store_true",
                    help="the per-phase profile of one event instead "
                    "(icount; --events default 2000)")
    opts = ap.parse_args(argv)
    packages.ensure_packages()
    if opts.profile and opts.mode:
        ap.error("--profile always runs in icount mode on one vCPU")
    if opts.profile:
        events = opts.events if opts.events is not None else 2000
        profile(ctx, opts.runs, events)
        return
    bench(ctx, opts.runs, 20000 if opts.events is None else opts.events,
          tuple(opts.mode or ("tcg", "icount", "icount1")))


def cmd_import(ctx, _):
    packages.require_packages(packages.BASE)
    import_base()


def cmd_assemble(ctx, argv):
    if argv not in ([], ["--force"]):
        raise StageFailed("usage: series/uev assemble [--force]")
    packages.require_packages(packages.BASE)
    assemble(ctx, force=bool(argv))


def cmd_writeback(ctx, argv):
    if argv not in ([], ["--force"]):
        raise StageFailed("usage: series/uev writeback [--force]")
    packages.require_packages(packages.BASE)
    writeback(ctx, force=bool(argv))


def cmd_export(ctx, _):
    packages.require_packages(packages.BASE)
    export_series(ctx)
    header(f"export: {EXPORT}")
    for f in sorted(os.listdir(EXPORT)):
        print(os.path.join(EXPORT, f))


def cmd_build(ctx, _):
    packages.require_packages(packages.BUILD)
    print(build_guest(ctx))


def cmd_kunit(ctx, _):
    packages.require_packages(packages.GUEST)
    kunit_all(ctx)


def cmd_guest_test(ctx, argv):
    if argv not in ([], ["--stock"]):
        raise StageFailed("usage: series/uev guest-test [--stock]")
    packages.require_packages(packages.GUEST)
    if argv == ["--stock"]:
        # Run our selftests on the unmodified base: shows which of them
        # catch what the stock core gets wrong.
        guest_image(ctx)
        kernel = build_stock(ctx)
        guest_tests(ctx, kernel,
                    make_initramfs(GUEST_TOOLS, "initramfs-stock"),
                    report_only=True)
        return
    guest_tests(ctx)
    print(ctx.results.line())


def cmd_stable(ctx, _):
    packages.require_packages(packages.GUEST)
    patches = assemble(ctx)
    guest_image(ctx)
    check_stable(ctx, patches)
    print(ctx.results.line())


def cmd_bloat(ctx, _):
    packages.require_packages(packages.BUILD)
    bloat(ctx)


COMMANDS = {
    "demo": (cmd_demo, "build and boot the guest; show its uevents live"),
    "test": (cmd_test, "run every test and check; ends with 'N passed, N failed'"),
    "import": (cmd_import, "unpack linux-source-6.12 as .work/linux base"),
    "assemble": (cmd_assemble, "import the base tree and assemble series/patches into .work/linux [--force: drop commits not written back]"),
    "writeback": (cmd_writeback, "write the commits of .work/linux back into series/patches and the kernel-path files [--force: overwrite edits made here]"),
    "build": (cmd_build, "build the x86_64 guest kernel; print its path last"),
    "kunit": (cmd_kunit, "run the KUnit suites (UML, x86_64, debug)"),
    "guest-test": (cmd_guest_test, "run the selftests in the QEMU guest [--stock: on the unmodified base]"),
    "stable": (cmd_stable, "the stable fixes alone: stock fails, base + fixes passes the guest tests that prove them"),
    "bench": (cmd_bench, "benchmark against the stock 6.12 core [--runs N] [--events N] [--mode tcg|icount|icount1] [--profile]"),
    "bloat": (cmd_bloat, "measure what CONFIG_KOBJECT_UEVENT=n saves (tinyconfig)"),
    "export": (cmd_export, "write the series with format-patch to out/series"),
}


def usage():
    print("usage: series/uev COMMAND\n\ncommands:")
    for name, (_, h) in COMMANDS.items():
        print(f"  {name:<12} {h}")
    print("  help         print this text")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        usage()
        sys.exit(0 if argv and argv[0] in ("help", "-h", "--help") else 2)
    fn = COMMANDS[argv[0]][0]
    ctx = Context()
    try:
        fn(ctx, argv[1:])
    except StageFailed as e:
        print(f"\nFAILED: {e}", flush=True)
        if ctx.results.passed or ctx.results.failed:
            print(ctx.results.line())
        sys.exit(1)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"\nFAILED: {type(e).__name__}: {e}", flush=True)
        ctx.results.add(0, 1)
        print(ctx.results.line())
        sys.exit(1)

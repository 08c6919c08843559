# SPDX-License-Identifier: GPL-2.0
"""Kernel configuration and builds: the guest kernel and the stock one.

Every build runs with ctx.env (ccache, kbuild stamps; common.build_env).
"""

import os
import re
import time

from .assembly import assemble
from .common import (JOBS, SERIES, TREE, WORK, StageFailed, config_dir,
                     header, new_log, out, run)

STOCK = os.path.join(WORK, "stock")

# Options only the series has; the stock base drops them silently.
SERIES_ONLY = {"CONFIG_KOBJECT_UEVENT=y", "CONFIG_KOBJECT_UEVENT_KUNIT_TEST=y",
               "CONFIG_ACPI_DOCK_KUNIT_TEST=y", "CONFIG_GFS2_KUNIT_TEST=y",
               "CONFIG_SB_UEVENT=y", "CONFIG_KOBJECT_UEVENT_REPLAY=y",
               "CONFIG_KOBJECT_UEVENT_REPLAY_KUNIT_TEST=y",
               "CONFIG_KOBJECT_UEVENT_DEFERRED_KUNIT_TEST=y",
               "CONFIG_KOBJECT_UEVENT_SUBSCRIBE_KUNIT_TEST=y"}


def wanted_options(fragments):
    """The "CONFIG_X=y" lines @fragments (paths, merged in order) ask
    for: a later "CONFIG_X=..." or "# CONFIG_X is not set" overrides an
    earlier line, as in merge_config.sh."""
    want = {}
    for fr in fragments:
        with open(fr) as f:
            lines = f.read().splitlines()
        for line in lines:
            line = line.strip()
            m = re.match(r"^(CONFIG_\w+)=|^# (CONFIG_\w+) is not set$", line)
            if m:
                want[m.group(1) or m.group(2)] = line
    return [v for v in want.values() if v.endswith("=y")]


def configure(ctx, name, arch, fragments, log, allno=True, tree=None,
              odir=None):
    """Merge fragments onto allnoconfig into @odir (default BUILD/name),
    if they changed."""
    tree = tree or TREE
    odir = odir or config_dir(name)
    os.makedirs(odir, exist_ok=True)
    frags = [os.path.join(SERIES, "configs", f) for f in fragments]
    digest = out(["sha1sum", *frags, os.path.join(tree, "Kconfig")])
    stamp = os.path.join(odir, ".uev-config")
    if os.path.exists(os.path.join(odir, ".config")) and \
       os.path.exists(stamp) and open(stamp).read() == digest:
        run(["make", "-C", tree, f"O={odir}", f"ARCH={arch}",
             "olddefconfig"], log, env=ctx.env)
        return odir
    env = dict(ctx.env, ARCH=arch)
    cmd = [os.path.join(tree, "scripts/kconfig/merge_config.sh"),
           "-O", odir]
    if allno:
        cmd.append("-n")
    run(cmd + frags, log, cwd=tree, env=env)
    # merge_config.sh reports, but does not fail on, dropped options.
    have = open(os.path.join(odir, ".config")).read().splitlines()
    missing = [line for line in wanted_options(frags)
               if line not in have and
               not (tree != TREE and line in SERIES_ONLY)]
    if missing:
        raise StageFailed(f"config {name}: not set: {' '.join(missing)}")
    with open(stamp, "w") as f:
        f.write(digest)
    return odir


def make(ctx, odir, arch, targets, log, extra=(), tree=None):
    run(["make", "-C", tree or TREE, f"O={odir}", f"ARCH={arch}",
         f"-j{JOBS}", *extra, *targets], log, env=ctx.env)


def build_guest(ctx, quiet=False):
    """Build the small x86_64 guest kernel; return the bzImage path."""
    assemble(ctx, quiet=quiet)
    header("build: x86_64 guest kernel")
    log = new_log("build-guest")
    odir = configure(ctx, "guest", "x86_64", ["guest.config"], log)
    t = time.time()
    # "modules" writes Module.symvers for the external benchmark module.
    make(ctx, odir, "x86_64", ["bzImage", "modules"], log)
    print(f"built in {time.time() - t:.0f} s")
    return os.path.join(odir, "arch/x86/boot/bzImage")


def build_stock(ctx, rev="base", name="stock"):
    """The base (or base + the stable fixes at @rev), same config as the
    guest, in one worktree and build directory; return bzImage."""
    header(f"build: {name} 6.12 x86_64 guest kernel (same config)")
    log = new_log("build-" + name)
    if not os.path.isdir(STOCK):
        run(["git", "worktree", "add", "-f", "--detach", STOCK, "base"], log,
            cwd=TREE)
    run(["git", "checkout", "-q", "-f", "--detach", rev], log, cwd=STOCK)
    odir = configure(ctx, "stock", "x86_64", ["guest.config"], log,
                     tree=STOCK)
    make(ctx, odir, "x86_64", ["bzImage", "modules"], log, tree=STOCK)
    return os.path.join(odir, "arch/x86/boot/bzImage")

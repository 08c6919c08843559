# SPDX-License-Identifier: GPL-2.0
"""Checks: the tooling's own unit tests, the series (its views have not
drifted, assembly, git am, every prefix builds), checkpatch, kernel-doc,
sparse and W=1, the small configs and the bloat report."""

import os
import re
import shutil
import subprocess
import sys
import time

from . import patchseries
from .assembly import (EXPORT, apply_diff, assemble, exported_patches,
                       git_env, owned_files)
from .builds import configure, make
from .common import (BUILD, JOBS, REPO, TREE, WORK, StageFailed, config_dir,
                     git, header, new_log, out, run, tail)

# ------------------------------------------------------- tooling self-test

UNITTEST = ["-m", "unittest", "discover", "-v", "-s", "series/tests"]
RAN = re.compile(r"^Ran (\d+) tests? in ", re.M)
VERDICT = re.compile(r"^(OK|FAILED)(?: \((.*)\))?$", re.M)
FAILURE = re.compile(r"^(?:FAIL|ERROR|UNEXPECTED SUCCESS): (\S+) \((\S+)\)",
                     re.M)


def parse_unittest(text):
    """Counts from unittest's closing lines in @text: {"ran", "passed",
    "failed", "skipped"}; None without a "Ran N tests" line or verdict."""
    ran, verdict = RAN.search(text), None
    for verdict in VERDICT.finditer(text):
        pass
    if not ran or not verdict:
        return None
    kv = dict(re.findall(r"([a-z ]+)=(\d+)", verdict.group(2) or ""))
    n = {k.strip(): int(v) for k, v in kv.items()}
    failed = n.get("failures", 0) + n.get("errors", 0) + \
        n.get("unexpected successes", 0)
    skipped = n.get("skipped", 0)
    ran = int(ran.group(1))
    return {"ran": ran, "failed": failed, "skipped": skipped,
            "passed": ran - failed - skipped - n.get("expected failures", 0)}


def check_tooling(ctx):
    """The unit tests of this tool (series/tests), in a python3 of
    their own."""
    header("tooling self-test: python3 -m unittest discover -s series/tests")
    log = new_log("tooling-self-test")
    t = time.time()
    rc = run([sys.executable, *UNITTEST], log, cwd=REPO, check=False)
    text = open(log, errors="replace").read()
    n = parse_unittest(text)
    if n is None:
        tail(log)
        ctx.results.add(0, 1)
        raise StageFailed(f"tooling self-test: no result (rc {rc})")
    for name, where in FAILURE.findall(text):
        print(f"  FAIL {where}")
    ok = not rc and not n["failed"] and n["passed"] > 0
    print(f"  {'PASS' if ok else 'FAIL'} tooling unit tests: ran {n['ran']}, "
          f"passed {n['passed']}, failed {n['failed']}, "
          f"skipped {n['skipped']} ({time.time() - t:.0f} s)")
    ctx.results.add(n["passed"], n["failed"] or (0 if ok else 1))
    if not ok:
        tail(log, 60)
        raise StageFailed("tooling self-test failed")


# ------------------------------------------------------------------ series

# Objects to build for a patch that changes a header, beyond the .c
# files it changes itself: the users of what the header declares.
HEADER_OBJECTS = {
    "lib/kobject_uevent.h": ["lib/kobject_uevent.o",
                             "lib/kobject_uevent_env.o",
                             "lib/kobject_uevent_replay.o",
                             "lib/tests/uevent_replay_kunit.o",
                             "lib/tests/uevent_deferred_kunit.o",
                             "lib/kobject_uevent_sub.o",
                             "lib/tests/uevent_subscribe_kunit.o"],
    "include/trace/events/uevent.h": ["lib/kobject_uevent.o"],
    "include/linux/netlink.h": ["net/netlink/af_netlink.o",
                                "lib/kobject_uevent.o",
                                "lib/kobject_uevent_sub.o"],
    "net/netlink/af_netlink.h": ["net/netlink/af_netlink.o"],
    "include/uapi/linux/netlink.h": ["net/netlink/af_netlink.o",
                                     "lib/kobject_uevent_sub.o"],
    "include/uapi/linux/uevent.h": ["lib/kobject_uevent_sub.o",
                                    "lib/tests/uevent_subscribe_kunit.o"],
    "include/linux/kobject.h": ["lib/kobject.o", "kernel/ksysfs.o",
                                "drivers/base/core.o"],
    "include/kunit/uevent.h": ["lib/tests/uevent_listener.o"],
    "include/linux/fs.h": ["fs/super.o"],
    "fs/internal.h": ["fs/super.o"],
}

# KUnit suites included by the file they test (to reach its static
# functions) are built as part of that file's object.
INCLUDED_SOURCES = {
    "drivers/acpi/dock_kunit.c": "drivers/acpi/dock.o",
    "fs/gfs2/sys_kunit.c": "fs/gfs2/sys.o",
}


# Objects of another architecture (the s390 drivers the series
# converts) are built with its cross compiler (Debian's
# gcc-s390x-linux-gnu), in a build directory of their own configured
# with that architecture's defconfig, which builds them as modules.
CROSS = {"s390": ("drivers/s390/", "s390x-linux-gnu-")}


def object_arch(o):
    """The architecture whose build makes object @o."""
    for arch, (prefix, _) in CROSS.items():
        if o.startswith(prefix):
            return arch
    return "x86_64"


def arch_args(arch):
    """make's ARCH= (and CROSS_COMPILE=) for @arch."""
    if arch in CROSS:
        return [f"ARCH={arch}", f"CROSS_COMPILE={CROSS[arch][1]}"]
    return [f"ARCH={arch}"]


def cross_dir(ctx, arch, log, tree=TREE, name=None):
    """The build directory for @arch's objects, configured once."""
    odir = config_dir(name or arch)
    if not os.path.exists(os.path.join(odir, ".config")):
        os.makedirs(odir, exist_ok=True)
        run(["make", "-C", tree, f"O={odir}", *arch_args(arch),
             "defconfig"], log, env=ctx.env)
    return odir


def series_objects(p):
    """Kernel objects patch @p changes, directly or through a header."""
    objs = []
    for f in p.files():
        if f.startswith("tools/"):
            continue
        if f in INCLUDED_SOURCES:
            objs.append(INCLUDED_SOURCES[f])
        elif f.endswith(".c"):
            objs.append(f[:-2] + ".o")
        objs += HEADER_OBJECTS.get(f, [])
    return sorted(set(objs))


def present_objects(tree, objs):
    """The objects of @objs whose source @tree has: a header maps to
    objects that a later patch may add."""
    return [o for o in objs
            if os.path.exists(os.path.join(tree, o[:-2] + ".c"))]


def series_programs(p):
    """User-space programs patch @p changes (tools/, not the module)."""
    return [f for f in p.files() if f.endswith(".c") and
            f.startswith("tools/") and "/bench/" not in f]


def check_views(ctx, patches):
    """The kernel-path files here and the patch files are what the series
    gives: nothing edited in one place only."""
    tip = git("rev-parse", "HEAD")
    for what, problems in (
            ("kernel-path files match the series",
             patchseries.view_drift(tip)),
            ("patch files are as git format-patch writes them",
             patchseries.patch_drift(tip))):
        ok = not problems
        print(f"  {'PASS' if ok else 'FAIL'} {what}")
        for p in problems:
            print("    " + p)
        ctx.results.add(ok, not ok)
        if not ok:
            raise StageFailed("the series and its views have drifted: edit "
                              "in .work/linux, then series/uev writeback")


def check_assembly(ctx, patches):
    """Re-assembly touches nothing unchanged; a stale diff is named."""
    stamp = {f: os.stat(os.path.join(TREE, f)).st_mtime_ns
             for f in ["Makefile"] + sorted({f for p in patches
                                             for f in p.files()})
             if os.path.exists(os.path.join(TREE, f))}
    assemble(ctx, quiet=True, again=True)
    same = all(os.stat(os.path.join(TREE, f)).st_mtime_ns == t
               for f, t in stamp.items())
    print(f"  {'PASS' if same else 'FAIL'} re-assembly rewrites no "
          "unchanged file")
    ctx.results.add(same, not same)
    if not same:
        raise StageFailed("re-assembly rewrote unchanged files")
    # A patch whose context no longer matches (as on a newer 6.12.y).
    text = patches[0].diff
    lines = text.splitlines()
    first = next(i for i, l in enumerate(lines) if l.startswith("@@"))
    ctx_line = next(l for l in lines[first:] if l.startswith(" ") and
                    l.strip())
    stale = os.path.join(WORK, "stale.diff")
    with open(stale, "w") as f:
        f.write(text.replace(ctx_line, ctx_line + " changed upstream", 1))
    target = re.search(r"^\+\+\+ b/(\S+)", text, re.M).group(1)
    env = dict(os.environ, GIT_INDEX_FILE=os.path.join(WORK, "stale.index"))
    git("read-tree", "base", env=env)
    try:
        apply_diff(stale, env, f"patch 1 ({patches[0].name})")
        msg = ""
    except StageFailed as e:
        msg = str(e)
    ok = target in msg and "hunk #1" in msg
    print(f"  {'PASS' if ok else 'FAIL'} a stale patch is reported: {msg}")
    ctx.results.add(ok, not ok)
    if not ok:
        raise StageFailed("a stale patch was not reported with file and "
                          "hunk")


def check_series(ctx, patches, dest=EXPORT):
    """git am the export onto a pristine base; build every prefix."""
    header("series: views, assembly, git am onto pristine base, "
           "every prefix builds")
    check_views(ctx, patches)
    check_assembly(ctx, patches)
    log = new_log("series")
    am = os.path.join(WORK, "am")
    if not os.path.isdir(os.path.join(am, ".git")):
        shutil.rmtree(am, ignore_errors=True)
        run(["git", "clone", "-q", "--shared", "--no-checkout", TREE, am], log)
    env = git_env()
    run(["git", "am", "--abort"], log, cwd=am, check=False)
    run(["git", "checkout", "-q", "-f", "--detach", "base"], log, cwd=am)
    files = exported_patches(dest)
    run(["git", "am", "-q", *files], log, cwd=am, env=env)
    print(f"  PASS git am of {len(files)} patches onto base")
    ctx.results.add(1)
    same = git("rev-parse", "HEAD^{tree}", cwd=am) == git(
        "rev-parse", "HEAD^{tree}")
    if not same:
        ctx.results.add(0, 1)
        raise StageFailed("applied series differs from the assembled tree")
    guest = configure(ctx, "guest", "x86_64", ["guest.config"], log)
    odir = config_dir("prefix")
    os.makedirs(odir, exist_ok=True)
    commits = git("rev-list", "--reverse", "base..HEAD", cwd=am).split()
    for i, (c, p) in enumerate(zip(commits, patches), 1):
        run(["git", "checkout", "-q", "--detach", c], log, cwd=am)
        every = present_objects(am, series_objects(p))
        objs = [o for o in every if object_arch(o) == "x86_64"]
        t = time.time()
        base = ["make", "-C", am, f"O={odir}", "ARCH=x86_64", f"-j{JOBS}"]
        # Start each prefix from the whole series' guest config: an
        # option a patch adds is on from that patch on, not dropped by
        # the olddefconfig of an earlier prefix that lacked it.
        shutil.copy(os.path.join(guest, ".config"),
                    os.path.join(odir, ".config"))
        run(base + ["olddefconfig"], log, env=ctx.env)
        rc = run(base + objs, log, env=ctx.env, check=False) if objs else 0
        for arch in CROSS:
            cross = [o for o in every if object_arch(o) == arch]
            if cross and not rc:
                cdir = cross_dir(ctx, arch, log, am, "prefix-" + arch)
                cbase = ["make", "-C", am, f"O={cdir}", *arch_args(arch),
                         f"-j{JOBS}"]
                run(cbase + ["olddefconfig"], log, env=ctx.env)
                rc = run(cbase + cross, log, env=ctx.env, check=False)
                objs = objs + [f"{o} ({arch})" for o in cross]
        what = " ".join(objs)
        # User-space programs the patch adds build with their own rules.
        progs = series_programs(p)
        if progs and not rc:
            rc = build_user_programs(ctx, am, progs, log)
            what = " ".join(filter(None, [what] + progs))
        if rc:
            ctx.results.add(0, 1)
            tail(log)
            raise StageFailed(f"patch {i} does not build: {what}")
        what = what or "nothing (no code)"
        ctx.results.add(1)
        print(f"  PASS patch {i}/{len(commits)} builds {what} "
              f"({time.time() - t:.0f} s)")


def build_user_programs(ctx, tree, progs, log):
    """Compile tools/ programs with -Werror into .work/build/prefix-tools."""
    odir = os.path.join(BUILD, "prefix-tools")
    os.makedirs(odir, exist_ok=True)
    rc = 0
    for prog in progs:
        name = os.path.join(odir, os.path.basename(prog)[:-2])
        inc = ["-I", os.path.join(tree, "tools/testing/selftests")]
        # As tools/uevent/Makefile: the tools' copies of UAPI headers.
        if prog.startswith("tools/uevent/"):
            inc += ["-I", os.path.join(tree, "tools/include/uapi")]
        rc = rc or run(["gcc", "-O2", "-Wall", "-Werror", "-pthread", *inc,
                        "-o", name, os.path.join(tree, prog)], log,
                       env=ctx.env, check=False)
    return rc


# ------------------------------------------------ checkpatch and kernel-doc

def check_checkpatch(ctx, dest=EXPORT):
    header("checkpatch.pl --strict on every patch")
    log = new_log("checkpatch")
    bad = 0
    for f in exported_patches(dest):
        # The base is Debian's tarball, without upstream history, so
        # checkpatch cannot look up the commits that Fixes: tags name.
        rc = run([os.path.join(TREE, "scripts/checkpatch.pl"), "--strict",
                  "--ignore", "UNKNOWN_COMMIT_ID", "--showfile", f], log,
                 cwd=TREE, env=ctx.env, check=False)
        name = os.path.basename(f)
        print(f"  {'PASS' if rc == 0 else 'FAIL'} {name}")
        ctx.results.add(rc == 0, rc != 0)
        bad += rc != 0
    if bad:
        tail(log, 60)
        raise StageFailed(f"checkpatch: {bad} patch(es) not clean")


def check_kerneldoc(ctx):
    header("kernel-doc -none on every file we own")
    log = new_log("kernel-doc")
    bad = 0
    for f in owned_files():
        if not f.endswith((".c", ".h")):
            continue
        p = subprocess.run([os.path.join(TREE, "scripts/kernel-doc"),
                            "-Wall", "-none", f], cwd=TREE, env=ctx.env,
                           text=True, capture_output=True)
        msg = (p.stdout + p.stderr).strip()
        with open(log, "a") as fh:
            fh.write(f"$ kernel-doc -Wall -none {f}\n{msg}\n")
        ok = p.returncode == 0 and not msg
        print(f"  {'PASS' if ok else 'FAIL'} {f}")
        if msg:
            print("    " + msg.replace("\n", "\n    "))
        ctx.results.add(ok, not ok)
        bad += not ok
    if bad:
        raise StageFailed(f"kernel-doc: {bad} file(s) not clean")


# ------------------------------------------------------------ sparse, W=1

WARNING = re.compile(r"^(\S+?):(\d+):(?:\d+:)? (?:warning|error):.*$", re.M)


def changed_lines():
    """Lines of the final tree that the series adds or changes."""
    cur, res = None, {}
    for line in git("diff", "-U0", "base", "HEAD").splitlines():
        if line.startswith("+++ b/"):
            cur = line[6:]
            res.setdefault(cur, set())
        m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
        if m and cur:
            start, n = int(m.group(1)), int(m.group(2) or 1)
            res[cur].update(range(start, start + n))
    return res


def check_objects(ctx, patches):
    """sparse (C=2) and W=1 on every object the series touches.

    A warning counts against the series when it points into a file we
    own or at a line our diffs add; warnings elsewhere (upstream code
    that merely includes a header we changed) are shown, not counted.
    """
    header("sparse (C=2) and W=1 on every object the series touches")
    log = new_log("objects")
    owned = set(owned_files())
    changed = changed_lines()
    objs = sorted({o for p in patches for o in series_objects(p)})
    bad = 0
    for o in objs:
        arch = object_arch(o)
        odir = config_dir("guest") if arch == "x86_64" else \
            cross_dir(ctx, arch, log)
        # Force a rebuild so the compiler and sparse see the file again.
        try:
            os.unlink(os.path.join(odir, o))
        except FileNotFoundError:
            pass
        p = subprocess.run(["make", "-C", TREE, f"O={odir}",
                            *arch_args(arch), "C=2", "W=1", o],
                           env=ctx.env, text=True, capture_output=True)
        text = p.stdout + p.stderr
        with open(log, "a") as fh:
            fh.write(f"$ make C=2 W=1 {o}\n{text}\n")
        ours, theirs = [], []
        for m in WARNING.finditer(text):
            path = m.group(1)
            if not path.startswith("/"):
                beside = os.path.normpath(os.path.join(odir, path))
                path = beside if beside.startswith(TREE + "/") else \
                    os.path.join(TREE, path)
            rel = os.path.relpath(path, TREE)
            if rel in owned or int(m.group(2)) in changed.get(rel, ()):
                ours.append(m.group(0))
            else:
                theirs.append(m.group(0))
        ok = p.returncode == 0 and not ours
        where = "" if arch == "x86_64" else f" ({arch})"
        print(f"  {'PASS' if ok else 'FAIL'} {o}{where}"
              + (f" ({len(theirs)} upstream warning(s), not ours)"
                 if theirs else ""))
        for line in ours:
            print("    " + line)
        ctx.results.add(ok, not ok)
        bad += not ok
    if bad:
        raise StageFailed(f"sparse/W=1: {bad} object(s) not clean")


# ----------------------------------------------------------- small configs

def check_configs(ctx):
    """allnoconfig (NET=n) and tinyconfig (KOBJECT_UEVENT=n) link."""
    header("small configs: allnoconfig (NET=n), tinyconfig (uevents off)")
    for name, target, want in (
            ("allno", "allnoconfig", "CONFIG_KOBJECT_UEVENT=y"),
            ("tiny", "tinyconfig", "# CONFIG_KOBJECT_UEVENT is not set")):
        log = new_log("config-" + name)
        odir = config_dir(name)
        os.makedirs(odir, exist_ok=True)
        t = time.time()
        make(ctx, odir, "x86_64", [target], log)
        cfg = open(os.path.join(odir, ".config")).read()
        if want not in cfg or "# CONFIG_NET is not set" not in cfg:
            ctx.results.add(0, 1)
            raise StageFailed(f"{target}: expected {want} and NET=n")
        make(ctx, odir, "x86_64", ["vmlinux"], log)
        size = os.path.getsize(os.path.join(odir, "vmlinux"))
        ctx.results.add(1)
        print(f"  PASS {target}: {want}, NET=n, vmlinux {size} bytes "
              f"({time.time() - t:.0f} s)")


def bloat(ctx):
    """vmlinux size saved by CONFIG_KOBJECT_UEVENT=n on tinyconfig."""
    assemble(ctx)
    header("bloat: tinyconfig with and without CONFIG_KOBJECT_UEVENT")
    log = new_log("bloat")
    images = {}
    for name, extra in (("tiny", None), ("tiny-on", "KOBJECT_UEVENT")):
        odir = config_dir(name)
        os.makedirs(odir, exist_ok=True)
        make(ctx, odir, "x86_64", ["tinyconfig"], log)
        if extra:
            run([os.path.join(TREE, "scripts/config"), "--file",
                 os.path.join(odir, ".config"), "-e", extra], log,
                env=ctx.env)
            make(ctx, odir, "x86_64", ["olddefconfig"], log)
        make(ctx, odir, "x86_64", ["vmlinux"], log)
        images[name] = os.path.join(odir, "vmlinux")
    text = out([os.path.join(TREE, "scripts/bloat-o-meter"),
                images["tiny-on"], images["tiny"]], env=ctx.env)
    print(text)

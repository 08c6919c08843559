# SPDX-License-Identifier: GPL-2.0
"""The per-phase profile of one uevent, stock and ours side by side
("series/uev bench --profile"; never part of the test command).

Each tree is copied (hard links; patch(1) replaces the files it changes)
under PROF, instrumented with series/profile/{stock,ours}.patch and
series/profile/uevent_prof.h, and built in PROF/build with the guest
configuration.  The copies sit at the same relative paths to their build
directories as the real trees do, so ccache (CCACHE_BASEDIR=.work)
finds the objects of the real builds.  The guests run in icount mode,
where time is instructions executed, and print one line per listener
setup and environment (series/profile/uevent_prof_bench.c)."""

import os
import re
import shutil

from .bench import median, run_guests
from .builds import STOCK, build_stock, configure, make
from .common import (OUT, REPO, SERIES, TREE, WORK, StageFailed, git, header,
                     new_log, run, tail)
from .guest import GUEST_TOOLS, guest_image, make_initramfs

PROFILE = os.path.join(SERIES, "profile")
PROF = os.path.join(WORK, "prof")

PHASES = ("env", "format", "devpath", "hooks", "skb", "ring", "broadcast",
          "other")
PROFILE_LINE = re.compile(
    r"uevent_bench: label=(\S+) profile env=(\S+) (.*)$", re.M)


def parse_profile(text):
    """Map (label, env) to {figure: ns per event} from one guest run;
    the guest prints tenths of ns, brackets in tenths per event."""
    res = {}
    for label, env, rest in PROFILE_LINE.findall(text):
        kv = {k: int(v) / 10 for k, v in re.findall(r"(\w+)=(\d+)", rest)
              if k != "events"}
        res[(label, env)] = kv
    return res


def merge_runs(runs):
    """Medians over runs: {(label, env): {figure: (median, min, max)}}."""
    out = {}
    for key in runs[0] if runs else ():
        figs = {}
        for fig in runs[0][key]:
            vals = [r[key][fig] for r in runs if key in r and fig in r[key]]
            figs[fig] = (median(vals), min(vals), max(vals))
        out[key] = figs
    return out


def profile_rows(stock, ours):
    """Table rows for each (label, env) both kernels have: one per phase,
    then the profiled total, the time with profiling off, and the
    brackets per event with what one costs."""
    rows = []
    for key in ours:
        if key not in stock:
            continue
        s, o = stock[key], ours[key]
        for fig in PHASES + ("total", "plain", "brackets", "bracket"):
            sv, ov = s.get(fig, (None,))[0], o.get(fig, (None,))[0]
            share = None
            if fig in PHASES and s.get("total") and o.get("total"):
                share = (sv / s["total"][0] * 100, ov / o["total"][0] * 100)
            rows.append((key, fig, sv, ov, share))
    return rows


def fmt(v):
    return "-" if v is None else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def print_profile(rows):
    """Markdown: per setup, the ns per event of each phase and its share
    of the profiled total, stock against ours."""
    labels = {"total": "total (profiled)", "plain": "without profiling",
              "brackets": "brackets per event", "bracket": "one bracket"}
    last = None
    for key, fig, sv, ov, share in rows:
        if key != last:
            label, env = key
            print(f"\nlisteners={label}, env={env} (ns per event; share "
                  "of the profiled total)\n")
            print(f"| {'phase':<20} | {'stock':>7} | {'share':>6} | "
                  f"{'ours':>7} | {'share':>6} | ours - stock |")
            print(f"|{'-' * 22}|{'-' * 9}|{'-' * 8}|{'-' * 9}|{'-' * 8}|"
                  "--------------|")
            last = key
        diff = "-" if sv is None or ov is None or fig == "brackets" \
            else f"{ov - sv:+.0f}"
        sh = ("-", "-") if share is None else \
            (f"{share[0]:.0f} %", f"{share[1]:.0f} %")
        print(f"| {labels.get(fig, fig):<20} | {fmt(sv):>7} | {sh[0]:>6} | "
              f"{fmt(ov):>7} | {sh[1]:>6} | {diff:>12} |")


def write_profile_csv(rows, path):
    with open(path, "w") as f:
        f.write("listeners,env,phase,stock_ns,ours_ns\n")
        for (label, env), fig, sv, ov, _ in rows:
            f.write(f"{label},{env},{fig},{'' if sv is None else sv},"
                    f"{'' if ov is None else ov}\n")


def instrumented_tree(src, patch, log):
    """A hard-linked copy of @src in PROF, under the same name, with the
    profile applied."""
    dst = os.path.join(PROF, os.path.basename(src))
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(PROF, exist_ok=True)
    run(["cp", "-al", src, dst], log)
    shutil.rmtree(os.path.join(dst, ".git"), ignore_errors=True)
    if os.path.exists(os.path.join(dst, ".git")):
        os.unlink(os.path.join(dst, ".git"))
    shutil.copy(os.path.join(PROFILE, "uevent_prof.h"),
                os.path.join(dst, "include/linux/uevent_prof.h"))
    run(["patch", "-s", "-p1", "--fuzz=0", "--no-backup-if-mismatch", "-d",
         dst, "-i", os.path.join(PROFILE, patch)], log)
    return dst


def build_instrumented(ctx, src, name, cfg, patch):
    """Build the instrumented copy of @src and the profile module against
    it; return (bzImage, module)."""
    header(f"build: {name} with the per-phase profile")
    log = new_log("build-prof-" + name)
    tree = instrumented_tree(src, patch, log)
    odir = os.path.join(PROF, "build", cfg)
    configure(ctx, cfg, "x86_64", ["guest.config"], log, tree=tree,
              odir=odir)
    make(ctx, odir, "x86_64", ["bzImage", "modules"], log, tree=tree)
    mdir = os.path.join(PROF, "build", "module-" + name)
    shutil.rmtree(mdir, ignore_errors=True)
    os.makedirs(mdir)
    for f in ("Kbuild", "uevent_prof_bench.c"):
        shutil.copy(os.path.join(PROFILE, f), mdir)
    # The benchmark's "typical" event, so both measure the same one.
    shutil.copy(os.path.join(REPO, "tools/uevent/bench/uevent_bench_env.h"),
                mdir)
    run(["make", "-C", tree, f"O={odir}", "ARCH=x86_64", f"M={mdir}",
         "modules"], log, env=ctx.env)
    return (os.path.join(odir, "arch/x86/boot/bzImage"),
            os.path.join(mdir, "uevent_prof_bench.ko"))


# The stopped listener's 64 MiB buffer must hold every event the
# module sends: 4 x events of about 1.5 KiB each.
MAX_EVENTS = 10000


def profile(ctx, runs=3, events=2000):
    if not 0 < events <= MAX_EVENTS:
        raise StageFailed(f"--profile takes 1 to {MAX_EVENTS} events")
    # The real builds: the assembled tree, the guest tools, the stock
    # worktree, and the ccache objects the instrumented copies reuse.
    guest_image(ctx)
    build_stock(ctx)
    kernels = {}
    for name, src, cfg, patch in (("stock", STOCK, "stock", "stock.patch"),
                                  ("ours", TREE, "guest", "ours.patch")):
        kernel, ko = build_instrumented(ctx, src, name, cfg, patch)
        initrd = make_initramfs(GUEST_TOOLS, "initramfs-prof-" + name,
                                [(ko, "lib/uevent_prof_bench.ko")])
        kernels[name] = (kernel, initrd)
    # icount on one vCPU: the module's sender runs alone.
    results = run_guests(ctx, kernels, runs, "icount1",
                         f"uev.events={events} uev.profile", parse_profile,
                         "profile")
    rows = profile_rows(merge_runs(results["stock"]),
                        merge_runs(results["ours"]))
    dest = os.path.join(OUT, "bench")
    os.makedirs(dest, exist_ok=True)
    csv = os.path.join(dest, "profile.csv")
    write_profile_csv(rows, csv)
    header(f"per-phase profile: medians of {runs} runs, {events} events, "
           "QEMU icount (1 ns = 1 instruction), one CPU sending")
    print_profile(rows)
    print(f"\nwritten: {csv}")


def check_profile_patches(ctx):
    """The profile's patches still apply: stock.patch to the base,
    ours.patch to the assembled tree (a dry run in a scratch copy of the
    files they touch)."""
    log = new_log("profile-patches")
    for name, rev, patch in (("stock", "base", "stock.patch"),
                             ("ours", "HEAD", "ours.patch")):
        scratch = os.path.join(PROF, "check-" + name)
        shutil.rmtree(scratch, ignore_errors=True)
        path = os.path.join(PROFILE, patch)
        with open(path) as f:
            files = re.findall(r"^\+\+\+ b/(\S+)", f.read(), re.M)
        for f in files:
            os.makedirs(os.path.dirname(os.path.join(scratch, f)),
                        exist_ok=True)
            with open(os.path.join(scratch, f), "w") as dst:
                dst.write(git("show", f"{rev}:{f}") + "\n")
        rc = run(["patch", "-s", "-p1", "--fuzz=0", "--dry-run", "-d",
                  scratch, "-i", path], log, check=False)
        if rc:
            ctx.results.add(0, 1)
            tail(log)
            raise StageFailed(f"series/profile/{patch} does not apply to "
                              f"{name}: update it (see README)")
        ctx.results.add(1)
        print(f"  PASS series/profile/{patch} applies to {name}")

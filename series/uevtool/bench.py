# SPDX-License-Identifier: GPL-2.0
"""The benchmark against the stock 6.12 core (never part of the test
command): build both kernels and the benchmark module, boot each in the
same QEMU setup, print medians, write out/bench/bench.{csv,png,svg}."""

import collections
import os
import re
import shutil

from .builds import STOCK, build_stock
from .common import (BUILD, OUT, REPO, TREE, StageFailed, config_dir, header,
                     log_path, run, tail)
from .guest import GUEST_TOOLS, boot, guest_image, make_initramfs

BENCH_LINE = re.compile(r"uevent_bench: label=(\S+) (.*)$", re.M)


def build_bench_module(ctx, name, tree, odir):
    mdir = os.path.join(BUILD, "bench-mod-" + name)
    shutil.rmtree(mdir, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "tools/uevent/bench"), mdir)
    log = log_path("bench-module")
    run(["make", "-C", tree, f"O={odir}", "ARCH=x86_64", f"M={mdir}",
         "modules"], log, env=ctx.env)
    return os.path.join(mdir, "uevent_bench.ko")


def parse_bench(text):
    """Map (label, figure) to a number from one guest run."""
    res = {}
    for label, rest in BENCH_LINE.findall(text):
        kv = dict(re.findall(r"(\w+)=([\d.]+)", rest))
        if rest.startswith("e2e"):
            res[(label, f"e2e writers={kv['writers']} ns/event")] = \
                float(kv["ns_per_event"])
        elif rest.startswith("monitor"):
            m = re.search(r"out of order (\d+)", rest)
            g = re.search(r"gaps (\d+)", rest)
            e = re.search(r"ENOBUFS (\d+)", rest)
            if m:
                res[(label, "listener out-of-order")] = float(m.group(1))
                res[(label, "listener gaps")] = float(g.group(1))
                res[(label, "listener ENOBUFS")] = float(e.group(1))
        elif "path=deferred" in rest:
            env = re.search(r"env=(\w+)", rest).group(1)
            res[(label, f"deferred {env} from hardirq ns/event")] = \
                float(kv["ns_per_event"])
            res[(label, f"deferred {env} queueing ns/event")] = \
                float(kv["queue_ns_per_event"])
        elif "ns_per_event" in kv:
            # Only the one-CPU measurement counts allocations; the
            # all-CPUs one may also run on a single CPU (icount1).
            one = "allocs_per_event" in kv
            cpus = "1 CPU" if one else "all CPUs"
            env = re.search(r"env=(\w+)", rest).group(1)
            res[(label, f"core {env} {cpus} ns/event")] = \
                float(kv["ns_per_event"])
            if "allocs_per_event" in kv:
                res[(label, f"core {env} allocs/event")] = \
                    float(kv["allocs_per_event"])
    return res


def median(vals):
    vals = sorted(vals)
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


# One figure: the medians of stock and ours, their ratio, and the
# (min, max) of each over the runs.
Row = collections.namedtuple("Row", "fig stock ours ratio stock_range "
                             "ours_range")


def spread(value, rng):
    """(max - min) / median in percent, or None."""
    if value is None or rng is None or not value:
        return None
    return (rng[1] - rng[0]) / value * 100


def row_spread(r):
    """The larger spread of the two kernels' figures, or None."""
    vals = [v for v in (spread(r.stock, r.stock_range),
                        spread(r.ours, r.ours_range)) if v is not None]
    return max(vals) if vals else None


def summarize(results, prefix=""):
    """Rows of the medians, ratios and ranges of @results
    {"stock": [parse_bench()...], "ours": [...]}."""
    keys = []
    for r in results["ours"] + results["stock"]:
        for k in r:
            if k not in keys:
                keys.append(k)
    rows = []
    for label, fig in keys:
        vals = {n: [r[(label, fig)] for r in results[n] if (label, fig) in r]
                for n in results}
        med = {n: median(v) if v else None for n, v in vals.items()}
        rng = {n: (min(v), max(v)) if v else None for n, v in vals.items()}
        st, ou = med["stock"], med["ours"]
        ratio = ou / st if st and ou is not None else None
        rows.append(Row(f"{prefix}{fig}, listeners={label}", st, ou, ratio,
                        rng["stock"], rng["ours"]))
    return rows


def write_csv(rows, path):
    def num(v):
        return "" if v is None else f"{v}"

    with open(path, "w") as f:
        f.write("figure,stock,ours,ratio,stock_min,stock_max,ours_min,"
                "ours_max\n")
        for r in rows:
            sr = r.stock_range or (None, None)
            orr = r.ours_range or (None, None)
            ratio = f"{r.ratio:.3f}" if r.ratio is not None else ""
            f.write(f"\"{r.fig}\",{num(r.stock)},{num(r.ours)},{ratio},"
                    f"{num(sr[0])},{num(sr[1])},{num(orr[0])},{num(orr[1])}"
                    "\n")


def write_plot(rows, png, svg):
    """A horizontal bar chart of ours/stock per figure (matplotlib, Agg)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in rows if r.ratio is not None]
    names = [r.fig for r in rows]
    ratios = [r.ratio for r in rows]
    fig, ax = plt.subplots(figsize=(11, 1.5 + 0.28 * len(rows)))
    ys = list(range(len(rows)))
    ax.barh(ys, ratios, height=0.7,
            color=["#2a7" if r <= 1 else "#c44" for r in ratios])
    for y, r in zip(ys, ratios):
        ax.text(r, y, f" {r:.2f}", va="center", fontsize=8)
    ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
    ax.set_yticks(ys, names, fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1.1 * max([2.0] + ratios))
    ax.set_xlabel("ours / stock")
    ax.set_title("uevent core: ours / stock (lower is better; line at 1.0)",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    fig.savefig(svg, metadata={"Date": None})
    plt.close(fig)


def fmt(v):
    return "-" if v is None else f"{v:.2f}" if v < 100 else f"{v:.0f}"


def fmt_range(rng):
    return "-" if rng is None else f"{fmt(rng[0])}-{fmt(rng[1])}"


def print_table(rows):
    """The Markdown table of the README: medians, ranges, ratio, and the
    larger of the two spreads ((max - min) / median)."""
    print(f"| {'figure':<62} | {'stock':>7} | {'stock min-max':>15} | "
          f"{'ours':>7} | {'ours min-max':>15} | ratio | spread |")
    print(f"|{'-' * 64}|{'-' * 9}|{'-' * 17}|{'-' * 9}|{'-' * 17}|"
          "-------|--------|")
    for r in rows:
        sp = row_spread(r)
        print(f"| {r.fig:<62} | {fmt(r.stock):>7} | "
              f"{fmt_range(r.stock_range):>15} | {fmt(r.ours):>7} | "
              f"{fmt_range(r.ours_range):>15} | "
              f"{'-' if r.ratio is None else f'{r.ratio:.2f}':>5} | "
              f"{'-' if sp is None else f'{sp:.1f} %':>6} |")


# How QEMU runs the guest in each mode.  "tcg" is wall-clock time on
# the emulated CPUs (moves with the host's load); "icount" ties guest
# time to instructions executed (-icount shift=0: 1 ns per instruction,
# vCPUs run in turn on one host thread), so its figures are work, not
# time, and repeat.  Guest time is shared by the vCPUs, so with four of
# them a sender's time also counts the instructions that a listener
# executes meanwhile on another vCPU.  "icount1" boots one vCPU: the
# guest does not preempt kernel code (CONFIG_PREEMPT_NONE), so the
# module's one-CPU loop runs alone and listeners read after it.  Its
# "all CPUs" figure (one kernel thread on the one CPU) counts whatever
# the listeners and work items get to do while that thread yields, which
# depends on scheduling: compare it between kernels with care.
#
# Per mode: QEMU's arguments, the vCPUs, the guest's kernel arguments
# (icount runs leave out the flood setup) and what the events are
# divided by (instruction counts need fewer events to settle, and icount
# runs the vCPUs in turn on one host thread: a tenth, at least 1000).
Mode = collections.namedtuple("Mode", "qemu_args smp args divisor")
ICOUNT = ("-icount", "shift=0,sleep=off")
MODES = {
    "tcg": Mode((), 4, "", 1),
    "icount": Mode(ICOUNT, 4, " uev.noflood", 10),
    "icount1": Mode(ICOUNT, 1, " uev.noflood", 10),
}


def run_guests(ctx, kernels, runs, mode, args, parse, what):
    """Boot each of @kernels ({name: (bzImage, initramfs[, its own kernel
    arguments])}) @runs times in @mode with the kernel arguments @args;
    return {name: [parse(console) of each run]}.  A run that prints
    nothing @parse knows fails."""
    m = MODES[mode]
    results = {name: [] for name in kernels}
    for run_no in range(1, runs + 1):
        for name, (kernel, initrd, *own) in kernels.items():
            header(f"{what} {mode} run {run_no}/{runs}: {name}")
            log = log_path(f"{what}-{mode}-{name}-{run_no}")
            text = boot(ctx, kernel, initrd, "bench", log=log,
                        args=args + m.args + "".join(" " + a for a in own),
                        smp=m.smp, qemu_args=m.qemu_args)
            res = parse(text)
            if not res:
                tail(log)
                raise StageFailed(f"no {what} output from {name}")
            results[name].append(res)
            print(f"  {len(res)} figures")
    return results


# Our kernel again with the replay ring turned off at boot: the
# difference is what recording every event costs.
NORING = "ours, ring off"
NORING_ARG = "uevent_replay_size=0"

# One figure of the ring's cost: our medians without and with the ring.
RingRow = collections.namedtuple("RingRow", "fig off on")


def ring_rows(results, prefix=""):
    """The ns/event figures of @results {"ours": [...], NORING: [...]}:
    what our kernel takes with the ring off and on."""
    rows = []
    for r in summarize({"stock": results[NORING], "ours": results["ours"]},
                       prefix):
        if "ns/event" in r.fig:
            rows.append(RingRow(r.fig, r.stock, r.ours))
    return rows


def print_ring_table(rows):
    """The README's table of what the replay ring costs per event."""
    print(f"| {'figure':<62} | ring off | ring on | cost ns/event | ratio |")
    print(f"|{'-' * 64}|----------|---------|---------------|-------|")
    for r in rows:
        cost = None if r.off is None or r.on is None else r.on - r.off
        ratio = r.on / r.off if r.off and r.on is not None else None
        print(f"| {r.fig:<62} | {fmt(r.off):>8} | {fmt(r.on):>7} | "
              f"{'-' if cost is None else f'{cost:+.0f}':>13} | "
              f"{'-' if ratio is None else f'{ratio:.2f}':>5} |")


# The deferred path beside the direct one, in our kernel: a driver's
# kobject_uevent_env_deferred() from hard interrupt context, timed from
# the first queued event to the last one sent, and the queueing alone.
DeferRow = collections.namedtuple("DeferRow", "fig direct deferred queueing")


def deferred_rows(results, prefix=""):
    """Medians of our runs @results: per listener setup and environment,
    the direct one-CPU ns/event, the deferred one and its queueing."""
    def med(label, fig):
        vals = [r[(label, fig)] for r in results if (label, fig) in r]
        return median(vals) if vals else None

    rows = []
    for label, fig in {k: None for r in results for k in r}:
        m = re.match(r"deferred (\w+) from hardirq ns/event$", fig)
        if m:
            env = m.group(1)
            rows.append(DeferRow(
                f"{prefix}{env}, listeners={label}",
                med(label, f"core {env} 1 CPU ns/event"), med(label, fig),
                med(label, f"deferred {env} queueing ns/event")))
    return rows


def print_deferred_table(rows):
    """The README's table of the deferred path's cost per event."""
    print(f"| {'figure':<50} | direct | deferred | queueing | "
          "deferred/direct |")
    print(f"|{'-' * 52}|--------|----------|----------|-----------------|")
    for r in rows:
        ratio = r.deferred / r.direct if r.direct and r.deferred else None
        print(f"| {r.fig:<50} | {fmt(r.direct):>6} | {fmt(r.deferred):>8} | "
              f"{fmt(r.queueing):>8} | "
              f"{'-' if ratio is None else f'{ratio:.2f}':>15} |")


# A listener subscribed to nothing that is sent, beside no listener and
# one unsubscribed listener: what a subscription saves per event.
SubRow = collections.namedtuple("SubRow", "fig kernel none one subscribed")


def subscribed_rows(results, prefix=""):
    """Medians per kernel and environment of the one-CPU ns/event with
    no listener, one listener and one subscribed to nothing sent."""
    def med(res, label, fig):
        vals = [r[(label, fig)] for r in res if (label, fig) in r]
        return median(vals) if vals else None

    rows = []
    for env in ("small", "typical"):
        fig = f"core {env} 1 CPU ns/event"
        for kernel in ("stock", "ours"):
            res = results.get(kernel, [])
            if med(res, "subscribed", fig) is None:
                continue
            rows.append(SubRow(f"{prefix}{env}", kernel,
                               med(res, "none", fig), med(res, "one", fig),
                               med(res, "subscribed", fig)))
    return rows


def print_subscribed_table(rows):
    """The README's table of what a subscription saves per event."""
    print(f"| {'figure':<34} | kernel | none | one | subscribed | "
          "subscribed/one | subscribed/none |")
    print(f"|{'-' * 36}|--------|------|-----|------------|"
          "----------------|-----------------|")
    for r in rows:
        def ratio(a, b):
            return f"{a / b:.2f}" if a and b else "-"
        print(f"| {r.fig:<34} | {r.kernel:<6} | {fmt(r.none)} | "
              f"{fmt(r.one)} | {fmt(r.subscribed):>10} | "
              f"{ratio(r.subscribed, r.one):>14} | "
              f"{ratio(r.subscribed, r.none):>15} |")


def bench(ctx, runs=3, events=20000, modes=tuple(MODES)):
    ours_k, _ = guest_image(ctx)
    stock_k = build_stock(ctx)
    header("build: benchmark module against both trees")
    kernels = {}
    for name, tree, kernel, odir in (
            ("stock", STOCK, stock_k, config_dir("stock")),
            ("ours", TREE, ours_k, config_dir("guest"))):
        ko = build_bench_module(ctx, name, tree, odir)
        initrd = make_initramfs(GUEST_TOOLS, "initramfs-bench-" + name,
                                [(ko, "lib/uevent_bench.ko")])
        kernels[name] = (kernel, initrd)
    kernels[NORING] = kernels["ours"] + (NORING_ARG,)
    rows, rings, defers, subs = [], [], [], []
    for mode in modes:
        n = max(1000, events // MODES[mode].divisor)
        results = run_guests(ctx, kernels, runs, mode, f"uev.events={n}",
                             parse_bench, "bench")
        rows += summarize({k: results[k] for k in ("stock", "ours")},
                          f"[{mode}, {n} events] ")
        rings += ring_rows(results, f"[{mode}, {n} events] ")
        defers += deferred_rows(results["ours"], f"[{mode}, {n} events] ")
        subs += subscribed_rows(results, f"[{mode}, {n} events] ")
    dest = os.path.join(OUT, "bench")
    os.makedirs(dest, exist_ok=True)
    csv = os.path.join(dest, "bench.csv")
    png = os.path.join(dest, "bench.png")
    svg = os.path.join(dest, "bench.svg")
    write_csv(rows, csv)
    write_plot(rows, png, svg)
    header(f"benchmark: medians of {runs} runs, {events} events "
           "per figure (a tenth in icount modes), QEMU TCG")
    print_table(rows)
    header("the replay ring: our kernel booted with uevent_replay_size=0 "
           "(off) and as built (on), medians")
    print_ring_table(rings)
    header("deferred uevents (ours): kobject_uevent_env_deferred() from "
           "hard interrupt context beside kobject_uevent_env(), medians, "
           "ns/event")
    print_deferred_table(defers)
    header("subscriptions: one listener subscribed to a subsystem that "
           "sends nothing, beside none and one unsubscribed, medians, "
           "ns/event (stock filters in user space)")
    print_subscribed_table(subs)
    print(f"\nwritten: {csv}\nwritten: {png}\nwritten: {svg}")

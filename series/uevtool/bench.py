# SPDX-License-Identifier: GPL-2.0
"""The benchmark against the stock 6.12 core (never part of the test
command): build both kernels and the benchmark module, boot each in the
same QEMU setup, print medians, write out/bench/bench.{csv,png,svg}."""

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
        elif "ns_per_event" in kv:
            cpus = "1 CPU" if kv["cpus"] == "1" else "all CPUs"
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


def summarize(results):
    """Rows (figure, stock, ours, ours/stock) of the medians of
    @results {"stock": [parse_bench()...], "ours": [...]}."""
    keys = []
    for r in results["ours"] + results["stock"]:
        for k in r:
            if k not in keys:
                keys.append(k)
    rows = []
    for label, fig in keys:
        vals = {n: [r[(label, fig)] for r in results[n] if (label, fig) in r]
                for n in results}
        st = median(vals["stock"]) if vals["stock"] else None
        ou = median(vals["ours"]) if vals["ours"] else None
        ratio = ou / st if st and ou is not None else None
        rows.append((f"{fig}, listeners={label}", st, ou, ratio))
    return rows


def write_csv(rows, path):
    with open(path, "w") as f:
        f.write("figure,stock,ours,ratio\n")
        for fig, st, ou, ratio in rows:
            f.write(f"\"{fig}\",{st if st is not None else ''},"
                    f"{ou if ou is not None else ''},"
                    f"{f'{ratio:.3f}' if ratio is not None else ''}\n")


def write_plot(rows, png, svg):
    """A horizontal bar chart of ours/stock per figure (matplotlib, Agg)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in rows if r[3] is not None]
    names = [r[0] for r in rows]
    ratios = [r[3] for r in rows]
    fig, ax = plt.subplots(figsize=(10, 1.5 + 0.28 * len(rows)))
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


def bench(ctx, runs=3, events=20000):
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
    results = {"stock": [], "ours": []}
    for run_no in range(1, runs + 1):
        for name, (kernel, initrd) in kernels.items():
            header(f"bench run {run_no}/{runs}: {name}")
            log = log_path(f"bench-{name}-{run_no}")
            text = boot(ctx, kernel, initrd, "bench", log=log,
                        args=f"uev.events={events}")
            res = parse_bench(text)
            if not res:
                tail(log)
                raise StageFailed(f"no benchmark output from {name}")
            results[name].append(res)
            print(f"  {len(res)} figures")
    rows = summarize(results)
    dest = os.path.join(OUT, "bench")
    os.makedirs(dest, exist_ok=True)
    csv = os.path.join(dest, "bench.csv")
    png = os.path.join(dest, "bench.png")
    svg = os.path.join(dest, "bench.svg")
    write_csv(rows, csv)
    write_plot(rows, png, svg)
    header(f"benchmark: medians of {runs} runs, {events} events "
           "per figure, QEMU TCG, 4 vCPUs")
    print(f"| {'figure':<58} | {'stock':>10} | {'ours':>10} | ratio |")
    print(f"|{'-' * 60}|{'-' * 12}|{'-' * 12}|-------|")
    for fig, st, ou, ratio in rows:
        print(f"| {fig:<58} | {fmt(st):>10} | {fmt(ou):>10} | "
              f"{'-' if ratio is None else f'{ratio:.2f}':>5} |")
    print(f"\nwritten: {csv}\nwritten: {png}\nwritten: {svg}")

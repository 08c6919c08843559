# SPDX-License-Identifier: GPL-2.0
"""The QEMU guest: its user space and initramfs, booting it, the demo,
parsing the selftest results it prints, and the stable stage."""

import os
import re
import shutil
import subprocess
import sys
import time

from .builds import build_guest, build_stock
from .common import (BUILD, SERIES, TREE, WORK, StageFailed, git, header,
                     log_path, new_log, run, tail)

QBOOT = "/usr/share/qemu/qboot.rom"
GUEST = os.path.join(SERIES, "guest")
GUEST_TOOLS = os.path.join(BUILD, "guest-tools") + "/"


# ------------------------------------------------------------ user space

def build_guest_tools(ctx):
    """Static user space for the guest: uevmon and the selftests."""
    odir = GUEST_TOOLS
    os.makedirs(odir, exist_ok=True)
    log = new_log("guest-tools")
    run(["make", "-C", os.path.join(TREE, "tools/uevent"), f"O={odir}"], log,
        env=ctx.env)
    st = os.path.join(TREE, "tools/testing/selftests")
    run(["gcc", "-static", "-O2", "-Wall", "-pthread", "-I", st,
         "-o", odir + "uevent_delivery",
         os.path.join(st, "uevent/uevent_delivery.c")], log, env=ctx.env)
    return odir


def make_initramfs(tools, name="initramfs", extra=()):
    root = os.path.join(WORK, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy("/bin/busybox", os.path.join(root, "bin/busybox"))
    for prog in ("uevmon", "uevwrite", "uevent_delivery"):
        shutil.copy(tools + prog, os.path.join(root, "bin", prog))
    shutil.copy(os.path.join(GUEST, "init"), os.path.join(root, "init"))
    for script in ("demo.sh", "bench.sh"):
        shutil.copy(os.path.join(GUEST, script), os.path.join(root, script))
    for src, dst in extra:
        os.makedirs(os.path.dirname(os.path.join(root, dst)), exist_ok=True)
        shutil.copy(src, os.path.join(root, dst))
    os.chmod(os.path.join(root, "init"), 0o755)
    image = os.path.join(WORK, name + ".cpio.gz")
    subprocess.check_call(
        "find . | cpio --quiet -o -H newc | gzip -1 > " + image,
        shell=True, cwd=root)
    return image


def guest_image(ctx):
    """Build the guest kernel and initramfs once per @ctx; return both."""
    if ctx.image is None:
        kernel = build_guest(ctx)
        header("build: guest user space (busybox-static, uevmon, selftests)")
        tools = build_guest_tools(ctx)
        ctx.image = (kernel, make_initramfs(tools))
    return ctx.image


# ------------------------------------------------------------------ boot

def boot(ctx, kernel, initrd, mode, log=None, timeout=1800, smp=4, args=""):
    """Boot the guest with ctx.qemu (TCG); return its console output.

    timeout(1) kills a guest that hangs, printing or not, after @timeout
    seconds; the output must end with the guest's "uev-guest: done"."""
    cmd = ["timeout", "-s", "KILL", str(timeout),
           ctx.qemu, "-nographic", "-no-reboot", "-m", "1024",
           "-smp", str(smp), "-bios", QBOOT, "-net", "none",
           "-kernel", kernel, "-initrd", initrd, "-append",
           f"console=ttyS0 quiet panic=-1 uev.mode={mode} {args}"]
    lines = []
    sink = open(log, "w") if log else None
    start = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=ctx.env, text=True,
                         errors="replace")
    try:
        for line in p.stdout:
            line = line.replace("\r", "")
            lines.append(line)
            if sink:
                sink.write(line)
                sink.flush()
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
            if time.time() - start > timeout:
                p.kill()
                raise StageFailed(f"guest timed out after {timeout} s")
        p.wait()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
        if sink:
            sink.close()
    text = "".join(lines)
    if p.returncode in (124, 137, -9):
        if log:
            tail(log)
        raise StageFailed(f"guest killed after its {timeout} s timeout")
    if "uev-guest: done" not in text:
        if log:
            tail(log)
        raise StageFailed(f"guest did not finish (QEMU exit {p.returncode})")
    return text


def demo(ctx):
    kernel, initrd = guest_image(ctx)
    header("demo: boot the guest under QEMU and watch its uevents")
    t = time.time()
    boot(ctx, kernel, initrd, "demo")
    print(f"\ndemo finished in {time.time() - t:.0f} s")


# --------------------------------------------------------------- results

TAP = re.compile(r"^(not ok|ok) \d+ (\S+)(.*)$", re.M)
PLAN = re.compile(r"^1\.\.(\d+)$", re.M)
EXIT = re.compile(r"^uev-guest: selftests exited with (\d+)$", re.M)


def parse_guest(text):
    """Results of the selftest run in @text: ({name: PASS|FAIL|SKIP},
    problems), where problems lists what makes the run incomplete: no
    plan line, fewer results than planned, no exit status."""
    results, problems = {}, []
    for status, name, rest in TAP.findall(text):
        results[name] = ("SKIP" if "# SKIP" in rest else
                         "PASS" if status == "ok" else "FAIL")
    plan = PLAN.search(text)
    if not plan:
        problems.append("no KTAP plan line")
    elif int(plan.group(1)) != len(results):
        problems.append(f"planned {plan.group(1)} tests, "
                        f"{len(results)} reported")
    code = EXIT.search(text)
    if not code:
        problems.append("no exit status")
    else:
        results["(exit status)"] = "PASS" if code.group(1) == "0" else "FAIL"
    return results, problems


def run_guest_tests(ctx, kernel, initrd, title, logname, args="",
                    timeout=1800):
    """Boot @kernel, run the selftests (filtered by @args); print and
    return parse_guest()'s results and the log."""
    header(title)
    log = log_path(logname)
    t = time.time()
    text = boot(ctx, kernel, initrd, "test", log=log, timeout=timeout,
                args=f"uev.args={args}" if args else "")
    results, problems = parse_guest(text)
    for name, res in results.items():
        print(f"  {res} {name}")
    for line in text.splitlines():
        if "writers," in line and "out of order" in line:
            print("  " + line.lstrip("# "))
    for p in problems:
        print(f"  INCOMPLETE: {p}")
    print(f"({time.time() - t:.0f} s)")
    return results, problems, log


def guest_tests(ctx, kernel=None, initrd=None, report_only=False,
                timeout=1800):
    """The selftests in the guest; every result counts in ctx.results
    (unless @report_only), a problem of parse_guest() as a failure."""
    if not kernel:
        kernel, initrd = guest_image(ctx)
    results, problems, log = run_guest_tests(
        ctx, kernel, initrd,
        "guest tests: tools/testing/selftests/uevent in QEMU, 4 CPUs",
        "guest-tests", timeout=timeout)
    passed = sum(r == "PASS" for r in results.values())
    failed = sum(r == "FAIL" for r in results.values()) + len(problems)
    print(f"guest tests: {passed} passed, {failed} failed")
    if report_only:
        return
    ctx.results.add(passed, failed)
    if failed or not passed:
        tail(log, 60)
        raise StageFailed("guest tests failed")


# ---------------------------------------------------------------- stable

# The selftests a stable fix is proven by: the socket filter cases and
# the 200,000-event ordering test.
STABLE_TESTS = "-f,snaplen,-t,ordering_under_concurrent_writers"


def stable_count(patches):
    """How many patches at the front of the series are for stable."""
    n = 0
    for p in patches:
        if "\nCc: stable@vger.kernel.org\n" not in p.message:
            break
        n += 1
    return n


def check_stable(ctx, patches):
    """The stable fixes on their own: stock fails, base + fixes passes."""
    n = stable_count(patches)
    commits = git("rev-list", "--reverse", "base..HEAD").splitlines()
    tip = commits[n - 1]
    got = {}
    for name, rev in (("stock", "base"), ("stable", tip)):
        kernel = build_stock(ctx, rev, name)
        initrd = make_initramfs(GUEST_TOOLS, "initramfs-stock")
        got[name] = run_guest_tests(
            ctx, kernel, initrd,
            f"{name}: {'base' if rev == 'base' else f'base + {n} stable fixes'}"
            f", selected selftests ({STABLE_TESTS})",
            "guest-" + name, STABLE_TESTS)
    res, problems, log = got["stable"]
    tests = [k for k in res if k != "(exit status)"]
    ok = bool(not problems and tests and
              all(res[k] == "PASS" for k in res))
    print(f"  {'PASS' if ok else 'FAIL'} base + stable fixes passes all "
          f"{len(tests)} selected selftests")
    ctx.results.add(ok, not ok)
    sres, sproblems, slog = got["stock"]
    want = [k for k in sres if "ordering_under_concurrent_writers" in k or
            ("snaplen" in k and "untagged" not in k)]
    caught = [k for k in want if sres[k] == "FAIL"]
    order = any("ordering" in k for k in caught)
    trunc = any("snaplen" in k for k in caught)
    stock_ok = not sproblems and order and trunc
    print(f"  {'PASS' if stock_ok else 'FAIL'} stock fails the ordering test"
          f" ({'yes' if order else 'no'}) and the tagged/injected socket "
          f"filter tests ({len([k for k in caught if 'snaplen' in k])} "
          f"failed)")
    ctx.results.add(stock_ok, not stock_ok)
    if not ok:
        tail(log, 60)
        raise StageFailed("the stable fixes alone do not pass")
    if not stock_ok:
        tail(slog, 60)
        raise StageFailed("the selected selftests do not catch stock's bugs")

# SPDX-License-Identifier: GPL-2.0
"""The QEMU guest: its user space and initramfs, booting it, the demo,
parsing the test results it sends over its results port, and the stable
stage."""

import os
import re
import shutil
import subprocess
import sys
import time

from .builds import build_guest, build_stock, configure, make
from .common import (BUILD, SERIES, TREE, WORK, StageFailed, git, header,
                     log_path, new_log, out, run, tail)

QBOOT = "/usr/share/qemu/qboot.rom"
GUEST = os.path.join(SERIES, "guest")
GUEST_TOOLS = os.path.join(BUILD, "guest-tools") + "/"


# ------------------------------------------------------------ user space

# The selftests, built with their own Makefile and installed the way
# kselftest users do (make ... TARGETS=uevent install): the runner
# run_kselftest.sh, kselftest-list.txt and uevent/ with the binaries and
# the collection's settings (timeout) in KSFT_INSTALL.  The collection's
# Makefile builds its binaries in its source directory whatever O= says,
# so make runs in a copy of the tree's selftests (KSFT_SRC), never in
# the tree itself.
KSFT_SRC = os.path.join(BUILD, "kselftest-src")
KSFT_OUT = os.path.join(BUILD, "kselftest")
KSFT_INSTALL = GUEST_TOOLS + "kselftest"
KSFT_FILES = ("run_kselftest.sh", "kselftest-list.txt", "kselftest/runner.sh",
              "uevent/settings", "uevent/uevent_filtering",
              "uevent/uevent_delivery", "uevent/uevent_replay",
              "uevent/uevent_subscribe")

# Host programs the guest runs as a Debian user would, with their shared
# libraries and the dynamic loader: udevadm (package udev) for the client
# test, coreutils' timeout, which the kselftest runner calls as
# "timeout --foreground" (busybox's applet has no --foreground and does
# not exit with 124 on a timeout), and mkfs.gfs2 (gfs2-utils) for the
# selftest's GFS2 file systems.
HOST_PROGRAMS = ("/usr/bin/udevadm", "/usr/bin/timeout", "/usr/sbin/mkfs.gfs2")


def build_selftests(ctx, log, tree=None):
    """Build and install tools/testing/selftests/uevent of @tree (default:
    the assembled tree) statically into KSFT_INSTALL; return that path."""
    tree = tree or TREE
    os.makedirs(KSFT_SRC, exist_ok=True)
    run(["rsync", "-a", "--delete", "--relative", "tools/testing/selftests",
         "scripts/subarch.include", KSFT_SRC + "/"], log, cwd=tree,
        env=ctx.env)
    shutil.rmtree(KSFT_INSTALL, ignore_errors=True)
    run(["make", "-C", os.path.join(KSFT_SRC, "tools/testing/selftests"),
         "TARGETS=uevent", "FORCE_TARGETS=1", f"O={KSFT_OUT}",
         f"KSFT_INSTALL_PATH={KSFT_INSTALL}", "USERCFLAGS=-static",
         "install"], log, env=ctx.env)
    missing = [f for f in KSFT_FILES
               if not os.path.exists(os.path.join(KSFT_INSTALL, f))]
    if missing:
        tail(log)
        raise StageFailed("selftests install lacks " + " ".join(missing))
    return KSFT_INSTALL


def build_guest_tools(ctx):
    """Static user space for the guest: uevmon, uevwrite, the selftests."""
    odir = GUEST_TOOLS
    os.makedirs(odir, exist_ok=True)
    log = new_log("guest-tools")
    run(["make", "-C", os.path.join(TREE, "tools/uevent"), f"O={odir}"], log,
        env=ctx.env)
    build_selftests(ctx, log)
    return odir


LDD_PATH = re.compile(r"(?:=>\s*|^\s*)(/\S+)", re.M)


def ldd_paths(text):
    """The shared objects in ldd output @text (libraries and the loader),
    as ldd names them; StageFailed if one was not found."""
    if "not found" in text:
        raise StageFailed("ldd: " + " ".join(
            line.strip() for line in text.splitlines() if "not found" in line))
    return LDD_PATH.findall(text)


def copy_host_program(root, prog):
    """Copy the host's @prog into the image @root at the same path (the
    file itself if it is a symlink), with every shared object ldd lists
    at the path ldd gives."""
    if not os.path.exists(prog):
        raise StageFailed(f"{prog} is missing on the host")
    for path in [prog] + ldd_paths(out(["ldd", prog], check=False)):
        dst = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(os.path.realpath(path), dst)


def make_initramfs(tools, name="initramfs", extra=()):
    root = os.path.join(WORK, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy("/bin/busybox", os.path.join(root, "bin/busybox"))
    for prog in ("uevmon", "uevwrite", "uevflood", "uevrecover"):
        shutil.copy(tools + prog, os.path.join(root, "bin", prog))
    shutil.copytree(tools + "kselftest", os.path.join(root, "kselftest"))
    for prog in HOST_PROGRAMS:
        copy_host_program(root, prog)
    shutil.copy(os.path.join(GUEST, "init"), os.path.join(root, "init"))
    for script in ("demo.sh", "bench.sh", "clients.sh"):
        shutil.copy(os.path.join(GUEST, script), os.path.join(root, script))
    os.makedirs(os.path.join(root, "etc"))
    shutil.copy(os.path.join(GUEST, "mdev.conf"),
                os.path.join(root, "etc/mdev.conf"))
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
        header("build: guest user space (busybox-static, uevmon, selftests, "
               "udevadm)")
        tools = build_guest_tools(ctx)
        ctx.image = (kernel, make_initramfs(tools))
    return ctx.image


# ------------------------------------------------------------------ boot

def boot(ctx, kernel, initrd, mode, log=None, timeout=1800, smp=4, args="",
         results=None, qemu_args=()):
    """Boot the guest with ctx.qemu (TCG); return its console output.

    With @results, the guest's second serial port (ttyS1) writes into
    that file.  timeout(1) kills a guest that hangs, printing or not,
    after @timeout seconds; the console must end with the guest's
    "uev-guest: done"."""
    ports = []
    if results:
        if os.path.exists(results):
            os.unlink(results)
        ports = ["-serial", "mon:stdio", "-chardev",
                 "file,id=results,path=" + results.replace(",", ",,"),
                 "-serial", "chardev:results"]
    cmd = ["timeout", "-s", "KILL", str(timeout),
           ctx.qemu, "-nographic", "-no-reboot", "-m", "1024",
           "-smp", str(smp), "-bios", QBOOT, "-net", "none", *ports,
           *qemu_args, "-kernel", kernel, "-initrd", initrd, "-append",
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
#
# The guest's init writes its results to the second serial port as
# sections (series/guest/init):
#
#   uev-results: begin NAME
#   KTAP
#   uev-results: end NAME exit STATUS
#   ...
#   uev-results: done
#
# "kselftest" is the kselftest runner's KTAP: its plan, one result per
# test binary ("ok 1 selftests: uevent: uevent_filtering"; a timeout or
# a crash is a "not ok" with "# TIMEOUT 1200 seconds" or "# exit=139"),
# each binary's own KTAP nested before its result line, every line
# prefixed "# ".  "clients" is series/guest/clients.sh.  In the stable
# stage the one section is the binary itself, run directly.

BEGIN = re.compile(r"^uev-results: begin (\S+)$")
END = re.compile(r"^uev-results: end (\S+) exit (\d+)$")
DONE = "uev-results: done"
PLAN = re.compile(r"^1\.\.(\d+)")
RESULT = re.compile(r"^(ok|not ok) \d+ ?([^#]*?) *(?:# *(.*?))?$")
RUNNER_TEST = re.compile(r"^selftests: \S+: (\S+)$")
RUNNER_NOTE = re.compile(r"^(?:not )?ok \d+ selftests: \S+: \S+ # ")
CLIENT = re.compile(
    r"^# (uevmon|udevadm|mdev): (\d+) (\S+) (\S+)(?: (\S+))? *$")

SECTIONS = ("kselftest", "clients")
UDEVADM_CHECK = "clients/udevadm saw the events uevmon saw"
MDEV_CHECK = "clients/mdev handled the events uevmon saw"


def split_sections(text):
    """{name: (lines, exit status or None)} of the sections in @text."""
    sections, name = {}, None
    for line in text.replace("\r", "").splitlines():
        m, e = BEGIN.match(line), END.match(line)
        if m:
            name = m.group(1)
            sections[name] = ([], None)
        elif e and e.group(1) == name:
            sections[name] = (sections[name][0], int(e.group(2)))
            name = None
        elif name:
            sections[name][0].append(line)
    return sections


def parse_ktap(lines):
    """(plan or None, [(status, name, directive, nested lines)]) of the
    KTAP @lines; nested lines ("# " prefixed) are those before a result,
    with the prefix taken off."""
    plan, tests, nested = None, [], []
    for line in lines:
        if line.startswith("#"):
            nested.append(line[2:] if line.startswith("# ") else line[1:])
            continue
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = RESULT.match(line)
        if m:
            tests.append((m.group(1), m.group(2), m.group(3) or "", nested))
            nested = []
    return plan, tests


def verdict(status, directive):
    if status == "ok":
        return "SKIP" if directive.upper().startswith("SKIP") else "PASS"
    return "FAIL"


def client_events(lines):
    """{client: [(seqnum, action, devpath, mark)]} of the clients test."""
    events = {}
    for line in lines:
        m = CLIENT.match(line)
        if m:
            events.setdefault(m.group(1), []).append(
                (int(m.group(2)), m.group(3), m.group(4), m.group(5)))
    return events


def window(events):
    """The (seqnum, action, devpath) of @events from the "begin" to the
    "end" marker, or None if a marker is missing."""
    marks = {mark: seq for seq, _, _, mark in events if mark}
    if "begin" not in marks or "end" not in marks:
        return None
    return {(seq, action, devpath) for seq, action, devpath, _ in events
            if marks["begin"] <= seq <= marks["end"]}


def check_clients(lines):
    """The host's checks of the clients test: [(name, PASS|FAIL,
    detail)]: udevadm received and mdev handled exactly the events that
    uevmon received between the markers (SEQNUM, ACTION, DEVPATH)."""
    events = client_events(lines)
    ours = window(events.get("uevmon", []))
    results = []
    for client, check in (("udevadm", UDEVADM_CHECK), ("mdev", MDEV_CHECK)):
        theirs = window(events.get(client, []))
        if ours is None or theirs is None:
            results.append((check, "FAIL", "no complete window: " + ", ".join(
                name for name, w in (("uevmon", ours), (client, theirs))
                if w is None)))
            continue
        only = [f"{seq} {action} {path} only {who}"
                for who, a, b in (("uevmon", ours, theirs),
                                  (client, theirs, ours))
                for seq, action, path in sorted(a - b)]
        results.append((check, "FAIL" if only else "PASS",
                        "; ".join(only) or f"{len(ours)} events"))
    return results


def parse_guest(text, sections=SECTIONS):
    """Results of the guest's results file @text: ({name: PASS|FAIL|SKIP},
    problems), where problems lists what makes the run incomplete: a
    missing section, plan line, final line or exit status, fewer results
    than planned, a test binary whose own KTAP is short (it crashed or
    timed out).  Names: BINARY for the runner's result of a binary,
    BINARY/TEST for its tests, SECTION/TEST for the other sections' tests
    and "SECTION (exit status)"; the clients section adds the host's
    checks (check_clients())."""
    results, problems = {}, []
    found = split_sections(text)
    for name in sections:
        if name not in found:
            problems.append(f"{name}: no results")
            continue
        lines, code = found[name]
        plan, tests = parse_ktap(lines)
        if plan is None:
            problems.append(f"{name}: no KTAP plan line")
        elif plan != len(tests):
            problems.append(f"{name}: planned {plan} tests, "
                            f"{len(tests)} reported")
        for status, test, directive, nested in tests:
            runner = RUNNER_TEST.match(test)
            if not runner:
                results[f"{name}/{test}"] = verdict(status, directive)
                continue
            binary = runner.group(1)
            results[binary] = verdict(status, directive)
            why = f" (runner: {directive})" if directive else ""
            splan, subtests = parse_ktap(nested)
            if splan is None and results[binary] != "SKIP":
                problems.append(f"{binary}: no KTAP plan line{why}")
            elif splan is not None and splan != len(subtests):
                problems.append(f"{binary}: planned {splan} tests, "
                                f"{len(subtests)} reported{why}")
            for sstatus, stest, sdirective, _ in subtests:
                results[f"{binary}/{stest}"] = verdict(sstatus, sdirective)
        if name == "clients":
            for check, res, _ in check_clients(lines):
                results[check] = res
        if code is None:
            problems.append(f"{name}: no exit status")
        else:
            results[f"{name} (exit status)"] = "PASS" if code == 0 else "FAIL"
    if DONE not in text.replace("\r", "").splitlines():
        problems.append("no final line")
    return results, problems


def read_results(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def run_guest_tests(ctx, kernel, initrd, title, logname, mode="test",
                    args="", sections=SECTIONS, timeout=1800):
    """Boot @kernel in @mode (uev.args=@args) with its results port;
    print and return parse_guest()'s results and problems for @sections
    of the results file, the console log and the results file."""
    header(title)
    log = log_path(logname)
    res_path = log_path(logname + "-results")
    t = time.time()
    boot(ctx, kernel, initrd, mode, log=log, timeout=timeout,
         args=f"uev.args={args}" if args else "", results=res_path)
    text = read_results(res_path)
    results, problems = parse_guest(text, sections)
    for name, res in results.items():
        print(f"  {res} {name}")
    # The ordering test's figures, and the runner's verdicts that say
    # more than ok: "# SKIP", "# exit=139", "# TIMEOUT 1200 seconds".
    for line in text.replace("\r", "").splitlines():
        if RUNNER_NOTE.match(line) or \
           ("writers," in line and "out of order" in line):
            print("  " + line.lstrip("# "))
    if "clients" in sections:
        for check, res, detail in check_clients(
                split_sections(text).get("clients", ([], None))[0]):
            print(f"  {check}: {detail}")
    for p in problems:
        print(f"  INCOMPLETE: {p}")
    print(f"({time.time() - t:.0f} s; results: {res_path})")
    return results, problems, log, res_path


# The test binaries the guest stage must have run, each with at least one
# test, none skipped: in the guest everything they need is there.
EXPECTED_BINARIES = ("uevent_delivery", "uevent_replay", "uevent_subscribe")


def guest_requirements(results):
    """What makes a parsed guest run fall short of the stage: an expected
    binary that did not run or pass, ran no test, or skipped one."""
    missing = []
    for b in EXPECTED_BINARIES:
        subs = {k: v for k, v in results.items() if k.startswith(b + "/")}
        if results.get(b) != "PASS":
            missing.append(f"{b}: {results.get(b, 'did not run')}")
        if not any(v == "PASS" for v in subs.values()):
            missing.append(f"{b}: no test passed")
        missing += [f"{k}: skipped" for k, v in subs.items() if v == "SKIP"]
    return missing


def guest_tests(ctx, kernel=None, initrd=None, report_only=False,
                timeout=1800):
    """The selftests through the kselftest runner and the client test in
    the guest; every result counts in ctx.results (unless @report_only),
    a problem of parse_guest() as a failure."""
    if not kernel:
        kernel, initrd = guest_image(ctx)
    results, problems, log, res_path = run_guest_tests(
        ctx, kernel, initrd,
        "guest tests: tools/testing/selftests/uevent through the kselftest "
        "runner, udevadm and mdev, in QEMU, 4 CPUs",
        "guest-tests", timeout=timeout)
    problems = problems + guest_requirements(results)
    for p in problems:
        print(f"  INCOMPLETE: {p}")
    # run_kselftest.sh exits 0 whatever its tests did: not a result.
    counted = {k: v for k, v in results.items()
               if k != "kselftest (exit status)" or v != "PASS"}
    passed = sum(r == "PASS" for r in counted.values())
    failed = sum(r == "FAIL" for r in counted.values()) + len(problems)
    print(f"guest tests: {passed} passed, {failed} failed")
    if report_only:
        return
    ctx.results.add(passed, failed)
    if failed or not passed:
        tail(log, 30)
        tail(res_path, 60)
        raise StageFailed("guest tests failed")


# ------------------------------------------ superblock events, ring off

# The series' guest kernel with CONFIG_SB_UEVENT and
# CONFIG_KOBJECT_UEVENT_REPLAY off (nosb.config merged after
# guest.config), booted with the selftest's superblock tests and the
# replay selftest: the same mounts must send no superblock event, GFS2's
# own events are unchanged, there is no /dev/uevent, and the counters
# and tracepoints work without the ring.
NOSB_TESTS = "uevent_delivery,-f,superblock+uevent_replay"
NOSB_SECTIONS = ("uevent_delivery", "uevent_replay")
NOSB_NOTE = "CONFIG_SB_UEVENT is not set"
NORING_SKIP = "no /dev/uevent"
# The replay tests that need no ring.
NORING_PASS = ("uevent_replay/global.counters",
               "uevent_replay/tracing.send_deliver_drop",
               "uevent_replay/global.deferred_trace_values")
NOSB_OFF = ("CONFIG_SB_UEVENT", "CONFIG_KOBJECT_UEVENT_REPLAY")


def nosb_verdict(results, problems, text):
    """Problems of the options-off run: every superblock test and the
    replay tests that need no ring must pass, the others must skip for
    want of /dev/uevent, and the tests must have seen the options off."""
    bad = list(problems)
    tests = {k: v for k, v in results.items()
             if k.startswith("uevent_delivery/")}
    replay = {k: v for k, v in results.items()
              if k.startswith("uevent_replay/")}
    if not tests:
        bad.append("no superblock test ran")
    if not replay:
        bad.append("no replay test ran")
    for k, v in sorted(results.items()):
        if k in replay and k not in NORING_PASS:
            if v != "SKIP":
                bad.append(f"{k}: {v}, not skipped without the ring")
        elif v != "PASS":
            bad.append(f"{k}: {v}")
    bad += [f"{k}: did not run" for k in NORING_PASS if k not in results]
    for note in (NOSB_NOTE, NORING_SKIP):
        if note not in text:
            bad.append(f"the tests did not report '{note}'")
    return len(tests) + len(replay), bad


def guest_nosb(ctx):
    _, initrd = guest_image(ctx)
    header("build: x86_64 guest kernel without CONFIG_SB_UEVENT and "
           "CONFIG_KOBJECT_UEVENT_REPLAY")
    log = new_log("build-guest-nosb")
    odir = configure(ctx, "guest-nosb", "x86_64",
                     ["guest.config", "nosb.config"], log)
    with open(os.path.join(odir, ".config")) as f:
        config = f.read().splitlines()
    for opt in NOSB_OFF:
        if f"{opt}=y" in config:
            raise StageFailed(f"guest-nosb: {opt} is still set")
    t = time.time()
    make(ctx, odir, "x86_64", ["bzImage"], log)
    print(f"built in {time.time() - t:.0f} s")
    results, problems, log, res_path = run_guest_tests(
        ctx, os.path.join(odir, "arch/x86/boot/bzImage"), initrd,
        "superblock events and the replay ring off: "
        f"{NOSB_TESTS.replace(',', ' ').replace('+', ', ')}",
        "guest-nosb", "select", NOSB_TESTS, NOSB_SECTIONS, timeout=600)
    n, bad = nosb_verdict(results, problems, read_results(res_path))
    for p in bad:
        print(f"  FAIL {p}")
    print(f"  {'PASS' if not bad else 'FAIL'} {n} superblock and replay "
          "tests as expected with both options off")
    ctx.results.add(not bad, bool(bad))
    if bad:
        tail(log, 30)
        tail(res_path, 60)
        raise StageFailed("tests failed with CONFIG_SB_UEVENT and "
                          "CONFIG_KOBJECT_UEVENT_REPLAY off")


# ---------------------------------------------------------------- stable

# The selftests a stable fix is proven by: the socket filter cases and
# the 200,000-event ordering test.  The runner passes no arguments, so
# the stage runs the installed binary directly (uev.mode=select).
STABLE_BINARY = "uevent_delivery"
# The superblock tests run there too: neither kernel has
# CONFIG_SB_UEVENT, so they check that the same mounts send no
# superblock event (and GFS2's own events, unchanged by the series).
STABLE_TESTS = "-f,snaplen,-t,ordering_under_concurrent_writers,-f,superblock"


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
    if not n:
        raise StageFailed("no patch at the front of the series is for stable")
    commits = git("rev-list", "--reverse", "base..HEAD").splitlines()
    tip = commits[n - 1]
    got = {}
    for name, rev in (("stock", "base"), ("stable", tip)):
        kernel = build_stock(ctx, rev, name)
        initrd = make_initramfs(GUEST_TOOLS, "initramfs-stock")
        what = "base" if rev == "base" else f"base + {n} stable fixes"
        got[name] = run_guest_tests(
            ctx, kernel, initrd,
            f"{name}: {what}, selected selftests ({STABLE_BINARY} "
            f"{STABLE_TESTS})",
            "guest-" + name, "select", f"{STABLE_BINARY},{STABLE_TESTS}",
            (STABLE_BINARY,))
    res, problems, log, res_path = got["stable"]
    tests = [k for k in res if not k.endswith("(exit status)")]
    ok = bool(not problems and tests and
              all(res[k] == "PASS" for k in res))
    print(f"  {'PASS' if ok else 'FAIL'} base + stable fixes passes all "
          f"{len(tests)} selected selftests")
    ctx.results.add(ok, not ok)
    sres, sproblems, slog, sres_path = got["stock"]
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
        tail(log, 30)
        tail(res_path, 60)
        raise StageFailed("the stable fixes alone do not pass")
    if not stock_ok:
        tail(slog, 30)
        tail(sres_path, 60)
        raise StageFailed("the selected selftests do not catch stock's bugs")

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""uev - assemble, build, boot, test and export the uevent patch series.

Run "series/uev help" for the subcommands.  Everything this tool creates
lives in .work/ (base tree, assembled tree, build directories, logs) and
out/ (exported series, benchmark results) at the top of the repository.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERIES = os.path.join(REPO, "series")
WORK = os.path.join(REPO, ".work")
TREE = os.path.join(WORK, "linux")
BUILD = os.path.join(WORK, "build")
LOGS = os.path.join(WORK, "logs")
OUT = os.path.join(REPO, "out")
TARBALL = "/usr/src/linux-source-6.12.tar.xz"
SRCPKG = "linux-source-6.12"
JOBS = str(os.cpu_count() or 2)
FIXED_DATE = "2026-01-01T00:00:00+0000"

PACKAGES = [
    SRCPKG, "build-essential", "bc", "bison", "flex", "libelf-dev",
    "libssl-dev", "ccache", "sparse", "qemu-system-x86", "busybox-static",
    "cpio", "xz-utils", "kmod", "python3", "python3-ply", "python3-git",
    "git", "rsync", "perl", "dwarves",
]

# Environment for every build: ccache in front of the compilers.
# Debian's python3 (with ply and git for checkpatch's spdxcheck) first.
os.environ["PATH"] = "/usr/lib/ccache:/usr/bin:" + os.environ.get("PATH", "")
os.environ.setdefault("CCACHE_DIR", os.path.expanduser("~/.cache/ccache"))
os.environ.setdefault("CCACHE_MAXSIZE", "20G")
os.environ["CCACHE_BASEDIR"] = WORK
os.environ["KBUILD_BUILD_TIMESTAMP"] = "2026-01-01"
os.environ["KBUILD_BUILD_USER"] = "uev"
os.environ["KBUILD_BUILD_HOST"] = "uev"


class StageFailed(Exception):
    """A stage failed; its log tail has been printed."""


class Results:
    """Counts of passed and failed checks, printed as the closing line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def add(self, passed, failed=0):
        self.passed += passed
        self.failed += failed

    def line(self):
        return f"{self.passed} passed, {self.failed} failed"


RESULTS = Results()


def header(title):
    print(f"\n==== {title} ====", flush=True)


def log_path(name):
    os.makedirs(LOGS, exist_ok=True)
    return os.path.join(LOGS, name + ".log")


def tail(path, lines=40):
    try:
        with open(path, errors="replace") as f:
            data = f.readlines()
    except OSError:
        return
    print(f"---- last {lines} lines of {path} ----")
    sys.stdout.write("".join(data[-lines:]))
    print("---- end of log ----", flush=True)


def run(cmd, log, cwd=None, env=None, check=True, timeout=None):
    """Run cmd with its output appended to log; raise StageFailed on error."""
    with open(log, "a") as f:
        f.write(f"$ {' '.join(cmd)}\n")
        f.flush()
        try:
            rc = subprocess.call(cmd, cwd=cwd, env=env, stdout=f,
                                 stderr=subprocess.STDOUT, timeout=timeout)
        except subprocess.TimeoutExpired:
            f.write(f"timed out after {timeout} s\n")
            rc = 124
    if rc and check:
        tail(log)
        raise StageFailed(f"{cmd[0]} exited with {rc} (log: {log})")
    return rc


def out(cmd, cwd=None, env=None, check=True):
    """Run cmd and return its standard output as text."""
    p = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                       capture_output=True)
    if check and p.returncode:
        sys.stderr.write(p.stderr)
        raise StageFailed(f"{' '.join(cmd)} exited with {p.returncode}")
    return p.stdout


def git(*args, cwd=TREE, env=None, check=True):
    return out(["git", *args], cwd=cwd, env=env, check=check).strip()


# ---------------------------------------------------------------- packages

def ensure_packages(names=PACKAGES):
    missing = []
    for n in names:
        p = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", n],
                           capture_output=True, text=True)
        if "install ok installed" not in p.stdout:
            missing.append(n)
    if not missing:
        return
    header("install packages: " + " ".join(missing))
    if os.geteuid() != 0:
        raise StageFailed("run as root, or install: apt-get install "
                          + " ".join(missing))
    log = log_path("apt")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update"], log, env=env)
    run(["apt-get", "install", "-y", "--no-install-recommends", *missing],
        log, env=env)


# ------------------------------------------------------------- base tree

def package_version():
    return out(["dpkg-query", "-W", "-f", "${Version}", SRCPKG]).strip()


def kernel_version(tree):
    vals = {}
    with open(os.path.join(tree, "Makefile")) as f:
        for line in f:
            m = re.match(r"(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION) =[ \t]*(.*)",
                         line)
            if m:
                vals[m.group(1)] = m.group(2).strip()
            if len(vals) == 4:
                break
    return "{VERSION}.{PATCHLEVEL}.{SUBLEVEL}{EXTRAVERSION}".format(**vals)


def git_env():
    env = dict(os.environ)
    env.update(GIT_AUTHOR_NAME="uev", GIT_AUTHOR_EMAIL="uev@localhost",
               GIT_COMMITTER_NAME="uev", GIT_COMMITTER_EMAIL="uev@localhost",
               GIT_AUTHOR_DATE=FIXED_DATE, GIT_COMMITTER_DATE=FIXED_DATE)
    return env


def author_env(man):
    """git_env() committing as the manifest's author."""
    env = git_env()
    m = re.match(r"(.*) <(.*)>", man["author"])
    env.update(GIT_AUTHOR_NAME=m.group(1), GIT_AUTHOR_EMAIL=m.group(2),
               GIT_COMMITTER_NAME=m.group(1), GIT_COMMITTER_EMAIL=m.group(2))
    return env


def import_base():
    """Unpack Debian's linux-source-6.12 once into a git repository."""
    ensure_packages()
    pkgver = package_version()
    stamp = os.path.join(WORK, "base.stamp")
    if os.path.isdir(os.path.join(TREE, ".git")) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read().strip() == pkgver:
                return
    header(f"import base: {SRCPKG} {pkgver}")
    log = log_path("import")
    shutil.rmtree(TREE, ignore_errors=True)
    os.makedirs(TREE)
    run(["tar", "-xf", TARBALL, "--strip-components=1", "-C", TREE], log)
    env = git_env()
    run(["git", "init", "-q", "-b", "series"], log, cwd=TREE)
    run(["git", "config", "core.autocrlf", "false"], log, cwd=TREE)
    run(["git", "config", "gc.auto", "0"], log, cwd=TREE)
    run(["git", "add", "-A", "-f", "."], log, cwd=TREE)
    ver = kernel_version(TREE)
    run(["git", "commit", "-q", "-m",
         f"Linux {ver}\n\nDebian {SRCPKG} {pkgver}, unpacked unchanged."],
        log, cwd=TREE, env=env)
    run(["git", "tag", "-f", "base"], log, cwd=TREE)
    with open(stamp, "w") as f:
        f.write(pkgver + "\n")


# ---------------------------------------------------------------- manifest

def load_manifest():
    with open(os.path.join(SERIES, "manifest.toml"), "rb") as f:
        man = tomllib.load(f)
    for p in man["patch"]:
        p.setdefault("files", [])
        p.setdefault("diffs", [])
        p.setdefault("objects", [])
    return man


def patch_message(man, p):
    body = p["changelog"].strip("\n")
    tags = "".join(t + "\n" for t in p.get("trailers", []))
    return f"{p['subject']}\n\n{body}\n\n{tags}Signed-off-by: {man['author']}\n"


def owned_files():
    """Every file the repository holds at a kernel path."""
    top = ["lib", "include", "kernel", "fs", "drivers", "Documentation",
           "tools", "net", "arch", "scripts", "init", "mm"]
    return sorted(git("ls-files", "--", *top, cwd=REPO).splitlines())


def hunk_for_line(diff, path, line):
    """Name the hunk of diff that touches path at line (1-based)."""
    cur, n = None, 0
    with open(diff) as f:
        for text in f:
            if text.startswith("+++ "):
                cur = text[4:].strip()
                cur = cur[2:] if cur.startswith("b/") else cur
                n = 0
            elif text.startswith("@@") and cur == path:
                n += 1
                m = re.match(r"@@ -(\d+)", text)
                if m and int(m.group(1)) == line:
                    return f"hunk #{n} ({text.strip()})"
    return f"the hunk at line {line}"


def apply_diff(dpath, env, what):
    """git apply dpath to the index in env; name the hunk that fails."""
    r = subprocess.run(["git", "apply", "--cached", dpath], cwd=TREE,
                       env=env, text=True, capture_output=True)
    if not r.returncode:
        return
    where = re.search(r"patch failed: (.*):(\d+)", r.stderr)
    if where:
        f, ln = where.group(1), int(where.group(2))
        raise StageFailed(f"{what} does not apply to {f}: "
                          f"{hunk_for_line(dpath, f, ln)}")
    raise StageFailed(f"{what} does not apply:\n{r.stderr}")


_ASSEMBLED = {}


def assemble(quiet=False, again=False):
    """Turn the manifest into one commit per patch on top of base.

    The commits are built in a private index, so the checked-out tree
    is only touched where the new series tip differs from the old one:
    unchanged files keep their timestamps and kbuild stays incremental.
    Later calls in the same run return the first result unless @again.
    """
    if "man" in _ASSEMBLED and not again:
        return _ASSEMBLED["man"]
    import_base()
    man = load_manifest()
    if not quiet:
        header(f"assemble: Linux {kernel_version(TREE)} "
               f"({SRCPKG} {package_version()}) + {len(man['patch'])} patches")
    env = author_env(man)
    env["GIT_INDEX_FILE"] = os.path.join(WORK, "assemble.index")
    git("read-tree", "base", env=env)
    parent = git("rev-parse", "base^{commit}")
    for i, p in enumerate(man["patch"], 1):
        for d in p["diffs"]:
            apply_diff(os.path.join(REPO, d), env,
                       f"patch {i} ({p['subject']}): {d}")
        for f in p["files"]:
            src = os.path.join(REPO, f)
            mode = "100755" if os.access(src, os.X_OK) else "100644"
            sha = git("hash-object", "-w", src, env=env)
            git("update-index", "--add", "--cacheinfo", f"{mode},{sha},{f}",
                env=env)
        tree = git("write-tree", env=env)
        parent = out(["git", "commit-tree", tree, "-p", parent, "-m",
                      patch_message(man, p)], cwd=TREE, env=env).strip()
    old = git("rev-parse", "HEAD")
    if old != parent:
        git("reset", "-q", "--hard", parent)
    if not quiet:
        print(out(["git", "log", "--oneline", "base..HEAD"], cwd=TREE),
              end="")
    _ASSEMBLED["man"] = man
    return man


# ------------------------------------------------------------------ builds

def config_dir(name):
    return os.path.join(BUILD, name)


# Options only the series has; the stock base drops them silently.
SERIES_ONLY = {"CONFIG_KOBJECT_UEVENT=y", "CONFIG_KOBJECT_UEVENT_KUNIT_TEST=y"}


def configure(name, arch, fragments, log, allno=True, tree=None):
    """Merge fragments onto allnoconfig into BUILD/name, if they changed."""
    tree = tree or TREE
    odir = config_dir(name)
    os.makedirs(odir, exist_ok=True)
    frags = [os.path.join(SERIES, "configs", f) for f in fragments]
    digest = out(["sha1sum", *frags, os.path.join(tree, "Kconfig")])
    stamp = os.path.join(odir, ".uev-config")
    if os.path.exists(os.path.join(odir, ".config")) and \
       os.path.exists(stamp) and open(stamp).read() == digest:
        run(["make", "-C", tree, f"O={odir}", f"ARCH={arch}",
             "olddefconfig"], log)
        return odir
    env = dict(os.environ, ARCH=arch)
    cmd = [os.path.join(tree, "scripts/kconfig/merge_config.sh"),
           "-O", odir]
    if allno:
        cmd.append("-n")
    run(cmd + frags, log, cwd=tree, env=env)
    # merge_config.sh reports, but does not fail on, dropped options.
    missing = []
    have = open(os.path.join(odir, ".config")).read()
    for fr in frags:
        for line in open(fr):
            line = line.strip()
            if line.startswith("CONFIG_") and line.endswith("=y") and \
               line not in have and not (tree != TREE and
                                         line in SERIES_ONLY):
                missing.append(line)
    if missing:
        raise StageFailed(f"config {name}: not set: {' '.join(missing)}")
    with open(stamp, "w") as f:
        f.write(digest)
    return odir


def make(odir, arch, targets, log, extra=(), tree=None):
    run(["make", "-C", tree or TREE, f"O={odir}", f"ARCH={arch}",
         f"-j{JOBS}", *extra, *targets], log)


def build_guest(quiet=False):
    """Build the small x86_64 guest kernel; return the bzImage path."""
    assemble(quiet=quiet)
    header("build: x86_64 guest kernel")
    log = log_path("build-guest")
    open(log, "w").close()
    odir = configure("guest", "x86_64", ["guest.config"], log)
    t = time.time()
    # "modules" writes Module.symvers for the external benchmark module.
    make(odir, "x86_64", ["bzImage", "modules"], log)
    print(f"built in {time.time() - t:.0f} s")
    return os.path.join(odir, "arch/x86/boot/bzImage")


# ------------------------------------------------------------------ KUnit

KUNIT_SUMMARY = re.compile(
    r"Testing complete\. Ran (\d+) tests: passed: (\d+)"
    r"(?:, failed: (\d+))?(?:, crashed: (\d+))?(?:, skipped: (\d+))?"
    r"(?:, errors: (\d+))?")


def kunit_run(name, extra, kunitconfigs):
    header(f"KUnit: {name}")
    log = log_path("kunit-" + name)
    open(log, "w").close()
    cmd = [sys.executable, os.path.join(TREE, "tools/testing/kunit/kunit.py"),
           "run", f"--build_dir={config_dir('kunit-' + name)}",
           f"--jobs={JOBS}", "--timeout=1200"]
    for k in kunitconfigs:
        cmd.append(f"--kunitconfig={k}")
    cmd += extra
    t = time.time()
    rc = run(cmd, log, cwd=TREE, check=False)
    text = open(log, errors="replace").read()
    m = KUNIT_SUMMARY.search(text)
    if not m:
        tail(log)
        RESULTS.add(0, 1)
        raise StageFailed(f"KUnit {name}: no result (rc {rc})")
    ran = int(m.group(1))
    passed = int(m.group(2))
    bad = sum(int(g or 0) for g in m.group(3, 4, 6))
    skipped = int(m.group(5) or 0)
    print(f"KUnit {name}: ran {ran}, passed {passed}, failed {bad}, "
          f"skipped {skipped} ({time.time() - t:.0f} s)")
    # Sanitizer and lockdep reports do not always fail a test case.
    # Only what happens once the tests start counts, not boot noise.
    klog = os.path.join(config_dir("kunit-" + name), "test.log")
    text = open(klog, errors="replace").read() if os.path.exists(klog) \
        else ""
    text = text[max(0, text.find("KTAP version")):]
    splats = re.findall(r"^.*(?:BUG:|WARNING:|UBSAN:|possible circular|"
                        r"possible recursive|sleeping function called).*$",
                        text, re.M)
    for line in splats:
        print("  kernel: " + line.strip())
    RESULTS.add(passed, bad + (1 if splats else 0))
    if rc or bad or splats or ran == 0 or passed == 0:
        tail(log, 80)
        raise StageFailed(f"KUnit {name} failed")


SUITES = ["lib/tests"]


def kunit_all():
    assemble()
    smp = ["--arch=x86_64", "--qemu_args=-smp 4"]
    kunit_run("um", ["--arch=um"], SUITES)
    kunit_run("x86_64", smp, SUITES)
    # Sanitizers slow everything down; a smaller stress run suffices.
    kunit_run("debug", smp + ["--kernel_args",
                              "kobject_uevent_kunit.stress_events=20000"],
              SUITES + [os.path.join(SERIES, "kunit", "debug.kunitconfig")])


# ------------------------------------------------------------------ guest

QBOOT = "/usr/share/qemu/qboot.rom"
GUEST = os.path.join(SERIES, "guest")
GUEST_TOOLS = os.path.join(BUILD, "guest-tools") + "/"


def build_guest_tools():
    """Static user space for the guest: uevmon and the selftests."""
    odir = GUEST_TOOLS
    os.makedirs(odir, exist_ok=True)
    log = log_path("guest-tools")
    open(log, "w").close()
    run(["make", "-C", os.path.join(TREE, "tools/uevent"), f"O={odir}"], log)
    st = os.path.join(TREE, "tools/testing/selftests")
    run(["gcc", "-static", "-O2", "-Wall", "-pthread", "-I", st,
         "-o", odir + "uevent_delivery",
         os.path.join(st, "uevent/uevent_delivery.c")], log)
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


def boot(kernel, initrd, mode, log=None, timeout=1800, smp=4, args=""):
    """Boot the guest under QEMU (TCG); return its console output."""
    # timeout(1) kills a guest that hangs without printing anything.
    cmd = ["timeout", "-s", "KILL", str(timeout),
           "qemu-system-x86_64", "-nographic", "-no-reboot", "-m", "1024",
           "-smp", str(smp), "-bios", QBOOT, "-net", "none",
           "-kernel", kernel, "-initrd", initrd, "-append",
           f"console=ttyS0 quiet panic=-1 uev.mode={mode} {args}"]
    lines = []
    sink = open(log, "w") if log else None
    start = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, text=True, errors="replace")
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


def guest_image():
    kernel = build_guest()
    header("build: guest user space (busybox-static, uevmon, selftests)")
    tools = build_guest_tools()
    return kernel, make_initramfs(tools)


def cmd_demo(_):
    kernel, initrd = guest_image()
    header("demo: boot the guest under QEMU and watch its uevents")
    t = time.time()
    boot(kernel, initrd, "demo")
    print(f"\ndemo finished in {time.time() - t:.0f} s")


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


def run_guest_tests(kernel, initrd, title, logname, args=""):
    """Boot @kernel, run the selftests (filtered by @args); print and
    return parse_guest()'s results."""
    header(title)
    log = log_path(logname)
    t = time.time()
    text = boot(kernel, initrd, "test", log=log,
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


def guest_tests(kernel=None, initrd=None, report_only=False):
    if not kernel:
        kernel, initrd = guest_image()
    results, problems, log = run_guest_tests(
        kernel, initrd,
        "guest tests: tools/testing/selftests/uevent in QEMU, 4 CPUs",
        "guest-tests")
    passed = sum(r == "PASS" for r in results.values())
    failed = sum(r == "FAIL" for r in results.values()) + len(problems)
    print(f"guest tests: {passed} passed, {failed} failed")
    if report_only:
        return
    RESULTS.add(passed, failed)
    if failed or not passed:
        tail(log, 60)
        raise StageFailed("guest tests failed")


# The selftests a stable fix is proven by: the socket filter cases and
# the 200,000-event ordering test.
STABLE_TESTS = "-f,snaplen,-t,ordering_under_concurrent_writers"


def stable_count(man):
    """How many patches at the front of the series are for stable."""
    n = 0
    for p in man["patch"]:
        if "Cc: stable@vger.kernel.org" not in p.get("trailers", []):
            break
        n += 1
    return n


def check_stable(man):
    """The stable fixes on their own: stock fails, base + fixes passes."""
    n = stable_count(man)
    commits = git("rev-list", "--reverse", "base..HEAD").splitlines()
    tip = commits[n - 1]
    got = {}
    for name, rev in (("stock", "base"), ("stable", tip)):
        kernel = build_stock(rev, name)
        initrd = make_initramfs(GUEST_TOOLS, "initramfs-stock")
        got[name] = run_guest_tests(
            kernel, initrd,
            f"{name}: {'base' if rev == 'base' else f'base + {n} stable fixes'}"
            f", selected selftests ({STABLE_TESTS})",
            "guest-" + name, STABLE_TESTS)
    res, problems, log = got["stable"]
    tests = [k for k in res if k != "(exit status)"]
    ok = not problems and tests and all(res[k] == "PASS" for k in res)
    print(f"  {'PASS' if ok else 'FAIL'} base + stable fixes passes all "
          f"{len(tests)} selected selftests")
    RESULTS.add(ok, not ok)
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
    RESULTS.add(stock_ok, not stock_ok)
    if not ok:
        tail(log, 60)
        raise StageFailed("the stable fixes alone do not pass")
    if not stock_ok:
        tail(slog, 60)
        raise StageFailed("the selected selftests do not catch stock's bugs")


# ------------------------------------------------------------------ checks

def series_objects(man, p):
    """Kernel objects built from the .c files patch p carries."""
    objs = [f[:-2] + ".o" for f in p["files"]
            if f.endswith(".c") and not f.startswith("tools/")]
    for d in p["diffs"]:
        for line in open(os.path.join(REPO, d)):
            m = re.match(r"\+\+\+ b/(.*\.c)$", line.strip())
            if m and not m.group(1).startswith("tools/"):
                objs.append(m.group(1)[:-2] + ".o")
    return sorted(set(objs + p["objects"]))


def export_series(quiet=False):
    man = assemble(quiet=quiet)
    dest = os.path.join(OUT, "series")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    n = len(man["patch"])
    out(["git", "format-patch", "-q", "--cover-letter", "--base=base",
         "-o", dest, f"HEAD~{n}..HEAD"], cwd=TREE, env=author_env(man))
    cover = sorted(glob.glob(os.path.join(dest, "0000-*.patch")))[0]
    text = open(cover).read()
    text = text.replace("*** SUBJECT HERE ***", man["cover"]["subject"])
    text = text.replace("*** BLURB HERE ***", man["cover"]["blurb"].strip()
                        + f"\n\nBase: Linux {kernel_version(TREE)} "
                        f"(Debian {SRCPKG} {package_version()}).")
    open(cover, "w").write(text)
    return man, dest


def cmd_export(_):
    man, dest = export_series()
    header(f"export: {dest}")
    for f in sorted(os.listdir(dest)):
        print(os.path.join(dest, f))


def check_manifest(man):
    """Every file we own is carried by exactly one patch."""
    listed = [f for p in man["patch"] for f in p["files"]]
    dup = sorted({f for f in listed if listed.count(f) > 1})
    extra = sorted(set(owned_files()) - set(listed))
    gone = sorted(set(listed) - set(owned_files()))
    ok = not (dup or extra or gone)
    print(f"  {'PASS' if ok else 'FAIL'} manifest covers every owned file")
    RESULTS.add(ok, not ok)
    if not ok:
        raise StageFailed(f"manifest: twice {dup}, unlisted {extra}, "
                          f"missing {gone}")


def check_assembly(man):
    """Re-assembly touches nothing unchanged; a stale diff is named."""
    stamp = {f: os.stat(os.path.join(TREE, f)).st_mtime_ns
             for f in ["Makefile"] + [f for p in man["patch"]
                                      for f in p["files"]]}
    assemble(quiet=True, again=True)
    same = all(os.stat(os.path.join(TREE, f)).st_mtime_ns == t
               for f, t in stamp.items())
    print(f"  {'PASS' if same else 'FAIL'} re-assembly rewrites no "
          "unchanged file")
    RESULTS.add(same, not same)
    if not same:
        raise StageFailed("re-assembly rewrote unchanged files")
    # A diff whose context no longer matches (as on a newer 6.12.y).
    d = next(d for p in man["patch"] for d in p["diffs"])
    text = open(os.path.join(REPO, d)).read()
    ctx = next(l for l in text.splitlines()[4:] if l.startswith(" ") and
               l.strip())
    stale = os.path.join(WORK, "stale.diff")
    with open(stale, "w") as f:
        f.write(text.replace(ctx, ctx + " changed upstream", 1))
    target = re.search(r"^\+\+\+ b/(\S+)", text, re.M).group(1)
    env = dict(os.environ, GIT_INDEX_FILE=os.path.join(WORK, "stale.index"))
    git("read-tree", "base", env=env)
    try:
        apply_diff(stale, env, "stale diff")
        msg = ""
    except StageFailed as e:
        msg = str(e)
    ok = target in msg and "hunk #1" in msg
    print(f"  {'PASS' if ok else 'FAIL'} a stale diff is reported: {msg}")
    RESULTS.add(ok, not ok)
    if not ok:
        raise StageFailed("a stale diff was not reported with file and hunk")


def check_series(man, dest):
    """git am the export onto a pristine base; build every prefix."""
    header("series: manifest, assembly, git am onto pristine base, "
           "every prefix builds")
    check_manifest(man)
    check_assembly(man)
    log = log_path("series")
    open(log, "w").close()
    am = os.path.join(WORK, "am")
    if not os.path.isdir(os.path.join(am, ".git")):
        shutil.rmtree(am, ignore_errors=True)
        run(["git", "clone", "-q", "--shared", "--no-checkout", TREE, am], log)
    env = git_env()
    run(["git", "am", "--abort"], log, cwd=am, check=False)
    run(["git", "checkout", "-q", "-f", "--detach", "base"], log, cwd=am)
    patches = sorted(glob.glob(os.path.join(dest, "0*.patch")))[1:]
    run(["git", "am", "-q", *patches], log, cwd=am, env=env)
    print(f"  PASS git am of {len(patches)} patches onto base")
    RESULTS.add(1)
    same = git("rev-parse", "HEAD^{tree}", cwd=am) == git(
        "rev-parse", "HEAD^{tree}")
    if not same:
        RESULTS.add(0, 1)
        raise StageFailed("applied series differs from the assembled tree")
    guest = configure("guest", "x86_64", ["guest.config"], log)
    odir = config_dir("prefix")
    os.makedirs(odir, exist_ok=True)
    shutil.copy(os.path.join(guest, ".config"), os.path.join(odir, ".config"))
    commits = git("rev-list", "--reverse", "base..HEAD", cwd=am).split()
    for i, (c, p) in enumerate(zip(commits, man["patch"]), 1):
        run(["git", "checkout", "-q", "--detach", c], log, cwd=am)
        objs = series_objects(man, p)
        t = time.time()
        base = ["make", "-C", am, f"O={odir}", "ARCH=x86_64", f"-j{JOBS}"]
        run(base + ["olddefconfig"], log)
        rc = run(base + objs, log, check=False) if objs else 0
        what = " ".join(objs)
        # User-space programs the patch adds build with their own rules.
        progs = [f for f in p["files"]
                 if f.endswith(".c") and f.startswith("tools/") and
                 "/bench/" not in f]
        if progs and not rc:
            rc = build_user_programs(am, progs, log)
            what = " ".join(filter(None, [what] + progs))
        if rc:
            RESULTS.add(0, 1)
            tail(log)
            raise StageFailed(f"patch {i} does not build: {what}")
        what = what or "nothing (no code)"
        RESULTS.add(1)
        print(f"  PASS patch {i}/{len(commits)} builds {what} "
              f"({time.time() - t:.0f} s)")


def build_user_programs(tree, progs, log):
    """Compile tools/ programs with -Werror into .work/build/prefix-tools."""
    odir = os.path.join(BUILD, "prefix-tools")
    os.makedirs(odir, exist_ok=True)
    rc = 0
    for prog in progs:
        name = os.path.join(odir, os.path.basename(prog)[:-2])
        inc = os.path.join(tree, "tools/testing/selftests")
        rc = rc or run(["gcc", "-O2", "-Wall", "-Werror", "-pthread", "-I",
                        inc, "-o", name, os.path.join(tree, prog)], log,
                       check=False)
    return rc


def check_checkpatch(dest):
    header("checkpatch.pl --strict on every patch")
    log = log_path("checkpatch")
    open(log, "w").close()
    bad = 0
    for f in sorted(glob.glob(os.path.join(dest, "0*.patch")))[1:]:
        # The base is Debian's tarball, without upstream history, so
        # checkpatch cannot look up the commits that Fixes: tags name.
        rc = run([os.path.join(TREE, "scripts/checkpatch.pl"), "--strict",
                  "--ignore", "UNKNOWN_COMMIT_ID", "--showfile", f], log,
                 cwd=TREE, check=False)
        name = os.path.basename(f)
        print(f"  {'PASS' if rc == 0 else 'FAIL'} {name}")
        RESULTS.add(rc == 0, rc != 0)
        bad += rc != 0
    if bad:
        tail(log, 60)
        raise StageFailed(f"checkpatch: {bad} patch(es) not clean")


def check_kerneldoc():
    header("kernel-doc -none on every file we own")
    log = log_path("kernel-doc")
    open(log, "w").close()
    bad = 0
    for f in owned_files():
        if not f.endswith((".c", ".h")):
            continue
        p = subprocess.run([os.path.join(TREE, "scripts/kernel-doc"),
                            "-Wall", "-none", f], cwd=TREE, text=True,
                           capture_output=True)
        msg = (p.stdout + p.stderr).strip()
        with open(log, "a") as fh:
            fh.write(f"$ kernel-doc -Wall -none {f}\n{msg}\n")
        ok = p.returncode == 0 and not msg
        print(f"  {'PASS' if ok else 'FAIL'} {f}")
        if msg:
            print("    " + msg.replace("\n", "\n    "))
        RESULTS.add(ok, not ok)
        bad += not ok
    if bad:
        raise StageFailed(f"kernel-doc: {bad} file(s) not clean")


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


def check_objects(man):
    """sparse (C=2) and W=1 on every object the series touches.

    A warning counts against the series when it points into a file we
    own or at a line our diffs add; warnings elsewhere (upstream code
    that merely includes a header we changed) are shown, not counted.
    """
    header("sparse (C=2) and W=1 on every object the series touches")
    log = log_path("objects")
    open(log, "w").close()
    odir = config_dir("guest")
    owned = set(owned_files())
    changed = changed_lines()
    objs = sorted({o for p in man["patch"] for o in series_objects(man, p)})
    bad = 0
    for o in objs:
        # Force a rebuild so the compiler and sparse see the file again.
        try:
            os.unlink(os.path.join(odir, o))
        except FileNotFoundError:
            pass
        p = subprocess.run(["make", "-C", TREE, f"O={odir}", "ARCH=x86_64",
                            "C=2", "W=1", o], text=True,
                           capture_output=True)
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
        print(f"  {'PASS' if ok else 'FAIL'} {o}"
              + (f" ({len(theirs)} upstream warning(s), not ours)"
                 if theirs else ""))
        for line in ours:
            print("    " + line)
        RESULTS.add(ok, not ok)
        bad += not ok
    if bad:
        raise StageFailed(f"sparse/W=1: {bad} object(s) not clean")


def check_configs():
    """allnoconfig (NET=n) and tinyconfig (KOBJECT_UEVENT=n) link."""
    header("small configs: allnoconfig (NET=n), tinyconfig (uevents off)")
    for name, target, want in (
            ("allno", "allnoconfig", "CONFIG_KOBJECT_UEVENT=y"),
            ("tiny", "tinyconfig", "# CONFIG_KOBJECT_UEVENT is not set")):
        log = log_path("config-" + name)
        open(log, "w").close()
        odir = config_dir(name)
        os.makedirs(odir, exist_ok=True)
        t = time.time()
        make(odir, "x86_64", [target], log)
        cfg = open(os.path.join(odir, ".config")).read()
        if want not in cfg or "# CONFIG_NET is not set" not in cfg:
            RESULTS.add(0, 1)
            raise StageFailed(f"{target}: expected {want} and NET=n")
        make(odir, "x86_64", ["vmlinux"], log)
        size = os.path.getsize(os.path.join(odir, "vmlinux"))
        RESULTS.add(1)
        print(f"  PASS {target}: {want}, NET=n, vmlinux {size} bytes "
              f"({time.time() - t:.0f} s)")


def cmd_bloat(_):
    """vmlinux size saved by CONFIG_KOBJECT_UEVENT=n on tinyconfig."""
    assemble()
    header("bloat: tinyconfig with and without CONFIG_KOBJECT_UEVENT")
    log = log_path("bloat")
    open(log, "w").close()
    images = {}
    for name, extra in (("tiny", None), ("tiny-on", "KOBJECT_UEVENT")):
        odir = config_dir(name)
        os.makedirs(odir, exist_ok=True)
        make(odir, "x86_64", ["tinyconfig"], log)
        if extra:
            run([os.path.join(TREE, "scripts/config"), "--file",
                 os.path.join(odir, ".config"), "-e", extra], log)
            make(odir, "x86_64", ["olddefconfig"], log)
        make(odir, "x86_64", ["vmlinux"], log)
        images[name] = os.path.join(odir, "vmlinux")
    text = out([os.path.join(TREE, "scripts/bloat-o-meter"),
                images["tiny-on"], images["tiny"]])
    print(text)


# --------------------------------------------------------------- benchmark

STOCK = os.path.join(WORK, "stock")
BENCH_LINE = re.compile(r"uevent_bench: label=(\S+) (.*)$", re.M)


def build_stock(rev="base", name="stock"):
    """The base (or base + the stable fixes at @rev), same config as the
    guest, in one worktree and build directory; return bzImage."""
    header(f"build: {name} 6.12 x86_64 guest kernel (same config)")
    log = log_path("build-" + name)
    open(log, "w").close()
    if not os.path.isdir(STOCK):
        run(["git", "worktree", "add", "-f", "--detach", STOCK, "base"], log,
            cwd=TREE)
    run(["git", "checkout", "-q", "-f", "--detach", rev], log, cwd=STOCK)
    odir = configure("stock", "x86_64", ["guest.config"], log, tree=STOCK)
    make(odir, "x86_64", ["bzImage", "modules"], log, tree=STOCK)
    return os.path.join(odir, "arch/x86/boot/bzImage")


def build_bench_module(name, tree, odir):
    mdir = os.path.join(BUILD, "bench-mod-" + name)
    shutil.rmtree(mdir, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "tools/uevent/bench"), mdir)
    log = log_path("bench-module")
    run(["make", "-C", tree, f"O={odir}", "ARCH=x86_64", f"M={mdir}",
         "modules"], log)
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


def write_svg(rows, path):
    """A horizontal bar chart of ours/stock per figure."""
    rows = [r for r in rows if r[3] is not None]
    h = 24 * len(rows) + 60
    scale = 300 / max(2.0, max(r[3] for r in rows))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="900" '
             f'height="{h}" font-family="sans-serif" font-size="12">',
             '<text x="10" y="20" font-size="14">uevent core: ours / stock '
             '(lower is better; line at 1.0)</text>']
    for i, (fig, _, _, ratio) in enumerate(rows):
        y = 40 + 24 * i
        color = "#2a7" if ratio <= 1 else "#c44"
        parts.append(f'<text x="10" y="{y + 14}">{fig}</text>')
        parts.append(f'<rect x="520" y="{y + 2}" width="{ratio * scale:.1f}" '
                     f'height="16" fill="{color}"/>')
        parts.append(f'<text x="{525 + ratio * scale:.1f}" y="{y + 14}">'
                     f'{ratio:.2f}</text>')
    parts.append(f'<line x1="{520 + scale:.1f}" y1="35" x2="{520 + scale:.1f}"'
                 f' y2="{h - 10}" stroke="#000" stroke-dasharray="4"/>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def cmd_bench(argv):
    ap = argparse.ArgumentParser(prog="series/uev bench")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--events", type=int, default=20000)
    opts = ap.parse_args(argv)
    ours_k, _ = guest_image()
    stock_k = build_stock()
    header("build: benchmark module against both trees")
    kernels = {}
    for name, tree, kernel, odir in (
            ("stock", STOCK, stock_k, config_dir("stock")),
            ("ours", TREE, ours_k, config_dir("guest"))):
        ko = build_bench_module(name, tree, odir)
        initrd = make_initramfs(GUEST_TOOLS, "initramfs-bench-" + name,
                                [(ko, "lib/uevent_bench.ko")])
        kernels[name] = (kernel, initrd)
    results = {"stock": [], "ours": []}
    for run_no in range(1, opts.runs + 1):
        for name, (kernel, initrd) in kernels.items():
            header(f"bench run {run_no}/{opts.runs}: {name}")
            log = log_path(f"bench-{name}-{run_no}")
            text = boot(kernel, initrd, "bench", log=log,
                        args=f"uev.events={opts.events}")
            res = parse_bench(text)
            if not res:
                tail(log)
                raise StageFailed(f"no benchmark output from {name}")
            results[name].append(res)
            print(f"  {len(res)} figures")
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
    os.makedirs(os.path.join(OUT, "bench"), exist_ok=True)
    csv = os.path.join(OUT, "bench", "bench.csv")
    with open(csv, "w") as f:
        f.write("figure,stock,ours,ratio\n")
        for fig, st, ou, ratio in rows:
            f.write(f"\"{fig}\",{st if st is not None else ''},"
                    f"{ou if ou is not None else ''},"
                    f"{f'{ratio:.3f}' if ratio is not None else ''}\n")
    svg = os.path.join(OUT, "bench", "bench.svg")
    write_svg(rows, svg)
    header(f"benchmark: medians of {opts.runs} runs, {opts.events} events "
           "per figure, QEMU TCG, 4 vCPUs")
    print(f"| {'figure':<58} | {'stock':>10} | {'ours':>10} | ratio |")
    print(f"|{'-' * 60}|{'-' * 12}|{'-' * 12}|-------|")

    def fmt(v):
        return "-" if v is None else f"{v:.2f}" if v < 100 else f"{v:.0f}"
    for fig, st, ou, ratio in rows:
        print(f"| {fig:<58} | {fmt(st):>10} | {fmt(ou):>10} | "
              f"{'-' if ratio is None else f'{ratio:.2f}':>5} |")
    print(f"\nwritten: {csv}\nwritten: {svg}")


def cmd_test(_):
    t = time.time()
    man, dest = export_series()
    check_series(man, dest)
    check_checkpatch(dest)
    check_kerneldoc()
    kernel, initrd = guest_image()
    check_objects(man)
    kunit_all()
    guest_tests(kernel, initrd)
    check_stable(man)
    check_configs()
    header(f"all stages passed in {time.time() - t:.0f} s")
    print(RESULTS.line())


def cmd_stable(_):
    man = assemble()
    guest_image()
    check_stable(man)
    print(RESULTS.line())


def cmd_guest_test(argv):
    if argv == ["--stock"]:
        # Run our selftests on the unmodified base: shows which of them
        # catch what the stock core gets wrong.
        guest_image()
        kernel = build_stock()
        guest_tests(kernel, make_initramfs(GUEST_TOOLS, "initramfs-stock"),
                    report_only=True)
        return
    if argv:
        raise StageFailed("usage: series/uev guest-test [--stock]")
    guest_tests()
    print(RESULTS.line())


# --------------------------------------------------------------- commands

def cmd_assemble(_):
    assemble()


def cmd_build(_):
    print(build_guest())


def cmd_kunit(_):
    kunit_all()


COMMANDS = {
    "demo": (cmd_demo, "build and boot the guest; show its uevents live"),
    "test": (cmd_test, "run every test and check; ends with 'N passed, N failed'"),
    "import": (lambda _: import_base(), "unpack linux-source-6.12 as .work/linux base"),
    "assemble": (cmd_assemble, "import the base tree and assemble the series"),
    "build": (cmd_build, "build the x86_64 guest kernel; print its path last"),
    "kunit": (cmd_kunit, "run the KUnit suites (UML, x86_64, debug)"),
    "guest-test": (cmd_guest_test, "run the selftests in the QEMU guest [--stock: on the unmodified base]"),
    "stable": (cmd_stable, "the stable fixes alone: stock fails, base + fixes passes the guest tests that prove them"),
    "bench": (cmd_bench, "benchmark against the stock 6.12 core [--runs N] [--events N]"),
    "bloat": (cmd_bloat, "measure what CONFIG_KOBJECT_UEVENT=n saves (tinyconfig)"),
    "export": (cmd_export, "write the series with format-patch to out/series"),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        usage()
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in
                 ("help", "-h", "--help") else 2)
    fn = COMMANDS[sys.argv[1]][0]
    try:
        fn(sys.argv[2:])
    except StageFailed as e:
        print(f"\nFAILED: {e}", flush=True)
        if RESULTS.passed or RESULTS.failed:
            print(RESULTS.line())
        sys.exit(1)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"\nFAILED: {type(e).__name__}: {e}", flush=True)
        RESULTS.add(0, 1)
        print(RESULTS.line())
        sys.exit(1)


def usage():
    print("usage: series/uev COMMAND\n\ncommands:")
    for name, (_, h) in COMMANDS.items():
        print(f"  {name:<12} {h}")
    print("  help         print this text")


if __name__ == "__main__":
    main()

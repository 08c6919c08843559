# SPDX-License-Identifier: GPL-2.0
"""Paths, the per-command Context, logging and the run/out/git helpers."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SERIES = os.path.join(REPO, "series")
TESTS = os.path.join(SERIES, "tests")
WORK = os.path.join(REPO, ".work")
TREE = os.path.join(WORK, "linux")
BUILD = os.path.join(WORK, "build")
LOGS = os.path.join(WORK, "logs")
OUT = os.path.join(REPO, "out")
JOBS = str(os.cpu_count() or 2)

QEMU = "qemu-system-x86_64"


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


def build_env(environ=None):
    """The environment of every build: ccache in front of the compilers,
    Debian's python3 (with ply and git for checkpatch's spdxcheck) first,
    reproducible kbuild stamps.  @environ (default os.environ) is copied,
    never changed."""
    environ = os.environ if environ is None else environ
    env = dict(environ)
    env["PATH"] = "/usr/lib/ccache:/usr/bin:" + environ.get("PATH", "")
    env.setdefault("CCACHE_DIR", os.path.expanduser("~/.cache/ccache"))
    env.setdefault("CCACHE_MAXSIZE", "20G")
    env["CCACHE_BASEDIR"] = WORK
    env["KBUILD_BUILD_TIMESTAMP"] = "2026-01-01"
    env["KBUILD_BUILD_USER"] = "uev"
    env["KBUILD_BUILD_HOST"] = "uev"
    return env


class Context:
    """What one command run owns, passed to every function that needs it.

    results  the counts for the closing "N passed, N failed" line
    env      build_env(): pass as env= to make, kunit.py, compilers,
             the kernel's scripts and QEMU
    qemu     the QEMU binary that boots guests ($UEV_QEMU overrides it;
             the tests boot a fake)
    patches  the series (patchseries.Patch list) once assemble() ran
    image    (kernel, initramfs) once guest.guest_image() has run
    """

    def __init__(self, environ=None, qemu=None):
        environ = os.environ if environ is None else environ
        self.results = Results()
        self.env = build_env(environ)
        self.qemu = qemu or environ.get("UEV_QEMU") or QEMU
        self.patches = None
        self.image = None


def header(title):
    print(f"\n==== {title} ====", flush=True)


def log_path(name):
    os.makedirs(LOGS, exist_ok=True)
    return os.path.join(LOGS, name + ".log")


def new_log(name):
    """log_path(name), emptied."""
    log = log_path(name)
    open(log, "w").close()
    return log


def config_dir(name):
    """The persistent O= build directory of config @name."""
    return os.path.join(BUILD, name)


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


def git(*args, cwd=None, env=None, check=True):
    """git @args in @cwd (default: the assembled tree); stripped output."""
    return out(["git", *args], cwd=cwd or TREE, env=env, check=check).strip()

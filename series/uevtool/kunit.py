# SPDX-License-Identifier: GPL-2.0
"""KUnit runs (UML, UML without uevents, x86_64, debug), counted from kunit.py's JSON output.

kunit.py run --json=FILE writes the parsed results in KernelCI's format
(tools/testing/kunit/kunit_json.py): nested groups, each with
"sub_groups" and "test_cases"; every case has a "status" of PASS, SKIP,
ERROR (crashed) or FAIL.
"""

import json
import os
import re
import sys
import time

from .assembly import assemble
from .common import (JOBS, SERIES, TREE, StageFailed, config_dir,
                     header, new_log, run, tail)

SUITES = ["lib/tests"]
# The emitters' suites (the ACPI dock station, GFS2): ACPI is x86-only,
# so they run in the x86_64 and debug runs, not under UML.
EMITTER_SUITES = ["drivers/acpi", "fs/gfs2"]

# Cases the debug run configures the kernel for: skipping is failing.
DEBUG_REQUIRED = ("uevent_alloc_failure",)

STATUS = {"PASS": "passed", "SKIP": "skipped", "ERROR": "crashed"}

SPLAT = re.compile(r"^.*(?:BUG:|WARNING:|UBSAN:|possible circular|"
                   r"possible recursive|sleeping function called|"
                   r"kernel BUG at|Oops:|Kernel panic|INFO: task .* blocked|"
                   r"rcu: .*stall).*$", re.M)


def kunit_counts(path):
    """Count the test cases in kunit.py's JSON file @path by status:
    {"passed", "failed", "crashed", "skipped"}; None when the file is
    missing or not in kunit_json's format.  A status other than PASS,
    SKIP and ERROR counts as failed, as kunit_json maps it."""
    try:
        with open(path) as f:
            top = json.load(f)
    except (OSError, ValueError):
        return None
    counts = dict.fromkeys(("passed", "failed", "crashed", "skipped"), 0)

    def walk(group):
        if not isinstance(group, dict) or \
           not isinstance(group.get("test_cases"), list) or \
           not isinstance(group.get("sub_groups"), list):
            return False
        for case in group["test_cases"]:
            if not isinstance(case, dict) or "status" not in case:
                return False
            counts[STATUS.get(case["status"], "failed")] += 1
        return all(walk(g) for g in group["sub_groups"])

    return counts if walk(top) else None


def kunit_statuses(path, case):
    """The statuses ("PASS", "SKIP", ...) of every case named @case in
    kunit.py's JSON file @path; empty when there is none."""
    try:
        with open(path) as f:
            top = json.load(f)
    except (OSError, ValueError):
        return []
    found = []

    def walk(group):
        for c in group.get("test_cases", []):
            if c.get("name") == case:
                found.append(c.get("status"))
        for g in group.get("sub_groups", []):
            walk(g)

    walk(top)
    return found


def kunit_splats(test_log):
    """Kernel reports (sanitizers, lockdep, BUG/WARNING) in kunit.py's
    test.log once the tests have started: they do not always fail a
    test case.  Boot noise before "KTAP version" does not count."""
    try:
        with open(test_log, errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    text = text[max(0, text.find("KTAP version")):]
    return [line.strip() for line in SPLAT.findall(text)]


def kunit_report(ctx, name, rc, json_path, test_log, log, seconds=0.0,
                 required=()):
    """Print and count one kunit.py run that exited with @rc; raise
    StageFailed unless its JSON has tests, some passed, none failed or
    crashed, kunit.py exited with 0, test.log shows no kernel report and
    every case named in @required ran and passed (a run configured for
    a case must not let it skip)."""
    counts = kunit_counts(json_path)
    if counts is None:
        tail(log)
        ctx.results.add(0, 1)
        raise StageFailed(f"KUnit {name}: no result (rc {rc}; "
                          f"no valid JSON in {json_path})")
    ran = sum(counts.values())
    passed = counts["passed"]
    bad = counts["failed"] + counts["crashed"]
    print(f"KUnit {name}: ran {ran}, passed {passed}, failed {bad}, "
          f"skipped {counts['skipped']} ({seconds:.0f} s)")
    splats = kunit_splats(test_log)
    for line in splats:
        print("  kernel: " + line)
    failed = bad + (1 if splats else 0)
    for case in required:
        statuses = kunit_statuses(json_path, case)
        if not statuses or any(st != "PASS" for st in statuses):
            print(f"  {case}: {', '.join(statuses) or 'not run'} "
                  "(this run must pass it)")
            failed += 1
    if not failed and (rc or ran == 0 or passed == 0):
        failed = 1      # kunit.py failed, or nothing ran: count it
    ctx.results.add(passed, failed)
    if failed:
        tail(log, 80)
        raise StageFailed(f"KUnit {name} failed")


def kunit_command(name, extra, kunitconfigs, json_path):
    cmd = [sys.executable, os.path.join(TREE, "tools/testing/kunit/kunit.py"),
           "run", f"--build_dir={config_dir('kunit-' + name)}",
           f"--jobs={JOBS}", "--timeout=1200", f"--json={json_path}"]
    for k in kunitconfigs:
        cmd.append(f"--kunitconfig={k}")
    return cmd + extra


def kunit_run(ctx, name, extra, kunitconfigs, required=()):
    header(f"KUnit: {name}")
    log = new_log("kunit-" + name)
    json_path = os.path.splitext(log)[0] + ".json"
    try:
        os.unlink(json_path)
    except FileNotFoundError:
        pass
    t = time.time()
    rc = run(kunit_command(name, extra, kunitconfigs, json_path), log,
             cwd=TREE, env=ctx.env, check=False)
    kunit_report(ctx, name, rc, json_path,
                 os.path.join(config_dir("kunit-" + name), "test.log"), log,
                 time.time() - t, required)


def kunit_all(ctx):
    assemble(ctx)
    smp = ["--arch=x86_64", "--qemu_args=-smp 4",
           "--kunitconfig=" + os.path.join(SERIES, "kunit", "smp.kunitconfig")]
    kunit_run(ctx, "um", ["--arch=um"], SUITES)
    # Uevents compiled out: writes to uevent attributes are still checked.
    kunit_run(ctx, "nouevent", ["--arch=um"],
              [os.path.join(SERIES, "kunit", "nouevent.kunitconfig")])
    # The running kernel's replay ring off (the suites' own rings stay):
    # every path of the core runs without it here, with it under UML
    # and in the debug run.
    kunit_run(ctx, "x86_64", smp + ["--kernel_args", "uevent_replay_size=0"],
              SUITES + EMITTER_SUITES)
    # Sanitizers slow everything down; a smaller stress run suffices.
    # failslab.ignore_gfp_wait=N lets fail_nth fail GFP_KERNEL
    # allocations, so the allocation failure case runs instead of
    # skipping; the run fails if it does not pass.
    kunit_run(ctx, "debug", smp + ["--kernel_args",
                                   "kobject_uevent_kunit.stress_events=20000",
                                   "--kernel_args",
                                   "failslab.ignore_gfp_wait=N"],
              SUITES + EMITTER_SUITES +
              [os.path.join(SERIES, "kunit", "debug.kunitconfig")],
              required=DEBUG_REQUIRED)

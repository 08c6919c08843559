# SPDX-License-Identifier: GPL-2.0
"""Debian packages the tooling needs.

demo, test and bench install everything with ensure_packages() as their
first step; the other commands only check, with require_packages(),
for what they use and name what is missing.
"""

import os
import subprocess

from .common import StageFailed, header, log_path, run

SRCPKG = "linux-source-6.12"

# Everything: what demo, test and bench install.
PACKAGES = [
    SRCPKG, "build-essential", "bc", "bison", "flex", "libelf-dev",
    "libssl-dev", "ccache", "sparse", "qemu-system-x86", "busybox-static",
    "udev", "cpio", "xz-utils", "kmod", "python3", "python3-ply",
    "python3-git", "git", "rsync", "perl", "dwarves", "python3-matplotlib",
    "gfs2-utils", "gcc-s390x-linux-gnu",
]

# import, assemble, export: unpack the base and run git.
BASE = [SRCPKG, "git", "xz-utils"]
# build, bloat: compile kernels.
BUILD = BASE + ["build-essential", "bc", "bison", "flex", "libelf-dev",
                "libssl-dev", "ccache", "kmod", "perl", "rsync", "dwarves"]
# kunit, guest-test, stable: boot them too; the guest runs Debian's
# udevadm (udev) and mkfs.gfs2 (gfs2-utils).
GUEST = BUILD + ["python3", "qemu-system-x86", "busybox-static", "udev",
                 "cpio", "gfs2-utils"]


def missing_packages(names):
    """The packages of @names that dpkg does not have installed."""
    missing = []
    for n in names:
        p = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", n],
                           capture_output=True, text=True)
        if "install ok installed" not in p.stdout:
            missing.append(n)
    return missing


def ensure_packages(names=PACKAGES):
    """Install whatever of @names is missing with apt-get (as root)."""
    missing = missing_packages(names)
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


def require_packages(names):
    """Fail, naming them, if any of @names is not installed."""
    missing = missing_packages(names)
    if missing:
        raise StageFailed(
            "missing packages: " + " ".join(missing) + "; install them "
            "with: apt-get install " + " ".join(missing) + " (or run "
            "series/uev test, which installs everything it needs)")

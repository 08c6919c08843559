# SPDX-License-Identifier: GPL-2.0
"""Shared helpers of the tooling's unit tests (series/tests).

Run them with:  python3 -m unittest discover -s series/tests
They need no kernel tree, no build and no network: logs and scratch
files go to a temporary directory, never to .work/.
"""

import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest
from unittest import mock

# Taken before uevtool is imported: importing it must not change it.
ENV_BEFORE = dict(os.environ)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
sys.path.insert(0, os.path.dirname(HERE))

from uevtool import common  # noqa: E402


def fixture(name):
    return os.path.join(FIXTURES, name)


class ToolTest(unittest.TestCase):
    """A temporary directory (self.tmp) that also holds the logs, and
    standard output captured in self.stdout."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="uevtool-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        for name, path in (("LOGS", "logs"), ("BUILD", "build"),
                           ("WORK", "work")):
            p = mock.patch.object(common, name, os.path.join(self.tmp, path))
            p.start()
            self.addCleanup(p.stop)
        self.stdout = io.StringIO()
        redirect = contextlib.redirect_stdout(self.stdout)
        redirect.__enter__()
        self.addCleanup(redirect.__exit__, None, None, None)

    def script(self, name, body):
        """An executable shell script in self.tmp; return its path."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, 0o755)
        return path

    def fake_qemu(self, console, results=None):
        """A "QEMU" that prints the fixture @console and exits 0; with
        @results, it writes that fixture into the file of its results
        port (-chardev file,id=results,path=...), as the guest would."""
        body = ""
        if results:
            body = ('for a; do case "$a" in file,id=results,path=*) '
                    f"cat '{fixture(results)}' > \"${{a#*path=}}\";; "
                    "esac; done\n")
        return self.script("qemu", body + f"cat '{fixture(console)}'\n")

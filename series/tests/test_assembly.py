# SPDX-License-Identifier: GPL-2.0
"""A diff whose context no longer matches is named by file and hunk."""

import os
import shutil
import subprocess

from support import ToolTest, fixture

from uevtool.assembly import apply_diff, hunk_for_line
from uevtool.common import StageFailed


class HunkNaming(ToolTest):

    def setUp(self):
        super().setUp()
        # A repository whose index holds lib/demo.c as the diffs expect.
        self.repo = os.path.join(self.tmp, "repo")
        os.makedirs(os.path.join(self.repo, "lib"))
        shutil.copy(fixture("hunks_base.c"),
                    os.path.join(self.repo, "lib/demo.c"))
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("GIT_")}
        self.env["GIT_INDEX_FILE"] = os.path.join(self.tmp, "test.index")
        for cmd in (["git", "init", "-q"], ["git", "add", "lib/demo.c"]):
            subprocess.run(cmd, cwd=self.repo, env=self.env, check=True,
                           capture_output=True)

    def test_hunk_for_line(self):
        diff = fixture("hunks.diff")
        self.assertEqual(hunk_for_line(diff, "lib/demo.c", 35),
                         "hunk #2 (@@ -35,6 +35,7 @@ static int demo_5(int x))")
        self.assertEqual(hunk_for_line(diff, "lib/demo.c", 10),
                         "hunk #1 (@@ -10,7 +10,7 @@ static int demo_0(int x))")
        self.assertEqual(hunk_for_line(diff, "lib/other.c", 10),
                         "the hunk at line 10")

    def test_fresh_diff_applies(self):
        apply_diff(fixture("hunks.diff"), self.env, "patch 1: hunks.diff",
                   cwd=self.repo)

    def test_stale_diff_is_named(self):
        with self.assertRaises(StageFailed) as e:
            apply_diff(fixture("hunks_stale.diff"), self.env,
                       "patch 1 (demo): series/diffs/demo.diff",
                       cwd=self.repo)
        self.assertEqual(
            str(e.exception),
            "patch 1 (demo): series/diffs/demo.diff does not apply to "
            "lib/demo.c: hunk #2 (@@ -35,6 +35,7 @@ static int demo_5(int x))")

# SPDX-License-Identifier: GPL-2.0
"""series/patches is the one source of truth: assembly reproduces the
commits it was written from, writeback turns a developer's commits back
into it, and a view edited on its own is reported as drift."""

import os
import subprocess
from unittest import mock

from support import ToolTest

from uevtool import patchseries as ps
from uevtool.common import StageFailed

AUTHOR = {"GIT_AUTHOR_NAME": "A U Thor", "GIT_AUTHOR_EMAIL": "a@example.org",
          "GIT_COMMITTER_NAME": "A U Thor",
          "GIT_COMMITTER_EMAIL": "a@example.org",
          "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+0000",
          "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+0000"}


class PatchSeries(ToolTest):

    def setUp(self):
        super().setUp()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("GIT_")}
        self.env.update(AUTHOR)
        # A "repository" with series/patches and a kept file, and a
        # "tree" whose base tag is the upstream file.
        self.repo = os.path.join(self.tmp, "repo")
        self.tree = os.path.join(self.tmp, "tree")
        self.patches = os.path.join(self.repo, "series", "patches")
        os.makedirs(self.patches)
        os.makedirs(os.path.join(self.tree, "lib"))
        self.git(self.repo, "init", "-q")
        self.git(self.tree, "init", "-q")
        self.write(self.tree, "lib/a.c", "int a;\n")
        self.git(self.tree, "add", "-A")
        self.git(self.tree, "commit", "-q", "-m", "base")
        self.git(self.tree, "tag", "base")
        for name, value in (("REPO", self.repo), ("TREE", self.tree),
                            ("WORK", self.tmp), ("PATCHES", self.patches),
                            ("SERIES_FILE",
                             os.path.join(self.patches, "series")),
                            ("TIP_FILE", os.path.join(self.tmp, "tip"))):
            p = mock.patch.object(ps, name, value)
            p.start()
            self.addCleanup(p.stop)

    def git(self, cwd, *args):
        return subprocess.run(["git", *args], cwd=cwd, env=self.env,
                              check=True, capture_output=True,
                              text=True).stdout.strip()

    def write(self, top, path, text):
        os.makedirs(os.path.dirname(os.path.join(top, path)), exist_ok=True)
        with open(os.path.join(top, path), "w") as f:
            f.write(text)

    def commit(self, path, text, subject):
        self.write(self.tree, path, text)
        self.git(self.tree, "add", "-A")
        self.git(self.tree, "commit", "-q", "-m",
                 f"{subject}\n\nWhy.\n\nSigned-off-by: A U Thor "
                 "<a@example.org>")

    def two_patches(self):
        self.commit("lib/a.c", "int a = 1;\n", "lib: set a")
        self.commit("lib/b.c", "int b;\n", "lib: add b")
        # The repository keeps the file the series adds.
        self.write(self.repo, "lib/b.c", "int b;\n")
        self.git(self.repo, "add", "-A")
        with mock.patch.object(ps, "git", self.ps_git):
            return ps.writeback()

    def ps_git(self, *args, cwd=None, env=None, check=True):
        return subprocess.run(["git", *args], cwd=cwd or self.tree,
                              env=env or self.env, check=check,
                              capture_output=True, text=True).stdout.strip()

    def test_writeback_then_assemble_gives_the_same_commits(self):
        changed = self.two_patches()
        self.assertIn("added series/patches/lib-set-a.patch", changed)
        tip = self.git(self.tree, "rev-parse", "HEAD")
        with mock.patch.object(ps, "git", self.ps_git):
            self.assertEqual(ps.build_commits(ps.load(), self.env), tip)
            self.assertEqual(ps.view_drift(tip), [])
            self.assertEqual(ps.patch_drift(tip), [])

    def test_view_edited_alone_is_drift(self):
        self.two_patches()
        self.write(self.repo, "lib/b.c", "int b = 2;\n")
        tip = self.git(self.tree, "rev-parse", "HEAD")
        with mock.patch.object(ps, "git", self.ps_git):
            self.assertEqual(ps.view_drift(tip),
                             ["lib/b.c: differs from the series"])

    def test_patch_edited_by_hand_is_drift(self):
        self.two_patches()
        path = os.path.join(self.patches, "lib-add-b.patch")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("Why.", "Why not."))
        with mock.patch.object(ps, "git", self.ps_git):
            tip = ps.build_commits(ps.load(), self.env)
            self.assertEqual(ps.patch_drift(tip), [])  # it is the source
            old = self.git(self.tree, "rev-parse", "HEAD")
            self.assertNotEqual(tip, old)
            self.assertEqual(ps.patch_drift(old),
                             ["series/patches/lib-add-b.patch: not as "
                              "format-patch writes it"])

    def test_unsaved_commit_is_not_thrown_away(self):
        self.two_patches()
        self.commit("lib/a.c", "int a = 3;\n", "lib: set a to 3")
        with mock.patch.object(ps, "git", self.ps_git):
            with self.assertRaises(StageFailed) as e:
                ps.assemble_tree(ps.load(), self.env)
            self.assertIn("series/uev writeback", str(e.exception))
            changed = ps.writeback()
            self.assertIn("added series/patches/lib-set-a-to-3.patch",
                          changed)
            ps.assemble_tree(ps.load(), self.env)

    def test_stale_patch_names_file_and_hunk(self):
        self.two_patches()
        self.git(self.tree, "reset", "-q", "--hard", "base")
        self.write(self.tree, "lib/a.c", "int z;\n")
        self.git(self.tree, "commit", "-q", "-am", "upstream moved on")
        self.git(self.tree, "tag", "-f", "base")
        with mock.patch.object(ps, "git", self.ps_git):
            with self.assertRaises(StageFailed) as e:
                ps.build_commits(ps.load(), self.env)
        self.assertIn("lib-set-a.patch", str(e.exception))
        self.assertIn("does not apply to lib/a.c: hunk #1", str(e.exception))

    def test_writeback_refuses_to_lose_an_edit(self):
        self.two_patches()
        self.write(self.repo, "lib/b.c", "int b = 9;\n")   # edited here
        self.commit("lib/a.c", "int a = 4;\n", "lib: set a to 4")
        with mock.patch.object(ps, "git", self.ps_git):
            with self.assertRaises(StageFailed) as e:
                ps.writeback()
            self.assertIn("lib/b.c", str(e.exception))
            # Nothing was written: the patches are still the old two.
            self.assertEqual(len(ps.read_series()), 2)
            changed = ps.writeback(force=True)
        self.assertIn("updated lib/b.c", changed)

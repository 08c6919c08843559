# SPDX-License-Identifier: GPL-2.0
"""The patch series: its one source of truth and the views derived from it.

series/patches/series lists the patches in order, as a quilt series file
does (Debian keeps kernel changes as debian/patches/series); every name
in it is a file in series/patches/ written by "git format-patch".  Those
files are the series: subject, changelog, trailers and diff of every
commit.

Two views are derived from them and checked against them:
- the final state of every file we keep at its kernel path in this
  repository (lib/kobject_uevent.c, tools/uevent/uevmon.c, ...), and of
  every file the series adds, which must be kept there;
- the assembled tree, .work/linux: one commit per patch on top of the
  "base" tag.

A developer works in the assembled tree (edit, commit, "git rebase -i")
and "series/uev writeback" turns its commits back into series/patches/
and the kernel-path files.
"""

import os
import re
import shutil
import subprocess
import tempfile

from .common import REPO, SERIES, TREE, WORK, StageFailed, git, out

PATCHES = os.path.join(SERIES, "patches")
SERIES_FILE = os.path.join(PATCHES, "series")
COVER_FILE = os.path.join(PATCHES, "cover-letter")
TIP_FILE = os.path.join(WORK, "assembled-tip")

# Top-level directories whose files in this repository are kernel paths.
KERNEL_DIRS = ("lib", "include", "kernel", "fs", "drivers", "Documentation",
               "tools", "net", "arch", "scripts", "init", "mm")

SERIES_HEADER = """\
# The uevent series, in order: one "git format-patch" file per commit,
# applied with "git am" (or quilt) on top of Debian's linux-source-6.12.
# Written by "series/uev writeback"; see README.md.
"""


def git_pure_env(env=None):
    """@env (default os.environ) without the user's and the system's git
    configuration, which would change what format-patch writes."""
    env = dict(os.environ if env is None else env)
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    return env


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_series():
    """The patch files named by series/patches/series, in order."""
    try:
        with open(SERIES_FILE) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        raise StageFailed(f"no series file: {SERIES_FILE}") from None
    names = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        path = os.path.join(PATCHES, line)
        if not os.path.isfile(path):
            raise StageFailed(f"series names {line}, which does not exist")
        names.append(path)
    return names


def read_cover():
    """(subject, blurb) of the cover letter."""
    with open(COVER_FILE) as f:
        subject, _, blurb = f.read().partition("\n")
    return subject.strip(), blurb.strip("\n")


class Patch:
    """One patch file split by "git mailinfo"."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        with tempfile.TemporaryDirectory() as tmp:
            msg, diff = os.path.join(tmp, "msg"), os.path.join(tmp, "diff")
            with open(path, "rb") as f:
                p = subprocess.run(["git", "mailinfo", "-b", "--no-scissors",
                                    msg, diff], stdin=f,
                                   capture_output=True, env=git_pure_env())
            if p.returncode:
                raise StageFailed(f"{self.name}: not a patch: "
                                  f"{p.stderr.decode(errors='replace')}")
            info = dict(line.split(": ", 1) for line in
                        p.stdout.decode().splitlines() if ": " in line)
            with open(msg) as f:
                body = f.read().strip("\n")
            with open(diff) as f:
                self.diff = f.read()
        self.subject = info.get("Subject", "").strip()
        self.author = info.get("Author", "").strip()
        self.email = info.get("Email", "").strip()
        self.date = info.get("Date", "").strip()
        if not self.subject or not self.author or not self.date:
            raise StageFailed(f"{self.name}: no subject, author or date")
        self.message = f"{self.subject}\n\n{body}\n"

    def files(self):
        """Paths the patch touches (new names)."""
        return re.findall(r"^\+\+\+ b/(\S+)", self.diff, re.M)

    def commit_env(self, env):
        env = dict(env)
        env.update(GIT_AUTHOR_NAME=self.author, GIT_AUTHOR_EMAIL=self.email,
                   GIT_AUTHOR_DATE=self.date, GIT_COMMITTER_NAME=self.author,
                   GIT_COMMITTER_EMAIL=self.email,
                   GIT_COMMITTER_DATE=self.date)
        return env


def load():
    """Every patch of the series, parsed, in order."""
    return [Patch(p) for p in read_series()]


def hunk_for_line(diff_text, path, line):
    """Name the hunk of @diff_text that touches @path at @line."""
    cur, n = None, 0
    for text in diff_text.splitlines():
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


def apply_diff(dpath, env, what, cwd=None):
    """git apply --cached the diff in file @dpath to the index of @env;
    name the file and hunk that fail."""
    cwd = cwd or TREE
    r = subprocess.run(["git", "apply", "--cached", dpath], cwd=cwd,
                       env=env, text=True, capture_output=True)
    if not r.returncode:
        return
    where = re.search(r"patch failed: (.*):(\d+)", r.stderr)
    if where:
        f, ln = where.group(1), int(where.group(2))
        with open(dpath) as fh:
            text = fh.read()
        raise StageFailed(f"{what} does not apply to {f}: "
                          f"{hunk_for_line(text, f, ln)}")
    raise StageFailed(f"{what} does not apply:\n{r.stderr}")


def apply_to_index(patch, env, what, cwd=None):
    """apply_diff() for the diff of @patch."""
    cwd = cwd or TREE
    with tempfile.NamedTemporaryFile("w", suffix=".diff") as f:
        f.write(patch.diff)
        f.flush()
        apply_diff(f.name, env, what, cwd)


def build_commits(patches, env, cwd=None):
    """Commit every patch onto base in a private index; return the tip."""
    cwd = cwd or TREE
    env = dict(env, GIT_INDEX_FILE=os.path.join(WORK, "assemble.index"))
    git("read-tree", "base", cwd=cwd, env=env)
    parent = git("rev-parse", "base^{commit}", cwd=cwd)
    for i, p in enumerate(patches, 1):
        apply_to_index(p, env, f"patch {i} ({p.name})", cwd=cwd)
        tree = git("write-tree", cwd=cwd, env=env)
        parent = out(["git", "commit-tree", tree, "-p", parent, "-m",
                      p.message], cwd=cwd, env=p.commit_env(env)).strip()
    return parent


def recorded_tip():
    try:
        with open(TIP_FILE) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def record_tip(tip):
    with open(TIP_FILE, "w") as f:
        f.write(tip + "\n")


def unsaved_work():
    """Why moving .work/linux would lose a developer's work, or None."""
    dirty = git("status", "--porcelain", "--untracked-files=no", cwd=TREE)
    if dirty:
        return "it has uncommitted changes:\n" + dirty
    head = git("rev-parse", "HEAD", cwd=TREE)
    tip = recorded_tip()
    if tip and head != tip:
        return (f"its HEAD ({head[:12]}) is not the series as last "
                f"assembled or written back ({tip[:12]}): commit your work "
                "and run \"series/uev writeback\", or reset it")
    return None


def assemble_tree(patches, env, force=False):
    """Move .work/linux to the series; only changed files are rewritten."""
    tip = build_commits(patches, env)
    head = git("rev-parse", "HEAD", cwd=TREE)
    if head != tip:
        why = None if force else unsaved_work()
        if why:
            raise StageFailed(".work/linux was not re-assembled: " + why)
        git("reset", "-q", "--hard", tip, cwd=TREE)
    record_tip(tip)
    return tip


# ------------------------------------------------------------ final files

def kept_files():
    """Files this repository keeps at kernel paths."""
    return sorted(git("ls-files", "--", *KERNEL_DIRS, cwd=REPO).splitlines())


def added_files(tip, cwd=None):
    """Files the series adds to the base tree."""
    cwd = cwd or TREE
    return sorted(git("diff", "--name-only", "--diff-filter=A", "base", tip,
                      cwd=cwd).splitlines())


def blob(tip, path, cwd=None):
    """Content and mode of @path at @tip, or (None, None)."""
    cwd = cwd or TREE
    line = git("ls-tree", tip, "--", path, cwd=cwd)
    if not line:
        return None, None
    mode, _, sha = line.split("\t")[0].split()
    data = subprocess.run(["git", "cat-file", "blob", sha], cwd=cwd,
                          capture_output=True, check=True).stdout
    return data, mode


def view_drift(tip, cwd=None):
    """How the kernel-path files here differ from the series at @tip."""
    cwd = cwd or TREE
    problems = []
    kept = kept_files()
    for path in kept:
        data, _ = blob(tip, path, cwd)
        if data is None:
            problems.append(f"{path}: kept here, but the series has no such "
                            "file")
            continue
        with open(os.path.join(REPO, path), "rb") as f:
            if f.read() != data:
                problems.append(f"{path}: differs from the series")
    for path in added_files(tip, cwd):
        if path not in kept:
            problems.append(f"{path}: added by the series, not kept here")
    return problems


def write_files(tip):
    """Make the kernel-path files here the final state at @tip."""
    changed = []
    for path in sorted(set(kept_files()) | set(added_files(tip))):
        dest = os.path.join(REPO, path)
        data, mode = blob(tip, path)
        if data is None:
            if os.path.exists(dest):
                os.remove(dest)
                changed.append("removed " + path)
            continue
        old = read_bytes(dest) if os.path.exists(dest) else None
        if old != data:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
            changed.append(("updated " if old is not None else "added ")
                           + path)
        os.chmod(dest, 0o755 if mode == "100755" else 0o644)
    return changed


# ---------------------------------------------------------------- patches

def format_patches(tip, dest, cwd=None):
    """git format-patch base..@tip into @dest as series files; return
    their names in order."""
    cwd = cwd or TREE
    tmp = tempfile.mkdtemp(prefix="uev-patches-")
    try:
        # Pinned abbreviation: a packed repository would otherwise make
        # the index lines longer.
        out(["git", "-c", "core.abbrev=12", "format-patch", "-q",
             "--zero-commit", "--no-signature", "--filename-max-length=120",
             "--no-numbered", "-o", tmp, f"base..{tip}"], cwd=cwd,
            env=git_pure_env())
        names = []
        for f in sorted(os.listdir(tmp)):
            name = re.sub(r"^\d{4}-", "", f)
            stem, n = name[:-len(".patch")], 2
            while name in names:
                name, n = f"{stem}-{n}.patch", n + 1
            shutil.copy(os.path.join(tmp, f), os.path.join(dest, name))
            names.append(name)
        return names
    finally:
        shutil.rmtree(tmp)


def patch_drift(tip, cwd=None):
    """Patch files that are not what "git format-patch" writes for @tip."""
    cwd = cwd or TREE
    tmp = tempfile.mkdtemp(prefix="uev-drift-")
    try:
        names = format_patches(tip, tmp, cwd)
        problems = []
        listed = [os.path.basename(p) for p in read_series()]
        if listed != names:
            problems.append("series lists " + " ".join(listed) +
                            "; format-patch names " + " ".join(names))
        for name in names:
            mine = os.path.join(PATCHES, name)
            theirs = os.path.join(tmp, name)
            if not os.path.exists(mine) or \
               read_bytes(mine) != read_bytes(theirs):
                problems.append(f"series/patches/{name}: not as "
                                "format-patch writes it")
        return problems
    finally:
        shutil.rmtree(tmp)


def busy_git_operation():
    """The git operation under way in .work/linux, or None."""
    gitdir = git("rev-parse", "--absolute-git-dir", cwd=TREE)
    for name, what in (("rebase-merge", "a rebase"),
                       ("rebase-apply", "a rebase or git am"),
                       ("BISECT_LOG", "a bisect"), ("MERGE_HEAD", "a merge"),
                       ("CHERRY_PICK_HEAD", "a cherry-pick")):
        if os.path.exists(os.path.join(gitdir, name)):
            return what
    return None


def edited_here(last, tip, old, staging):
    """Patch files and kept files that differ both from the series as
    last assembled (@last) and from what writeback would write for @tip:
    edits made in this repository that writeback would lose.  @old maps
    the current patch file names to their bytes; @staging holds the new
    ones."""
    edited = []
    was = tempfile.mkdtemp(prefix="uev-last-")
    try:
        before = {n: read_bytes(os.path.join(was, n))
                  for n in format_patches(last, was)}
    finally:
        shutil.rmtree(was)
    for name, data in old.items():
        new = os.path.join(staging, name)
        if data != before.get(name) and \
           (not os.path.exists(new) or data != read_bytes(new)):
            edited.append("series/patches/" + name)
    for path in kept_files():
        data = read_bytes(os.path.join(REPO, path))
        if data != blob(last, path)[0] and data != blob(tip, path)[0]:
            edited.append(path)
    return edited


def writeback(force=False):
    """Turn the commits of .work/linux into series/patches/ and the
    kernel-path files; return a list of what changed.  Unless @force,
    refuse when that would overwrite a patch or a kept file edited here
    since the last assembly, or in the middle of a git operation."""
    dirty = git("status", "--porcelain", "--untracked-files=no", cwd=TREE)
    if dirty:
        raise StageFailed("commit or stash the changes in .work/linux "
                          "first:\n" + dirty)
    busy = busy_git_operation()
    if busy:
        raise StageFailed(f".work/linux is in the middle of {busy}: finish "
                          "it first")
    last = recorded_tip()
    if git("rev-list", "--merges", "base..HEAD", cwd=TREE):
        raise StageFailed("the series must be linear: .work/linux has "
                          "merge commits after base")
    tip = git("rev-parse", "HEAD", cwd=TREE)
    old = {os.path.basename(p): read_bytes(p) for p in
           (os.path.join(PATCHES, f) for f in os.listdir(PATCHES))
           if p.endswith(".patch")} if os.path.isdir(PATCHES) else {}
    os.makedirs(PATCHES, exist_ok=True)
    # Format first, then swap: a failure leaves the old patches in place.
    staging = tempfile.mkdtemp(prefix="uev-writeback-")
    try:
        names = format_patches(tip, staging)
        if not force and last:
            edited = edited_here(last, tip, old, staging)
            if edited:
                raise StageFailed(
                    "these were edited here since the series was last "
                    "assembled, and writeback would overwrite them "
                    "(series/uev writeback --force does):\n  " +
                    "\n  ".join(edited))
        for name in old:
            os.remove(os.path.join(PATCHES, name))
        for name in names:
            shutil.move(os.path.join(staging, name),
                        os.path.join(PATCHES, name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    with open(SERIES_FILE, "w") as f:
        f.write(SERIES_HEADER + "".join(n + "\n" for n in names))
    changed = []
    for name in names:
        data = read_bytes(os.path.join(PATCHES, name))
        if name not in old:
            changed.append("added series/patches/" + name)
        elif old[name] != data:
            changed.append("updated series/patches/" + name)
    changed += ["removed series/patches/" + n for n in old if n not in names]
    changed += write_files(tip)
    record_tip(tip)
    return changed

# SPDX-License-Identifier: GPL-2.0
"""The base tree, assembly of the patch series into .work/linux, writing
a developer's commits back, export, and naming the hunk of a diff that
no longer applies.  The series itself is read by patchseries.py."""

import glob
import os
import re
import shutil

from . import patchseries
from .common import (OUT, TREE, WORK, StageFailed, git, header, log_path,
                     out, run)
from .packages import SRCPKG

TARBALL = "/usr/src/linux-source-6.12.tar.xz"
FIXED_DATE = "2026-01-01T00:00:00+0000"
EXPORT = os.path.join(OUT, "series")


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


def import_base():
    """Unpack Debian's linux-source-6.12 once into a git repository.

    The package must be installed (packages.ensure_packages() or
    require_packages() has run)."""
    pkgver = package_version()
    stamp = os.path.join(WORK, "base.stamp")
    if os.path.isdir(os.path.join(TREE, ".git")) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read().strip() == pkgver:
                return
    if os.path.isdir(os.path.join(TREE, ".git")):
        why = patchseries.unsaved_work()
        if why:
            raise StageFailed(f"{SRCPKG} is now {pkgver}; re-importing the "
                              "base would delete .work/linux, but " + why)
    header(f"import base: {SRCPKG} {pkgver}")
    log = log_path("import")
    shutil.rmtree(TREE, ignore_errors=True)
    for stale in (patchseries.TIP_FILE, os.path.join(WORK, "am"),
                  os.path.join(WORK, "stock")):
        if os.path.isdir(stale):
            shutil.rmtree(stale, ignore_errors=True)
        elif os.path.exists(stale):
            os.remove(stale)
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


def owned_files():
    """Every file the repository holds at a kernel path."""
    return patchseries.kept_files()


# ------------------------------------------------------------ hunk naming

def hunk_for_line(diff, path, line):
    """Name the hunk of the diff in file @diff that touches @path at
    @line (1-based)."""
    with open(diff) as f:
        return patchseries.hunk_for_line(f.read(), path, line)


def apply_diff(dpath, env, what, cwd=None):
    """git apply @dpath to the index in @env; name the hunk that fails."""
    patchseries.apply_diff(dpath, env, what, cwd or TREE)


# ---------------------------------------------------------------- assembly

def assemble(ctx, quiet=False, again=False, force=False):
    """Turn series/patches into one commit per patch on top of base.

    The commits are built in a private index, so the checked-out tree
    is only touched where the new series tip differs from the old one:
    unchanged files keep their timestamps and kbuild stays incremental.
    A tree whose commits or changes were not written back is left alone
    unless @force.  Later calls with the same @ctx return the first
    result unless @again.  Return the list of patchseries.Patch.
    """
    if ctx.patches is not None and not again:
        return ctx.patches
    import_base()
    patches = patchseries.load()
    if not quiet:
        header(f"assemble: Linux {kernel_version(TREE)} "
               f"({SRCPKG} {package_version()}) + {len(patches)} patches")
    patchseries.assemble_tree(patches, git_env(), force=force)
    if not quiet:
        print(out(["git", "log", "--oneline", "base..HEAD"], cwd=TREE),
              end="")
        for p in patchseries.view_drift(git("rev-parse", "HEAD")):
            print(f"  note: {p} (the series is the source: edit in "
                  ".work/linux, then series/uev writeback)")
    ctx.patches = patches
    return patches


def writeback(ctx, force=False):
    """Write the commits of .work/linux back into series/patches/ and the
    files kept at kernel paths."""
    import_base()
    header("writeback: .work/linux base..HEAD -> series/patches, "
           "kernel-path files")
    print(out(["git", "log", "--oneline", "base..HEAD"], cwd=TREE), end="")
    changed = patchseries.writeback(force=force)
    for c in changed:
        print("  " + c)
    if not changed:
        print("  nothing changed")
    else:
        print("review with \"git status\" and \"git diff\", then commit")


# ------------------------------------------------------------------ export

def export_series(ctx, quiet=False):
    """format-patch the assembled series with a cover letter into
    EXPORT; return the patches."""
    patches = assemble(ctx, quiet=quiet)
    dest = EXPORT
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    n = len(patches)
    env = dict(git_env(), GIT_AUTHOR_NAME=patches[0].author,
               GIT_AUTHOR_EMAIL=patches[0].email,
               GIT_COMMITTER_NAME=patches[0].author,
               GIT_COMMITTER_EMAIL=patches[0].email)
    out(["git", "format-patch", "-q", "--cover-letter", "--base=base",
         "-o", dest, f"HEAD~{n}..HEAD"], cwd=TREE, env=env)
    subject, blurb = patchseries.read_cover()
    cover = sorted(glob.glob(os.path.join(dest, "0000-*.patch")))[0]
    text = open(cover).read()
    text = text.replace("*** SUBJECT HERE ***", subject)
    text = text.replace("*** BLURB HERE ***", blurb.strip()
                        + f"\n\nBase: Linux {kernel_version(TREE)} "
                        f"(Debian {SRCPKG} {package_version()}).")
    open(cover, "w").write(text)
    return patches


def exported_patches(dest=EXPORT):
    """The exported patch files, without the cover letter."""
    return sorted(glob.glob(os.path.join(dest, "0*.patch")))[1:]

# SPDX-License-Identifier: GPL-2.0
"""The base tree, the manifest, assembly, export and naming the hunk of
a diff that no longer applies."""

import glob
import os
import re
import shutil
import subprocess
import tomllib

from .common import (OUT, REPO, SERIES, TREE, WORK, StageFailed, git,
                     header, log_path, out, run)
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


def author_env(man):
    """git_env() committing as the manifest's author."""
    env = git_env()
    m = re.match(r"(.*) <(.*)>", man["author"])
    env.update(GIT_AUTHOR_NAME=m.group(1), GIT_AUTHOR_EMAIL=m.group(2),
               GIT_COMMITTER_NAME=m.group(1), GIT_COMMITTER_EMAIL=m.group(2))
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


# ------------------------------------------------------------ hunk naming

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


def apply_diff(dpath, env, what, cwd=None):
    """git apply dpath to the index in env; name the hunk that fails."""
    r = subprocess.run(["git", "apply", "--cached", dpath], cwd=cwd or TREE,
                       env=env, text=True, capture_output=True)
    if not r.returncode:
        return
    where = re.search(r"patch failed: (.*):(\d+)", r.stderr)
    if where:
        f, ln = where.group(1), int(where.group(2))
        raise StageFailed(f"{what} does not apply to {f}: "
                          f"{hunk_for_line(dpath, f, ln)}")
    raise StageFailed(f"{what} does not apply:\n{r.stderr}")


# ---------------------------------------------------------------- assembly

def assemble(ctx, quiet=False, again=False):
    """Turn the manifest into one commit per patch on top of base.

    The commits are built in a private index, so the checked-out tree
    is only touched where the new series tip differs from the old one:
    unchanged files keep their timestamps and kbuild stays incremental.
    Later calls with the same @ctx return the first result unless @again.
    """
    if ctx.man is not None and not again:
        return ctx.man
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
    ctx.man = man
    return man


# ------------------------------------------------------------------ export

def export_series(ctx, quiet=False):
    """format-patch the assembled series with a cover letter into
    EXPORT; return the manifest."""
    man = assemble(ctx, quiet=quiet)
    dest = EXPORT
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
    return man


def exported_patches(dest=EXPORT):
    """The exported patch files, without the cover letter."""
    return sorted(glob.glob(os.path.join(dest, "0*.patch")))[1:]

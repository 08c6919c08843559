# SPDX-License-Identifier: GPL-2.0
"""uevtool - assemble, build, boot, test and export the uevent patch series.

Run "series/uev help" for the subcommands.  Everything this tool creates
lives in .work/ (base tree, assembled tree, build directories, logs) and
out/ (exported series, benchmark results) at the top of the repository.

One module per concern:

  common    paths, the per-command Context (results, build environment),
            logging, run/out/git helpers, StageFailed
  packages  Debian packages: install (demo, test, bench) or require
  assembly  base import, assemble, writeback, export, hunk naming
  patchseries  series/patches: the series file, patches, drift checks
  builds    configure, make, the guest kernel, the stock kernel
  kunit     KUnit runs, counted from kunit.py's JSON output
  guest     initramfs, QEMU boot, guest result parsing, the stable stage
  checks    tooling self-test, series checks, checkpatch, kernel-doc,
            sparse/W=1, small configs, bloat
  bench     benchmark against the stock core, CSV and matplotlib plot
  stages    the stage table "series/uev test" runs in order
  cli       argument parsing and the COMMANDS table
"""

# SPDX-License-Identifier: GPL-2.0
"""The stages of "series/uev test", in order.

Each entry of STAGES is (name, function); "series/uev test" calls every
function with the command's Context, in order, and stops at the first
StageFailed.  Stages hand on what they build through the Context
(ctx.patches, ctx.image) and the fixed paths (assembly.EXPORT).
"""

from .assembly import export_series
from .checks import (check_checkpatch, check_configs, check_kerneldoc,
                     check_objects, check_series, check_tooling)
from .guest import check_stable, guest_image, guest_nosb, guest_tests
from .kunit import kunit_all
from .profile import check_profile_patches


def series(ctx):
    check_series(ctx, export_series(ctx))
    check_profile_patches(ctx)


def guest_kernel(ctx):
    guest_image(ctx)


def sparse_w1(ctx):
    check_objects(ctx, ctx.patches)


def stable(ctx):
    check_stable(ctx, ctx.patches)


STAGES = [
    ("tooling self-test", check_tooling),
    ("series", series),
    ("checkpatch", check_checkpatch),
    ("kernel-doc", check_kerneldoc),
    ("guest kernel", guest_kernel),
    ("sparse and W=1", sparse_w1),
    ("KUnit", kunit_all),
    ("guest selftests", guest_tests),
    ("superblock events and the replay ring off", guest_nosb),
    ("stable fixes", stable),
    ("small configs", check_configs),
]


def run_stages(ctx, stages=STAGES):
    for _name, fn in stages:
        fn(ctx)

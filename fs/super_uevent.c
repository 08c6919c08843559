// SPDX-License-Identifier: GPL-2.0
/*
 * Superblock uevents (CONFIG_SB_UEVENT): a change event on a block
 * device when a file system on it becomes active, SB_EVENT=activate,
 * and when that file system is shut down, SB_EVENT=deactivate.
 *
 * The events follow the superblock, not mounts.  The 2004 mount and
 * umount events went away because a mount is not an object in sysfs
 * and mounts belong to mount namespaces, while every uevent listener
 * of the initial network namespace reads every untagged event.  So a
 * second mount or a bind mount of an active file system sends nothing,
 * and no event names a mount point or a mount ID: only what the block
 * device already shows (its name, DISKSEQ) and what blkid would read
 * from it (file system type, UUID), plus whether it is read-only.
 *
 * Only superblocks set up by get_tree_bdev() or mount_bdev() and shut
 * down by kill_block_super() send events; a file system that opens its
 * devices itself sends none.
 */

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "internal.h"

/* "UUID=" and a 16-byte UUID in its usual form. */
#define SB_UEVENT_UUID_LEN	(sizeof("UUID=") + UUID_STRING_LEN)

static int sb_uevent(struct super_block *sb, char *event)
{
	char uuid[SB_UEVENT_UUID_LEN];
	char *envp[5];
	char *fstype;
	int n = 0;
	int ret;

	fstype = kasprintf(GFP_KERNEL, "FSTYPE=%s", sb->s_type->name);
	if (!fstype)
		return -ENOMEM;
	envp[n++] = event;
	envp[n++] = fstype;
	/* A shorter file system ID (FAT's serial number) is not a UUID. */
	if (sb->s_uuid_len == sizeof(sb->s_uuid) &&
	    !uuid_is_null(&sb->s_uuid)) {
		snprintf(uuid, sizeof(uuid), "UUID=%pU", &sb->s_uuid);
		envp[n++] = uuid;
	}
	envp[n++] = sb_rdonly(sb) ? "RO=1" : "RO=0";
	envp[n] = NULL;

	ret = kobject_uevent_env(&sb->s_bdev->bd_device.kobj, KOBJ_CHANGE,
				 envp);
	kfree(fstype);
	return ret;
}

/**
 * sb_uevent_activate - announce a block device superblock set up
 * @sb: the superblock, just made active by its first mount
 *
 * Context: Process context, @sb->s_umount held for writing.
 */
void sb_uevent_activate(struct super_block *sb)
{
	lockdep_assert_held_write(&sb->s_umount);
	if (!sb_uevent(sb, "SB_EVENT=activate"))
		sb->s_iflags |= SB_I_UEVENT;
}

/**
 * sb_uevent_deactivate - announce a block device superblock shut down
 * @sb: the superblock, about to be shut down by kill_block_super()
 *
 * Sends the event only if the activation was announced, so listeners
 * see the two in pairs.
 *
 * Context: Process context, @sb->s_umount held for writing.
 */
void sb_uevent_deactivate(struct super_block *sb)
{
	lockdep_assert_held_write(&sb->s_umount);
	if (sb->s_iflags & SB_I_UEVENT) {
		sb->s_iflags &= ~SB_I_UEVENT;
		sb_uevent(sb, "SB_EVENT=deactivate");
	}
}

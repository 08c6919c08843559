// SPDX-License-Identifier: GPL-2.0
/*
 * Superblock uevents (CONFIG_SB_UEVENT): a change event on a block
 * device when a file system on it becomes active, SB_EVENT=activate,
 * and when that file system has been shut down, SB_EVENT=deactivate.
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
 * Superblocks set up by get_tree_bdev() or mount_bdev() send
 * "activate"; every superblock that sent it sends "deactivate" once its
 * ->kill_sb() has released the device.  A file system that opens its
 * devices itself sends neither.
 */

#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "internal.h"

/* "UUID=" and a 16-byte UUID in its usual form. */
#define SB_UEVENT_UUID_LEN	(sizeof("UUID=") + UUID_STRING_LEN)

static int sb_uevent(struct super_block *sb, struct device *dev, char *event)
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

	ret = kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
	kfree(fstype);
	return ret;
}

/**
 * sb_uevent_activate - announce a block device superblock set up
 * @sb: the superblock, just made active by its first mount
 *
 * Called when get_tree_bdev() or mount_bdev() has filled a new
 * superblock, before the mount is attached to a mount tree.
 *
 * Context: Process context, @sb->s_umount held for writing.
 */
void sb_uevent_activate(struct super_block *sb)
{
	lockdep_assert_held_write(&sb->s_umount);
	/*
	 * 0 also when the event was filtered out (uevents suppressed on
	 * the device); its "deactivate" will be filtered out the same way.
	 */
	if (!sb_uevent(sb, &sb->s_bdev->bd_device, "SB_EVENT=activate"))
		sb->s_iflags |= SB_I_UEVENT;
}

/**
 * sb_uevent_deactivate_prepare - get ready to announce a shutdown
 * @sb: a superblock losing its last active reference
 *
 * Context: Process context, @sb->s_umount held for writing, before
 * ->kill_sb().
 * Return: the block device's &struct device, with a reference, if the
 * activation of @sb was announced; NULL otherwise.  Pass it to
 * sb_uevent_deactivate().
 */
struct device *sb_uevent_deactivate_prepare(struct super_block *sb)
{
	lockdep_assert_held_write(&sb->s_umount);
	if (!(sb->s_iflags & SB_I_UEVENT))
		return NULL;
	sb->s_iflags &= ~SB_I_UEVENT;
	return get_device(&sb->s_bdev->bd_device);
}

/**
 * sb_uevent_deactivate - announce that a superblock has been shut down
 * @sb: the superblock, after ->kill_sb() (unlocked, not yet freed)
 * @dev: what sb_uevent_deactivate_prepare() returned for @sb
 *
 * The file system has released the device by now, so a listener may
 * claim, detach or eject it at once.  A device deleted meanwhile sends
 * nothing: its own remove event tells.  Drops the reference on @dev.
 *
 * Context: Process context.
 */
void sb_uevent_deactivate(struct super_block *sb, struct device *dev)
{
	if (!dev)
		return;
	sb_uevent(sb, dev, "SB_EVENT=deactivate");
	put_device(dev);
}

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Subscriptions of NETLINK_KOBJECT_UEVENT sockets.
 *
 * A listener sets the events it wants with
 *
 *	setsockopt(fd, SOL_NETLINK, NETLINK_UEVENT_SUBSCRIBE,
 *		   subs, n * sizeof(struct uevent_sub));
 *
 * and reads them back with getsockopt().  An event reaches the socket
 * when it matches any entry; an empty set, the default, takes every
 * event.  See Documentation/core-api/kobject-uevent.rst.
 */
#ifndef _UAPI_LINUX_UEVENT_H
#define _UAPI_LINUX_UEVENT_H

#include <linux/types.h>

/* Entries one socket may set. */
#define UEVENT_SUB_MAX		32
/* Room for a subsystem or device type name, its NUL included. */
#define UEVENT_SUB_NAME_LEN	64

/* Bits of uevent_sub.actions: the event's ACTION. */
#define UEVENT_SUB_ADD		0x01U
#define UEVENT_SUB_REMOVE	0x02U
#define UEVENT_SUB_CHANGE	0x04U
#define UEVENT_SUB_MOVE		0x08U
#define UEVENT_SUB_ONLINE	0x10U
#define UEVENT_SUB_OFFLINE	0x20U
#define UEVENT_SUB_BIND		0x40U
#define UEVENT_SUB_UNBIND	0x80U
#define UEVENT_SUB_ACTIONS	0xffU

/**
 * struct uevent_sub - One entry of a socket's subscription set.
 * @subsystem: The event's SUBSYSTEM, exactly, NUL-terminated; "" for any.
 * @devtype: The event's DEVTYPE, exactly, NUL-terminated; "" for any,
 *	and the only value an event without DEVTYPE matches.
 * @actions: UEVENT_SUB_* bits of the actions wanted; 0 for any, including
 *	an action none of the bits names.
 * @flags: Must be 0: no flag is defined yet, and a kernel refuses the
 *	entry (EINVAL) for one it does not know.
 *
 * An event matches the entry when it matches every field.  The bytes
 * after each string's NUL must be 0.
 */
struct uevent_sub {
	char	subsystem[UEVENT_SUB_NAME_LEN];
	char	devtype[UEVENT_SUB_NAME_LEN];
	__u32	actions;
	__u32	flags;
};

#endif /* _UAPI_LINUX_UEVENT_H */

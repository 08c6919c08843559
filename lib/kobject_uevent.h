/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lib/kobject_uevent.c shows its KUnit suite and nothing else:
 * hand a namespace's queued uevents to netlink now, and hold or release
 * its delivery the way a task busy delivering to it would.
 */
#ifndef _LIB_KOBJECT_UEVENT_H
#define _LIB_KOBJECT_UEVENT_H

struct net;

#if IS_ENABLED(CONFIG_KUNIT) && IS_ENABLED(CONFIG_NET)
void uevent_net_flush(struct net *net);
void uevent_net_hold(struct net *net);
void uevent_net_release(struct net *net);
#endif

#endif /* _LIB_KOBJECT_UEVENT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the uevent core: what lib/kobject_uevent.c and
 * lib/kobject_uevent_env.c share, and what lib/kobject_uevent.c shows
 * its KUnit suite (hand a namespace's queued uevents to netlink now,
 * and hold or release its delivery the way a task busy delivering to
 * it would).
 */
#ifndef _LIB_KOBJECT_UEVENT_H
#define _LIB_KOBJECT_UEVENT_H

#include <linux/kobject.h>
#include <linux/types.h>

struct net;

#define UEVENT_SYNTH_UUID	"SYNTH_UUID="
#define UEVENT_SYNTH_ARG	"SYNTH_ARG_"

/* Indexed by enum kobject_action; the strings are ABI. */
extern const char *const uevent_action_names[KOBJ_UNBIND + 1];

/*
 * The validated argument text of a synthetic uevent: a UUID, then zero
 * or more " KEY=VALUE" words.  @text is NULL when the write named only
 * an action.
 */
struct uevent_synth {
	const char *text;
	size_t len;
};

int uevent_synth_parse(struct kobject *kobj, const char *buf, size_t count,
		       enum kobject_action *action, struct uevent_synth *synth);
void uevent_synth_report(struct kobject *kobj, const char *why);

#if IS_ENABLED(CONFIG_KUNIT) && IS_ENABLED(CONFIG_NET)
void uevent_net_flush(struct net *net);
void uevent_net_hold(struct net *net);
void uevent_net_release(struct net *net);
#endif

#endif /* _LIB_KOBJECT_UEVENT_H */

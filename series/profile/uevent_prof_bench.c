// SPDX-License-Identifier: GPL-2.0
/*
 * uevent_prof_bench - where the time of one uevent goes, by phase.
 *
 * Builds only against a tree patched with series/profile/stock.patch or
 * ours.patch (see uevent_prof.h).  On load it sends events back to back
 * from this task on /sys/kernel/uevent_prof_bench/dev0, as
 * tools/uevent/bench does for its "cpus=1" figures, and prints per event:
 *
 *   uevent_bench: label=L profile env=small|typical events=E plain=P
 *   total=T brackets=B bracket=C other=.. env=.. format=.. devpath=..
 *   hooks=.. skb=.. ring=.. broadcast=..
 *
 * plain is the time per event with profiling off, total with it on;
 * the phases add up to total.  brackets is the number of phase
 * brackets per event and bracket the cost of one, measured here: their
 * product is what profiling adds.  Times are ns (tenths in decimals).
 */

#include <linux/kobject.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uevent_prof.h>
#include <asm/tsc.h>

/* Copied beside this file from tools/uevent/bench by the profile. */
#include "uevent_bench_env.h"

static unsigned int events = 2000;
module_param(events, uint, 0444);
MODULE_PARM_DESC(events, "events per measurement");

static char *label = "none";
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "name of the listener setup, echoed in the output");

static const char *const phase_names[UEVENT_PROF_NR] = {
	[UEVENT_PROF_OTHER]	= "other",
	[UEVENT_PROF_ENV]	= "env",
	[UEVENT_PROF_FORMAT]	= "format",
	[UEVENT_PROF_DEVPATH]	= "devpath",
	[UEVENT_PROF_HOOKS]	= "hooks",
	[UEVENT_PROF_SKB]	= "skb",
	[UEVENT_PROF_RING]	= "ring",
	[UEVENT_PROF_BROADCAST]	= "broadcast",
};

static void prof_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type prof_ktype = {
	.release = prof_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

static struct kobject *dev;

static int send_events(char **envp)
{
	unsigned int i;
	int err;

	for (i = 0; i < events; i++) {
		err = kobject_uevent_env(dev, KOBJ_CHANGE, envp);
		if (err)
			return err;
	}
	return 0;
}

static void prof_start(void)
{
	memset(&uevent_prof, 0, sizeof(uevent_prof));
	uevent_prof.stack[0] = UEVENT_PROF_OTHER;
	uevent_prof.last = rdtsc();
	WRITE_ONCE(uevent_prof.task, current);
}

static void prof_stop(void)
{
	uevent_prof_charge(&uevent_prof);
	WRITE_ONCE(uevent_prof.task, NULL);
}

/* TSC cycles per event in tenths of ns. */
static u64 per_event(u64 cycles, unsigned int n)
{
	return div_u64(mul_u64_u32_div(cycles, 10000000, tsc_khz), n);
}

static int profile(const char *name, char **envp)
{
	char line[512];
	u64 t0, plain, total = 0, bracket;
	unsigned int i, len;
	int err;

	t0 = rdtsc();
	err = send_events(envp);
	plain = rdtsc() - t0;
	if (err)
		return err;

	prof_start();
	err = send_events(envp);
	prof_stop();
	if (err)
		return err;
	for (i = 0; i < UEVENT_PROF_NR; i++)
		total += uevent_prof.cycles[i];
	len = scnprintf(line, sizeof(line),
			"label=%s profile env=%s events=%u plain=%llu total=%llu brackets=%lu",
			label, name, events, per_event(plain, events),
			per_event(total, events),
			uevent_prof.brackets * 10 / events);
	for (i = 0; i < UEVENT_PROF_NR; i++)
		len += scnprintf(line + len, sizeof(line) - len, " %s=%llu",
				 phase_names[i],
				 per_event(uevent_prof.cycles[i], events));

	/* What one bracket costs: a push and a pop around nothing. */
	prof_start();
	for (i = 0; i < events; i++)
		UEVENT_PROF_DO(UEVENT_PROF_OTHER, barrier());
	prof_stop();
	bracket = uevent_prof.cycles[UEVENT_PROF_OTHER];
	pr_info("uevent_bench: %s bracket=%llu\n", line,
		per_event(bracket, events));
	return 0;
}

static int __init uevent_prof_bench_init(void)
{
	struct kset *kset;
	int err;

	if (!events)
		return -EINVAL;
	kset = kset_create_and_add("uevent_prof_bench", NULL, kernel_kobj);
	if (!kset)
		return -ENOMEM;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		kset_unregister(kset);
		return -ENOMEM;
	}
	dev->kset = kset;
	err = kobject_init_and_add(dev, &prof_ktype, NULL, "dev0");
	if (!err)
		err = profile("small", NULL);
	if (!err)
		err = profile("typical", typical_env);
	if (err)
		pr_err("uevent_bench: profile failed: %d\n", err);
	kobject_put(dev);
	kset_unregister(kset);
	return err;
}
module_init(uevent_prof_bench_init);

static void __exit uevent_prof_bench_exit(void)
{
}
module_exit(uevent_prof_bench_exit);

MODULE_DESCRIPTION("Per-phase profile of uevents");
MODULE_LICENSE("GPL");

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A per-phase profile of uevents, for "series/uev bench --profile" only.
 *
 * The benchmark copies this header into hard-linked copies of the stock
 * tree and of the series tree, patches their lib/kobject_uevent*.c with
 * stock.patch or ours.patch to bracket each phase, and builds them
 * apart from the real kernels.  It is never part of the series.
 *
 * Phases nest; a phase's time is its own, without the phases it calls.
 * Only brackets run by the task in uevent_prof.task count, so work that
 * other tasks do in brackets (the series' work item) is not charged.
 * The clock runs on while the profiled task is interrupted, sleeps or
 * yields: that time goes to the phase it was in (the benchmark runs on
 * one CPU with nothing else to do).  Time is read with rdtsc, x86 only;
 * in QEMU's icount mode the TSC counts instructions.
 */
#ifndef _LINUX_UEVENT_PROF_H
#define _LINUX_UEVENT_PROF_H

#include <linux/sched.h>
#include <asm/msr.h>
#include <linux/types.h>

enum uevent_prof_phase {
	UEVENT_PROF_OTHER,	/* everything not bracketed */
	UEVENT_PROF_ENV,	/* allocating and freeing the environment */
	UEVENT_PROF_FORMAT,	/* writing variables, SEQNUM included */
	UEVENT_PROF_DEVPATH,	/* the kobject path */
	UEVENT_PROF_HOOKS,	/* the kset's filter, name and uevent hooks */
	UEVENT_PROF_SKB,	/* building and freeing the message */
	UEVENT_PROF_RING,	/* ordering: locks, SEQNUM, lists, rings */
	UEVENT_PROF_BROADCAST,	/* netlink_broadcast() */
	UEVENT_PROF_NR,
};

#define UEVENT_PROF_DEPTH	8

struct uevent_prof {
	struct task_struct *task;
	u64 cycles[UEVENT_PROF_NR];
	u64 last;
	unsigned long brackets;
	/* Pushes refused for a full stack, undone by the next pops. */
	unsigned int refused;
	unsigned int depth;
	u8 stack[UEVENT_PROF_DEPTH];
};

extern struct uevent_prof uevent_prof;

static inline void uevent_prof_charge(struct uevent_prof *p)
{
	u64 now = rdtsc();

	p->cycles[p->stack[p->depth]] += now - p->last;
	p->last = now;
}

static inline void uevent_prof_push(enum uevent_prof_phase phase)
{
	struct uevent_prof *p = &uevent_prof;

	if (READ_ONCE(p->task) != current)
		return;
	if (p->depth + 1 >= UEVENT_PROF_DEPTH) {
		p->refused++;
		return;
	}
	uevent_prof_charge(p);
	p->stack[++p->depth] = phase;
	p->brackets++;
}

static inline void uevent_prof_pop(void)
{
	struct uevent_prof *p = &uevent_prof;

	if (READ_ONCE(p->task) != current || !p->depth)
		return;
	if (p->refused) {
		p->refused--;
		return;
	}
	uevent_prof_charge(p);
	p->depth--;
}

/* The value of @expr, with its time charged to @phase. */
#define UEVENT_PROF(phase, expr) ({			\
	typeof(expr) __uevent_prof_ret;			\
	uevent_prof_push(phase);			\
	__uevent_prof_ret = (expr);			\
	uevent_prof_pop();				\
	__uevent_prof_ret;				\
})

/* @stmt, a statement without a value, with its time charged to @phase. */
#define UEVENT_PROF_DO(phase, stmt) do {		\
	uevent_prof_push(phase);			\
	stmt;						\
	uevent_prof_pop();				\
} while (0)

#endif /* _LINUX_UEVENT_PROF_H */

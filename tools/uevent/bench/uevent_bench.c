// SPDX-License-Identifier: GPL-2.0
/*
 * uevent_bench - measure the cost of sending uevents.
 *
 * Uses only the public kobject API, so the same source builds as an
 * external module against any 6.12 tree.  On load it sends events on
 * /sys/kernel/uevent_bench/dev0 and prints one line per measurement:
 *
 *   uevent_bench: label=L env=small|typical cpus=N events=E ns_per_event=T allocs_per_event=A
 *
 * "small" events carry ACTION, DEVPATH and SUBSYSTEM; "typical" ones
 * nine more variables, about 400 bytes in all.  cpus=1 times one CPU
 * sending back to back; cpus=N has every online CPU send at once and
 * reports the wall time per event.  allocs_per_event counts slab and
 * kmalloc allocations through the kmem tracepoints (cpus=1 only).
 * Listeners are whatever user space runs while the module loads; label
 * names that setup in the output.  Unload it before loading it again.
 *
 * Built against a kernel with kobject_uevent_env_deferred() (the
 * Makefile looks for it), it also queues the same events from hard
 * interrupt context (an irq_work, bursts of 512) and prints
 *
 *   uevent_bench: label=L env=E path=deferred events=E ns_per_event=T queue_ns_per_event=Q
 *
 * where T is the time from the first queued event to the last one sent
 * and Q the time spent queueing alone, both per event.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/irq_work.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <trace/events/kmem.h>

#include "uevent_bench_env.h"

static unsigned int events = 20000;
module_param(events, uint, 0444);
MODULE_PARM_DESC(events, "events per measurement");

static char *label = "none";
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "name of the listener setup, echoed in the output");

struct bench_obj {
	struct kobject kobj;
};

static void bench_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct bench_obj, kobj));
}

static const struct kobj_type bench_ktype = {
	.release = bench_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

static struct kset *bench_kset;
static struct kobject *bench_dev;
static struct task_struct *counted_task;
static atomic_t allocs;

static void count_kmalloc(void *d, unsigned long site, const void *ptr,
			  size_t req, size_t alloc, gfp_t gfp, int node)
{
	if (current == READ_ONCE(counted_task))
		atomic_inc(&allocs);
}

static void count_cache_alloc(void *d, unsigned long site, const void *ptr,
			      struct kmem_cache *s, gfp_t gfp, int node)
{
	if (current == READ_ONCE(counted_task))
		atomic_inc(&allocs);
}

struct worker {
	char **envp;
	unsigned int n;
	int err;
	struct completion start, done;
};

static int send_events(char **envp, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = kobject_uevent_env(bench_dev, KOBJ_CHANGE, envp);
		if (err)
			return err;
	}
	return 0;
}

static int worker_fn(void *data)
{
	struct worker *w = data;

	wait_for_completion(&w->start);
	w->err = send_events(w->envp, w->n);
	complete(&w->done);
	return 0;
}

static int bench_one_cpu(const char *env, char **envp)
{
	u64 t0, t1;
	int err;

	atomic_set(&allocs, 0);
	WRITE_ONCE(counted_task, current);
	t0 = ktime_get_ns();
	err = send_events(envp, events);
	t1 = ktime_get_ns();
	WRITE_ONCE(counted_task, NULL);
	if (err)
		return err;
	pr_info("uevent_bench: label=%s env=%s cpus=1 events=%u ns_per_event=%llu allocs_per_event=%u.%02u\n",
		label, env, events, div_u64(t1 - t0, events),
		atomic_read(&allocs) / events,
		atomic_read(&allocs) % events * 100 / events);
	return 0;
}

static int bench_all_cpus(const char *env, char **envp)
{
	unsigned int ncpu = num_online_cpus(), i = 0, cpu;
	struct worker *w;
	u64 t0, t1;
	int err = 0;

	w = kcalloc(ncpu, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		if (i == ncpu)
			break;
		w[i].envp = envp;
		w[i].n = events / ncpu;
		init_completion(&w[i].start);
		init_completion(&w[i].done);
		t = kthread_create(worker_fn, &w[i], "uevbench/%u", cpu);
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			break;
		}
		kthread_bind(t, cpu);
		wake_up_process(t);
		i++;
	}
	t0 = ktime_get_ns();
	for (cpu = 0; cpu < i; cpu++)
		complete(&w[cpu].start);
	for (cpu = 0; cpu < i; cpu++) {
		wait_for_completion(&w[cpu].done);
		if (w[cpu].err)
			err = w[cpu].err;
	}
	t1 = ktime_get_ns();
	if (!err)
		pr_info("uevent_bench: label=%s env=%s cpus=%u events=%u ns_per_event=%llu\n",
			label, env, i, w[0].n * i,
			div_u64(t1 - t0, w[0].n * i));
	kfree(w);
	return err;
}

#ifdef UEVENT_BENCH_DEFERRED
struct defer_burst {
	struct irq_work work;
	char **envp;
	unsigned int n;
	int err;
	u64 ns;
};

static void defer_burst_fn(struct irq_work *work)
{
	struct defer_burst *b = container_of(work, struct defer_burst, work);
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < b->n && !b->err; i++)
		b->err = kobject_uevent_env_deferred(bench_dev, KOBJ_CHANGE,
						     b->envp, GFP_ATOMIC);
	b->ns += ktime_get_ns() - t0;
}

static int bench_deferred(const char *env, char **envp)
{
	struct defer_burst b = { .envp = envp };
	unsigned int done;
	u64 t0, t1;

	init_irq_work(&b.work, defer_burst_fn);
	t0 = ktime_get_ns();
	for (done = 0; done < events && !b.err; done += b.n) {
		b.n = min(512U, events - done);
		irq_work_queue(&b.work);
		irq_work_sync(&b.work);
		/* Under the cap of waiting events: let the work item send. */
		kobject_uevent_flush_deferred();
	}
	t1 = ktime_get_ns();
	if (b.err)
		return b.err;
	pr_info("uevent_bench: label=%s env=%s path=deferred events=%u ns_per_event=%llu queue_ns_per_event=%llu\n",
		label, env, events, div_u64(t1 - t0, events),
		div_u64(b.ns, events));
	return 0;
}
#else
static int bench_deferred(const char *env, char **envp)
{
	return 0;
}
#endif

static int __init uevent_bench_init(void)
{
	struct bench_obj *o;
	int err;

	bench_kset = kset_create_and_add("uevent_bench", NULL, kernel_kobj);
	if (!bench_kset)
		return -ENOMEM;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o) {
		err = -ENOMEM;
		goto out_kset;
	}
	o->kobj.kset = bench_kset;
	err = kobject_init_and_add(&o->kobj, &bench_ktype, NULL, "dev0");
	bench_dev = &o->kobj;
	if (err)
		goto out_dev;

	err = register_trace_kmalloc(count_kmalloc, NULL);
	if (!err)
		err = register_trace_kmem_cache_alloc(count_cache_alloc, NULL);
	if (err)
		pr_info("uevent_bench: no kmem tracepoints (%d), allocations not counted\n",
			err);

	err = bench_one_cpu("small", NULL);
	if (!err)
		err = bench_one_cpu("typical", typical_env);
	if (!err)
		err = bench_all_cpus("small", NULL);
	if (!err)
		err = bench_all_cpus("typical", typical_env);
	if (!err)
		err = bench_deferred("small", NULL);
	if (!err)
		err = bench_deferred("typical", typical_env);
	if (err)
		pr_err("uevent_bench: sending failed: %d\n", err);
	pr_info("uevent_bench: done label=%s\n", label);

	unregister_trace_kmalloc(count_kmalloc, NULL);
	unregister_trace_kmem_cache_alloc(count_cache_alloc, NULL);
	tracepoint_synchronize_unregister();
out_dev:
	kobject_put(bench_dev);
out_kset:
	kset_unregister(bench_kset);
	return err;
}
module_init(uevent_bench_init);

/* Everything was measured and released at load; unloading is a no-op. */
static void __exit uevent_bench_exit(void)
{
}
module_exit(uevent_bench_exit);

MODULE_DESCRIPTION("Measure the cost of sending uevents");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for deferred uevents (kobject_uevent_env_deferred()):
 * events queued with a spinlock held, with interrupts off, from a timer
 * and from hard interrupt context arrive byte for byte and in call
 * order, a storm from hard interrupt context arrives whole and in
 * order, the kobject lives until its last deferred event is sent, and
 * the cap, failures, cancel and flush behave as documented.
 *
 * A kset hook can hold the work item that sends deferred events (the
 * "gate"), so a test can look at events while they are still queued.
 */

#include <kunit/test.h>
#include <kunit/uevent.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>

#include "../kobject_uevent.h"

#define UDK_KSET	"uevent_deferred_kunit"
#define UDK_STORM	4096
#define UDK_BURST	512

/* The one gate: the suite's tests run one at a time. */
static struct kobject *udk_gate_kobj;
static DECLARE_COMPLETION(udk_gate_reached);
static DECLARE_COMPLETION(udk_gate_opened);

static int udk_uevent(const struct kobject *kobj, struct kobj_uevent_env *env)
{
	if (kobj == READ_ONCE(udk_gate_kobj)) {
		complete(&udk_gate_reached);
		wait_for_completion(&udk_gate_opened);
	}
	return 0;
}

static const struct kset_uevent_ops udk_ops = {
	.uevent = udk_uevent,
};

struct udk_obj {
	struct kobject kobj;
	bool *released;
};

static void udk_release(struct kobject *kobj)
{
	struct udk_obj *o = container_of(kobj, struct udk_obj, kobj);

	if (o->released)
		WRITE_ONCE(*o->released, true);
	kfree(o);
}

static const struct kobj_type udk_ktype = {
	.release = udk_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

KUNIT_DEFINE_ACTION_WRAPPER(udk_unregister_kset, kset_unregister,
			    struct kset *);
KUNIT_DEFINE_ACTION_WRAPPER(udk_put_kobj, kobject_put, struct kobject *);

struct udk_ctx {
	struct kset *kset;
	struct socket *sock;
	char *buf;
};

/*
 * A kobject named @name in the test's kset.  Unless @released is given
 * (the test then drops its reference itself), it is put when the test
 * ends.
 */
static struct kobject *udk_add(struct kunit *test, const char *name,
			       bool *released)
{
	struct udk_ctx *ctx = test->priv;
	struct udk_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	kobject_init(&o->kobj, &udk_ktype);
	o->released = released;
	if (!released)
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								udk_put_kobj,
								&o->kobj), 0);
	o->kobj.kset = ctx->kset;
	KUNIT_ASSERT_EQ(test, kobject_add(&o->kobj, NULL, "%s", name), 0);
	return &o->kobj;
}

/*
 * Queue an event of @kobj and hold the sending of deferred events at
 * it: when this returns, every event queued after it waits.
 */
static void udk_gate_close(struct kunit *test, struct kobject *kobj)
{
	reinit_completion(&udk_gate_reached);
	reinit_completion(&udk_gate_opened);
	WRITE_ONCE(udk_gate_kobj, kobj);
	KUNIT_ASSERT_EQ(test, kobject_uevent_env_deferred(kobj, KOBJ_CHANGE,
							  NULL, GFP_KERNEL), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&udk_gate_reached,
							  10 * HZ), 0);
}

static void udk_gate_open(void)
{
	WRITE_ONCE(udk_gate_kobj, NULL);
	complete_all(&udk_gate_opened);
}

static int udk_init(struct kunit *test)
{
	struct udk_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, KUNIT_UEVENT_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	ctx->kset = kset_create_and_add(UDK_KSET, &udk_ops, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->kset);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							udk_unregister_kset,
							ctx->kset), 0);
	ctx->sock = kunit_uevent_listen(test);
	test->priv = ctx;
	return 0;
}

/* Before the test's objects go: nothing of this test stays queued. */
static void udk_exit(struct kunit *test)
{
	udk_gate_open();
	kobject_uevent_flush_deferred();
}

/* Expect the next event about @kobj: "change", @vars, then SEQNUM. */
static void udk_expect(struct kunit *test, struct kobject *kobj,
		       const char *devpath, const char *ctx_var,
		       const char *count_var)
{
	struct udk_ctx *ctx = test->priv;
	char devpath_var[128];
	const char *vars[6] = {
		"ACTION=change", devpath_var, "SUBSYSTEM=" UDK_KSET,
		ctx_var, count_var, NULL
	};
	int n;

	snprintf(devpath_var, sizeof(devpath_var), "DEVPATH=%s", devpath);
	n = kunit_uevent_next(ctx->sock, devpath, ctx->buf);
	KUNIT_ASSERT_GT_MSG(test, n, 0, "no event %s %s", ctx_var, count_var);
	kunit_uevent_expect(test, ctx->buf, n, "change", devpath, vars);
}

/* Expect no (further) event about @devpath. */
static void udk_expect_none(struct kunit *test, const char *devpath)
{
	struct udk_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, kunit_uevent_next(ctx->sock, devpath, ctx->buf),
			0);
}

/* The SEQNUM of a received message of @len bytes. */
static u64 udk_seqnum(const char *msg, int len)
{
	const char *seq;
	u64 v = 0;

	for (seq = msg + len - 1; seq > msg && seq[-1]; seq--)
		;
	if (!str_has_prefix(seq, "SEQNUM=") ||
	    kstrtou64(seq + strlen("SEQNUM="), 10, &v))
		return 0;
	return v;
}

/* ------------------------------------------------------------------ */
/* Queueing from each context                                          */

enum udk_context {
	UDK_PROCESS,
	UDK_SPINLOCK,
	UDK_IRQS_OFF,
	UDK_SOFTIRQ,
	UDK_HARDIRQ,
};

struct udk_context_case {
	const char *name;
	enum udk_context where;
};

static const struct udk_context_case udk_context_cases[] = {
	{ "process", UDK_PROCESS },
	{ "spinlock held", UDK_SPINLOCK },
	{ "interrupts off", UDK_IRQS_OFF },
	{ "timer (softirq)", UDK_SOFTIRQ },
	{ "irq_work (hard irq)", UDK_HARDIRQ },
};

KUNIT_ARRAY_PARAM_DESC(udk_context, udk_context_cases, name);

/* What one producer queues, and what it saw of its context. */
struct udk_producer {
	struct kobject *kobj;
	unsigned int first, count;
	const char *ctx_var;
	int err;
	bool in_hardirq, in_softirq, irqs_off;
	struct irq_work irq_work;
	struct timer_list timer;
	struct completion done;
};

static void udk_produce(struct udk_producer *p)
{
	char count[32];
	char *envp[3] = { (char *)p->ctx_var, count, NULL };
	unsigned int i;

	p->in_hardirq = in_hardirq();
	p->in_softirq = in_serving_softirq();
	p->irqs_off = irqs_disabled();
	for (i = p->first; i < p->first + p->count && !p->err; i++) {
		snprintf(count, sizeof(count), "COUNT=%u", i);
		p->err = kobject_uevent_env_deferred(p->kobj, KOBJ_CHANGE,
						     envp, GFP_ATOMIC);
	}
	/* The stack copy of "COUNT=" is gone after this: it was copied. */
	memset(count, 0, sizeof(count));
}

static void udk_irq_work_fn(struct irq_work *work)
{
	udk_produce(container_of(work, struct udk_producer, irq_work));
}

static void udk_timer_fn(struct timer_list *t)
{
	struct udk_producer *p = from_timer(p, t, timer);

	udk_produce(p);
	complete(&p->done);
}

static DEFINE_SPINLOCK(udk_lock);

static void udk_run(struct udk_producer *p, enum udk_context where)
{
	unsigned long flags;

	switch (where) {
	case UDK_PROCESS:
		udk_produce(p);
		break;
	case UDK_SPINLOCK:
		spin_lock(&udk_lock);
		udk_produce(p);
		spin_unlock(&udk_lock);
		break;
	case UDK_IRQS_OFF:
		local_irq_save(flags);
		udk_produce(p);
		local_irq_restore(flags);
		break;
	case UDK_SOFTIRQ:
		init_completion(&p->done);
		timer_setup_on_stack(&p->timer, udk_timer_fn, 0);
		mod_timer(&p->timer, jiffies);
		wait_for_completion(&p->done);
		del_timer_sync(&p->timer);
		destroy_timer_on_stack(&p->timer);
		break;
	case UDK_HARDIRQ:
		init_irq_work(&p->irq_work, udk_irq_work_fn);
		irq_work_queue(&p->irq_work);
		irq_work_sync(&p->irq_work);
		break;
	}
}

/* On PREEMPT_RT an irq_work that is not IRQ_WORK_HARD_IRQ is threaded. */
static void udk_need_hardirq(struct kunit *test)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "PREEMPT_RT threads this irq_work");
}

static void uevent_deferred_context(struct kunit *test)
{
	const struct udk_context_case *c = test->param_value;
	struct kobject *kobj = udk_add(test, "dev", NULL);
	const char *devpath = kunit_uevent_devpath(test, kobj);
	struct udk_producer p = {
		.kobj = kobj, .first = 0, .count = 8, .ctx_var = "FROM=any",
	};
	char count[32];
	unsigned int i;

	if (c->where == UDK_HARDIRQ)
		udk_need_hardirq(test);
	udk_run(&p, c->where);
	KUNIT_ASSERT_EQ(test, p.err, 0);
	KUNIT_EXPECT_EQ(test, p.in_hardirq, c->where == UDK_HARDIRQ);
	KUNIT_EXPECT_EQ(test, p.in_softirq, c->where == UDK_SOFTIRQ);
	if (c->where != UDK_PROCESS && c->where != UDK_SPINLOCK)
		KUNIT_EXPECT_TRUE(test, p.irqs_off || p.in_softirq);

	kobject_uevent_flush_deferred();
	for (i = 0; i < p.count; i++) {
		snprintf(count, sizeof(count), "COUNT=%u", i);
		udk_expect(test, kobj, devpath, "FROM=any", count);
	}
	udk_expect_none(test, devpath);
}

/*
 * Producers in every context take turns on one kobject; the events
 * arrive in the order of the calls, whatever the context.
 */
static void uevent_deferred_call_order(struct kunit *test)
{
	static const enum udk_context order[] = {
		UDK_HARDIRQ, UDK_PROCESS, UDK_SOFTIRQ, UDK_SPINLOCK,
		UDK_IRQS_OFF, UDK_HARDIRQ, UDK_SOFTIRQ, UDK_PROCESS,
	};
	struct kobject *kobj = udk_add(test, "dev", NULL);
	const char *devpath = kunit_uevent_devpath(test, kobj);
	struct udk_producer p = { .kobj = kobj, .count = 3 };
	char count[32];
	unsigned int i;

	udk_need_hardirq(test);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		p.ctx_var = i & 1 ? "TURN=odd" : "TURN=even";
		p.first = i * p.count;
		udk_run(&p, order[i]);
		KUNIT_ASSERT_EQ(test, p.err, 0);
	}
	kobject_uevent_flush_deferred();
	for (i = 0; i < ARRAY_SIZE(order) * p.count; i++) {
		snprintf(count, sizeof(count), "COUNT=%u", i);
		udk_expect(test, kobj, devpath,
			   (i / p.count) & 1 ? "TURN=odd" : "TURN=even", count);
	}
	udk_expect_none(test, devpath);
}

/*
 * A storm from hard interrupt context, in bursts the cap allows: every
 * event reaches the listener, COUNT and SEQNUM both in order.
 */
static void uevent_deferred_hardirq_storm(struct kunit *test)
{
	struct udk_ctx *ctx = test->priv;
	struct kobject *kobj = udk_add(test, "storm", NULL);
	const char *devpath = kunit_uevent_devpath(test, kobj);
	struct udk_producer p = {
		.kobj = kobj, .count = UDK_BURST, .ctx_var = "FROM=hardirq",
	};
	unsigned int i, got = 0;
	u64 seq, last = 0;
	char count[32];
	const char *v;
	int n;

	udk_need_hardirq(test);
	for (p.first = 0; p.first < UDK_STORM; p.first += UDK_BURST) {
		udk_run(&p, UDK_HARDIRQ);
		KUNIT_ASSERT_EQ(test, p.err, 0);
		KUNIT_ASSERT_TRUE(test, p.in_hardirq);
		/* Let the work item catch up before the cap is reached. */
		kobject_uevent_flush_deferred();
	}
	for (i = 0; i < UDK_STORM; i++) {
		n = kunit_uevent_next(ctx->sock, devpath, ctx->buf);
		KUNIT_ASSERT_GT_MSG(test, n, 0, "event %u of %u missing", i,
				    UDK_STORM);
		snprintf(count, sizeof(count), "COUNT=%u", i);
		v = ctx->buf + strlen(ctx->buf) + 1;
		while (v < ctx->buf + n && strcmp(v, count) &&
		       !str_has_prefix(v, "SEQNUM="))
			v += strlen(v) + 1;
		KUNIT_ASSERT_STREQ(test, v, count);
		seq = udk_seqnum(ctx->buf, n);
		KUNIT_ASSERT_GT(test, seq, last);
		last = seq;
		got++;
	}
	KUNIT_EXPECT_EQ(test, got, UDK_STORM);
	udk_expect_none(test, devpath);
}

/*
 * The test drops its own reference while the event is queued: the
 * kobject is released only after the event was sent.
 */
static void uevent_deferred_holds_reference(struct kunit *test)
{
	/* Freed after udk_exit() flushed, so the release can write it. */
	bool *released = kunit_kzalloc(test, sizeof(*released), GFP_KERNEL);
	struct kobject *gate = udk_add(test, "gate", NULL);
	struct kobject *kobj;
	const char *devpath;
	char *envp[3] = { "FROM=any", "COUNT=0", NULL };

	KUNIT_ASSERT_NOT_NULL(test, released);
	kobj = udk_add(test, "dev", released);
	devpath = kunit_uevent_devpath(test, kobj);

	udk_gate_close(test, gate);
	KUNIT_ASSERT_EQ(test, kobject_uevent_env_deferred(kobj, KOBJ_CHANGE,
							  envp, GFP_KERNEL), 0);
	kobject_put(kobj);
	/* Give a wrongly released kobject every chance to go. */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(*released));

	udk_gate_open();
	kobject_uevent_flush_deferred();
	KUNIT_EXPECT_TRUE(test, READ_ONCE(*released));
	udk_expect(test, kobj, devpath, "FROM=any", "COUNT=0");
}

/*
 * An event whose kobject left sysfs while it waited is not sent.  Sent
 * anyway, it would name the kobject without its parent, which
 * kobject_del() cleared.
 */
static void uevent_deferred_removed(struct kunit *test)
{
	struct kobject *gate = udk_add(test, "gate", NULL);
	struct kobject *kobj = udk_add(test, "dev", NULL);
	const char *orphan;

	udk_gate_close(test, gate);
	KUNIT_ASSERT_EQ(test, kobject_uevent_env_deferred(kobj, KOBJ_CHANGE,
							  NULL, GFP_KERNEL), 0);
	kobject_del(kobj);
	orphan = kunit_uevent_devpath(test, kobj);
	KUNIT_EXPECT_STREQ(test, orphan, "/dev");
	udk_gate_open();
	kobject_uevent_flush_deferred();
	udk_expect_none(test, orphan);
}

/*
 * At most UEVENT_DEFER_MAX events wait; the call past that fails with
 * -ENOBUFS and queues nothing.  Cancelling drops exactly the waiting
 * events of one kobject, releases their references and does not wait
 * for the event being sent.
 */
static void uevent_deferred_cap_and_cancel(struct kunit *test)
{
	struct kobject *gate = udk_add(test, "gate", NULL);
	struct kobject *kobj = udk_add(test, "dev", NULL);
	struct kobject *other = udk_add(test, "other", NULL);
	const char *devpath = kunit_uevent_devpath(test, kobj);
	const char *other_path = kunit_uevent_devpath(test, other);
	char *envp[3] = { "FROM=any", "COUNT=0", NULL };
	unsigned int refs = kref_read(&kobj->kref), queued = 0;
	int ret;

	udk_gate_close(test, gate);
	KUNIT_ASSERT_EQ(test, kobject_uevent_env_deferred(other, KOBJ_CHANGE,
							  envp, GFP_KERNEL), 0);
	do {
		ret = kobject_uevent_env_deferred(kobj, KOBJ_CHANGE, NULL,
						  GFP_KERNEL);
		if (!ret)
			queued++;
	} while (!ret && queued <= UEVENT_DEFER_MAX);
	KUNIT_EXPECT_EQ(test, ret, -ENOBUFS);
	/* With the gate's, other's and any a driver queued meanwhile. */
	KUNIT_EXPECT_EQ(test, uevent_defer_waiting(), UEVENT_DEFER_MAX);
	KUNIT_EXPECT_GT(test, queued, 0U);
	KUNIT_EXPECT_LE(test, queued, UEVENT_DEFER_MAX - 2);
	KUNIT_EXPECT_EQ(test, kref_read(&kobj->kref), refs + queued);

	/* The gate is still closed: this would hang if it waited for it. */
	KUNIT_EXPECT_EQ(test, kobject_uevent_cancel_deferred(kobj), queued);
	KUNIT_EXPECT_EQ(test, kref_read(&kobj->kref), refs);
	/* Room again. */
	KUNIT_EXPECT_EQ(test, kobject_uevent_env_deferred(kobj, KOBJ_CHANGE,
							  envp, GFP_KERNEL), 0);
	udk_gate_open();
	kobject_uevent_flush_deferred();
	/* Reading skips other devpaths' events: other's came first. */
	udk_expect(test, other, other_path, "FROM=any", "COUNT=0");
	udk_expect(test, kobj, devpath, "FROM=any", "COUNT=0");
	udk_expect_none(test, devpath);
}

/*
 * Variables that could never fit an event fail with -ENOMEM, add and
 * remove events with -EINVAL; nothing is queued.
 */
struct udk_bad_case {
	const char *name;
	enum kobject_action action;
	unsigned int vars;
	size_t var_len;
	int ret;
};

static const struct udk_bad_case udk_bad_cases[] = {
	{ "most variables that fit", KOBJ_CHANGE, UEVENT_DEFER_MAX_VARS, 8, 0 },
	{ "one variable too many", KOBJ_CHANGE, UEVENT_DEFER_MAX_VARS + 1, 8,
	  -ENOMEM },
	{ "longest variable", KOBJ_CHANGE, 1, UEVENT_BUFFER_SIZE - 1, 0 },
	{ "variable one byte too long", KOBJ_CHANGE, 1, UEVENT_BUFFER_SIZE,
	  -ENOMEM },
	{ "bytes over the buffer", KOBJ_CHANGE, 8, UEVENT_BUFFER_SIZE / 4,
	  -ENOMEM },
	{ "add event", KOBJ_ADD, 1, 8, -EINVAL },
	{ "remove event", KOBJ_REMOVE, 1, 8, -EINVAL },
	{ "offline event", KOBJ_OFFLINE, 1, 8, 0 },
};

KUNIT_ARRAY_PARAM_DESC(udk_bad, udk_bad_cases, name);

static void uevent_deferred_too_big(struct kunit *test)
{
	const struct udk_bad_case *c = test->param_value;
	struct kobject *gate = udk_add(test, "gate", NULL);
	struct kobject *kobj = udk_add(test, "dev", NULL);
	unsigned int refs = kref_read(&kobj->kref), i;
	char **envp, *var;

	envp = kunit_kcalloc(test, c->vars + 1, sizeof(*envp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, envp);
	var = kunit_kzalloc(test, c->var_len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, var);
	memset(var, 'v', c->var_len);
	var[0] = 'K';
	var[1] = '=';
	for (i = 0; i < c->vars; i++)
		envp[i] = var;

	udk_gate_close(test, gate);
	KUNIT_EXPECT_EQ(test, kobject_uevent_env_deferred(kobj, c->action,
							  envp, GFP_KERNEL),
			c->ret);
	KUNIT_EXPECT_EQ(test, kref_read(&kobj->kref), refs + !c->ret);
	KUNIT_EXPECT_EQ(test, kobject_uevent_cancel_deferred(kobj),
			c->ret ? 0U : 1U);
	KUNIT_EXPECT_EQ(test, kref_read(&kobj->kref), refs);
}

/* A flush returns with the events queued before it in the sockets. */
static void uevent_deferred_flush(struct kunit *test)
{
	struct kobject *kobj = udk_add(test, "dev", NULL);
	const char *devpath = kunit_uevent_devpath(test, kobj);
	char *envp[3] = { "FROM=any", "COUNT=0", NULL };

	KUNIT_ASSERT_EQ(test, kobject_uevent_env_deferred(kobj, KOBJ_CHANGE,
							  envp, GFP_KERNEL), 0);
	kobject_uevent_flush_deferred();
	udk_expect(test, kobj, devpath, "FROM=any", "COUNT=0");
	/* Nothing queued: returns at once. */
	kobject_uevent_flush_deferred();
	KUNIT_EXPECT_EQ(test, kobject_uevent_cancel_deferred(kobj), 0U);
}

static struct kunit_case uevent_deferred_cases[] = {
	KUNIT_CASE_PARAM(uevent_deferred_context, udk_context_gen_params),
	KUNIT_CASE(uevent_deferred_call_order),
	KUNIT_CASE_SLOW(uevent_deferred_hardirq_storm),
	KUNIT_CASE(uevent_deferred_holds_reference),
	KUNIT_CASE(uevent_deferred_removed),
	KUNIT_CASE(uevent_deferred_cap_and_cancel),
	KUNIT_CASE_PARAM(uevent_deferred_too_big, udk_bad_gen_params),
	KUNIT_CASE(uevent_deferred_flush),
	{}
};

static struct kunit_suite uevent_deferred_suite = {
	.name = "uevent_deferred",
	.init = udk_init,
	.exit = udk_exit,
	.test_cases = uevent_deferred_cases,
};

kunit_test_suite(uevent_deferred_suite);

MODULE_DESCRIPTION("KUnit tests for deferred kobject uevents");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the uevent core, lib/kobject_uevent.c.
 *
 * Events are read back the way user space reads them: from netlink
 * sockets bound to NETLINK_KOBJECT_UEVENT multicast group 1, created
 * here inside the kernel.  Every test emits on kobjects below its own
 * kset, /uevent_kunit, and only messages for that kset are looked at,
 * so events from the rest of the system do not disturb the results.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/filter.h>
#include <linux/kmsg_dump.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <trace/events/kmem.h>

#include "../kobject_uevent.h"

#define UK_KSET		"uevent_kunit"
#define UK_PREFIX	"/" UK_KSET "/"
#define UK_UUID		"01234567-89ab-cdef-0123-456789abcdef"
#define UK_MSG_MAX	4096

static unsigned int stress_events = 200000;
module_param(stress_events, uint, 0444);
MODULE_PARM_DESC(stress_events, "events emitted by the ordering stress test");

/* What the kset hooks do; set by a test before it emits. */
static struct {
	bool drop;			/* filter() returns 0 */
	bool rename;			/* name() returns @name */
	const char *name;
	int error;			/* uevent() fails with this */
	const char *const *vars;	/* uevent() adds these */
} uk_hooks;

static int uk_filter(const struct kobject *kobj)
{
	return !uk_hooks.drop;
}

static const char *uk_name(const struct kobject *kobj)
{
	return uk_hooks.rename ? uk_hooks.name : UK_KSET;
}

static int uk_uevent(const struct kobject *kobj, struct kobj_uevent_env *env)
{
	const char *const *v;
	int ret;

	if (uk_hooks.error)
		return uk_hooks.error;
	for (v = uk_hooks.vars; v && *v; v++) {
		ret = add_uevent_var(env, "%s", *v);
		if (ret)
			return ret;
	}
	return 0;
}

/* Variables passed by the caller of kobject_uevent_env(). */
static char *uk_ext_one[] = { "EXT=1", NULL };
static char *uk_ext_order[] = { "EXT1=x", "EXT2=y", NULL };
static char *uk_ext_modalias[] = { "MODALIAS=ext:1", "X=1", NULL };

static const struct kset_uevent_ops uk_ops = {
	.filter = uk_filter,
	.name = uk_name,
	.uevent = uk_uevent,
};

struct uk_obj {
	struct kobject kobj;
};

static void uk_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct uk_obj, kobj));
}

static const struct kobj_type uk_ktype = {
	.release = uk_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/*
 * Everything a test creates is released by a KUnit action registered
 * right after its creation, so a failed assertion leaks nothing.  The
 * actions run after uk_exit(), last registered first: a test's objects
 * go before the fixture's listener and kset.
 */
KUNIT_DEFINE_ACTION_WRAPPER(uk_release_sock, sock_release, struct socket *);
KUNIT_DEFINE_ACTION_WRAPPER(uk_put_net, put_net, struct net *);
KUNIT_DEFINE_ACTION_WRAPPER(uk_release_delivery, uevent_net_release,
			    struct net *);
KUNIT_DEFINE_ACTION_WRAPPER(uk_put_kobj, kobject_put, struct kobject *);
KUNIT_DEFINE_ACTION_WRAPPER(uk_put_cred, put_cred, const struct cred *);
KUNIT_DEFINE_ACTION_WRAPPER(uk_unregister_kset, kset_unregister,
			    struct kset *);

/* Per-test fixture: the kset, one device below it and a listener. */
struct uk_ctx {
	struct kset *kset;
	struct kobject *dev;
	struct socket *sock;
	char *buf;
};

/* A kobject named @name in the fixture's kset, put when the test ends. */
static struct kobject *uk_add(struct kunit *test, struct uk_ctx *ctx,
			      const char *name)
{
	struct uk_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	kobject_init(&o->kobj, &uk_ktype);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_put_kobj,
							&o->kobj), 0);
	o->kobj.kset = ctx->kset;
	KUNIT_ASSERT_EQ(test, kobject_add(&o->kobj, NULL, "%s", name), 0);
	return &o->kobj;
}

/* A listener in @net, released when the test ends. */
static struct socket *uk_listen(struct kunit *test, struct net *net)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(net, AF_NETLINK, SOCK_RAW,
					       NETLINK_KOBJECT_UEVENT, &sock), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_release_sock,
							sock), 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	sock_set_rcvbuf(sock->sk, 16 << 20);
	return sock;
}

enum uk_owner { UK_INIT_USERNS, UK_NEW_USERNS };

/*
 * A new network namespace owned by init_user_ns or by a new user ns,
 * put when the test ends, after the sockets created in it.
 */
static struct net *uk_new_net(struct kunit *test, enum uk_owner owner)
{
	struct cred *cred;
	struct net *net;

	if (owner == UK_NEW_USERNS && !IS_ENABLED(CONFIG_USER_NS))
		kunit_skip(test, "needs CONFIG_USER_NS");
	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_put_cred,
							cred), 0);
	if (owner == UK_NEW_USERNS)
		KUNIT_ASSERT_EQ(test, create_user_ns(cred), 0);
	net = copy_net_ns(CLONE_NEWNET, cred->user_ns, &init_net);
	KUNIT_ASSERT_FALSE(test, IS_ERR(net));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_put_net, net),
			0);
	return net;
}

static int uk_init(struct kunit *test)
{
	struct uk_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	memset(&uk_hooks, 0, sizeof(uk_hooks));
	ctx->buf = kunit_kzalloc(test, UK_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	ctx->kset = kset_create_and_add(UK_KSET, &uk_ops, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->kset);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							uk_unregister_kset,
							ctx->kset), 0);
	test->priv = ctx;
	ctx->dev = uk_add(test, ctx, "dev0");
	ctx->sock = uk_listen(test, &init_net);
	return 0;
}

/* Runs before the actions: events they cause see the default hooks. */
static void uk_exit(struct kunit *test)
{
	memset(&uk_hooks, 0, sizeof(uk_hooks));
}

/*
 * Receive the next message about /uevent_kunit from @sock into @buf.
 * Return its length, 0 if there is none, or a negative socket error.
 * With MSG_DONTWAIT, what is queued for @sock's namespace is handed to
 * netlink first, so "none" means none was sent.
 */
static int uk_recv(struct socket *sock, char *buf, int flags)
{
	struct msghdr msg = { };
	struct kvec iov;
	int n;

	if (flags & MSG_DONTWAIT)
		uevent_net_flush(sock_net(sock->sk));
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = UK_MSG_MAX - 1;
		n = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len, flags);
		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return n;
		buf[n] = '\0';
		if (strstr(buf, "@" UK_PREFIX))
			return n;
	}
}

static int uk_next(struct uk_ctx *ctx)
{
	return uk_recv(ctx->sock, ctx->buf, MSG_DONTWAIT);
}

/* Find "KEY=" in a received message; return the value or NULL. */
static const char *uk_var(const char *msg, int len, const char *key)
{
	size_t klen = strlen(key);
	const char *p;

	for (p = msg + strlen(msg) + 1; p < msg + len; p += strlen(p) + 1)
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
	return NULL;
}

static u64 uk_seqnum(const char *msg, int len)
{
	const char *v = uk_var(msg, len, "SEQNUM");
	u64 seq;

	if (!v || kstrtou64(v, 10, &seq))
		return 0;
	return seq;
}

/*
 * Check that @msg is exactly "@header\0", the space separated @vars each
 * NUL terminated, then "SEQNUM=n\0" with n a sequence number taken.
 */
static void uk_expect(struct kunit *test, const char *msg, int len,
		      const char *header, const char *vars)
{
	char *want = kunit_kzalloc(test, UK_MSG_MAX, GFP_KERNEL);
	u64 seq = uk_seqnum(msg, len);
	int n, i;

	KUNIT_ASSERT_NOT_NULL(test, want);
	/* Other CPUs may have sent events since. */
	KUNIT_EXPECT_NE(test, seq, 0ULL);
	KUNIT_EXPECT_LE(test, seq, (u64)atomic64_read(&uevent_seqnum));
	n = scnprintf(want, UK_MSG_MAX, "%s%c%s%cSEQNUM=%llu%c", header, 0,
		      vars, 0, seq, 0);
	for (i = 0; i < n; i++)
		if (want[i] == ' ')
			want[i] = '\0';
	KUNIT_EXPECT_EQ(test, len, n);
	KUNIT_EXPECT_MEMEQ(test, msg, want, min(len, n));
}

/*
 * Check the event sent by the call that returned @ret: the call
 * succeeded, the fixture's listener received the event and it is
 * exactly @header and @vars (see uk_expect()).  Return its length; the
 * message stays in the fixture's buffer.
 */
static int uk_expect_event(struct kunit *test, int ret, const char *header,
			   const char *vars)
{
	struct uk_ctx *ctx = test->priv;
	int len;

	KUNIT_ASSERT_EQ(test, ret, 0);
	len = uk_next(ctx);
	KUNIT_ASSERT_GT(test, len, 0);
	uk_expect(test, ctx->buf, len, header, vars);
	return len;
}

/*
 * Check that nothing was sent: the fixture's listener has no message
 * and uevent_seqnum is still @before.  A dropped or failed event does
 * not consume a SEQNUM.
 */
static void uk_expect_none(struct kunit *test, u64 before)
{
	struct uk_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, uk_next(ctx), 0);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&uevent_seqnum), before);
}

/* ------------------------------------------------------------------ */
/* Counting heap allocations through the kmem tracepoints              */

#define UK_MAX_ALLOCS	32

static struct {
	spinlock_t lock;		/* protects the fields below */
	struct task_struct *task;	/* whose allocations are recorded */
	const void *ptr[UK_MAX_ALLOCS];
	unsigned long site[UK_MAX_ALLOCS];	/* where each was made */
	unsigned int count;		/* allocations recorded */
	unsigned int live;		/* of those, not freed yet */
	bool overflow;
	unsigned int probes;		/* kmem probes registered */
} uk_allocs = { .lock = __SPIN_LOCK_UNLOCKED(uk_allocs.lock) };

static void uk_record(const void *ptr, unsigned long site)
{
	unsigned long flags;

	if (current != READ_ONCE(uk_allocs.task) || !ptr)
		return;
	spin_lock_irqsave(&uk_allocs.lock, flags);
	if (uk_allocs.count < UK_MAX_ALLOCS) {
		uk_allocs.ptr[uk_allocs.count] = ptr;
		uk_allocs.site[uk_allocs.count] = site;
		uk_allocs.live++;
	} else {
		uk_allocs.overflow = true;
	}
	uk_allocs.count++;
	spin_unlock_irqrestore(&uk_allocs.lock, flags);
}

static void uk_forget(const void *ptr)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&uk_allocs.lock, flags);
	for (i = 0; ptr && i < min(uk_allocs.count, UK_MAX_ALLOCS); i++) {
		if (uk_allocs.ptr[i] == ptr) {
			uk_allocs.ptr[i] = NULL;
			uk_allocs.live--;
			break;
		}
	}
	spin_unlock_irqrestore(&uk_allocs.lock, flags);
}

static void uk_on_kmalloc(void *data, unsigned long site, const void *ptr,
			  size_t req, size_t alloc, gfp_t gfp, int node)
{
	uk_record(ptr, site);
}

static void uk_on_cache_alloc(void *data, unsigned long site, const void *ptr,
			      struct kmem_cache *s, gfp_t gfp, int node)
{
	uk_record(ptr, site);
}

static void uk_on_kfree(void *data, unsigned long site, const void *ptr)
{
	uk_forget(ptr);
}

static void uk_on_cache_free(void *data, unsigned long site, const void *ptr,
			     const struct kmem_cache *s)
{
	uk_forget(ptr);
}

static void uk_allocs_pause(bool on)
{
	WRITE_ONCE(uk_allocs.task, on ? current : NULL);
}

/* Stop recording: unregister the probes uk_allocs_start() registered. */
static void uk_allocs_stop(void *unused)
{
	uk_allocs_pause(false);
	switch (uk_allocs.probes) {
	case 4:
		unregister_trace_kmem_cache_free(uk_on_cache_free, NULL);
		fallthrough;
	case 3:
		unregister_trace_kfree(uk_on_kfree, NULL);
		fallthrough;
	case 2:
		unregister_trace_kmem_cache_alloc(uk_on_cache_alloc, NULL);
		fallthrough;
	case 1:
		unregister_trace_kmalloc(uk_on_kmalloc, NULL);
		tracepoint_synchronize_unregister();
	}
	uk_allocs.probes = 0;
}

/*
 * Start recording the current task's heap allocations; the test's
 * cleanup stops, or kunit_release_action(test, uk_allocs_stop, NULL).
 */
static void uk_allocs_start(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "needs CONFIG_TRACEPOINTS");
	memset(uk_allocs.ptr, 0, sizeof(uk_allocs.ptr));
	uk_allocs.count = 0;
	uk_allocs.live = 0;
	uk_allocs.overflow = false;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_allocs_stop,
							NULL), 0);
	KUNIT_ASSERT_EQ(test, register_trace_kmalloc(uk_on_kmalloc, NULL), 0);
	uk_allocs.probes++;
	KUNIT_ASSERT_EQ(test, register_trace_kmem_cache_alloc(uk_on_cache_alloc,
							      NULL), 0);
	uk_allocs.probes++;
	KUNIT_ASSERT_EQ(test, register_trace_kfree(uk_on_kfree, NULL), 0);
	uk_allocs.probes++;
	KUNIT_ASSERT_EQ(test, register_trace_kmem_cache_free(uk_on_cache_free,
							     NULL), 0);
	uk_allocs.probes++;
}

struct uk_count_case {
	const char *desc;
	bool listener;
	bool two_nets;		/* one more listener, in a second namespace */
	unsigned int allocs;	/* heap allocations for one event */
};

/*
 * One environment per event, plus the message (an skb: its head and its
 * data) and netlink's clone of it for each listener when somebody
 * listens.  The clone is what keeps one listener's socket filter from
 * trimming the message for the others.  Queueing the message to each
 * namespace allocates nothing.  The stock 6.12 core also allocates the
 * devpath.
 */
static const struct uk_count_case uk_count_cases[] = {
	{ "no listener: 1 allocation", false, false, 1 },
	{ "one listener: 1 plus the skb and its clone", true, false, 4 },
	{ "listeners in two namespaces: 1, the skb and 2 clones", true, true,
	  5 },
};

KUNIT_ARRAY_PARAM_DESC(uk_count, uk_count_cases, desc);

/*
 * Network namespaces of earlier tests are torn down asynchronously; until
 * they are gone their sockets take part in every broadcast.  Wait for a
 * system with only the initial namespace.
 */
static void uk_wait_for_init_net_only(struct kunit *test)
{
	unsigned int i, n = 0;
	struct net *net;

	for (i = 0; i < 100; i++) {
		n = 0;
		down_read(&net_rwsem);
		for_each_net(net)
			n++;
		up_read(&net_rwsem);
		if (n == 1)
			break;
		msleep(50);
	}
	if (n != 1)
		kunit_skip(test, "%u network namespaces exist", n);
	net_ns_barrier();
}

static void uevent_alloc_count(struct kunit *test)
{
	const struct uk_count_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	struct socket *sock = NULL;
	unsigned int count, i;

	if (!c->listener) {
		kunit_release_action(test, uk_release_sock, ctx->sock);
		ctx->sock = NULL;
	}
	uk_wait_for_init_net_only(test);
	if (c->two_nets)
		sock = uk_listen(test, uk_new_net(test, UK_INIT_USERNS));
	uk_allocs_start(test);
	uk_allocs_pause(true);
	KUNIT_EXPECT_EQ(test, kobject_uevent_env(ctx->dev, KOBJ_CHANGE,
						 uk_ext_one), 0);
	uk_allocs_pause(false);
	count = uk_allocs.count;
	if (c->listener)
		KUNIT_EXPECT_GT(test, uk_next(ctx), 0);
	if (sock)
		KUNIT_EXPECT_GT(test, uk_recv(sock, ctx->buf, MSG_DONTWAIT), 0);
	kunit_release_action(test, uk_allocs_stop, NULL);
	KUNIT_EXPECT_EQ(test, count, c->allocs);
	for (i = 0; count != c->allocs && i < min(count, UK_MAX_ALLOCS); i++)
		kunit_info(test, "allocation %u from %pS", i + 1,
			   (void *)uk_allocs.site[i]);
	/* And nothing of it is left once the message has been read. */
	KUNIT_EXPECT_EQ(test, uk_allocs.live, 0U);
}

/* ------------------------------------------------------------------ */

struct uk_action_case {
	const char *desc;		/* also the action's name on the wire */
	enum kobject_action action;
};

static const struct uk_action_case uk_action_cases[] = {
	{ "add", KOBJ_ADD },
	{ "remove", KOBJ_REMOVE },
	{ "change", KOBJ_CHANGE },
	{ "move", KOBJ_MOVE },
	{ "online", KOBJ_ONLINE },
	{ "offline", KOBJ_OFFLINE },
	{ "bind", KOBJ_BIND },
	{ "unbind", KOBJ_UNBIND },
};

KUNIT_ARRAY_PARAM_DESC(uk_action, uk_action_cases, desc);

/* Every action goes out as the exact bytes listeners have always seen. */
static void uevent_wire_bytes(struct kunit *test)
{
	const struct uk_action_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	char header[64], vars[160];

	snprintf(header, sizeof(header), "%s@/uevent_kunit/dev0", c->desc);
	snprintf(vars, sizeof(vars),
		 "ACTION=%s DEVPATH=/uevent_kunit/dev0 SUBSYSTEM=uevent_kunit",
		 c->desc);
	uk_expect_event(test, kobject_uevent(ctx->dev, c->action), header,
			vars);
	KUNIT_EXPECT_EQ(test, uk_next(ctx), 0);
}

/* Caller variables come before the kset hook's, SEQNUM last. */
static void uevent_env_order(struct kunit *test)
{
	static const char *const hook[] = { "HOOK1=a", "HOOK2=b", NULL };
	struct uk_ctx *ctx = test->priv;

	uk_hooks.vars = hook;
	uk_expect_event(test, kobject_uevent_env(ctx->dev, KOBJ_CHANGE,
						 uk_ext_order),
			"change@/uevent_kunit/dev0",
			"ACTION=change DEVPATH=/uevent_kunit/dev0 SUBSYSTEM=uevent_kunit EXT1=x EXT2=y HOOK1=a HOOK2=b");
}

struct uk_hook_case {
	const char *desc;
	bool suppress, drop, rename;
	const char *name;
	int error;
	int ret;
	const char *subsystem;		/* NULL: nothing is sent */
};

static const struct uk_hook_case uk_hook_cases[] = {
	{ .desc = "default sends", .subsystem = "uevent_kunit" },
	{ .desc = "uevent_suppress drops", .suppress = true },
	{ .desc = "filter 0 drops", .drop = true },
	{ .desc = "name overrides", .rename = true, .name = "other",
	  .subsystem = "other" },
	{ .desc = "name NULL drops", .rename = true },
	{ .desc = "uevent error aborts", .error = -EIO, .ret = -EIO },
	{ .desc = "uevent ENOMEM aborts", .error = -ENOMEM, .ret = -ENOMEM },
};

KUNIT_ARRAY_PARAM_DESC(uk_hook, uk_hook_cases, desc);

static void uevent_hooks(struct kunit *test)
{
	const struct uk_hook_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	u64 before = atomic64_read(&uevent_seqnum);
	int len;

	ctx->dev->uevent_suppress = c->suppress;
	uk_hooks.drop = c->drop;
	uk_hooks.rename = c->rename;
	uk_hooks.name = c->name;
	uk_hooks.error = c->error;

	KUNIT_EXPECT_EQ(test, kobject_uevent(ctx->dev, KOBJ_CHANGE), c->ret);
	if (!c->subsystem) {
		uk_expect_none(test, before);
		return;
	}
	len = uk_next(ctx);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_STREQ(test, uk_var(ctx->buf, len, "SUBSYSTEM"),
			   c->subsystem);
	KUNIT_EXPECT_GT(test, uk_seqnum(ctx->buf, len), before);
}

/* A kobject with no kset anywhere above it cannot send. */
static void uevent_no_kset(struct kunit *test)
{
	struct uk_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	kobject_init(&o->kobj, &uk_ktype);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_put_kobj,
							&o->kobj), 0);
	KUNIT_ASSERT_EQ(test, kobject_set_name(&o->kobj, "orphan"), 0);
	KUNIT_EXPECT_EQ(test, kobject_uevent(&o->kobj, KOBJ_ADD), -EINVAL);
	KUNIT_EXPECT_FALSE(test, o->kobj.state_add_uevent_sent);
}

struct uk_remove_case {
	const char *desc;
	bool add, remove;
	bool auto_remove;	/* kobject_del() sends one */
};

static const struct uk_remove_case uk_remove_cases[] = {
	{ "add sent: automatic remove", true, false, true },
	{ "remove already sent: none", true, true, false },
	{ "no add: no remove", false, false, false },
};

KUNIT_ARRAY_PARAM_DESC(uk_remove, uk_remove_cases, desc);

static void uevent_auto_remove(struct kunit *test)
{
	const struct uk_remove_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	u64 before;

	if (c->add)
		KUNIT_ASSERT_EQ(test, kobject_uevent(ctx->dev, KOBJ_ADD), 0);
	if (c->remove)
		KUNIT_ASSERT_EQ(test, kobject_uevent(ctx->dev, KOBJ_REMOVE), 0);
	while (uk_next(ctx) > 0)
		;

	/* The test's cleanup puts ctx->dev after this. */
	before = atomic64_read(&uevent_seqnum);
	kobject_del(ctx->dev);
	if (!c->auto_remove) {
		uk_expect_none(test, before);
		return;
	}
	/* kobject_del() returns nothing: the event is all there is. */
	uk_expect_event(test, 0, "remove@/uevent_kunit/dev0",
			"ACTION=remove DEVPATH=/uevent_kunit/dev0 SUBSYSTEM=uevent_kunit");
}

/* unbind strips every MODALIAS, from the caller and from the hook. */
static void uevent_unbind_modalias(struct kunit *test)
{
	static const char *const hook[] = { "MODALIAS=hook:1", "KEEP=1", NULL };
	struct uk_ctx *ctx = test->priv;

	uk_hooks.vars = hook;
	uk_expect_event(test, kobject_uevent_env(ctx->dev, KOBJ_BIND,
						 uk_ext_modalias),
			"bind@/uevent_kunit/dev0",
			"ACTION=bind DEVPATH=/uevent_kunit/dev0 SUBSYSTEM=uevent_kunit MODALIAS=ext:1 X=1 MODALIAS=hook:1 KEEP=1");
	uk_expect_event(test, kobject_uevent_env(ctx->dev, KOBJ_UNBIND,
						 uk_ext_modalias),
			"unbind@/uevent_kunit/dev0",
			"ACTION=unbind DEVPATH=/uevent_kunit/dev0 SUBSYSTEM=uevent_kunit X=1 KEEP=1");
}

/* kobject_rename() sends move with the caller's DEVPATH_OLD. */
static void uevent_move(struct kunit *test)
{
	struct uk_ctx *ctx = test->priv;

	uk_expect_event(test, kobject_rename(ctx->dev, "dev1"),
			"move@/uevent_kunit/dev1",
			"ACTION=move DEVPATH=/uevent_kunit/dev1 SUBSYSTEM=uevent_kunit DEVPATH_OLD=/uevent_kunit/dev0");
}

/* ------------------------------------------------------------------ */
/* Synthetic uevents                                                   */

/* Each case is named after its input as written in the table below. */
struct uk_synth_case {
	const char *desc;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	int ret;
	const char *action;	/* the event sent when ret == 0 */
	const char *vars;	/* its variables after SUBSYSTEM */
};

#define OK(_in, _action, _vars) { #_in, _in, 0, 0, _action, _vars }
#define OKN(_in, _len, _action, _vars)					\
	{ #_in ", " #_len, _in, _len, 0, _action, _vars }
#define BAD(_in) { #_in, _in, 0, -EINVAL }
#define BADN(_in, _len) { #_in ", " #_len, _in, _len, -EINVAL }

static const struct uk_synth_case uk_synth_cases[] = {
	OK("add", "add", "SYNTH_UUID=0"),
	OK("add\n", "add", "SYNTH_UUID=0"),
	OKN("add\0", 4, "add", "SYNTH_UUID=0"),
	OK("remove", "remove", "SYNTH_UUID=0"),
	OK("change", "change", "SYNTH_UUID=0"),
	OK("move\n", "move", "SYNTH_UUID=0"),
	OK("online", "online", "SYNTH_UUID=0"),
	OK("offline", "offline", "SYNTH_UUID=0"),
	OK("bind", "bind", "SYNTH_UUID=0"),
	OK("unbind", "unbind", "SYNTH_UUID=0"),
	OKN("changeXYZ", 6, "change", "SYNTH_UUID=0"),
	OK("add " UK_UUID, "add", "SYNTH_UUID=" UK_UUID),
	OK("add " UK_UUID "\n", "add", "SYNTH_UUID=" UK_UUID),
	OK("change " UK_UUID " A=1", "change",
	   "SYNTH_UUID=" UK_UUID " SYNTH_ARG_A=1"),
	OK("change " UK_UUID " A=1 B=2\n", "change",
	   "SYNTH_UUID=" UK_UUID " SYNTH_ARG_A=1 SYNTH_ARG_B=2"),
	OK("change " UK_UUID " key=Value9 K2=v2 K3=v3", "change",
	   "SYNTH_UUID=" UK_UUID " SYNTH_ARG_key=Value9 SYNTH_ARG_K2=v2 SYNTH_ARG_K3=v3"),
	OK("add 01234567-89AB-CDEF-0123-456789ABCDEF", "add",
	   "SYNTH_UUID=01234567-89AB-CDEF-0123-456789ABCDEF"),
	OK("add 00000000-0000-0000-0000-000000000000 x=y", "add",
	   "SYNTH_UUID=00000000-0000-0000-0000-000000000000 SYNTH_ARG_x=y"),
	OK("offline " UK_UUID " 0=0", "offline",
	   "SYNTH_UUID=" UK_UUID " SYNTH_ARG_0=0"),
	/* the kernel's ctype is Latin-1: é counts as a letter */
	OK("add " UK_UUID " \xe9=\xe9", "add",
	   "SYNTH_UUID=" UK_UUID " SYNTH_ARG_\xe9=\xe9"),
	OK("add " UK_UUID " A=1 A=2", "add",
	   "SYNTH_UUID=" UK_UUID " SYNTH_ARG_A=1 SYNTH_ARG_A=2"),
	BAD(""),
	BAD("\n"),
	BADN("\0", 1),
	BAD("ad"),
	BAD("adds"),
	BAD("ADD"),
	BAD("Add"),
	BAD(" add"),
	BAD("add "),
	BAD("add\x20\n"),
	BAD("add\n\n"),
	BAD("add\t"),
	BAD("add\r\n"),
	BAD("foo"),
	BAD("add  " UK_UUID),
	BAD("add " UK_UUID " "),
	BAD("add " UK_UUID "  A=1"),
	BAD("add " UK_UUID " A=1 "),
	BAD("add " UK_UUID " A=1  B=2"),
	BAD("add " UK_UUID " A"),
	BAD("add " UK_UUID " A="),
	BAD("add " UK_UUID " A=\n"),
	BAD("add " UK_UUID " =1"),
	BAD("add " UK_UUID " A==1"),
	BAD("add " UK_UUID " A=1=2"),
	BAD("add " UK_UUID " A-B=1"),
	BAD("add " UK_UUID " A_B=1"),
	BAD("add " UK_UUID " A=1-2"),
	BAD("add " UK_UUID " A=1 B"),
	BAD("add " UK_UUID " A=1\r"),
	BAD("add " UK_UUID " A=1\n\n"),
	BAD("add " UK_UUID "\tA=1"),
	BAD("add " UK_UUID "x"),
	BAD("add " UK_UUID "-"),
	BAD("add 0123"),
	BAD("add 01234567-89ab-cdef-0123-456789abcde"),
	BAD("add 0123456g-89ab-cdef-0123-456789abcdef"),
	BAD("add 01234567089ab-cdef-0123-456789abcdef"),
	BAD("add {01234567-89ab-cdef-0123-456789abcdef}"),
	BAD("add 0"),
	BAD("add x"),
	BADN("add\0 " UK_UUID, 41),
	BADN("add " UK_UUID " A=1\0B=2", 49),
	BADN("add " UK_UUID " A\0=1", 45),
};

KUNIT_ARRAY_PARAM_DESC(uk_synth, uk_synth_cases, desc);

static void uevent_synth(struct kunit *test)
{
	const struct uk_synth_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	size_t len = c->len ?: strlen(c->in);
	char header[64], vars[512];
	u64 before = atomic64_read(&uevent_seqnum);
	int ret;

	ret = kobject_synth_uevent(ctx->dev, c->in, len);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, ret, c->ret);
		uk_expect_none(test, before);
		return;
	}
	snprintf(header, sizeof(header), "%s@/uevent_kunit/dev0", c->action);
	snprintf(vars, sizeof(vars),
		 "ACTION=%s DEVPATH=/uevent_kunit/dev0 SUBSYSTEM=uevent_kunit %s",
		 c->action, c->vars);
	uk_expect_event(test, ret, header, vars);
}

/*
 * Argument lists at the edge of one environment: the synthetic
 * variables alone may take UEVENT_NUM_ENVP slots and UEVENT_BUFFER_SIZE
 * bytes.  Each argument is " Kn=V...": its variable is
 * "SYNTH_ARG_Kn=V...\0".
 */
struct uk_synth_size_case {
	const char *desc;
	unsigned int args;	/* arguments besides the UUID */
	unsigned int bytes;	/* total size of the synthetic variables */
	int ret;
};

static const struct uk_synth_size_case uk_synth_size_cases[] = {
	{ "59 arguments are sent", 59, 0, 0 },
	{ "60 arguments overflow the event", 60, 0, -ENOMEM },
	{ "63 arguments overflow the event", 63, 0, -ENOMEM },
	{ "64 arguments are rejected", 64, 0, -EINVAL },
	{ "1900 bytes are sent", 1, 1900, 0 },
	{ "2048 bytes overflow the event", 1, 2048, -ENOMEM },
	{ "2049 bytes are rejected", 1, 2049, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(uk_synth_size, uk_synth_size_cases, desc);

static void uevent_synth_size(struct kunit *test)
{
	const struct uk_synth_size_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	const size_t uuid_var = sizeof("SYNTH_UUID=") + 36;
	char *in = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	u64 before = atomic64_read(&uevent_seqnum);
	size_t len;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, in);
	len = scnprintf(in, PAGE_SIZE, "change %s", UK_UUID);
	if (c->bytes) {
		/* One argument whose variable brings the total to c->bytes. */
		len += scnprintf(in + len, PAGE_SIZE - len, " K0=");
		memset(in + len, 'v', c->bytes - uuid_var -
		       sizeof("SYNTH_ARG_K0="));
		len += c->bytes - uuid_var - sizeof("SYNTH_ARG_K0=");
	} else {
		for (i = 0; i < c->args; i++)
			len += scnprintf(in + len, PAGE_SIZE - len, " K%u=v", i);
	}

	/*
	 * The synthetic variables fit on their own, but the whole event
	 * (ACTION, DEVPATH, SUBSYSTEM) may not: the event then fails with
	 * -ENOMEM, as it always has.
	 */
	KUNIT_EXPECT_EQ(test, kobject_synth_uevent(ctx->dev, in, len), c->ret);
	if (c->ret)
		uk_expect_none(test, before);
	else
		KUNIT_EXPECT_GT(test, uk_next(ctx), 0);
}

/* ------------------------------------------------------------------ */
/* add_uevent_var() bounds                                             */

struct uk_bounds_case {
	const char *desc;
	unsigned int vars;	/* variables added before the last one */
	unsigned int fill;	/* bytes each of them takes, NUL included */
	unsigned int last;	/* bytes the last one takes, NUL included */
	int ret;
};

static const struct uk_bounds_case uk_bounds_cases[] = {
	{ "one var of 2048 bytes fits", 0, 0, 2048, 0 },
	{ "one var of 2049 bytes does not", 0, 0, 2049, -ENOMEM },
	{ "last var fills to 2048 exactly", 3, 500, 548, 0 },
	{ "last var one byte over", 3, 500, 549, -ENOMEM },
	{ "64th var fits", 63, 4, 4, 0 },
	{ "65th var does not", 64, 4, 4, -ENOMEM },
	{ "empty var fits", 0, 0, 1, 0 },
	{ "64 vars filling 2048 bytes", 63, 32, 32, 0 },
	{ "65th var with bytes to spare", 64, 8, 2, -ENOMEM },
};

KUNIT_ARRAY_PARAM_DESC(uk_bounds, uk_bounds_cases, desc);

static void uevent_add_var_bounds(struct kunit *test)
{
	const struct uk_bounds_case *c = test->param_value;
	struct kobj_uevent_env *env;
	char *str = kunit_kzalloc(test, UEVENT_BUFFER_SIZE + 2, GFP_KERNEL);
	unsigned int i;
	int idx, buflen;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, str);

	for (i = 0; i < c->vars; i++) {
		memset(str, 'a', c->fill - 1);
		str[c->fill - 1] = '\0';
		KUNIT_ASSERT_EQ(test, add_uevent_var(env, "%s", str), 0);
	}
	idx = env->envp_idx;
	buflen = env->buflen;

	memset(str, 'b', c->last - 1);
	str[c->last - 1] = '\0';
	KUNIT_EXPECT_EQ(test, add_uevent_var(env, "%s", str), c->ret);
	if (c->ret) {
		/* A failed add leaves the environment as it was. */
		KUNIT_EXPECT_EQ(test, env->envp_idx, idx);
		KUNIT_EXPECT_EQ(test, env->buflen, buflen);
		return;
	}
	KUNIT_EXPECT_EQ(test, env->envp_idx, idx + 1);
	KUNIT_EXPECT_EQ(test, env->buflen, buflen + (int)c->last);
	KUNIT_EXPECT_STREQ(test, env->envp[idx], str);
	KUNIT_EXPECT_PTR_EQ(test, env->envp[idx], &env->buf[buflen]);
}

/*
 * A driver's event whose environment overflows is dropped with -ENOMEM,
 * takes no SEQNUM, and leaves one kernel log line that names it: the
 * caller may not check the error.
 */
static void uevent_overflow_logged(struct kunit *test)
{
	static const char want[] =
		"uevent: " UK_PREFIX "dev0: change event dropped: environment full";
	struct uk_ctx *ctx = test->priv;
	struct kmsg_dump_iter iter;
	bool found = false;
	char **envp, *line;
	u64 before;
	size_t len;
	int i;

	if (!IS_ENABLED(CONFIG_PRINTK))
		kunit_skip(test, "needs CONFIG_PRINTK");
	envp = kunit_kcalloc(test, UEVENT_NUM_ENVP + 1, sizeof(*envp),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, envp);
	line = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, line);
	for (i = 0; i < UEVENT_NUM_ENVP; i++)
		envp[i] = "OVERFLOW=1";

	/* Skip what the log holds already. */
	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, false, line, 511, &len))
		;
	before = atomic64_read(&uevent_seqnum);
	KUNIT_EXPECT_EQ(test, kobject_uevent_env(ctx->dev, KOBJ_CHANGE, envp),
			-ENOMEM);
	uk_expect_none(test, before);
	while (kmsg_dump_get_line(&iter, false, line, 511, &len)) {
		line[len] = '\0';
		if (strstr(line, want))
			found = true;
	}
	KUNIT_EXPECT_TRUE_MSG(test, found, "no log line \"%s\"", want);
}

/* ------------------------------------------------------------------ */
/* Network namespaces                                                  */

struct uk_nsobj {
	struct kobject kobj;
	const struct net *net;
};

/*
 * These kobjects are never added to sysfs, and kobject_cleanup() drops
 * the parent reference only for those that were: drop it here.
 */
static void uk_ns_release(struct kobject *kobj)
{
	kobject_put(kobj->parent);
	kfree(container_of(kobj, struct uk_nsobj, kobj));
}

static const void *uk_ns_namespace(const struct kobject *kobj)
{
	return container_of(kobj, struct uk_nsobj, kobj)->net;
}

static const struct kobj_ns_type_operations *
uk_child_ns_type(const struct kobject *kobj)
{
	return &net_ns_type_operations;
}

/* The parent's children are tagged with a network namespace. */
static const struct kobj_type uk_ns_parent_ktype = {
	.release = uk_ns_release,
	.child_ns_type = uk_child_ns_type,
};

static const struct kobj_type uk_ns_plain_ktype = {
	.release = uk_ns_release,
};

static const struct kobj_type uk_ns_child_ktype = {
	.release = uk_ns_release,
	.namespace = uk_ns_namespace,
};

/*
 * A kobject below @parent, set up without sysfs, tagged with @net; put
 * when the test ends.
 */
static struct kobject *uk_ns_kobj(struct kunit *test, struct kobject *parent,
				  const struct kobj_type *ktype,
				  const char *name, struct kset *kset,
				  const struct net *net)
{
	struct uk_nsobj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	kobject_init(&o->kobj, ktype);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_put_kobj,
							&o->kobj), 0);
	KUNIT_ASSERT_EQ(test, kobject_set_name(&o->kobj, "%s", name), 0);
	o->kobj.parent = kobject_get(parent);
	o->kobj.kset = kset;
	o->net = net;
	return &o->kobj;
}

struct uk_ns_case {
	const char *desc;
	enum uk_owner owner;
	bool tagged;		/* the event is tagged with the new namespace */
	bool in_init;		/* a listener in init_net receives it */
	bool in_new;		/* a listener in the new namespace receives it */
};

static const struct uk_ns_case uk_ns_cases[] = {
	{ "untagged reaches init-owned netns", UK_INIT_USERNS, false,
	  true, true },
	{ "untagged skips netns of new userns", UK_NEW_USERNS, false,
	  true, false },
	{ "tagged reaches only its netns", UK_INIT_USERNS, true,
	  false, true },
	{ "tagged reaches netns of new userns", UK_NEW_USERNS, true,
	  false, true },
};

KUNIT_ARRAY_PARAM_DESC(uk_ns, uk_ns_cases, desc);

static void uevent_netns_routing(struct kunit *test)
{
	const struct uk_ns_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	struct kobject *parent, *child;
	struct socket *sock;
	struct net *net;
	int len;

	net = uk_new_net(test, c->owner);
	sock = uk_listen(test, net);

	parent = uk_ns_kobj(test, &ctx->kset->kobj, &uk_ns_parent_ktype,
			    "nsparent", NULL, NULL);
	child = uk_ns_kobj(test, parent, c->tagged ? &uk_ns_child_ktype :
			   &uk_ns_plain_ktype, "nschild", ctx->kset, net);

	KUNIT_EXPECT_EQ(test, kobject_uevent(child, KOBJ_CHANGE), 0);

	len = uk_next(ctx);
	KUNIT_EXPECT_EQ(test, len > 0, c->in_init);
	len = uk_recv(sock, ctx->buf, MSG_DONTWAIT);
	KUNIT_EXPECT_EQ(test, len > 0, c->in_new);
	if (len > 0)
		uk_expect(test, ctx->buf, len,
			  "change@/uevent_kunit/nsparent/nschild",
			  "ACTION=change DEVPATH=/uevent_kunit/nsparent/nschild SUBSYSTEM=uevent_kunit");
}

/* ------------------------------------------------------------------ */
/* A namespace whose delivery is stuck                                 */

#define UK_STALL_EVENTS	16

struct uk_stall_case {
	const char *desc;
	enum uk_owner owner;	/* of the new namespace */
	bool hold_new;		/* stall the new namespace, else init_net */
	bool tagged;		/* every other event is tagged with the new one */
};

static const struct uk_stall_case uk_stall_cases[] = {
	{ "stalled namespace of init_user_ns delays no init_net listener",
	  UK_INIT_USERNS, true, false },
	{ "stalled init_net delays no listener of another namespace",
	  UK_INIT_USERNS, false, false },
	{ "stalled namespace of another user delays no untagged event",
	  UK_NEW_USERNS, true, true },
};

KUNIT_ARRAY_PARAM_DESC(uk_stall, uk_stall_cases, desc);

/*
 * Read @want messages from @sock, each with a higher SEQNUM than the
 * one before; store the SEQNUMs in @seq.  Waits at most the socket's
 * receive timeout for each: a safety net, not a measurement.
 */
static void uk_expect_in_order(struct kunit *test, struct socket *sock,
			       char *buf, unsigned int want, u64 *seq)
{
	unsigned int i;
	int len;

	for (i = 0; i < want; i++) {
		len = uk_recv(sock, buf, 0);
		KUNIT_ASSERT_GT_MSG(test, len, 0, "message %u of %u", i, want);
		seq[i] = uk_seqnum(buf, len);
		if (i)
			KUNIT_EXPECT_GT(test, seq[i], seq[i - 1]);
	}
}

/*
 * Hold one namespace's delivery the way a task stuck in its listeners'
 * socket filters would, and emit: every emitter returns at once, the
 * other namespace's listener gets its events, the stalled one nothing.
 * Released, the stalled namespace gets every event meant for it, in
 * order.
 */
static void uevent_stalled_namespace(struct kunit *test)
{
	const struct uk_stall_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	unsigned int i, now_want = 0, later_want = 0;
	struct socket *sock, *now, *later;
	struct kobject *parent, *child = NULL;
	struct net *net, *held;
	u64 *seq;

	net = uk_new_net(test, c->owner);
	sock = uk_listen(test, net);
	held = c->hold_new ? net : &init_net;
	now = c->hold_new ? ctx->sock : sock;
	later = c->hold_new ? sock : ctx->sock;
	now->sk->sk_rcvtimeo = 10 * HZ;
	later->sk->sk_rcvtimeo = 10 * HZ;
	seq = kunit_kcalloc(test, UK_STALL_EVENTS, sizeof(*seq), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seq);
	if (c->tagged) {
		parent = uk_ns_kobj(test, &ctx->kset->kobj, &uk_ns_parent_ktype,
				    "nsparent", NULL, NULL);
		child = uk_ns_kobj(test, parent, &uk_ns_child_ktype,
				   "nschild", ctx->kset, net);
	}

	uevent_net_hold(held);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							uk_release_delivery,
							held), 0);
	for (i = 0; i < UK_STALL_EVENTS; i++) {
		if (c->tagged && i % 2) {
			KUNIT_EXPECT_EQ(test, kobject_uevent(child, KOBJ_CHANGE),
					0);
			later_want++;
			continue;
		}
		KUNIT_EXPECT_EQ(test, kobject_uevent(ctx->dev, KOBJ_CHANGE), 0);
		now_want++;
		/* A namespace of another user gets no untagged event. */
		if (c->owner == UK_INIT_USERNS)
			later_want++;
	}

	uk_expect_in_order(test, now, ctx->buf, now_want, seq);
	/* Nothing can have reached the stalled namespace's socket. */
	KUNIT_EXPECT_EQ(test, skb_queue_len(&later->sk->sk_receive_queue), 0U);

	kunit_release_action(test, uk_release_delivery, held);
	uk_expect_in_order(test, later, ctx->buf, later_want, seq);
	KUNIT_EXPECT_EQ(test, uk_recv(later, ctx->buf, MSG_DONTWAIT), 0);
}

/* ------------------------------------------------------------------ */
/* Messages injected by user space                                     */

struct uk_inject_case {
	const char *desc;
	size_t payload;		/* bytes after the netlink header */
	bool drop_cap;		/* send without CAP_SYS_ADMIN */
	int err;		/* error in the acknowledgment */
};

static const struct uk_inject_case uk_inject_cases[] = {
	{ "small message is broadcast", 64, false, 0 },
	{ "message at the limit is broadcast", 2048 - NLMSG_HDRLEN - 32,
	  false, 0 },
	{ "oversized message fails EINVAL", 2048 - NLMSG_HDRLEN, false,
	  -EINVAL },
	{ "without CAP_SYS_ADMIN fails EPERM", 64, true, -EPERM },
};

KUNIT_ARRAY_PARAM_DESC(uk_inject, uk_inject_cases, desc);

/*
 * Send @len bytes of @payload from a socket in @net, the way user space
 * injects a message; return the error its acknowledgment carries.
 */
static int uk_inject_msg(struct kunit *test, struct net *net,
			 const char *payload, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
	};
	struct nlmsghdr *nlh;
	struct socket *tx;
	struct kvec iov;
	int n;

	nlh = kunit_kzalloc(test, UK_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	KUNIT_ASSERT_EQ(test, sock_create_kern(net, AF_NETLINK, SOCK_RAW,
					       NETLINK_KOBJECT_UEVENT, &tx), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_release_sock,
							tx), 0);
	nlh->nlmsg_len = NLMSG_HDRLEN + len;
	nlh->nlmsg_type = NLMSG_MIN_TYPE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	memcpy(nlmsg_data(nlh), payload, len);
	iov.iov_base = nlh;
	iov.iov_len = nlh->nlmsg_len;
	n = kernel_sendmsg(tx, &msg, &iov, 1, iov.iov_len);
	KUNIT_ASSERT_EQ(test, n, (int)nlh->nlmsg_len);

	memset(&msg, 0, sizeof(msg));
	iov.iov_len = UK_MSG_MAX;
	n = kernel_recvmsg(tx, &msg, &iov, 1, iov.iov_len, MSG_DONTWAIT);
	KUNIT_ASSERT_GT(test, n, (int)NLMSG_HDRLEN);
	KUNIT_ASSERT_EQ(test, nlh->nlmsg_type, NLMSG_ERROR);
	return ((struct nlmsgerr *)nlmsg_data(nlh))->error;
}

static void uevent_inject(struct kunit *test)
{
	const struct uk_inject_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	const struct cred *old = NULL;
	char *payload, *seq;
	int err, len, n;
	u64 before;

	payload = kunit_kzalloc(test, c->payload, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, payload);
	n = scnprintf(payload, c->payload, "change@/uevent_kunit/inj%cACTION=change",
		      0);
	memset(payload + n + 1, 'x', c->payload - n - 2);

	if (c->drop_cap) {
		struct cred *cred = prepare_creds();

		KUNIT_ASSERT_NOT_NULL(test, cred);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								uk_put_cred,
								cred), 0);
		cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
		old = override_creds(cred);
	}
	before = atomic64_read(&uevent_seqnum);
	/* The acknowledgment carries the result. */
	err = uk_inject_msg(test, &init_net, payload, c->payload);
	if (old)
		revert_creds(old);
	KUNIT_EXPECT_EQ(test, err, c->err);

	if (c->err) {
		uk_expect_none(test, before);
		return;
	}
	/* The payload goes out unchanged with SEQNUM=n\0 appended. */
	len = uk_next(ctx);
	KUNIT_ASSERT_GT(test, len, (int)c->payload);
	KUNIT_EXPECT_MEMEQ(test, ctx->buf, payload, c->payload);
	seq = ctx->buf + c->payload;
	KUNIT_EXPECT_EQ(test, (size_t)len, c->payload + strlen(seq) + 1);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(seq, "SEQNUM="));
	KUNIT_EXPECT_EQ(test, uk_seqnum(ctx->buf, len), before + 1);
}

/* ------------------------------------------------------------------ */
/* Socket filters of other listeners                                   */

/*
 * A listener whose classic BPF filter keeps only the first @snaplen
 * bytes of every message ("ret #snaplen"), as any unprivileged user
 * may attach.  The filter goes through setsockopt() from user memory,
 * the way user space attaches it, and the socket is bound after the
 * ones created before it, so netlink offers it each message first.
 */
static struct socket *uk_listen_snaplen(struct kunit *test, struct net *net,
					u32 snaplen)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, snaplen);
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	struct sock_fprog fprog = { .len = 1 };
	struct socket *sock;
	unsigned long uaddr;

	uaddr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!uaddr || IS_ERR_VALUE(uaddr))
		kunit_skip(test, "no user memory for the filter program");
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)uaddr, &insn,
					   sizeof(insn)), 0);
	fprog.filter = (struct sock_filter __user *)uaddr;

	KUNIT_ASSERT_EQ(test, sock_create_kern(net, AF_NETLINK, SOCK_RAW,
					       NETLINK_KOBJECT_UEVENT, &sock), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_release_sock,
							sock), 0);
	KUNIT_ASSERT_EQ(test, sock_setsockopt(sock, SOL_SOCKET,
					      SO_ATTACH_FILTER,
					      KERNEL_SOCKPTR(&fprog),
					      sizeof(fprog)), 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	sock_set_rcvbuf(sock->sk, 16 << 20);
	return sock;
}

/*
 * Whether @sock, filtered to @snaplen bytes, holds the first bytes of
 * the @len byte message @full, and nothing longer than @snaplen.
 */
static bool uk_got_prefix(struct kunit *test, struct socket *sock,
			  u32 snaplen, const char *full, int len)
{
	char *buf = kunit_kzalloc(test, UK_MSG_MAX, GFP_KERNEL);
	int want = min_t(int, snaplen, len);
	struct msghdr msg = { };
	bool found = false;
	struct kvec iov;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = UK_MSG_MAX;
		n = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len,
				   MSG_DONTWAIT);
		if (n < 0)
			break;
		KUNIT_EXPECT_LE(test, n, (int)snaplen);
		if (n == want && !memcmp(buf, full, n))
			found = true;
	}
	return found;
}

enum uk_kind { UK_UNTAGGED, UK_TAGGED, UK_INJECTED };

struct uk_snaplen_case {
	const char *desc;
	u32 snaplen;
	enum uk_kind kind;
	bool several;	/* a second network namespace listens too */
	bool congested;	/* the filtered listener's buffer is full */
};

static const struct uk_snaplen_case uk_snaplen_cases[] = {
	{ "untagged, 1 byte, one netns", 1, UK_UNTAGGED, false },
	{ "untagged, 64 bytes, one netns", 64, UK_UNTAGGED, false },
	{ "untagged, 1 byte, two netns", 1, UK_UNTAGGED, true },
	{ "untagged, 64 bytes, two netns", 64, UK_UNTAGGED, true },
	{ "tagged, 1 byte, one netns", 1, UK_TAGGED, false },
	{ "tagged, 64 bytes, one netns", 64, UK_TAGGED, false },
	{ "tagged, 1 byte, two netns", 1, UK_TAGGED, true },
	{ "tagged, 64 bytes, two netns", 64, UK_TAGGED, true },
	{ "injected, 1 byte, one netns", 1, UK_INJECTED, false },
	{ "injected, 64 bytes, one netns", 64, UK_INJECTED, false },
	{ "injected, 1 byte, two netns", 1, UK_INJECTED, true },
	{ "injected, 64 bytes, two netns", 64, UK_INJECTED, true },
	{ "untagged, 1 byte, filtered one full", 1, UK_UNTAGGED, false, true },
	{ "tagged, 1 byte, filtered one full", 1, UK_TAGGED, false, true },
	{ "injected, 1 byte, filtered one full", 1, UK_INJECTED, false, true },
};

KUNIT_ARRAY_PARAM_DESC(uk_snaplen, uk_snaplen_cases, desc);

/*
 * Shrink @sock's receive buffer and send events until netlink no longer
 * queues them to it, as with a listener that never reads.  The full
 * listener's copies are drained.
 */
static void uk_congest(struct kunit *test, struct uk_ctx *ctx,
		       struct socket *sock)
{
	struct sock *sk = sock->sk;
	int i, queued;

	sock_set_rcvbuf(sk, 0);
	for (i = 0; i < 256; i++) {
		queued = atomic_read(&sk->sk_rmem_alloc);
		KUNIT_ASSERT_EQ(test, kobject_uevent(ctx->dev, KOBJ_CHANGE), 0);
		if (atomic_read(&sk->sk_rmem_alloc) == queued)
			break;
	}
	KUNIT_ASSERT_LT_MSG(test, i, 256, "the listener never filled up");
	while (uk_next(ctx) > 0)
		;
}

/*
 * A full listener bound first and a filtered one bound after it, in
 * init_net and, for the "two netns" cases, in a second namespace as
 * well, where tagged and injected messages are then sent.  Every full
 * listener that is sent the message must receive all of its bytes, and
 * every filtered one exactly its snaplen: one listener's filter must
 * not change what another receives, also when the filtered listener's
 * buffer is full and netlink cannot queue to it.
 */
static void uevent_snaplen(struct kunit *test)
{
	static const char inj[] = "change@/uevent_kunit/inj\0ACTION=change\0"
				  "DEVPATH=/uevent_kunit/inj\0"
				  "SUBSYSTEM=uevent_kunit\0";
	static const char hdr[] = "change@/uevent_kunit/nsparent/nschild";
	static const char vars[] =
		"ACTION=change DEVPATH=/uevent_kunit/nsparent/nschild SUBSYSTEM=uevent_kunit";
	const struct uk_snaplen_case *c = test->param_value;
	struct uk_ctx *ctx = test->priv;
	struct socket *full[2] = { ctx->sock }, *filt[2];
	struct net *nets[2] = { &init_net }, *target;
	struct kobject *parent, *child;
	int i, n, len[2], first_len = 0;
	bool gets[2];
	char *first;

	filt[0] = uk_listen_snaplen(test, &init_net, c->snaplen);
	if (c->several) {
		nets[1] = uk_new_net(test, UK_INIT_USERNS);
		full[1] = uk_listen(test, nets[1]);
		filt[1] = uk_listen_snaplen(test, nets[1], c->snaplen);
	}
	n = c->several ? 2 : 1;
	target = nets[n - 1];
	for (i = 0; i < n; i++)
		gets[i] = c->kind == UK_UNTAGGED || nets[i] == target;
	if (c->congested)
		uk_congest(test, ctx, filt[0]);

	if (c->kind == UK_INJECTED) {
		KUNIT_ASSERT_EQ(test, uk_inject_msg(test, target, inj,
						    sizeof(inj) - 1), 0);
	} else {
		parent = uk_ns_kobj(test, &ctx->kset->kobj,
				    &uk_ns_parent_ktype, "nsparent", NULL,
				    NULL);
		child = uk_ns_kobj(test, parent, c->kind == UK_TAGGED ?
				   &uk_ns_child_ktype : &uk_ns_plain_ktype,
				   "nschild", ctx->kset, target);
		KUNIT_ASSERT_EQ(test, kobject_uevent(child, KOBJ_CHANGE), 0);
	}

	first = kunit_kzalloc(test, UK_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	for (i = 0; i < n; i++) {
		len[i] = uk_recv(full[i], ctx->buf, MSG_DONTWAIT);
		KUNIT_EXPECT_EQ_MSG(test, len[i] > 0, gets[i], "netns %d", i);
		if (len[i] <= 0)
			continue;
		if (c->kind == UK_INJECTED) {
			KUNIT_EXPECT_GT(test, len[i], (int)sizeof(inj) - 1);
			KUNIT_EXPECT_MEMEQ(test, ctx->buf, inj,
					   min_t(int, len[i], sizeof(inj) - 1));
			KUNIT_EXPECT_TRUE(test,
					  str_has_prefix(ctx->buf + sizeof(inj) - 1,
							 "SEQNUM="));
		} else {
			uk_expect(test, ctx->buf, len[i], hdr, vars);
		}
		/* Listeners of two namespaces get the same bytes. */
		if (!first_len) {
			first_len = len[i];
			memcpy(first, ctx->buf, len[i]);
		} else {
			KUNIT_EXPECT_EQ(test, len[i], first_len);
			KUNIT_EXPECT_MEMEQ(test, ctx->buf, first,
					   min(len[i], first_len));
		}
		/* A full socket takes nothing new; the others their snaplen. */
		if (!c->congested)
			KUNIT_EXPECT_TRUE_MSG(test,
					      uk_got_prefix(test, filt[i],
							    c->snaplen,
							    ctx->buf, len[i]),
					      "netns %d: filtered listener", i);
	}
}

/* ------------------------------------------------------------------ */
/* Ordering under concurrency                                          */

struct uk_stress {
	struct kobject *kobj;
	unsigned int events;
	bool stop;		/* the test ended early */
	int err;
	struct completion done;
};

static int uk_emitter(void *data)
{
	struct uk_stress *s = data;
	unsigned int i;

	for (i = 0; i < s->events && !s->err && !READ_ONCE(s->stop); i++) {
		s->err = kobject_uevent(s->kobj, KOBJ_CHANGE);
		if (!(i & 255))
			cond_resched();
	}
	complete(&s->done);
	return 0;
}

/* Wait until the emitter of @data is done with it; stop it if need be. */
static void uk_emitter_stop(void *data)
{
	struct uk_stress *s = data;

	WRITE_ONCE(s->stop, true);
	wait_for_completion(&s->done);
}

/*
 * Several threads emit at once while one listener reads.  Every
 * message the listener gets must carry a higher SEQNUM than the one
 * before it.  Gaps are allowed only when the socket reported ENOBUFS.
 */
static void uevent_order_stress(struct kunit *test)
{
	unsigned int threads = max(4U, num_online_cpus());
	unsigned int received = 0, disorder = 0, overruns = 0, gaps = 0;
	struct uk_ctx *ctx = test->priv;
	struct task_struct *task;
	struct uk_stress *s;
	u64 last = 0, seq;
	bool finished = false;
	char name[16];
	unsigned int i;
	int len;

	s = kunit_kcalloc(test, threads, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	ctx->sock->sk->sk_rcvtimeo = HZ / 10;

	for (i = 0; i < threads; i++) {
		snprintf(name, sizeof(name), "emit%u", i);
		s[i].kobj = uk_add(test, ctx, name);
		s[i].events = DIV_ROUND_UP(stress_events, threads);
		init_completion(&s[i].done);
	}
	for (i = 0; i < threads; i++) {
		task = kthread_run(uk_emitter, &s[i], "uk_emit%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								uk_emitter_stop,
								&s[i]), 0);
	}

	for (;;) {
		len = uk_recv(ctx->sock, ctx->buf, 0);
		if (len == -ENOBUFS) {
			overruns++;
			continue;
		}
		if (len <= 0) {
			/* Once every emitter is done, one more empty read ends it. */
			if (finished)
				break;
			finished = true;
			for (i = 0; i < threads; i++)
				if (!completion_done(&s[i].done))
					finished = false;
			continue;
		}
		seq = uk_seqnum(ctx->buf, len);
		if (seq <= last)
			disorder++;
		else if (last && seq != last + 1)
			gaps++;
		last = max(last, seq);
		received++;
	}

	for (i = 0; i < threads; i++)
		KUNIT_EXPECT_EQ(test, s[i].err, 0);
	kunit_info(test, "%u threads, %u events, %u received, %u out of order, %u gaps, %u ENOBUFS",
		   threads, threads * s[0].events, received, disorder, gaps,
		   overruns);
	KUNIT_EXPECT_GE(test, threads * s[0].events, stress_events);
	KUNIT_EXPECT_GT(test, received, 0U);
	KUNIT_EXPECT_EQ(test, disorder, 0U);
}

/* ------------------------------------------------------------------ */
/* Renames while events are sent                                       */

#define UK_RENAMES	1000
#define UK_LONG_NAME	"dev0-renamed-to-a-name-that-needs-its-own-allocation"

static int uk_renamer(void *data)
{
	struct uk_stress *s = data;
	unsigned int i;

	for (i = 0; i < s->events && !s->err && !READ_ONCE(s->stop); i++) {
		s->err = kobject_rename(s->kobj, i & 1 ? "dev0" : UK_LONG_NAME);
		cond_resched();
	}
	complete(&s->done);
	return 0;
}

/* Count a received message whose DEVPATH is neither name of dev0. */
static void uk_check_devpath(struct kunit *test, struct uk_ctx *ctx, int len,
			     unsigned int *bad)
{
	const char *v = uk_var(ctx->buf, len, "DEVPATH");

	if (!v || (strcmp(v, "/" UK_KSET "/dev0") &&
		   strcmp(v, "/" UK_KSET "/" UK_LONG_NAME)))
		(*bad)++;
}

/*
 * One thread renames dev0 back and forth, which frees its old name each
 * time, while this one sends events for it.  Building an event must
 * read a whole name, the old one or the new one, and never freed memory
 * (KASAN reports that in the debug run).  Every DEVPATH received names
 * dev0 by one of its two names.
 */
static void uevent_rename_race(struct kunit *test)
{
	unsigned int sent = 0, received = 0, bad = 0;
	struct uk_ctx *ctx = test->priv;
	struct task_struct *task;
	struct uk_stress *s;
	int len;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->kobj = ctx->dev;
	s->events = UK_RENAMES;
	init_completion(&s->done);
	task = kthread_run(uk_renamer, s, "uk_rename");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, uk_emitter_stop,
							s), 0);

	while (!completion_done(&s->done)) {
		KUNIT_EXPECT_EQ(test, kobject_uevent(ctx->dev, KOBJ_CHANGE), 0);
		sent++;
		while ((len = uk_next(ctx)) > 0) {
			uk_check_devpath(test, ctx, len, &bad);
			received++;
		}
		cond_resched();
	}
	kunit_release_action(test, uk_emitter_stop, s);
	while ((len = uk_next(ctx)) > 0) {
		uk_check_devpath(test, ctx, len, &bad);
		received++;
	}

	kunit_info(test, "%u renames, %u events sent, %u received",
		   UK_RENAMES, sent, received);
	KUNIT_EXPECT_EQ(test, s->err, 0);
	KUNIT_EXPECT_GT(test, sent, 0U);
	KUNIT_EXPECT_GE(test, received, sent);
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/* ------------------------------------------------------------------ */
/* Allocation failures                                                 */

#if IS_ENABLED(CONFIG_FAILSLAB)
/*
 * Whether fail_nth can make a GFP_KERNEL slab allocation fail now.
 * failslab passes over allocations that may sleep unless the kernel was
 * booted with failslab.ignore_gfp_wait=N (kunit.py --kernel_args) or
 * user space wrote N to /sys/kernel/debug/failslab/ignore-gfp-wait.
 */
static bool uk_failslab_fails_gfp_kernel(void)
{
	void *p;

	WRITE_ONCE(current->fail_nth, 1);
	p = kmalloc(8, GFP_KERNEL);
	WRITE_ONCE(current->fail_nth, 0);
	kfree(p);
	return !p;
}

/*
 * Fail the 1st, 2nd, ... slab allocation made while sending one event
 * until the event gets through.  Each failure must either return an
 * error and send nothing, leaving SEQNUM alone, or, when only the copy
 * for one listener failed inside netlink, be reported to that listener
 * as ENOBUFS.  KASAN watches the error paths for misuse.  The selftest
 * uevent_delivery covers the same from user space.
 */
static void uevent_alloc_failure(struct kunit *test)
{
	struct uk_ctx *ctx = test->priv;
	unsigned int nth, errors = 0, overruns = 0;
	bool left;
	u64 before;
	int ret;

	if (!uk_failslab_fails_gfp_kernel())
		kunit_skip(test,
			   "failslab ignores GFP_KERNEL allocations; boot with failslab.ignore_gfp_wait=N");

	uk_allocs_start(test);
	for (nth = 1; nth < 64; nth++) {
		before = atomic64_read(&uevent_seqnum);
		uk_allocs_pause(true);
		WRITE_ONCE(current->fail_nth, nth);
		ret = kobject_uevent_env(ctx->dev, KOBJ_CHANGE, uk_ext_one);
		left = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
		uk_allocs_pause(false);
		if (left) {
			/* Fewer than nth allocations: the event went out. */
			KUNIT_EXPECT_EQ(test, ret, 0);
			KUNIT_EXPECT_GT(test, uk_next(ctx), 0);
		} else if (ret) {
			errors++;
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			uk_expect_none(test, before);
		} else {
			overruns++;
			KUNIT_EXPECT_EQ(test, uk_next(ctx), -ENOBUFS);
		}
		/* Whatever the outcome, everything allocated is freed. */
		KUNIT_EXPECT_EQ(test, uk_allocs.live, 0U);
		KUNIT_EXPECT_FALSE(test, uk_allocs.overflow);
		uk_allocs.count = 0;
		if (left)
			break;
	}
	kunit_release_action(test, uk_allocs_stop, NULL);
	kunit_info(test, "%u allocation points: %u failed the event, %u overran the listener",
		   nth - 1, errors, overruns);
	KUNIT_EXPECT_GT(test, errors, 0U);
	KUNIT_EXPECT_LT(test, nth, 64U);
}
#else
static void uevent_alloc_failure(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAILSLAB");
}
#endif

static struct kunit_case uevent_cases[] = {
	KUNIT_CASE_PARAM(uevent_wire_bytes, uk_action_gen_params),
	KUNIT_CASE(uevent_env_order),
	KUNIT_CASE_PARAM(uevent_hooks, uk_hook_gen_params),
	KUNIT_CASE(uevent_no_kset),
	KUNIT_CASE_PARAM(uevent_auto_remove, uk_remove_gen_params),
	KUNIT_CASE(uevent_unbind_modalias),
	KUNIT_CASE(uevent_move),
	KUNIT_CASE_PARAM(uevent_synth, uk_synth_gen_params),
	KUNIT_CASE_PARAM(uevent_synth_size, uk_synth_size_gen_params),
	KUNIT_CASE_PARAM(uevent_add_var_bounds, uk_bounds_gen_params),
	KUNIT_CASE(uevent_overflow_logged),
	KUNIT_CASE_PARAM(uevent_netns_routing, uk_ns_gen_params),
	KUNIT_CASE_PARAM(uevent_stalled_namespace, uk_stall_gen_params),
	KUNIT_CASE_PARAM(uevent_inject, uk_inject_gen_params),
	KUNIT_CASE_PARAM(uevent_snaplen, uk_snaplen_gen_params),
	KUNIT_CASE_PARAM(uevent_alloc_count, uk_count_gen_params),
	KUNIT_CASE(uevent_alloc_failure),
	KUNIT_CASE_SLOW(uevent_order_stress),
	KUNIT_CASE_SLOW(uevent_rename_race),
	{}
};

/*
 * Several cases compare the global SEQNUM before and after an event
 * that must not take one: first wait, for at most ten seconds, until
 * the devices that boot probes in the background (with 4 CPUs, while
 * the suite runs) have sent no event for a second.
 */
static int uk_suite_init(struct kunit_suite *suite)
{
	u64 seq = atomic64_read(&uevent_seqnum), now;
	int quiet = 0, i;

	for (i = 0; i < 100 && quiet < 10; i++) {
		msleep(100);
		now = atomic64_read(&uevent_seqnum);
		quiet = now == seq ? quiet + 1 : 0;
		seq = now;
	}
	return 0;
}

static struct kunit_suite uevent_suite = {
	.name = "kobject_uevent",
	.suite_init = uk_suite_init,
	.init = uk_init,
	.exit = uk_exit,
	.test_cases = uevent_cases,
};

kunit_test_suite(uevent_suite);

MODULE_DESCRIPTION("KUnit tests for kobject uevents");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");

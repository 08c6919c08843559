// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for uevent subscriptions (NETLINK_UEVENT_SUBSCRIBE).
 *
 * Sets are written through the socket's setsockopt(), as user space
 * writes them, and read back with uevent_sub_get().  Events come from
 * kobjects in two ksets of the test's own, whose names are the events'
 * SUBSYSTEM.
 */

#include <kunit/test.h>
#include <kunit/uevent.h>
#include <kunit/visibility.h>
#include <linux/kobject.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <uapi/linux/uevent.h>

#include "../kobject_uevent.h"

#define USK_A		"kunit_sub_a"
#define USK_B		"kunit_sub_b"
/* Events of each kset in the storm. */
#define USK_STORM	1000

KUNIT_DEFINE_ACTION_WRAPPER(usk_release_sock, sock_release, struct socket *);
KUNIT_DEFINE_ACTION_WRAPPER(usk_unregister_kset, kset_unregister,
			    struct kset *);
KUNIT_DEFINE_ACTION_WRAPPER(usk_put_kobj, kobject_put, struct kobject *);

static void usk_kobj_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type usk_ktype = {
	.release = usk_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/* A kobject in a new kset @name, both gone when the test ends. */
static struct kobject *usk_kobj(struct kunit *test, const char *name)
{
	struct kobject *kobj;
	struct kset *kset;

	kset = kset_create_and_add(name, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, kset);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							usk_unregister_kset,
							kset), 0);
	kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kobj);
	kobject_init(kobj, &usk_ktype);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, usk_put_kobj,
							kobj), 0);
	kobj->kset = kset;
	KUNIT_ASSERT_EQ(test, kobject_add(kobj, NULL, "dev"), 0);
	return kobj;
}

/* An unbound socket of @protocol in the initial namespace. */
static struct socket *usk_socket(struct kunit *test, int protocol)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_NETLINK,
					       SOCK_RAW, protocol, &sock), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							usk_release_sock,
							sock), 0);
	return sock;
}

static struct uevent_sub usk_entry(const char *subsystem,
				   const char *devtype, u32 actions)
{
	struct uevent_sub e = { .actions = actions };

	strscpy(e.subsystem, subsystem ?: "", sizeof(e.subsystem));
	strscpy(e.devtype, devtype ?: "", sizeof(e.devtype));
	return e;
}

/* Set @len bytes at @subs as @sock's set, the way user space does. */
static int usk_set(struct socket *sock, const void *subs, unsigned int len)
{
	return sock->ops->setsockopt(sock, SOL_NETLINK,
				     NETLINK_UEVENT_SUBSCRIBE,
				     KERNEL_SOCKPTR((void *)subs), len);
}

/* Subscribe @sock to the events of subsystem @subsystem only. */
static void usk_subscribe(struct kunit *test, struct socket *sock,
			  const char *subsystem)
{
	struct uevent_sub e = usk_entry(subsystem, NULL, 0);

	KUNIT_ASSERT_EQ(test, usk_set(sock, &e, sizeof(e)), 0);
}

struct usk_match_case {
	const char *name;
	unsigned int n;
	struct {
		const char *subsystem;
		const char *devtype;
		u32 actions;
	} e[2];
	int action;
	const char *subsystem;
	const char *devtype;
	bool match;
};

static const struct usk_match_case usk_match_cases[] = {
	{ "empty set takes every event", 0, { }, KOBJ_CHANGE, "block",
	  "disk", true },
	{ "subsystem", 1, { { "block" } }, KOBJ_ADD, "block", "disk", true },
	{ "other subsystem", 1, { { "block" } }, KOBJ_ADD, "net", NULL,
	  false },
	{ "subsystem in other case", 1, { { "Block" } }, KOBJ_ADD, "block",
	  NULL, false },
	{ "subsystem prefix", 1, { { "bloc" } }, KOBJ_ADD, "block", NULL,
	  false },
	{ "longer subsystem", 1, { { "blocks" } }, KOBJ_ADD, "block", NULL,
	  false },
	{ "event without SUBSYSTEM", 1, { { "block" } }, KOBJ_ADD, NULL, NULL,
	  false },
	{ "action in mask", 1, { { "block", "", UEVENT_SUB_ADD |
				   UEVENT_SUB_REMOVE } }, KOBJ_REMOVE,
	  "block", NULL, true },
	{ "action not in mask", 1, { { "block", "", UEVENT_SUB_ADD } },
	  KOBJ_CHANGE, "block", NULL, false },
	{ "any action takes an unnamed one", 1, { { "block" } }, -1, "block",
	  NULL, true },
	{ "full mask misses an unnamed action", 1,
	  { { "block", "", UEVENT_SUB_ACTIONS } }, -1, "block", NULL, false },
	{ "devtype", 1, { { "block", "disk" } }, KOBJ_ADD, "block", "disk",
	  true },
	{ "other devtype", 1, { { "block", "disk" } }, KOBJ_ADD, "block",
	  "partition", false },
	{ "event without DEVTYPE", 1, { { "block", "disk" } }, KOBJ_ADD,
	  "block", NULL, false },
	{ "devtype alone", 1, { { "", "partition" } }, KOBJ_ADD, "block",
	  "partition", true },
	{ "actions alone", 1, { { "", "", UEVENT_SUB_BIND } }, KOBJ_BIND,
	  "usb", NULL, true },
	{ "second of two entries", 2, { { "net" }, { "block" } }, KOBJ_ADD,
	  "block", NULL, true },
	{ "neither of two entries", 2, { { "net" }, { "usb", "",
						     UEVENT_SUB_ADD } },
	  KOBJ_REMOVE, "usb", NULL, false },
};

KUNIT_ARRAY_PARAM_DESC(usk_match, usk_match_cases, name);

/* The filter netlink calls lets through exactly the matching events. */
static void uevent_subscribe_match(struct kunit *test)
{
	const struct usk_match_case *c = test->param_value;
	struct socket *sock = usk_socket(test, NETLINK_KOBJECT_UEVENT);
	struct uevent_sub subs[2];
	struct uevent_key key;
	unsigned int i;

	for (i = 0; i < c->n; i++)
		subs[i] = usk_entry(c->e[i].subsystem, c->e[i].devtype,
				    c->e[i].actions);
	KUNIT_ASSERT_EQ(test, usk_set(sock, subs, c->n * sizeof(subs[0])), 0);
	uevent_key_init(&key, c->action, c->subsystem, c->devtype);
	KUNIT_EXPECT_EQ(test, uevent_sub_filter(sock->sk, NULL, &key),
			c->match ? 0 : 1);
}

/* Messages as they are on the wire give the same answers. */
static void uevent_subscribe_parse(struct kunit *test)
{
	static const char msg[] = "remove@/devices/x\0ACTION=remove\0"
		"DEVPATH=/devices/x\0SUBSYSTEM=block\0DEVTYPE=disk\0"
		"SUBSYSTEM=net\0SEQNUM=7";
	static const char injected[] = "hello\0SUBSYSTEM=block\0SEQNUM=8";
	struct uevent_key key;

	uevent_key_parse(&key, msg, sizeof(msg));
	KUNIT_EXPECT_EQ(test, key.action, UEVENT_SUB_REMOVE);
	KUNIT_EXPECT_STREQ(test, key.subsystem, "block");
	KUNIT_EXPECT_STREQ(test, key.devtype, "disk");
	uevent_key_parse(&key, injected, sizeof(injected));
	KUNIT_EXPECT_EQ(test, key.action, 0U);
	KUNIT_EXPECT_STREQ(test, key.subsystem, "block");
	KUNIT_EXPECT_NULL(test, key.devtype);
}

struct usk_bad_case {
	const char *name;
	unsigned int entries;
	int extra;		/* bytes beyond whole entries */
	int mangle;
	int err;
};

enum {
	USK_WHOLE,
	USK_SUBSYSTEM_NO_NUL,
	USK_DEVTYPE_NO_NUL,
	USK_BYTE_AFTER_NUL,
	USK_FLAGS,
	USK_ACTION_BIT,
};

static const struct usk_bad_case usk_bad_cases[] = {
	{ "one byte short", 1, -1, USK_WHOLE, -EINVAL },
	{ "one byte over", 1, 1, USK_WHOLE, -EINVAL },
	{ "too many entries", UEVENT_SUB_MAX + 1, 0, USK_WHOLE, -E2BIG },
	{ "subsystem without NUL", 2, 0, USK_SUBSYSTEM_NO_NUL, -EINVAL },
	{ "devtype without NUL", 2, 0, USK_DEVTYPE_NO_NUL, -EINVAL },
	{ "byte after the NUL", 2, 0, USK_BYTE_AFTER_NUL, -EINVAL },
	{ "flags", 2, 0, USK_FLAGS, -EINVAL },
	{ "unknown action bit", 2, 0, USK_ACTION_BIT, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(usk_bad, usk_bad_cases, name);

/* A bad set fails whole and leaves the old set in place. */
static void uevent_subscribe_bad_input(struct kunit *test)
{
	const struct usk_bad_case *c = test->param_value;
	struct socket *sock = usk_socket(test, NETLINK_KOBJECT_UEVENT);
	struct uevent_sub old = usk_entry("block", "disk", UEVENT_SUB_ADD);
	struct uevent_sub *buf, *got;
	unsigned int i;

	buf = kunit_kcalloc(test, UEVENT_SUB_MAX + 1, sizeof(*buf),
			    GFP_KERNEL);
	got = kunit_kcalloc(test, UEVENT_SUB_MAX, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (i = 0; i <= UEVENT_SUB_MAX; i++)
		buf[i] = usk_entry("net", NULL, 0);
	/* The last entry is the bad one: the good ones are not kept. */
	i = c->entries - 1;
	switch (c->mangle) {
	case USK_SUBSYSTEM_NO_NUL:
		memset(buf[i].subsystem, 'a', sizeof(buf[i].subsystem));
		break;
	case USK_DEVTYPE_NO_NUL:
		memset(buf[i].devtype, 'a', sizeof(buf[i].devtype));
		break;
	case USK_BYTE_AFTER_NUL:
		buf[i].subsystem[sizeof(buf[i].subsystem) - 1] = 'x';
		break;
	case USK_FLAGS:
		buf[i].flags = 1;
		break;
	case USK_ACTION_BIT:
		buf[i].actions = UEVENT_SUB_ACTIONS + 1;
		break;
	}

	KUNIT_ASSERT_EQ(test, usk_set(sock, &old, sizeof(old)), 0);
	KUNIT_EXPECT_EQ(test, usk_set(sock, buf, c->entries * sizeof(*buf) +
				      c->extra), c->err);
	KUNIT_ASSERT_EQ(test, uevent_sub_get(sock->sk, got, UEVENT_SUB_MAX),
			1U);
	KUNIT_EXPECT_MEMEQ(test, got, &old, sizeof(old));
}

/* The option belongs to uevent sockets, at SOL_NETLINK only. */
static void uevent_subscribe_other_sockets(struct kunit *test)
{
	struct socket *route = usk_socket(test, NETLINK_ROUTE);
	struct socket *sock = usk_socket(test, NETLINK_KOBJECT_UEVENT);
	struct uevent_sub e = usk_entry("block", NULL, 0);

	KUNIT_EXPECT_EQ(test, usk_set(route, &e, sizeof(e)), -ENOPROTOOPT);
	KUNIT_EXPECT_EQ(test, sock->ops->setsockopt(sock, SOL_SOCKET,
						    NETLINK_UEVENT_SUBSCRIBE,
						    KERNEL_SOCKPTR(&e),
						    sizeof(e)), -ENOPROTOOPT);
	KUNIT_EXPECT_EQ(test, uevent_sub_get(sock->sk, &e, 1), 0U);
}

/* A new set replaces the old whole; the empty set clears it. */
static void uevent_subscribe_replace(struct kunit *test)
{
	struct socket *sock = usk_socket(test, NETLINK_KOBJECT_UEVENT);
	struct uevent_sub first = usk_entry("block", NULL, 0);
	struct uevent_sub second[2] = {
		usk_entry("net", NULL, UEVENT_SUB_ADD | UEVENT_SUB_CHANGE),
		usk_entry("usb", "usb_device", 0),
	};
	struct uevent_sub got[3];
	struct uevent_key key;

	KUNIT_EXPECT_EQ(test, uevent_sub_get(sock->sk, got, 3), 0U);
	KUNIT_ASSERT_EQ(test, usk_set(sock, &first, sizeof(first)), 0);
	KUNIT_ASSERT_EQ(test, usk_set(sock, second, sizeof(second)), 0);
	KUNIT_ASSERT_EQ(test, uevent_sub_get(sock->sk, got, 3), 2U);
	KUNIT_EXPECT_MEMEQ(test, got, second, sizeof(second));
	uevent_key_init(&key, KOBJ_ADD, "block", NULL);
	KUNIT_EXPECT_EQ(test, uevent_sub_filter(sock->sk, NULL, &key), 1);

	/* Only whole entries are copied; the count says how many exist. */
	memset(got, 0, sizeof(got));
	KUNIT_EXPECT_EQ(test, uevent_sub_get(sock->sk, got, 1), 2U);
	KUNIT_EXPECT_MEMEQ(test, &got[0], &second[0], sizeof(second[0]));
	KUNIT_EXPECT_EQ(test, got[1].subsystem[0], 0);

	KUNIT_ASSERT_EQ(test, usk_set(sock, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, uevent_sub_get(sock->sk, got, 3), 0U);
	KUNIT_EXPECT_EQ(test, uevent_sub_filter(sock->sk, NULL, &key), 0);
}

/* The SEQNUM of a received message: its last variable. */
static u64 usk_seqnum(const char *msg, int len)
{
	const char *var = msg + len - 1;
	u64 seq = 0;

	while (var > msg && var[-1])
		var--;
	if (str_has_prefix(var, "SEQNUM="))
		WARN_ON(kstrtoull(var + strlen("SEQNUM="), 10, &seq));
	return seq;
}

/*
 * Read everything queued for @sock, counting the events about
 * @devpath[0] and @devpath[1] in @count and the others in @count[2].
 * Fails @test on a socket error or a SEQNUM out of order.
 */
static void usk_drain(struct kunit *test, struct socket *sock,
		      const char *const devpath[2], unsigned int count[3])
{
	char *buf = kunit_kzalloc(test, KUNIT_UEVENT_MSG_MAX, GFP_KERNEL);
	struct msghdr msg = { };
	struct kvec iov;
	const char *at;
	u64 seq, last = 0;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	uevent_net_flush(&init_net);
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = KUNIT_UEVENT_MSG_MAX - 1;
		n = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len,
				   MSG_DONTWAIT);
		if (n == -EAGAIN)
			return;
		KUNIT_ASSERT_GT(test, n, 0);
		buf[n] = '\0';
		seq = usk_seqnum(buf, n);
		KUNIT_ASSERT_GT(test, seq, last);
		last = seq;
		at = strchr(buf, '@');
		if (at && !strcmp(at + 1, devpath[0]))
			count[0]++;
		else if (at && !strcmp(at + 1, devpath[1]))
			count[1]++;
		else
			count[2]++;
	}
}

/*
 * A socket subscribed to one kset's events and one without a set
 * listen to the same storm: the first gets exactly its events, the
 * second every event, both in SEQNUM order.
 */
static void uevent_subscribe_storm(struct kunit *test)
{
	struct kobject *a = usk_kobj(test, USK_A);
	struct kobject *b = usk_kobj(test, USK_B);
	const char *const devpath[2] = {
		kunit_uevent_devpath(test, a), kunit_uevent_devpath(test, b),
	};
	struct socket *sub = kunit_uevent_listen(test);
	struct socket *all = kunit_uevent_listen(test);
	unsigned int got_sub[3] = { }, got_all[3] = { };
	unsigned int i;

	usk_subscribe(test, sub, USK_A);
	for (i = 0; i < 2 * USK_STORM; i++)
		KUNIT_ASSERT_EQ(test, kobject_uevent(i % 2 ? b : a,
						     KOBJ_CHANGE), 0);
	usk_drain(test, sub, devpath, got_sub);
	usk_drain(test, all, devpath, got_all);
	KUNIT_EXPECT_EQ(test, got_sub[0], USK_STORM);
	KUNIT_EXPECT_EQ(test, got_sub[1], 0U);
	KUNIT_EXPECT_EQ(test, got_sub[2], 0U);
	KUNIT_EXPECT_EQ(test, got_all[0], USK_STORM);
	KUNIT_EXPECT_EQ(test, got_all[1], USK_STORM);
}

/* A group member of the test's namespace without a set. */
static int usk_unsubscribed(struct sock *sk, void *data)
{
	bool found;

	rcu_read_lock();
	found = !rcu_dereference_sk_user_data(sk);
	rcu_read_unlock();
	return found;
}

/*
 * Send an event of @kobj while delivery is held, and expect it queued
 * for the initial namespace (@queued) or not, its SEQNUM taken either
 * way.
 */
static void usk_expect_queued(struct kunit *test, struct kobject *kobj,
			      bool queued)
{
	unsigned int before = uevent_net_queued(&init_net);
	s64 seq = atomic64_read(&uevent_seqnum);

	uevent_net_hold(&init_net);
	KUNIT_EXPECT_EQ(test, kobject_uevent(kobj, KOBJ_CHANGE), 0);
	KUNIT_EXPECT_EQ(test, uevent_net_queued(&init_net),
			before + (queued ? 1 : 0));
	uevent_net_release(&init_net);
	/* Delivered under the set it was sent under. */
	uevent_net_flush(&init_net);
	KUNIT_EXPECT_GT(test, atomic64_read(&uevent_seqnum), seq);
}

/*
 * An event no listener of a namespace wants is not queued for it; the
 * summary follows the listeners' changes of subscription.
 */
static void uevent_subscribe_nothing_queued(struct kunit *test)
{
	struct kobject *a = usk_kobj(test, USK_A);
	struct kobject *b = usk_kobj(test, USK_B);
	const char *const devpath[2] = {
		kunit_uevent_devpath(test, a), kunit_uevent_devpath(test, b),
	};
	struct socket *sub = kunit_uevent_listen(test);
	unsigned int got[3] = { };

	usk_subscribe(test, sub, USK_A);
	if (netlink_walk_listeners(sub->sk, 1, usk_unsubscribed, NULL))
		kunit_skip(test, "another listener takes every event");

	usk_expect_queued(test, b, false);
	usk_expect_queued(test, a, true);
	KUNIT_ASSERT_EQ(test, usk_set(sub, NULL, 0), 0);
	usk_expect_queued(test, b, true);
	usk_subscribe(test, sub, USK_B);
	usk_expect_queued(test, a, false);
	usk_expect_queued(test, b, true);

	usk_drain(test, sub, devpath, got);
	KUNIT_EXPECT_EQ(test, got[0], 1U);
	KUNIT_EXPECT_EQ(test, got[1], 2U);
	KUNIT_EXPECT_EQ(test, got[2], 0U);
}

/* Join (@join) or leave uevent group 1 on @sock. */
static void usk_member(struct kunit *test, struct socket *sock, bool join)
{
	int group = 1;

	KUNIT_ASSERT_EQ(test, sock->ops->setsockopt(sock, SOL_NETLINK,
						    join ?
						    NETLINK_ADD_MEMBERSHIP :
						    NETLINK_DROP_MEMBERSHIP,
						    KERNEL_SOCKPTR(&group),
						    sizeof(group)), 0);
}

/*
 * The summary follows the listeners too: one without a set that joins
 * or leaves the group, and sets with more entries than it holds.
 */
static void uevent_subscribe_summary_follows_listeners(struct kunit *test)
{
	struct kobject *b = usk_kobj(test, USK_B);
	struct socket *sub = kunit_uevent_listen(test);
	struct socket *other = usk_socket(test, NETLINK_KOBJECT_UEVENT);
	struct uevent_sub *fill;
	unsigned int i, j;

	usk_subscribe(test, sub, USK_A);
	if (netlink_walk_listeners(sub->sk, 1, usk_unsubscribed, NULL))
		kunit_skip(test, "another listener takes every event");

	usk_expect_queued(test, b, false);
	usk_member(test, other, true);
	usk_expect_queued(test, b, true);
	usk_member(test, other, false);
	usk_expect_queued(test, b, false);
	usk_member(test, other, true);
	usk_subscribe(test, other, USK_A);
	usk_expect_queued(test, b, false);

	/* Three sets of distinct entries: more than a summary holds. */
	fill = kunit_kcalloc(test, UEVENT_SUB_MAX, sizeof(*fill), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fill);
	for (i = 0; i < 3; i++) {
		struct socket *s = usk_socket(test, NETLINK_KOBJECT_UEVENT);

		for (j = 0; j < UEVENT_SUB_MAX; j++)
			snprintf(fill[j].subsystem, sizeof(fill[j].subsystem),
				 "kunit_sub_fill_%u_%u", i, j);
		KUNIT_ASSERT_EQ(test, usk_set(s, fill, UEVENT_SUB_MAX *
					      sizeof(*fill)), 0);
		usk_member(test, s, true);
	}
	usk_expect_queued(test, b, true);
}

static struct kunit_case uevent_subscribe_cases[] = {
	KUNIT_CASE_PARAM(uevent_subscribe_match, usk_match_gen_params),
	KUNIT_CASE(uevent_subscribe_parse),
	KUNIT_CASE_PARAM(uevent_subscribe_bad_input, usk_bad_gen_params),
	KUNIT_CASE(uevent_subscribe_other_sockets),
	KUNIT_CASE(uevent_subscribe_replace),
	KUNIT_CASE(uevent_subscribe_storm),
	KUNIT_CASE(uevent_subscribe_nothing_queued),
	KUNIT_CASE(uevent_subscribe_summary_follows_listeners),
	{}
};

static struct kunit_suite uevent_subscribe_suite = {
	.name = "uevent_subscribe",
	.test_cases = uevent_subscribe_cases,
};

kunit_test_suite(uevent_subscribe_suite);

MODULE_DESCRIPTION("KUnit tests for uevent subscriptions");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");

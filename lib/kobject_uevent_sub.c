// SPDX-License-Identifier: GPL-2.0
/*
 * Subscriptions of uevent sockets: the events a listener wants.
 *
 * A NETLINK_KOBJECT_UEVENT socket may hold a set of entries, each naming
 * a subsystem, a device type and actions (struct uevent_sub); it then
 * receives only the events that match one of them.  The set hangs off
 * the socket's sk_user_data:
 *
 *  - it is replaced whole, under lock_sock(), and freed after an RCU
 *    grace period, so the broadcast filter, which runs for each socket
 *    a message reaches, reads it under rcu_read_lock() alone;
 *  - the socket's release hook frees it, after netlink took the socket
 *    off the list broadcasts walk.
 *
 * Each namespace's uevent socket keeps a summary of what its listeners
 * want (struct uevent_interest), so that an event none of them wants is
 * never built or queued for it.  The summary is rebuilt by walking the
 * listeners after netlink_listeners_seq() or uevent_sub_seq moved: a
 * summary read before a change is stale, never wrong, and a stale or
 * missing one takes every event.  Both counts are 64 bits wide, so a
 * summary never becomes valid again.
 */

#include <linux/jhash.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <net/sock.h>
#include <uapi/linux/uevent.h>

#include "kobject_uevent.h"

/* A socket's set: the entries as user space gave them, and their hashes. */
struct uevent_subs {
	struct rcu_head rcu;
	unsigned int n;
	struct {
		u32 subsystem;
		u32 devtype;
	} hash[UEVENT_SUB_MAX];
	struct uevent_sub sub[] __counted_by(n);
};

/* Sockets that hold a set; while 0, nobody filters. */
atomic_t uevent_sub_sockets = ATOMIC_INIT(0);

/*
 * Moves after every change of a set, after the set is in place; see
 * uevent_interest_build() for its pair.
 */
static atomic64_t uevent_sub_seq = ATOMIC64_INIT(0);

/* Summaries tell names apart by hash; 0 stands for "any". */
static u32 uevent_sub_hash(const char *name)
{
	return jhash(name, strlen(name), 0) ?: 1;
}

static_assert(UEVENT_SUB_ADD == 1U << KOBJ_ADD);
static_assert(UEVENT_SUB_REMOVE == 1U << KOBJ_REMOVE);
static_assert(UEVENT_SUB_CHANGE == 1U << KOBJ_CHANGE);
static_assert(UEVENT_SUB_MOVE == 1U << KOBJ_MOVE);
static_assert(UEVENT_SUB_ONLINE == 1U << KOBJ_ONLINE);
static_assert(UEVENT_SUB_OFFLINE == 1U << KOBJ_OFFLINE);
static_assert(UEVENT_SUB_BIND == 1U << KOBJ_BIND);
static_assert(UEVENT_SUB_UNBIND == 1U << KOBJ_UNBIND);
static_assert(sizeof(struct uevent_sub) == 136);

/**
 * uevent_key_init() - Describe an event for matching.
 * @key: Set to the event's fields.
 * @action: The event's action, or -1 for one that has no name.
 * @subsystem: Its SUBSYSTEM, or NULL if it has none.
 * @devtype: Its DEVTYPE, or NULL if it has none.
 *
 * The strings are not copied.
 *
 * Context: Any context.
 */
void uevent_key_init(struct uevent_key *key, int action,
		     const char *subsystem, const char *devtype)
{
	key->action = action >= 0 ? BIT(action) : 0;
	key->subsystem = subsystem;
	key->subsystem_hash = subsystem ? uevent_sub_hash(subsystem) : 0;
	key->devtype = devtype;
	key->devtype_hash = devtype ? uevent_sub_hash(devtype) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_key_init);

/**
 * uevent_key_parse() - Describe a message for matching.
 * @key: Set to the message's fields.
 * @msg: A uevent message, "action@devpath" and NUL-terminated variables.
 * @len: Its length; its last byte is a NUL.
 *
 * A header without '@', as a message written by user space may have,
 * names no action.  @key points into @msg.
 *
 * Context: Any context.
 */
void uevent_key_parse(struct uevent_key *key, const char *msg, size_t len)
{
	const char *end = msg + len, *var, *at;
	const char *subsystem = NULL, *devtype = NULL;
	enum kobject_action action;
	int named = -1;

	at = strchr(msg, '@');
	if (at && !uevent_action_lookup(msg, at - msg, &action))
		named = action;
	for (var = msg + strlen(msg) + 1; var < end; var += strlen(var) + 1) {
		/* The first of each, as uevent_emit() takes it. */
		if (!subsystem && str_has_prefix(var, "SUBSYSTEM="))
			subsystem = var + strlen("SUBSYSTEM=");
		else if (!devtype && str_has_prefix(var, "DEVTYPE="))
			devtype = var + strlen("DEVTYPE=");
	}
	uevent_key_init(key, named, subsystem, devtype);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_key_parse);

/* Whether the event in @key matches entry @i of @subs. */
static bool uevent_sub_entry_match(const struct uevent_subs *subs,
				   unsigned int i,
				   const struct uevent_key *key)
{
	const struct uevent_sub *e = &subs->sub[i];

	if (e->actions && !(e->actions & key->action))
		return false;
	if (e->subsystem[0] &&
	    (subs->hash[i].subsystem != key->subsystem_hash ||
	     strcmp(e->subsystem, key->subsystem)))
		return false;
	if (e->devtype[0] &&
	    (subs->hash[i].devtype != key->devtype_hash ||
	     strcmp(e->devtype, key->devtype)))
		return false;
	return true;
}

/**
 * uevent_sub_filter() - Tell netlink whether a listener wants an event.
 * @dsk: A socket the event is about to be queued to.
 * @skb: The message; not looked at.
 * @data: The event's &struct uevent_key.
 *
 * Context: Any context; takes the RCU read lock.
 * Return: 0 if @dsk holds no set or one of its entries matches, else 1.
 */
int uevent_sub_filter(struct sock *dsk, struct sk_buff *skb, void *data)
{
	const struct uevent_key *key = data;
	const struct uevent_subs *subs;
	unsigned int i;
	int skip = 0;

	rcu_read_lock();
	subs = rcu_dereference_sk_user_data(dsk);
	if (subs) {
		skip = 1;
		for (i = 0; i < subs->n && skip; i++)
			skip = !uevent_sub_entry_match(subs, i, key);
	}
	rcu_read_unlock();
	return skip;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_sub_filter);

/* A name field: a NUL within it, and nothing but NULs after the first. */
static bool uevent_sub_name_valid(const char *name)
{
	size_t len = strnlen(name, UEVENT_SUB_NAME_LEN);

	return len < UEVENT_SUB_NAME_LEN &&
	       !memchr_inv(name + len, 0, UEVENT_SUB_NAME_LEN - len);
}

/* Copy and check a set from user space; NULL for the empty one. */
static struct uevent_subs *uevent_subs_parse(sockptr_t optval,
					     unsigned int optlen)
{
	unsigned int n = optlen / sizeof(struct uevent_sub), i;
	struct uevent_subs *subs;

	if (optlen > UEVENT_SUB_MAX * sizeof(struct uevent_sub))
		return ERR_PTR(-E2BIG);
	if (optlen % sizeof(struct uevent_sub))
		return ERR_PTR(-EINVAL);
	if (!n)
		return NULL;

	subs = kmalloc(struct_size(subs, sub, n), GFP_KERNEL_ACCOUNT);
	if (!subs)
		return ERR_PTR(-ENOMEM);
	subs->n = n;
	if (copy_from_sockptr(subs->sub, optval, optlen)) {
		kfree(subs);
		return ERR_PTR(-EFAULT);
	}
	for (i = 0; i < n; i++) {
		const struct uevent_sub *e = &subs->sub[i];

		if (!uevent_sub_name_valid(e->subsystem) ||
		    !uevent_sub_name_valid(e->devtype) ||
		    e->actions & ~UEVENT_SUB_ACTIONS || e->flags) {
			kfree(subs);
			return ERR_PTR(-EINVAL);
		}
		subs->hash[i].subsystem = e->subsystem[0] ?
			uevent_sub_hash(e->subsystem) : 0;
		subs->hash[i].devtype = e->devtype[0] ?
			uevent_sub_hash(e->devtype) : 0;
	}
	return subs;
}

/* Install @subs (NULL: none) on @sk and free what it replaces. */
static void uevent_subs_swap(struct sock *sk, struct uevent_subs *subs)
{
	struct uevent_subs *old;

	lock_sock(sk);
	old = rcu_dereference_protected(__sk_user_data(sk),
					lockdep_sock_is_held(sk));
	rcu_assign_sk_user_data(sk, subs);
	release_sock(sk);

	if (subs && !old)
		atomic_inc(&uevent_sub_sockets);
	else if (!subs && old)
		atomic_dec(&uevent_sub_sockets);
	/*
	 * The set before the count: pairs with the acquire in
	 * uevent_interest_build().
	 */
	smp_mb__before_atomic();
	atomic64_inc(&uevent_sub_seq);
	kfree_rcu(old, rcu);
}

/**
 * uevent_sub_setsockopt() - Set a uevent socket's subscriptions.
 * @sk: The socket.
 * @optname: %NETLINK_UEVENT_SUBSCRIBE; anything else is not ours.
 * @optval: An array of &struct uevent_sub.
 * @optlen: Its size in bytes; 0 for the empty set.
 *
 * The set is checked whole before it replaces the socket's set; on any
 * error the old set stays.  Anyone who may open the socket may set it.
 *
 * Context: Process context; takes the socket lock.
 * Return: 0, -ENOPROTOOPT for another option, -E2BIG for more than
 * %UEVENT_SUB_MAX entries, -EINVAL for a size that is not a whole number
 * of entries or an entry with an unterminated name, bytes after a name's
 * NUL, unknown action bits or flags, -EFAULT or -ENOMEM.
 */
int uevent_sub_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			  unsigned int optlen)
{
	struct uevent_subs *subs;

	if (optname != NETLINK_UEVENT_SUBSCRIBE)
		return -ENOPROTOOPT;
	subs = uevent_subs_parse(optval, optlen);
	if (IS_ERR(subs))
		return PTR_ERR(subs);
	uevent_subs_swap(sk, subs);
	return 0;
}

/**
 * uevent_sub_get() - Copy out a uevent socket's subscriptions.
 * @sk: The socket.
 * @buf: Room for @max entries.
 * @max: Entries @buf takes.
 *
 * Context: Process context; takes the socket lock.
 * Return: The number of entries the socket holds; only the first @max
 * of them are copied.
 */
unsigned int uevent_sub_get(struct sock *sk, struct uevent_sub *buf,
			    unsigned int max)
{
	const struct uevent_subs *subs;
	unsigned int n = 0;

	lock_sock(sk);
	subs = rcu_dereference_protected(__sk_user_data(sk),
					 lockdep_sock_is_held(sk));
	if (subs) {
		n = subs->n;
		memcpy(buf, subs->sub, min(n, max) * sizeof(*buf));
	}
	release_sock(sk);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_sub_get);

/**
 * uevent_sub_getsockopt() - Read a uevent socket's subscriptions.
 * @sk: The socket.
 * @optname: %NETLINK_UEVENT_SUBSCRIBE; anything else is not ours.
 * @optval: Room for *@optlen bytes.
 * @optlen: In: the room; out: the size of the whole set.
 *
 * Copies the entries that fit whole, as %NETLINK_LIST_MEMBERSHIPS does,
 * and always reports the size the whole set needs: 0 for the empty set.
 *
 * Context: Process context; takes the socket lock.
 * Return: 0, -ENOPROTOOPT for another option, -EINVAL for a negative
 * room, -EFAULT or -ENOMEM.
 */
int uevent_sub_getsockopt(struct sock *sk, int optname, char __user *optval,
			  int __user *optlen)
{
	struct uevent_sub *buf;
	unsigned int n, fit;
	int len, ret = 0;

	if (optname != NETLINK_UEVENT_SUBSCRIBE)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	buf = kmalloc_array(UEVENT_SUB_MAX, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = uevent_sub_get(sk, buf, UEVENT_SUB_MAX);
	fit = min_t(unsigned int, n, len / sizeof(*buf));
	if (copy_to_user(optval, buf, fit * sizeof(*buf)) ||
	    put_user(n * sizeof(*buf), optlen))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}

/**
 * uevent_sub_release() - Free a closed uevent socket's subscriptions.
 * @sk: The socket; netlink no longer broadcasts to it.
 * @groups: Its groups; unused.
 *
 * Context: Process context.
 */
void uevent_sub_release(struct sock *sk, unsigned long *groups)
{
	if (rcu_access_pointer(__sk_user_data(sk)))
		uevent_subs_swap(sk, NULL);
}

/* ------------------------------------------------------------------ */
/* What the listeners of a namespace want                              */

/*
 * A summary of the sets of a namespace's listeners, good while both
 * counts it was built at still hold.  Entries compare hashes only, so a
 * summary may want an event no listener wants, never the reverse.
 */
#define UEVENT_INTEREST_MAX	64

struct uevent_interest {
	struct rcu_head rcu;
	u64 nl_seq;
	u64 sub_seq;
	/* A listener without a set, or more entries than fit. */
	bool all;
	unsigned int n;
	struct {
		u32 subsystem;
		u32 devtype;
		u32 actions;
	} e[UEVENT_INTEREST_MAX];
};

/* Add @sk's set to the summary in @data; runs under netlink's lock. */
static int uevent_interest_add(struct sock *sk, void *data)
{
	struct uevent_interest *in = data;
	const struct uevent_subs *subs;
	unsigned int i, j;

	rcu_read_lock();
	subs = rcu_dereference_sk_user_data(sk);
	for (i = 0; subs && i < subs->n && !in->all; i++) {
		u32 actions = subs->sub[i].actions;

		for (j = 0; j < in->n; j++) {
			if (in->e[j].subsystem != subs->hash[i].subsystem ||
			    in->e[j].devtype != subs->hash[i].devtype)
				continue;
			/* 0, any action, wins over any bits. */
			if (in->e[j].actions && actions)
				in->e[j].actions |= actions;
			else
				in->e[j].actions = 0;
			break;
		}
		if (j < in->n)
			continue;
		if (in->n == UEVENT_INTEREST_MAX) {
			in->all = true;
			break;
		}
		in->e[j].subsystem = subs->hash[i].subsystem;
		in->e[j].devtype = subs->hash[i].devtype;
		in->e[j].actions = actions;
		in->n++;
	}
	if (!subs)
		in->all = true;
	rcu_read_unlock();
	/* Nothing more to learn. */
	return in->all;
}

/**
 * uevent_interest_build() - Sum up what the listeners of a namespace want.
 * @ksk: The namespace's uevent socket.
 *
 * Context: Process context.
 * Return: The summary, to free with uevent_interest_free(), or NULL
 * without memory.
 */
struct uevent_interest *uevent_interest_build(struct sock *ksk)
{
	struct uevent_interest *in;

	in = kzalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return NULL;
	/* An acquire too: membership changes it counts are seen below. */
	in->nl_seq = netlink_listeners_seq(ksk);
	/*
	 * Pairs with smp_mb__before_atomic() in uevent_subs_swap(): a set
	 * changed before the count read here is seen by the walk.
	 */
	in->sub_seq = atomic64_read_acquire(&uevent_sub_seq);
	netlink_walk_listeners(ksk, 1, uevent_interest_add, in);
	return in;
}

/**
 * uevent_interest_free() - Free a summary once readers are done with it.
 * @in: The summary, or NULL.
 *
 * Context: Any context.
 */
void uevent_interest_free(struct uevent_interest *in)
{
	kfree_rcu(in, rcu);
}

/**
 * uevent_interest_valid() - Whether a summary still holds.
 * @in: A summary of @ksk's listeners, or NULL.
 * @ksk: The namespace's uevent socket.
 *
 * Context: Any context.
 * Return: false for NULL or a summary built before a change.
 */
bool uevent_interest_valid(const struct uevent_interest *in,
			   const struct sock *ksk)
{
	return in && in->nl_seq == netlink_listeners_seq(ksk) &&
	       in->sub_seq == atomic64_read(&uevent_sub_seq);
}

/**
 * uevent_interest_wants() - Whether a namespace's listeners may want an event.
 * @in: A summary of them.
 * @key: The event.
 *
 * Context: Any context.
 * Return: false only if no listener wants the event.
 */
bool uevent_interest_wants(const struct uevent_interest *in,
			   const struct uevent_key *key)
{
	unsigned int i;

	if (in->all)
		return true;
	for (i = 0; i < in->n; i++) {
		if ((!in->e[i].subsystem ||
		     in->e[i].subsystem == key->subsystem_hash) &&
		    (!in->e[i].devtype ||
		     in->e[i].devtype == key->devtype_hash) &&
		    (!in->e[i].actions || in->e[i].actions & key->action))
			return true;
	}
	return false;
}

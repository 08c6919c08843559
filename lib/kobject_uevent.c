// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel uevents: tell user space that a kobject changed.
 *
 * Copyright (C) 2004 Red Hat, Inc.  All rights reserved.
 * Copyright (C) 2004 Novell, Inc.  All rights reserved.
 * Copyright (C) 2004 IBM, Inc. All rights reserved.
 *
 * Authors:
 *	Robert Love		<rml@novell.com>
 *	Kay Sievers		<kay.sievers@vrfy.org>
 *	Arjan van de Ven	<arjanv@redhat.com>
 *	Greg Kroah-Hartman	<greg@kroah.com>
 *
 * Conventions used in this file:
 *
 * - One event is built in one struct kobj_uevent_env, in this order:
 *   ACTION, DEVPATH, SUBSYSTEM, the caller's variables, the variables of
 *   the kset's uevent() hook, and SEQNUM last.  DEVPATH is written into
 *   the environment in place; no separate path string is allocated.
 *
 * - The netlink message is "ACTION@DEVPATH\0" followed by the packed
 *   environment.  Its bytes, multicast group (1), sender port (0) and
 *   credentials (root, mapped into the owning user namespace of the
 *   receiving network namespace) are what user space has always seen.
 *   Netlink is always handed a shared reference to a message, so each
 *   listener gets its own clone and a listener's socket filter trims
 *   only that clone.
 *
 * - Ordering: everything that can fail (building the environment, the
 *   kset hooks, allocating the message with room for SEQNUM) happens
 *   first, without locks.  Then, under one short spinlock, the SEQNUM is
 *   taken and appended and the message is put in the delivery ring of
 *   every network namespace it goes to, so each ring is in strictly
 *   increasing SEQNUM order and an event that fails leaves no gap.
 *   SEQNUM is global: a gap seen by a listener means lost messages,
 *   which its socket reports as ENOBUFS, or events that went only to
 *   other network namespaces.
 *
 * - Delivery: a namespace's ring is handed to netlink, in order, by one
 *   task at a time: the emitter itself if no other task is delivering
 *   to that namespace, else that task or the namespace's work item.
 *   What a namespace's listeners cost (their number, socket filters,
 *   full receive queues) is paid by whoever delivers to that namespace
 *   and delays no event of another namespace.  An emitter never waits
 *   for another namespace's delivery; it waits for its own namespace
 *   only when UEVENT_QUEUE_MAX messages are waiting there, and only if
 *   the namespace is owned by the initial user namespace.  The events
 *   of other namespaces are dropped instead, reported as ENOBUFS.
 *
 * Locking:
 *
 * uevent_order_lock is the only lock that emitters with listeners
 * share.  It is taken with interrupts disabled and held only to take a
 * SEQNUM, format it and store the message in the rings; it orders every
 * ring's producers and protects changes to uevent_nets, which is also
 * read under RCU.  Each namespace's tx_mutex is held by the one task
 * that takes messages out of that namespace's ring and hands them to
 * netlink, whose locks nest inside it; it is never taken while
 * uevent_order_lock is held.  The ring's head and tail pass messages
 * between the two with acquire and release (uevent_ring_put(),
 * uevent_tx()).  uevent_seqnum is advanced only with
 * atomic64_inc_return() and may be read at any time
 * (/sys/kernel/uevent_seqnum); such a read is a snapshot, and the event
 * with that number may still be on its way to the sockets.  An event
 * that nobody listens to takes its SEQNUM without the lock.
 *
 * With the replay ring (lib/kobject_uevent_replay.c), every SEQNUM is
 * taken, and its event recorded, under the ring's lock, which nests
 * inside uevent_order_lock; its readers take no lock that emitters
 * take, and are woken by a work item.
 *
 * Deferred events (kobject_uevent_env_deferred()) wait on a list under
 * uevent_defer_lock, taken with interrupts disabled, never together
 * with another lock of this file, and held only to add, take or look
 * at list entries; a work item sends them one at a time, without the
 * lock, through the same path as any other event.
 */

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/kobject.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uidgid.h>
#include <linux/uio.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "kobject_uevent.h"

#define CREATE_TRACE_POINTS
#include <trace/events/uevent.h>

/* Sequence number of the last event sent; see "Locking" above. */
atomic64_t uevent_seqnum;

#ifdef CONFIG_UEVENT_HELPER
char uevent_helper[UEVENT_HELPER_PATH_LEN] = CONFIG_UEVENT_HELPER_PATH;
#endif

#define UEVENT_DEVPATH_KEY	"DEVPATH="
/* The room SEQNUM takes at most, NUL included. */
#define UEVENT_SEQNUM_MAX	sizeof("SEQNUM=18446744073709551615")

/*
 * What /sys/kernel/uevent/ counts, per CPU: events sent, those that
 * failed by reason (the failing enum uevent_drop_reason values, from
 * UEVENT_STAT_FAILED on), and losses on the way to the listeners.
 */
enum uevent_stat {
	UEVENT_STAT_SENT,
	UEVENT_STAT_OVERFLOWED,
	UEVENT_STAT_QUEUE_DROPPED,
	UEVENT_STAT_FAILED,
	UEVENT_STAT_NR = UEVENT_STAT_FAILED + UEVENT_DROP_MAX,
};

static DEFINE_PER_CPU(unsigned long, uevent_stats[UEVENT_STAT_NR]);

static void uevent_count(enum uevent_stat stat)
{
	this_cpu_inc(uevent_stats[stat]);
}

/*
 * Who asked for an event, for the tracepoints: the task that called
 * kobject_uevent_env_deferred(), or "<hardirq>" or "<softirq>" with
 * pid 0 if it was called from interrupt context.
 */
struct uevent_sender {
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static pid_t uevent_sender_pid(const struct uevent_sender *from)
{
	return from ? from->pid : current->pid;
}

static const char *uevent_sender_comm(const struct uevent_sender *from)
{
	return from ? from->comm : current->comm;
}

/*
 * An event whose environment is built: its message header is
 * "@action@@devpath\0", then the environment.  @from is NULL unless
 * the event was deferred.
 */
struct uevent_msg {
	const char *action;
	const char *devpath;
	size_t action_len;
	size_t devpath_len;
	const char *subsystem;
	const struct uevent_synth *synth;
	const struct uevent_sender *from;
	/* For the listeners' subscriptions; NULL while nobody has any. */
	const struct uevent_key *key;
};

/* Trace @msg, sent with SEQNUM @seq, which @env now ends with. */
static void uevent_trace_send(u64 seq, const struct kobj_uevent_env *env,
			      const struct uevent_msg *msg,
			      const struct net *net)
{
	char uuid[UUID_STRING_LEN + 1] = "";
	enum uevent_origin origin = UEVENT_ORIGIN_KERNEL;
	unsigned int size;

	if (!trace_uevent_send_enabled())
		return;
	if (msg->synth && msg->synth->text)
		strscpy(uuid, msg->synth->text, sizeof(uuid));
	else if (msg->synth)
		strscpy(uuid, "0", sizeof(uuid));
	if (msg->synth)
		origin = UEVENT_ORIGIN_SYNTH;
	else if (msg->from)
		origin = UEVENT_ORIGIN_DEFERRED;
	size = msg->action_len + msg->devpath_len + 2 + env->buflen;
	trace_uevent_send(seq, msg->action, msg->devpath, msg->subsystem, size,
			  env->envp_idx, origin, uuid, net ? net->ns.inum : 0,
			  uevent_sender_pid(msg->from),
			  uevent_sender_comm(msg->from));
}

/* ------------------------------------------------------------------ */
/* Netlink transport                                                   */

#ifdef CONFIG_NET

/*
 * The delivery queue of each namespace holds UEVENT_RING messages.  An
 * emitter finding more than UEVENT_QUEUE_MAX waiting for a namespace
 * owned by the initial user namespace first delivers from it itself; a
 * namespace of another user namespace drops the event instead, and so
 * does a queue that is completely full.  Its listeners get ENOBUFS.
 */
#define UEVENT_RING		1024
#define UEVENT_QUEUE_MAX	(UEVENT_RING / 2)
/* Messages an emitter hands to netlink before it leaves the rest. */
#define UEVENT_TX_BUDGET	16
/*
 * Namespaces an emitter delivers to itself, only ever by trylock; the
 * work item does the rest, so an event's latency does not grow with the
 * number of namespaces.  Most hosts have init_net and a few more.
 */
#define UEVENT_TX_INLINE	8

struct uevent_sock {
	struct list_head list;
	struct sock *sk;
	/*
	 * A ring of messages in SEQNUM order: @tail is advanced by
	 * emitters under uevent_order_lock, @head by the one task that
	 * holds @tx_mutex.  See uevent_ring_put() and uevent_tx().
	 */
	unsigned int head;
	unsigned int tail;
	/* Messages dropped and not yet reported to the listeners. */
	atomic_t lost;
	struct mutex tx_mutex;
	/* Delivers what emitters left in the ring. */
	struct work_struct tx_work;
	/*
	 * Emitters that queued to this namespace and may still deliver to
	 * it, plus one for the namespace; uevent_net_exit() waits for them.
	 * Taken under uevent_order_lock unless @dead, or under RCU.
	 */
	refcount_t users;
	bool dead;
	struct rcu_head rcu;
	struct sk_buff **ring;
	/*
	 * What the listeners want, while their subscriptions and
	 * memberships are as they were when it was built; replaced under
	 * @interest_mutex, read under RCU.  See uevent_sock_wants().
	 */
	struct uevent_interest __rcu *interest;
	struct mutex interest_mutex;	/* one rebuild of @interest at a time */
};

/* Runs the work items; they never sleep on a namespace's tx_mutex. */
static struct workqueue_struct *uevent_wq;

/*
 * Sockets of the network namespaces owned by the initial user namespace:
 * they receive every event that is not tagged with a network namespace.
 * Changed under uevent_order_lock; read under it or under RCU.
 */
static LIST_HEAD(uevent_nets);

/*
 * The one lock every emitter that has listeners shares: a SEQNUM is
 * taken and its message appended to the ring of each namespace it goes
 * to under it, so every ring is in SEQNUM order.  Held for a few stores
 * per namespace; never across an allocation, a socket filter or
 * anything that sleeps.
 */
static DEFINE_SPINLOCK(uevent_order_lock);

/* Untagged events reach @net, and it is on uevent_nets. */
static bool uevent_net_listed(const struct net *net)
{
	return net->user_ns == &init_user_ns;
}

/* The message without SEQNUM, with room to append the longest one. */
static struct sk_buff *uevent_build_skb(const struct kobj_uevent_env *env,
					const struct uevent_msg *msg)
{
	size_t alen = msg->action_len, dlen = msg->devpath_len;
	struct netlink_skb_parms *parms;
	struct sk_buff *skb;
	char *hdr;

	skb = alloc_skb(alen + dlen + 2 + env->buflen + UEVENT_SEQNUM_MAX,
			GFP_KERNEL);
	if (!skb)
		return NULL;

	hdr = skb_put(skb, alen + dlen + 2);
	memcpy(hdr, msg->action, alen);
	hdr[alen] = '@';
	memcpy(hdr + alen + 1, msg->devpath, dlen + 1);
	skb_put_data(skb, env->buf, env->buflen);

	parms = &NETLINK_CB(skb);
	parms->creds.uid = GLOBAL_ROOT_UID;
	parms->creds.gid = GLOBAL_ROOT_GID;
	parms->dst_group = 1;
	parms->portid = 0;
	return skb;
}

/* The SEQNUM of a queued message: its last variable. */
static u64 uevent_skb_seqnum(const struct sk_buff *skb)
{
	const char *start = skb->data, *var = start + skb->len - 1;
	u64 seq;

	while (var > start && var[-1])
		var--;
	if (!str_has_prefix(var, "SEQNUM=") ||
	    kstrtoull(var + strlen("SEQNUM="), 10, &seq))
		return 0;
	return seq;
}

/*
 * Queue @skb to the listeners of @sk; the caller keeps its reference.
 * Overflowing listeners are told by their own socket (ENOBUFS); that is
 * not an error of the sender.
 *
 * netlink_broadcast() hands an unshared skb itself to the first
 * listener, whose socket filter may trim it in place before later
 * listeners get their clones.  Any user may attach a filter to a uevent
 * socket, so the skb is always passed shared: every listener then gets
 * its own clone, and a filter trims only its own listener's copy.  An
 * untagged event is one skb in the rings of several namespaces, whose
 * deliverers may clone it at the same time: skb_clone() only reads the
 * source, but for setting skb->cloned, which they all set to 1.
 */
static void uevent_broadcast(struct sock *sk, struct sk_buff *skb)
{
	struct netlink_broadcast_stats stats;
	netlink_filter_fn filter = NULL;
	struct uevent_key key;

	/* A socket that subscribed gets only the events it wants. */
	if (uevent_subs_active()) {
		uevent_key_parse(&key, skb->data, skb->len);
		filter = uevent_sub_filter;
	}
	netlink_broadcast_counted(sk, skb_get(skb), 0, 1, GFP_KERNEL, filter,
				  &key, &stats);
	if (stats.overrun)
		uevent_count(UEVENT_STAT_OVERFLOWED);
	if (trace_uevent_deliver_enabled())
		trace_uevent_deliver(uevent_skb_seqnum(skb),
				     sock_net(sk)->ns.inum, stats.delivered,
				     stats.overrun, stats.filtered);
}

/* Messages waiting in the ring of @ue. */
static unsigned int uevent_ring_len(const struct uevent_sock *ue)
{
	return READ_ONCE(ue->tail) - READ_ONCE(ue->head);
}

/*
 * Append a reference to @skb to the ring of @ue; called with
 * uevent_order_lock held, in SEQNUM order.  Unless @force, a namespace
 * of another user namespace with more than UEVENT_QUEUE_MAX messages
 * waiting drops it; a full ring always does.
 */
static void uevent_ring_put(struct uevent_sock *ue, struct sk_buff *skb,
			    bool force)
{
	/* Pairs with smp_store_release() in uevent_tx(): slot is free. */
	unsigned int head = smp_load_acquire(&ue->head);
	unsigned int tail = ue->tail;

	lockdep_assert_held(&uevent_order_lock);
	if (tail - head >= UEVENT_RING ||
	    (!force && tail - head >= UEVENT_QUEUE_MAX &&
	     !uevent_net_listed(sock_net(ue->sk)))) {
		atomic_inc(&ue->lost);
		uevent_count(UEVENT_STAT_QUEUE_DROPPED);
		return;
	}
	ue->ring[tail % UEVENT_RING] = skb_get(skb);
	/* Pairs with smp_load_acquire() in uevent_tx(): slot is written. */
	smp_store_release(&ue->tail, tail + 1);
}

/*
 * Hand up to @budget waiting messages of @ue to netlink, in order.
 * Return whether messages are left.
 */
static bool uevent_tx(struct uevent_sock *ue, unsigned int budget)
{
	unsigned int head = ue->head;
	struct sk_buff *skb;

	lockdep_assert_held(&ue->tx_mutex);
	for (; budget; budget--) {
		/* Pairs with smp_store_release() in uevent_ring_put(). */
		if (head == smp_load_acquire(&ue->tail))
			break;
		skb = ue->ring[head % UEVENT_RING];
		uevent_broadcast(ue->sk, skb);
		consume_skb(skb);
		/* Pairs with smp_load_acquire() in uevent_ring_put(). */
		smp_store_release(&ue->head, ++head);
		if (atomic_read(&ue->lost) && atomic_xchg(&ue->lost, 0))
			netlink_set_err(ue->sk, 0, 1, ENOBUFS);
	}
	/* Pairs with smp_store_release() in uevent_ring_put(). */
	return head != smp_load_acquire(&ue->tail);
}

/* Hand everything waiting in the ring of @ue to netlink, in order. */
static void uevent_tx_drain(struct uevent_sock *ue)
{
	while (uevent_tx(ue, UEVENT_TX_BUDGET))
		cond_resched();
}

/*
 * Every holder of tx_mutex unlocks through here: a message added while
 * it held the mutex, whose emitter's trylock failed, is left to the
 * work item.
 */
static void uevent_tx_unlock(struct uevent_sock *ue)
{
	mutex_unlock(&ue->tx_mutex);
	if (uevent_ring_len(ue))
		queue_work(uevent_wq, &ue->tx_work);
}

/*
 * The work item only tries the mutex: if another task holds it, that
 * task requeues the work when it unlocks (uevent_tx_unlock()), so no
 * worker ever waits for a namespace whose listeners are slow.
 */
static void uevent_tx_work(struct work_struct *work)
{
	struct uevent_sock *ue = container_of(work, struct uevent_sock,
					      tx_work);

	if (!mutex_trylock(&ue->tx_mutex))
		return;
	uevent_tx_drain(ue);
	uevent_tx_unlock(ue);
}

/*
 * Deliver what is waiting for @ue now, unless another task is doing so;
 * then that task or the work item delivers it.  A task that finds the
 * ring empty under tx_mutex may unlock after a new message was added
 * and our trylock failed: that is why the work item is queued whenever
 * the trylock fails or messages are left.
 */
static void uevent_tx_kick(struct uevent_sock *ue)
{
	if (mutex_trylock(&ue->tx_mutex)) {
		uevent_tx(ue, UEVENT_TX_BUDGET);
		uevent_tx_unlock(ue);
		return;
	}
	queue_work(uevent_wq, &ue->tx_work);
}

/*
 * Make room in the ring of @ue by delivering from it, as every emitter
 * did before messages were queued.  Only for namespaces owned by the
 * initial user namespace, whose events are not dropped.
 */
static void uevent_tx_throttle(struct uevent_sock *ue)
{
	if (uevent_ring_len(ue) < UEVENT_QUEUE_MAX)
		return;
	mutex_lock(&ue->tx_mutex);
	while (uevent_ring_len(ue) >= UEVENT_QUEUE_MAX / 2 &&
	       uevent_tx(ue, UEVENT_TX_BUDGET))
		cond_resched();
	uevent_tx_unlock(ue);
}

/*
 * The namespaces an emitter delivers to once it has queued its message:
 * each pinned through its users count, so that it cannot go away
 * before the emitter is done with it.
 */
struct uevent_kicks {
	unsigned int n;
	struct uevent_sock *ue[UEVENT_TX_INLINE];
};

static void uevent_sock_put(struct uevent_sock *ue)
{
	if (refcount_dec_and_test(&ue->users))
		wake_up_var(&ue->users);
}

/*
 * Queue @skb to @ue and note the namespace for uevent_kick_all(); the
 * work item delivers to namespaces beyond UEVENT_TX_INLINE.  A
 * namespace on its way out gets nothing.
 */
static void uevent_queue_to(struct uevent_sock *ue, struct sk_buff *skb,
			    struct uevent_kicks *kicks)
{
	lockdep_assert_held(&uevent_order_lock);
	if (ue->dead)
		return;
	uevent_ring_put(ue, skb, false);
	if (kicks->n < UEVENT_TX_INLINE) {
		refcount_inc(&ue->users);
		kicks->ue[kicks->n++] = ue;
		return;
	}
	queue_work(uevent_wq, &ue->tx_work);
}

static void uevent_kick_all(struct uevent_kicks *kicks)
{
	unsigned int i;

	for (i = 0; i < kicks->n; i++) {
		uevent_tx_kick(kicks->ue[i]);
		uevent_sock_put(kicks->ue[i]);
	}
}

/* The network namespace @kobj is tagged with, or NULL if untagged. */
static const struct net *uevent_kobj_net(const struct kobject *kobj)
{
	const struct kobj_ns_type_operations *ops = kobj_ns_ops(kobj);

	if (!ops && kobj->kset && kobj->kset->kobj.parent)
		ops = kobj_ns_ops(kobj->kset->kobj.parent);

	if (!ops || !ops->netlink_ns || ops->type != KOBJ_NS_TYPE_NET ||
	    !kobj->ktype->namespace)
		return NULL;
	return kobj->ktype->namespace(kobj);
}

/*
 * What the summary of @ue says of the event of @key: 1 if its
 * listeners may want it, 0 if none does, -1 if there is no valid
 * summary.
 */
static int uevent_sock_summary(struct uevent_sock *ue,
			       const struct uevent_key *key)
{
	const struct uevent_interest *in;
	int ret = -1;

	rcu_read_lock();
	in = rcu_dereference(ue->interest);
	if (uevent_interest_valid(in, ue->sk))
		ret = uevent_interest_wants(in, key);
	rcu_read_unlock();
	return ret;
}

/*
 * Whether the listeners of @ue may want the event of @key (NULL: any
 * event), without sleeping: a missing or stale summary says yes.
 */
static bool uevent_sock_may_want(struct uevent_sock *ue,
				 const struct uevent_key *key)
{
	return !key || uevent_sock_summary(ue, key);
}

/*
 * Whether the listeners of @ue may want the event of @key, after
 * rebuilding a stale summary of what they want.  A rebuild walks every
 * listener, whose number user space decides, so no emitter waits for
 * another's: while one runs, and without memory for a new summary, the
 * answer is yes.
 */
static bool uevent_sock_wants(struct uevent_sock *ue,
			      const struct uevent_key *key)
{
	struct uevent_interest *in, *old;
	bool wants = true;
	int said;

	if (!key)
		return true;
	said = uevent_sock_summary(ue, key);
	if (said >= 0)
		return said;

	if (!mutex_trylock(&ue->interest_mutex))
		return true;
	old = rcu_dereference_protected(ue->interest,
					lockdep_is_held(&ue->interest_mutex));
	in = old;
	if (!uevent_interest_valid(old, ue->sk)) {
		in = uevent_interest_build(ue->sk);
		if (in) {
			rcu_assign_pointer(ue->interest, in);
			uevent_interest_free(old);
		}
	}
	if (in)
		wants = uevent_interest_wants(in, key);
	mutex_unlock(&ue->interest_mutex);
	return wants;
}

/*
 * Whether a namespace that @net's events go to (every listed one if
 * @net is NULL) may have a listener that wants the event of @key (NULL:
 * any event); first make room in the rings of those owned by the
 * initial user namespace.
 */
static bool uevent_wanted(const struct net *net, const struct uevent_key *key)
{
	struct uevent_sock *ue;
	unsigned int tries = 0;
	bool found;

	if (net) {
		ue = net->uevent_sock;
		if (uevent_net_listed(net))
			uevent_tx_throttle(ue);
		return netlink_has_listeners(ue->sk, 1) &&
		       uevent_sock_wants(ue, key);
	}
retry:
	rcu_read_lock();
	list_for_each_entry_rcu(ue, &uevent_nets, list) {
		if (uevent_ring_len(ue) < UEVENT_QUEUE_MAX ||
		    READ_ONCE(ue->dead) || !refcount_inc_not_zero(&ue->users))
			continue;
		rcu_read_unlock();
		uevent_tx_throttle(ue);
		uevent_sock_put(ue);
		goto retry;
	}
	ue = list_first_or_null_rcu(&uevent_nets, struct uevent_sock, list);
	/* netlink_has_listeners() counts every namespace's sockets. */
	found = ue && netlink_has_listeners(ue->sk, 1);
	rcu_read_unlock();
	if (!found || !key)
		return found;

	/* Someone subscribed: ask each namespace's summary. */
again:
	rcu_read_lock();
	list_for_each_entry_rcu(ue, &uevent_nets, list) {
		int said = uevent_sock_summary(ue, key);

		if (!said)
			continue;
		if (said > 0) {
			rcu_read_unlock();
			return true;
		}
		if (READ_ONCE(ue->dead) || !refcount_inc_not_zero(&ue->users))
			continue;
		rcu_read_unlock();
		found = uevent_sock_wants(ue, key);
		uevent_sock_put(ue);
		/* Listeners that keep changing: stop asking. */
		if (found || ++tries > 4)
			return true;
		goto again;
	}
	rcu_read_unlock();
	return false;
}

/*
 * The event in @env as subscriptions see it, written to @key; NULL
 * while no socket holds a subscription.
 */
static const struct uevent_key *uevent_env_key(struct uevent_key *key,
					       enum kobject_action action,
					       const char *subsystem,
					       const struct kobj_uevent_env *env)
{
	const char *devtype = NULL;
	int i;

	if (!uevent_subs_active())
		return NULL;
	for (i = 0; i < env->envp_idx && !devtype; i++)
		if (str_has_prefix(env->envp[i], "DEVTYPE="))
			devtype = env->envp[i] + strlen("DEVTYPE=");
	uevent_key_init(key, action, subsystem, devtype);
	return key;
}

/*
 * Build the message for @env, still without SEQNUM, if anyone may
 * listen.  Return NULL when nobody does, or ERR_PTR(-ENOMEM).  A
 * listener that binds after this check does not get the event, as if it
 * had bound a moment later.
 */
static struct sk_buff *uevent_prepare(const struct net *net,
				      const struct kobj_uevent_env *env,
				      const struct uevent_msg *msg)
{
	struct sk_buff *skb;
	kuid_t uid;
	kgid_t gid;

	if (!uevent_wanted(net, msg->key))
		return NULL;
	skb = uevent_build_skb(env, msg);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	if (!net)
		return skb;

	/* Present the sender as root of the namespace's owner, if mapped. */
	uid = make_kuid(net->user_ns, 0);
	if (uid_valid(uid))
		NETLINK_CB(skb).creds.uid = uid;
	gid = make_kgid(net->user_ns, 0);
	if (gid_valid(gid))
		NETLINK_CB(skb).creds.gid = gid;
	return skb;
}

/* Write "SEQNUM=@seq" and its NUL to @buf; return the bytes written. */
static size_t uevent_format_seqnum(char *buf, u64 seq)
{
	char digits[20];
	size_t n = 0, len;

	do {
		digits[n++] = '0' + do_div(seq, 10);
	} while (seq);
	len = strlen("SEQNUM=");
	memcpy(buf, "SEQNUM=", len);
	while (n)
		buf[len++] = digits[--n];
	buf[len++] = '\0';
	return len;
}

/*
 * Take the next SEQNUM, write "SEQNUM=<n>" and its NUL at @var, and
 * record the message, @iov[0] to @iov[@n - 1] followed by that variable,
 * in the replay ring for the listeners of @net (NULL: untagged).  @iov
 * has room for @n + 1 pieces.  *@len is set to the variable's length.
 */
static u64 uevent_take_seqnum(const struct net *net, struct kvec *iov,
			      unsigned int n, char *var, size_t *len)
{
	unsigned long flags;
	u64 seq;

	if (!uevent_replay_enabled()) {
		seq = atomic64_inc_return(&uevent_seqnum);
		*len = uevent_format_seqnum(var, seq);
		return seq;
	}
	/* The ring is in SEQNUM order. */
	flags = uevent_replay_lock();
	seq = atomic64_inc_return(&uevent_seqnum);
	*len = uevent_format_seqnum(var, seq);
	iov[n].iov_base = var;
	iov[n].iov_len = *len;
	uevent_replay_record(seq, net, iov, n + 1);
	uevent_replay_unlock(flags);
	return seq;
}

/*
 * Take the SEQNUM of the event in @env and @msg and record it; append
 * "SEQNUM=<n>", for which uevent_emit() made room, to @env.  Return the
 * SEQNUM and the variable's length in *@len.
 */
static u64 uevent_env_seqnum(const struct net *net,
			     struct kobj_uevent_env *env,
			     const struct uevent_msg *msg, size_t *len)
{
	char *var = env->buf + env->buflen;
	struct kvec iov[5] = {
		{ (void *)msg->action, msg->action_len },
		{ (void *)"@", 1 },
		{ (void *)msg->devpath, msg->devpath_len + 1 },
		{ env->buf, env->buflen },
	};
	u64 seq;

	seq = uevent_take_seqnum(net, iov, 4, var, len);
	env->envp[env->envp_idx++] = var;
	env->buflen += *len;
	return seq;
}

/*
 * Take the next SEQNUM, append it to @env and to @skb from
 * uevent_prepare(), queue @skb to every namespace the event goes to
 * that listens, then deliver.  Consumes @skb.
 */
static void uevent_post(const struct net *net, struct kobj_uevent_env *env,
			const struct uevent_msg *msg, struct sk_buff *skb)
{
	struct uevent_kicks kicks = { };
	struct uevent_sock *ue;
	unsigned long flags;
	size_t len;
	u64 seq;

	if (!skb) {
		/* Nobody listens: the SEQNUM orders only the ring. */
		seq = uevent_env_seqnum(net, env, msg, &len);
		uevent_replay_wake();
		uevent_count(UEVENT_STAT_SENT);
		uevent_trace_send(seq, env, msg, net);
		return;
	}

	spin_lock_irqsave(&uevent_order_lock, flags);
	seq = uevent_env_seqnum(net, env, msg, &len);
	skb_put_data(skb, env->buf + env->buflen - len, len);
	if (net) {
		uevent_queue_to(net->uevent_sock, skb, &kicks);
	} else {
		/* netlink_has_listeners() counted every namespace's sockets. */
		list_for_each_entry(ue, &uevent_nets, list)
			if (uevent_sock_may_want(ue, msg->key))
				uevent_queue_to(ue, skb, &kicks);
	}
	/* Before another task can deliver it. */
	uevent_trace_send(seq, env, msg, net);
	spin_unlock_irqrestore(&uevent_order_lock, flags);

	uevent_replay_wake();
	uevent_count(UEVENT_STAT_SENT);
	consume_skb(skb);
	uevent_kick_all(&kicks);
}

/*
 * Trace a message injected into @net.  It ends with SEQNUM and its NUL,
 * so every string in it ends within it; its header, if it has the usual
 * form, names the action and the devpath.
 */
static void uevent_trace_inject(u64 seq, const struct sk_buff *skb,
				const struct net *net)
{
	const char *hdr = skb->data, *end = hdr + skb->len;
	const char *devpath = hdr, *subsystem = "", *at, *var;
	char action[16] = "";
	unsigned int vars = 0;

	if (!trace_uevent_send_enabled())
		return;
	at = strchr(hdr, '@');
	if (at) {
		strscpy(action, hdr, min_t(size_t, at - hdr + 1,
					   sizeof(action)));
		devpath = at + 1;
	}
	for (var = hdr + strlen(hdr) + 1; var < end; var += strlen(var) + 1) {
		vars++;
		if (str_has_prefix(var, "SUBSYSTEM="))
			subsystem = var + strlen("SUBSYSTEM=");
	}
	trace_uevent_send(seq, action, devpath, subsystem, skb->len, vars,
			  UEVENT_ORIGIN_INJECT, "", net->ns.inum, current->pid,
			  current->comm);
}

/*
 * A message written to a uevent socket by user space: broadcast its
 * payload with SEQNUM appended in the writer's network namespace.  The
 * writer delivers its namespace's ring itself, up to and including its
 * own message, so a writer that floods pays for its own listeners and
 * socket filters.
 */
static int uevent_inject(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct netlink_ext_ack *extack)
{
	struct net *net = sock_net(NETLINK_CB(skb).sk);
	struct uevent_sock *ue = net->uevent_sock;
	unsigned int plen = skb->len - NLMSG_HDRLEN;
	char seqvar[UEVENT_SEQNUM_MAX];
	unsigned long flags;
	struct sk_buff *msg;
	struct kvec iov[2];
	size_t n;
	u64 seq;

	/* Who may write: CAP_SYS_ADMIN over the target namespace's owner. */
	if (!netlink_ns_capable(skb, net->user_ns, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack, "missing CAP_SYS_ADMIN capability");
		return -EPERM;
	}

	/*
	 * The limit counts the netlink header and SEQNUM, as it always
	 * has, with the SEQNUM of the moment: should the number gain a
	 * digit before it is taken, the message may end one byte over.
	 * The message has room for the longest SEQNUM either way.
	 */
	n = uevent_format_seqnum(seqvar, atomic64_read(&uevent_seqnum) + 1);
	if (skb->len + n > UEVENT_BUFFER_SIZE) {
		NL_SET_ERR_MSG(extack, "uevent message too big");
		return -EINVAL;
	}

	msg = alloc_skb(plen + UEVENT_SEQNUM_MAX, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	skb_put_data(msg, skb->data + NLMSG_HDRLEN, plen);
	NETLINK_CB(msg).creds = NETLINK_CB(skb).creds;
	NETLINK_CB(msg).portid = 0;
	NETLINK_CB(msg).dst_group = 1;

	mutex_lock(&ue->tx_mutex);
	/* Make room, so that only a flood of kernel events can drop it. */
	uevent_tx_drain(ue);
	spin_lock_irqsave(&uevent_order_lock, flags);
	iov[0].iov_base = msg->data;
	iov[0].iov_len = msg->len;
	seq = uevent_take_seqnum(net, iov, 1, seqvar, &n);
	skb_put_data(msg, seqvar, n);
	uevent_ring_put(ue, msg, true);
	spin_unlock_irqrestore(&uevent_order_lock, flags);
	uevent_replay_wake();
	uevent_count(UEVENT_STAT_SENT);
	uevent_trace_inject(seq, msg, net);
	uevent_tx_drain(ue);
	uevent_tx_unlock(ue);
	consume_skb(msg);
	return 0;
}

static void uevent_net_rcv(struct sk_buff *skb)
{
	netlink_rcv_skb(skb, uevent_inject);
}

static int uevent_net_init(struct net *net)
{
	struct netlink_kernel_cfg cfg = {
		.groups		= 1,
		.input		= uevent_net_rcv,
		.flags		= NL_CFG_F_NONROOT_RECV,
		.release	= uevent_sub_release,
		.setsockopt	= uevent_sub_setsockopt,
		.getsockopt	= uevent_sub_getsockopt,
	};
	struct uevent_sock *ue;

	ue = kzalloc(sizeof(*ue), GFP_KERNEL);
	if (!ue)
		return -ENOMEM;
	ue->ring = kvcalloc(UEVENT_RING, sizeof(*ue->ring), GFP_KERNEL);
	if (!ue->ring) {
		kfree(ue);
		return -ENOMEM;
	}

	ue->sk = netlink_kernel_create(net, NETLINK_KOBJECT_UEVENT, &cfg);
	if (!ue->sk) {
		kvfree(ue->ring);
		kfree(ue);
		return -ENODEV;
	}
	refcount_set(&ue->users, 1);
	mutex_init(&ue->tx_mutex);
	mutex_init(&ue->interest_mutex);
	INIT_WORK(&ue->tx_work, uevent_tx_work);
	net->uevent_sock = ue;

	/* Untagged events reach only namespaces of the initial user ns. */
	INIT_LIST_HEAD(&ue->list);
	if (uevent_net_listed(net)) {
		spin_lock_irq(&uevent_order_lock);
		list_add_tail_rcu(&ue->list, &uevent_nets);
		spin_unlock_irq(&uevent_order_lock);
	}
	return 0;
}

/*
 * Once @dead is set no emitter queues to the namespace; those that did
 * hold a users reference until they are done with it (uevent_queue_to()),
 * and nobody queues its work item after that.  This also holds when a
 * later pernet init failed and the namespace's count never dropped.
 */
static void uevent_net_exit(struct net *net)
{
	struct uevent_sock *ue = net->uevent_sock;

	spin_lock_irq(&uevent_order_lock);
	if (uevent_net_listed(net))
		list_del_rcu(&ue->list);
	ue->dead = true;
	spin_unlock_irq(&uevent_order_lock);
	uevent_sock_put(ue);
	wait_var_event(&ue->users, !refcount_read(&ue->users));
	cancel_work_sync(&ue->tx_work);
	for (; ue->head != ue->tail; ue->head++)
		kfree_skb(ue->ring[ue->head % UEVENT_RING]);
	netlink_kernel_release(ue->sk);
	mutex_destroy(&ue->tx_mutex);
	mutex_destroy(&ue->interest_mutex);
	uevent_interest_free(rcu_dereference_protected(ue->interest, true));
	kvfree(ue->ring);
	kfree_rcu(ue, rcu);
}

static struct pernet_operations uevent_net_ops = {
	.init	= uevent_net_init,
	.exit	= uevent_net_exit,
};

static int __init uevent_net_setup(void)
{
	uevent_wq = alloc_workqueue("uevent_tx", WQ_UNBOUND, 0);
	if (!uevent_wq)
		return -ENOMEM;
	return register_pernet_subsys(&uevent_net_ops);
}
postcore_initcall(uevent_net_setup);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * For the KUnit suite only: hand everything waiting for @net to netlink
 * now, and hold or release @net's delivery the way a task busy
 * delivering to it would.
 */
VISIBLE_IF_KUNIT void uevent_net_flush(struct net *net)
{
	struct uevent_sock *ue = net->uevent_sock;

	mutex_lock(&ue->tx_mutex);
	uevent_tx_drain(ue);
	uevent_tx_unlock(ue);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_flush);

VISIBLE_IF_KUNIT void uevent_net_hold(struct net *net)
{
	mutex_lock(&net->uevent_sock->tx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_hold);

VISIBLE_IF_KUNIT void uevent_net_release(struct net *net)
{
	uevent_tx_unlock(net->uevent_sock);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_release);

/* Messages queued for @net and not yet handed to netlink. */
VISIBLE_IF_KUNIT unsigned int uevent_net_queued(struct net *net)
{
	return uevent_ring_len(net->uevent_sock);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_queued);
#endif

#else /* !CONFIG_NET */

/* Without listeners only the uevent helper sees SEQNUM: nothing to order. */
static const struct net *uevent_kobj_net(const struct kobject *kobj)
{
	return NULL;
}

static const struct uevent_key *uevent_env_key(struct uevent_key *key,
					       enum kobject_action action,
					       const char *subsystem,
					       const struct kobj_uevent_env *env)
{
	return NULL;
}

static struct sk_buff *uevent_prepare(const struct net *net,
				      const struct kobj_uevent_env *env,
				      const struct uevent_msg *msg)
{
	return NULL;
}

static void uevent_post(const struct net *net, struct kobj_uevent_env *env,
			const struct uevent_msg *msg, struct sk_buff *skb)
{
	u64 seq = atomic64_inc_return(&uevent_seqnum);

	add_uevent_var(env, "SEQNUM=%llu", seq);
	uevent_count(UEVENT_STAT_SENT);
	uevent_trace_send(seq, env, msg, net);
}

#endif /* CONFIG_NET */

/* ------------------------------------------------------------------ */
/* The usermode helper                                                 */

#ifdef CONFIG_UEVENT_HELPER

/* Events of kobjects in a non-initial namespace do not run the helper. */
static bool uevent_helper_wanted(const struct kobject *kobj)
{
	const struct kobj_ns_type_operations *ops = kobj_ns_ops(kobj);

	if (!uevent_helper[0])
		return false;
	if (ops && kobj->ktype->namespace &&
	    kobj->ktype->namespace(kobj) != ops->initial_ns())
		return false;
	return true;
}

/*
 * What the uevent helper starts with: argv and envp of its own, pointing
 * into the event's environment, so that an event with all
 * UEVENT_NUM_ENVP variables still gets HOME, PATH and the NULL that
 * ends envp.  The helper owns it, and the environment, once set up.
 */
struct uevent_helper_args {
	struct kobj_uevent_env *env;
	char *argv[3];
	char *envp[UEVENT_NUM_ENVP + 3];
	char subsystem[];
};

static const char uevent_helper_home[] = "HOME=/";
static const char uevent_helper_path[] = "PATH=/sbin:/bin:/usr/sbin:/usr/bin";

static void uevent_helper_cleanup(struct subprocess_info *info)
{
	struct uevent_helper_args *args = info->data;

	kfree(args->env);
	kfree(args);
}

/*
 * Start the helper for the event in *@envp, which it then owns: *@envp
 * is cleared.  Return 0 or a negative errno.
 */
static int uevent_run_helper(struct kobj_uevent_env **envp,
			     const char *subsystem)
{
	struct kobj_uevent_env *env = *envp;
	size_t len = strlen(subsystem) + 1;
	struct uevent_helper_args *args;
	struct subprocess_info *info;
	int i;

	args = kmalloc(struct_size(args, subsystem, len), GFP_KERNEL);
	if (!args)
		return -ENOMEM;
	memcpy(args->subsystem, subsystem, len);
	for (i = 0; i < env->envp_idx; i++)
		args->envp[i] = env->envp[i];
	/* Executing copies them: envp is char *const, never written. */
	args->envp[i++] = (char *)uevent_helper_home;
	args->envp[i++] = (char *)uevent_helper_path;
	args->envp[i] = NULL;
	args->argv[0] = uevent_helper;
	args->argv[1] = args->subsystem;
	args->argv[2] = NULL;
	args->env = env;

	info = call_usermodehelper_setup(uevent_helper, args->argv, args->envp,
					 GFP_KERNEL, NULL,
					 uevent_helper_cleanup, args);
	if (!info) {
		kfree(args);
		return -ENOMEM;
	}
	*envp = NULL;
	return call_usermodehelper_exec(info, UMH_NO_WAIT);
}

#else

static bool uevent_helper_wanted(const struct kobject *kobj)
{
	return false;
}

static int uevent_run_helper(struct kobj_uevent_env **envp,
			     const char *subsystem)
{
	return 0;
}

#endif /* CONFIG_UEVENT_HELPER */

/* ------------------------------------------------------------------ */
/* Building the environment                                            */

/*
 * Append "DEVPATH=/a/b/c" for @kobj, composing the path from the
 * kobject names directly in @env.  The names are read under RCU, each
 * once per walk, as kobject_rename() frees an old name only after a
 * grace period.  A concurrent rename can change the length between the
 * two walks; start again when it does.
 */
static int uevent_add_devpath(struct kobj_uevent_env *env,
			      const struct kobject *kobj)
{
	const size_t keylen = strlen(UEVENT_DEVPATH_KEY);
	const struct kobject *k;
	const char *name;
	char *path, *pos;
	size_t len, n;
	int ret = 0;

	rcu_read_lock();
retry:
	len = 0;
	for (k = kobj; k; k = k->parent) {
		name = READ_ONCE(k->name);
		if (!name) {
			ret = -ENOENT;
			goto out;
		}
		len += strlen(name) + 1;
	}

	if (env->envp_idx >= UEVENT_NUM_ENVP ||
	    keylen + len + 1 > sizeof(env->buf) - env->buflen) {
		ret = -ENOMEM;
		goto out;
	}

	path = env->buf + env->buflen + keylen;
	pos = path + len;
	*pos = '\0';
	for (k = kobj; k; k = k->parent) {
		name = READ_ONCE(k->name);
		n = name ? strlen(name) : 0;
		if (!name || n + 1 > pos - path)
			goto retry;
		pos -= n;
		memcpy(pos, name, n);
		*--pos = '/';
	}
	if (pos != path)
		goto retry;

	memcpy(env->buf + env->buflen, UEVENT_DEVPATH_KEY, keylen);
	env->envp[env->envp_idx++] = env->buf + env->buflen;
	env->buflen += keylen + len + 1;
out:
	rcu_read_unlock();
	return ret;
}

/*
 * Append @key followed by @value to @env, as add_uevent_var(env,
 * "%s%s", key, value) would, without formatting: the fixed variables
 * and the caller's strings of every event come this way.
 */
static int uevent_add_pair(struct kobj_uevent_env *env, const char *key,
			   const char *value)
{
	size_t klen = strlen(key), vlen = strlen(value);
	char *var = env->buf + env->buflen;

	if (env->envp_idx >= UEVENT_NUM_ENVP ||
	    klen + vlen + 1 > sizeof(env->buf) - env->buflen)
		return -ENOMEM;
	memcpy(var, key, klen);
	memcpy(var + klen, value, vlen + 1);
	env->envp[env->envp_idx++] = var;
	env->buflen += klen + vlen + 1;
	return 0;
}

/* Add SYNTH_UUID and SYNTH_ARG_* for a validated synthetic write. */
static int uevent_add_synth(struct kobj_uevent_env *env,
			    const struct uevent_synth *synth)
{
	const char *pos, *end, *eq, *sp;
	int ret;

	if (!synth->text)
		return add_uevent_var(env, UEVENT_SYNTH_UUID "0");

	ret = add_uevent_var(env, UEVENT_SYNTH_UUID "%.*s",
			     UUID_STRING_LEN, synth->text);
	pos = synth->text + UUID_STRING_LEN;
	end = synth->text + synth->len;
	while (!ret && pos < end) {
		pos++;				/* the space */
		eq = memchr(pos, '=', end - pos);
		sp = memchr(eq, ' ', end - eq) ?: end;
		ret = add_uevent_var(env, UEVENT_SYNTH_ARG "%.*s=%.*s",
				     (int)(eq - pos), pos,
				     (int)(sp - eq - 1), eq + 1);
		pos = sp;
	}
	return ret;
}

/* Remove every MODALIAS= variable, keeping @env packed and in order. */
static void uevent_drop_modalias(struct kobj_uevent_env *env)
{
	char *dst = env->buf;
	int i, kept = 0;

	for (i = 0; i < env->envp_idx; i++) {
		char *var = env->envp[i];
		size_t len = strlen(var) + 1;

		if (str_has_prefix(var, "MODALIAS="))
			continue;
		memmove(dst, var, len);
		env->envp[kept++] = dst;
		dst += len;
	}
	env->envp_idx = kept;
	env->buflen = dst - env->buf;
}

/*
 * Build the environment of an event in @env.  On failure, *@why says
 * which part failed.
 */
static int uevent_fill_env(struct kobj_uevent_env *env, struct kobject *kobj,
			   enum kobject_action action, const char *subsystem,
			   char *const envp_ext[],
			   const struct uevent_synth *synth,
			   const struct kset_uevent_ops *ops,
			   enum uevent_drop_reason *why)
{
	int ret;
	int i;

	*why = UEVENT_DROP_NO_ROOM;
	ret = uevent_add_pair(env, "ACTION=", uevent_action_names[action]);
	if (ret)
		return ret;
	ret = uevent_add_devpath(env, kobj);
	if (ret == -ENOENT)
		*why = UEVENT_DROP_NO_NAME;
	if (ret)
		return ret;
	ret = uevent_add_pair(env, "SUBSYSTEM=", subsystem);
	if (ret)
		return ret;

	for (i = 0; envp_ext && envp_ext[i]; i++) {
		ret = uevent_add_pair(env, "", envp_ext[i]);
		if (ret)
			return ret;
	}
	if (synth) {
		ret = uevent_add_synth(env, synth);
		if (ret)
			return ret;
	}

	if (ops && ops->uevent) {
		ret = ops->uevent(kobj, env);
		if (ret) {
			*why = UEVENT_DROP_HOOK_ERROR;
			return ret;
		}
	}

	if (action == KOBJ_ADD)
		kobj->state_add_uevent_sent = 1;
	else if (action == KOBJ_UNBIND)
		uevent_drop_modalias(env);
	return 0;
}

/*
 * A driver's event did not fit in its environment (or a hook ran out
 * of memory): say which, rate limited, since the caller may not check.
 * Synthetic writes report their own failures.
 */
static void uevent_report_full(const struct kobject *kobj,
			       const struct kobj_uevent_env *env,
			       enum kobject_action action)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	const char *devpath;

	if (!__ratelimit(&rs))
		return;
	/* DEVPATH is missing if it did not fit: name the kobject then. */
	rcu_read_lock();
	if (env->envp_idx > 1 &&
	    str_has_prefix(env->envp[1], UEVENT_DEVPATH_KEY))
		devpath = env->envp[1] + strlen(UEVENT_DEVPATH_KEY);
	else
		devpath = READ_ONCE(kobj->name) ?: "(unnamed)";
	pr_warn("uevent: %s: %s event dropped: environment full (%d variables, %d bytes)\n",
		devpath, uevent_action_names[action], env->envp_idx,
		env->buflen);
	rcu_read_unlock();
}

/*
 * An event of @kobj was not sent, for @why; @env holds its DEVPATH if
 * building the environment got that far.  @err is what the sender gets.
 */
static void uevent_dropped(struct kobject *kobj, enum kobject_action action,
			   const struct kobj_uevent_env *env,
			   const char *subsystem, enum uevent_drop_reason why,
			   int err, const struct uevent_sender *from)
{
	const char *devpath = NULL;
	char *path = NULL;

	if (err)
		uevent_count(UEVENT_STAT_FAILED + why);
	if (!trace_uevent_drop_enabled())
		return;
	if (env && env->envp_idx > 1 &&
	    str_has_prefix(env->envp[1], UEVENT_DEVPATH_KEY)) {
		devpath = env->envp[1] + strlen(UEVENT_DEVPATH_KEY);
	} else if (why != UEVENT_DROP_NO_NAME) {
		path = kobject_get_path(kobj, GFP_KERNEL);
		devpath = path;
	}
	/* A renamed kobject's old name is freed after a grace period. */
	rcu_read_lock();
	trace_uevent_drop(uevent_action_names[action],
			  devpath ?: READ_ONCE(kobj->name) ?: "",
			  subsystem ?: "", why, err, uevent_sender_pid(from),
			  uevent_sender_comm(from));
	rcu_read_unlock();
	kfree(path);
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */

/*
 * Send @env: build the messages while nothing is locked, then take the
 * SEQNUM, append it to @env and to the messages, and queue them to
 * their namespaces.  Whatever can fail comes before the SEQNUM, so a
 * failure neither sends nor leaves a gap.
 */
static int uevent_commit(const struct kobject *kobj,
			 struct kobj_uevent_env *env,
			 const struct uevent_msg *msg)
{
	const struct net *net = uevent_kobj_net(kobj);
	struct sk_buff *skb;

	/* uevent_emit() made sure SEQNUM fits. */
	skb = uevent_prepare(net, env, msg);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	uevent_post(net, env, msg, skb);
	return 0;
}

static int uevent_emit(struct kobject *kobj, enum kobject_action action,
		       char *const envp_ext[],
		       const struct uevent_synth *synth,
		       const struct uevent_sender *from)
{
	const struct kset_uevent_ops *ops;
	enum uevent_drop_reason why;
	struct kobj_uevent_env *env = NULL;
	const char *subsystem = NULL;
	struct uevent_key key;
	struct uevent_msg msg;
	struct kobject *top;
	int ret;

	might_sleep();
	if (WARN_ON_ONCE(action >= ARRAY_SIZE(uevent_action_names)))
		return -EINVAL;

	/* Recorded even if sending fails: no automatic remove follows. */
	if (action == KOBJ_REMOVE)
		kobj->state_remove_uevent_sent = 1;

	for (top = kobj; !top->kset && top->parent; top = top->parent)
		;
	if (!top->kset) {
		why = UEVENT_DROP_NO_KSET;
		ret = -EINVAL;
		goto drop;
	}
	ops = top->kset->uevent_ops;

	ret = 0;
	if (kobj->uevent_suppress) {
		why = UEVENT_DROP_SUPPRESSED;
		goto drop;
	}
	if (ops && ops->filter && !ops->filter(kobj)) {
		why = UEVENT_DROP_FILTERED;
		goto drop;
	}
	if (ops && ops->name)
		subsystem = ops->name(kobj);
	else
		subsystem = kobject_name(&top->kset->kobj);
	if (!subsystem) {
		why = UEVENT_DROP_NO_SUBSYSTEM;
		goto drop;
	}

	/* Every field is written before it is read; no need to zero. */
	env = kmalloc(sizeof(*env), GFP_KERNEL);
	if (!env) {
		why = UEVENT_DROP_NO_MEMORY;
		ret = -ENOMEM;
		goto drop;
	}
	env->envp_idx = 0;
	env->buflen = 0;

	ret = uevent_fill_env(env, kobj, action, subsystem, envp_ext, synth,
			      ops, &why);
	/* Once taken, the SEQNUM must fit: leave room for the longest. */
	if (!ret && (env->envp_idx >= UEVENT_NUM_ENVP ||
		     sizeof(env->buf) - env->buflen < UEVENT_SEQNUM_MAX)) {
		why = UEVENT_DROP_NO_ROOM;
		ret = -ENOMEM;
	}
	if (ret == -ENOMEM && !synth)
		uevent_report_full(kobj, env, action);
	if (ret)
		goto drop;

	/* ACTION=, DEVPATH= and SUBSYSTEM= are packed in that order. */
	msg.action = uevent_action_names[action];
	msg.action_len = env->envp[1] - env->envp[0] - strlen("ACTION=") - 1;
	msg.devpath = env->envp[1] + strlen(UEVENT_DEVPATH_KEY);
	msg.devpath_len = env->envp[2] - msg.devpath - 1;
	msg.subsystem = subsystem;
	msg.synth = synth;
	msg.from = from;
	msg.key = uevent_env_key(&key, action, subsystem, env);
	ret = uevent_commit(kobj, env, &msg);
	if (ret) {
		why = UEVENT_DROP_NO_MEMORY;
		goto drop;
	}
	/*
	 * The helper gets every event the listeners get, and only those.
	 * The event is sent by now: if the helper cannot be started, the
	 * event did not fail.
	 */
	if (uevent_helper_wanted(kobj))
		uevent_run_helper(&env, subsystem);
	kfree(env);
	return 0;

drop:
	uevent_dropped(kobj, action, env, subsystem, why, ret, from);
	kfree(env);
	return ret;
}

/**
 * kobject_uevent_env() - Send a uevent with extra environment variables.
 * @kobj: The kobject the action happened to.
 * @action: What happened.
 * @envp_ext: NULL-terminated array of "KEY=VALUE" strings, or NULL.
 *
 * The event is built from ACTION, DEVPATH, SUBSYSTEM, @envp_ext and the
 * uevent() hook of the kset found by walking up from @kobj, then it is
 * given the next SEQNUM and multicast to the uevent listeners of the
 * network namespaces it belongs to, and passed to the uevent helper if
 * one is configured.  Every listener receives events in SEQNUM order.
 *
 * When this returns 0 the event has its SEQNUM and is queued to each
 * namespace it goes to.  If no other task was delivering to a namespace
 * at that moment, the event is already in its listeners' sockets;
 * otherwise that task or a work item puts it there shortly after,
 * behind every event queued before it.
 *
 * The event is dropped, and 0 returned, if @kobj->uevent_suppress is
 * set, if the kset's filter() hook returns 0 or if its name() hook
 * returns NULL.  A %KOBJ_ADD event marks @kobj so that kobject_del()
 * sends the matching remove; a %KOBJ_REMOVE event marks it as sent
 * whatever the outcome.  MODALIAS is removed from %KOBJ_UNBIND events.
 *
 * The uevent helper gets exactly the events the listeners get: one that
 * fails, for lack of memory for its message too, goes to neither and
 * leaves no gap in SEQNUM.  Once the event is sent, the helper failing
 * to start does not make it fail.
 *
 * Context: Process context; may sleep.
 * Return: 0 on success or if the event was dropped; -EINVAL if @kobj
 * has no kset; -ENOENT if a kobject on its path has no name; -ENOMEM if
 * memory or environment space ran out; or the error of the kset's
 * uevent() hook.
 */
int kobject_uevent_env(struct kobject *kobj, enum kobject_action action,
		       char *envp_ext[])
{
	return uevent_emit(kobj, action, envp_ext, NULL, NULL);
}
EXPORT_SYMBOL_GPL(kobject_uevent_env);

/**
 * kobject_uevent() - Send a uevent.
 * @kobj: The kobject the action happened to.
 * @action: What happened.
 *
 * Same as kobject_uevent_env() with no extra variables.
 *
 * Context: Process context; may sleep.
 * Return: As for kobject_uevent_env().
 */
int kobject_uevent(struct kobject *kobj, enum kobject_action action)
{
	return uevent_emit(kobj, action, NULL, NULL, NULL);
}
EXPORT_SYMBOL_GPL(kobject_uevent);

/* ------------------------------------------------------------------ */
/* Deferred uevents                                                    */

/*
 * Events queued by kobject_uevent_env_deferred() wait on
 * uevent_defer_list, in call order, until uevent_defer_work sends
 * them, one at a time.  Each takes a ticket when it is queued; the
 * event being sent is uevent_defer_sending.  A flush waits until no
 * event with a ticket up to the last one issued before it is waiting
 * or being sent, so it ends even while others keep queueing; a cancel
 * waits only while an event of its own kobject is being sent.  Both
 * wait on uevent_defer_waiters, in ticket order, and are completed as
 * soon as their ticket is passed, so an event sent wakes nobody who
 * still has to wait.  uevent_defer_lock protects all of these, and
 * uevent_defer_pending, the events queued and neither sent nor
 * cancelled yet.
 */
struct uevent_deferred {
	struct list_head node;
	struct kobject *kobj;
	u64 ticket;
	enum kobject_action action;
	bool in_sysfs;
	struct uevent_sender from;
	char *envp[];	/* NULL-terminated, the strings follow */
};

/* A flush or cancel waiting until no event up to @ticket is left. */
struct uevent_defer_waiter {
	struct list_head node;
	u64 ticket;
	struct completion done;
};

static LIST_HEAD(uevent_defer_list);
static LIST_HEAD(uevent_defer_waiters);
static struct uevent_deferred *uevent_defer_sending;
static unsigned int uevent_defer_pending;
static u64 uevent_defer_tickets;
static DEFINE_SPINLOCK(uevent_defer_lock);

static void uevent_defer_fn(struct work_struct *work);
static DECLARE_WORK(uevent_defer_work, uevent_defer_fn);

/*
 * Held by the work item while it sends an event and drops its
 * reference, and taken by flush and cancel: lockdep reports a flush or
 * cancel from a kset hook or a release function, which would wait for
 * itself.
 */
#ifdef CONFIG_LOCKDEP
static struct lockdep_map uevent_defer_map =
	STATIC_LOCKDEP_MAP_INIT("uevent_defer", &uevent_defer_map);
#endif

static void uevent_defer_free(struct uevent_deferred *d)
{
	kobject_put(d->kobj);
	kfree(d);
}

/* Complete the waiters whose events are all sent or cancelled. */
static void uevent_defer_wake(void)
{
	struct uevent_defer_waiter *w, *tmp;
	struct uevent_deferred *first;
	u64 next = U64_MAX;

	lockdep_assert_held(&uevent_defer_lock);
	first = list_first_entry_or_null(&uevent_defer_list,
					 struct uevent_deferred, node);
	if (uevent_defer_sending)
		next = uevent_defer_sending->ticket;
	else if (first)
		next = first->ticket;
	list_for_each_entry_safe(w, tmp, &uevent_defer_waiters, node) {
		if (w->ticket >= next)
			break;
		list_del_init(&w->node);
		complete(&w->done);
	}
}

/* Wait until no event with a ticket up to @ticket is left; lock held. */
static void uevent_defer_wait(u64 ticket)
	__releases(&uevent_defer_lock)
{
	struct uevent_defer_waiter w = { .ticket = ticket };
	struct uevent_defer_waiter *pos;

	lockdep_assert_held(&uevent_defer_lock);
	init_completion(&w.done);
	/* In ticket order: before the first waiter with a later one. */
	list_for_each_entry(pos, &uevent_defer_waiters, node)
		if (pos->ticket > ticket)
			break;
	list_add_tail(&w.node, &pos->node);
	uevent_defer_wake();
	spin_unlock_irq(&uevent_defer_lock);
	wait_for_completion(&w.done);
}

static void uevent_defer_send(struct uevent_deferred *d)
{
	/*
	 * An event for a kobject that left sysfs after it was queued would
	 * name a path that is gone, possibly after its remove event.  This
	 * is a best effort: a kobject_del() that runs right after the check
	 * is not seen.  Its owner cancels the kobject's events first.
	 */
	if (d->in_sysfs && !d->kobj->state_in_sysfs) {
		uevent_dropped(d->kobj, d->action, NULL, NULL,
			       UEVENT_DROP_REMOVED, 0, &d->from);
		return;
	}
	uevent_emit(d->kobj, d->action, d->envp, NULL, &d->from);
}

static void uevent_defer_fn(struct work_struct *work)
{
	struct uevent_deferred *d;

	for (;;) {
		spin_lock_irq(&uevent_defer_lock);
		d = list_first_entry_or_null(&uevent_defer_list,
					     struct uevent_deferred, node);
		if (d)
			list_del(&d->node);
		uevent_defer_sending = d;
		spin_unlock_irq(&uevent_defer_lock);
		if (!d)
			return;

		lock_map_acquire(&uevent_defer_map);
		uevent_defer_send(d);
		/* A cancel waits for this put too: the release may be a module's. */
		kobject_put(d->kobj);
		lock_map_release(&uevent_defer_map);

		spin_lock_irq(&uevent_defer_lock);
		uevent_defer_sending = NULL;
		uevent_defer_pending--;
		uevent_defer_wake();
		spin_unlock_irq(&uevent_defer_lock);
		/* Cancels read d until it is no longer sending. */
		kfree(d);
		cond_resched();
	}
}

/* The queuer, as uevent_send and uevent_drop report it. */
static void uevent_sender_set(struct uevent_sender *from)
{
	if (in_task()) {
		from->pid = current->pid;
		memcpy(from->comm, current->comm, TASK_COMM_LEN);
	} else {
		from->pid = 0;
		strscpy(from->comm, in_hardirq() ? "<hardirq>" : "<softirq>",
			TASK_COMM_LEN);
	}
}

/* A deferred event failed before it was queued. */
static void uevent_defer_failed(struct kobject *kobj,
				enum kobject_action action,
				enum uevent_drop_reason why, int err)
{
	struct uevent_sender from;

	uevent_count(UEVENT_STAT_FAILED + why);
	if (!trace_uevent_drop_enabled())
		return;
	uevent_sender_set(&from);
	/* No path can be built here: name the kobject. */
	rcu_read_lock();
	trace_uevent_drop(uevent_action_names[action],
			  READ_ONCE(kobj->name) ?: "", "", why, err, from.pid,
			  from.comm);
	rcu_read_unlock();
}

/**
 * kobject_uevent_env_deferred() - Queue a uevent to be sent soon.
 * @kobj: The kobject the action happened to.
 * @action: What happened.
 * @envp_ext: NULL-terminated array of "KEY=VALUE" strings, or NULL.
 * @gfp: How to allocate the copy: GFP_ATOMIC from atomic context.
 *
 * For callers that cannot sleep.  Copies @envp_ext, takes a reference
 * on @kobj and returns; a work item then sends the event exactly as
 * kobject_uevent_env() would have: with the kset's hooks, the next
 * SEQNUM, to the same listeners and helper, counted and traced the
 * same way (the uevent_send and uevent_drop tracepoints name the task
 * that queued it, or the interrupt context).  Deferred events are sent
 * in the order of the calls that queued them, behind any event sent
 * directly in the meantime.  The reference on @kobj is dropped once its
 * event is sent, so @kobj is not released before.
 *
 * An event whose @kobj was in sysfs when it was queued but has been
 * removed from it (kobject_del()) when its turn comes is not sent; this
 * is a best effort, which does not see a removal that races with the
 * sending.  A driver cancels its events before it removes a kobject,
 * and cancels or flushes them before its module, which may hold the
 * kobject's release function or its kset's hooks, is unloaded; see
 * kobject_uevent_cancel_deferred() and kobject_uevent_flush_deferred().
 *
 * At most 1024 events wait at any time; past that, calls fail and are
 * counted in /sys/kernel/uevent/failed_defer_full.
 *
 * Context: Any context in which a spinlock_t may be taken and memory
 * allocated with @gfp: process, softirq or hard interrupt context, with
 * a spinlock held or interrupts disabled.  Not from NMI context; on
 * PREEMPT_RT, not from hard interrupt context that is not threaded nor
 * with a raw_spinlock_t held.
 * Return: 0 if the event was queued; -ENOMEM if there was no memory for
 * the copy, or if @envp_ext has more variables than fit beside ACTION,
 * DEVPATH, SUBSYSTEM and SEQNUM or more bytes than an environment
 * holds; -ENOBUFS if too many deferred events are waiting; -EINVAL for
 * %KOBJ_ADD and %KOBJ_REMOVE, which must be sent directly, or an
 * unknown @action.  Nothing is queued when it fails.
 */
int kobject_uevent_env_deferred(struct kobject *kobj,
				enum kobject_action action, char *envp_ext[],
				gfp_t gfp)
{
	u16 lens[UEVENT_DEFER_MAX_VARS];
	struct uevent_deferred *d;
	enum uevent_drop_reason why;
	unsigned int i, n = 0;
	unsigned long flags;
	size_t len = 0;
	char *p;

	if (WARN_ON_ONCE(action >= ARRAY_SIZE(uevent_action_names)))
		return -EINVAL;
	/* The core records add and remove events in the kobject: not later. */
	if (action == KOBJ_ADD || action == KOBJ_REMOVE)
		return -EINVAL;
	for (; envp_ext && envp_ext[n]; n++) {
		if (n >= UEVENT_DEFER_MAX_VARS) {
			why = UEVENT_DROP_NO_ROOM;
			goto fail;
		}
		/* Each length with its NUL, scanned once. */
		lens[n] = strnlen(envp_ext[n], UEVENT_BUFFER_SIZE) + 1;
		len += lens[n];
		if (len > UEVENT_BUFFER_SIZE) {
			why = UEVENT_DROP_NO_ROOM;
			goto fail;
		}
	}
	d = kmalloc(struct_size(d, envp, n + 1) + len, gfp);
	if (!d) {
		why = UEVENT_DROP_NO_MEMORY;
		goto fail;
	}
	d->action = action;
	uevent_sender_set(&d->from);
	p = (char *)&d->envp[n + 1];
	for (i = 0; i < n; i++) {
		d->envp[i] = memcpy(p, envp_ext[i], lens[i]);
		p += lens[i];
	}
	d->envp[n] = NULL;

	spin_lock_irqsave(&uevent_defer_lock, flags);
	if (uevent_defer_pending >= UEVENT_DEFER_MAX) {
		spin_unlock_irqrestore(&uevent_defer_lock, flags);
		kfree(d);
		uevent_defer_failed(kobj, action, UEVENT_DROP_DEFER_FULL,
				    -ENOBUFS);
		return -ENOBUFS;
	}
	d->kobj = kobject_get(kobj);
	d->in_sysfs = kobj->state_in_sysfs;
	d->ticket = ++uevent_defer_tickets;
	uevent_defer_pending++;
	list_add_tail(&d->node, &uevent_defer_list);
	spin_unlock_irqrestore(&uevent_defer_lock, flags);
	/* A running work item finds it on the list, or runs once more. */
	queue_work(system_unbound_wq, &uevent_defer_work);
	return 0;

fail:
	uevent_defer_failed(kobj, action, why, -ENOMEM);
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(kobject_uevent_env_deferred);

#if IS_ENABLED(CONFIG_KUNIT)
/* Deferred events waiting or being sent, for the KUnit suite. */
unsigned int uevent_defer_waiting(void)
{
	unsigned int n;

	spin_lock_irq(&uevent_defer_lock);
	n = uevent_defer_pending;
	spin_unlock_irq(&uevent_defer_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_defer_waiting);
#endif

/**
 * kobject_uevent_flush_deferred() - Wait for deferred uevents.
 *
 * Returns once every event queued by kobject_uevent_env_deferred()
 * before the call has been sent, or dropped as that function says, or
 * cancelled.  Events queued later do not delay it.
 *
 * Context: Process context; may sleep.  Not from a kset's uevent
 * hooks or a kobject's release function, which the work item that
 * sends deferred events calls.
 */
void kobject_uevent_flush_deferred(void)
{
	might_sleep();
	lock_map_acquire(&uevent_defer_map);
	lock_map_release(&uevent_defer_map);
	spin_lock_irq(&uevent_defer_lock);
	uevent_defer_wait(uevent_defer_tickets);
}
EXPORT_SYMBOL_GPL(kobject_uevent_flush_deferred);

/**
 * kobject_uevent_cancel_deferred() - Drop the deferred uevents of a kobject.
 * @kobj: The kobject.
 *
 * Drops every event of @kobj that kobject_uevent_env_deferred() queued
 * and that is not being sent yet, then waits if one is being sent.
 * When it returns, no deferred event of @kobj queued before the call
 * is waiting or being sent, and the references they held are dropped.
 * It does not wait for the events of other kobjects.
 *
 * Context: Process context; may sleep.  Not from a kset's uevent
 * hooks or a kobject's release function.
 * Return: The number of events dropped.
 */
unsigned int kobject_uevent_cancel_deferred(struct kobject *kobj)
{
	struct uevent_deferred *d, *tmp;
	unsigned int dropped = 0;
	LIST_HEAD(cancelled);

	might_sleep();
	lock_map_acquire(&uevent_defer_map);
	lock_map_release(&uevent_defer_map);
	spin_lock_irq(&uevent_defer_lock);
	list_for_each_entry_safe(d, tmp, &uevent_defer_list, node) {
		if (d->kobj != kobj)
			continue;
		list_move_tail(&d->node, &cancelled);
		uevent_defer_pending--;
		dropped++;
	}
	/* Flushes waiting for these tickets may go on. */
	uevent_defer_wake();
	if (uevent_defer_sending && uevent_defer_sending->kobj == kobj)
		uevent_defer_wait(uevent_defer_sending->ticket);
	else
		spin_unlock_irq(&uevent_defer_lock);

	list_for_each_entry_safe(d, tmp, &cancelled, node)
		uevent_defer_free(d);
	return dropped;
}
EXPORT_SYMBOL_GPL(kobject_uevent_cancel_deferred);

/* ------------------------------------------------------------------ */
/* Synthetic uevents                                                   */

/**
 * kobject_synth_uevent() - Send a uevent described by user space.
 * @kobj: The kobject the event is for.
 * @buf: The text written to a sysfs "uevent" attribute.
 * @count: Length of @buf.
 *
 * @buf reads "ACTION [UUID [KEY=VALUE ...]]", with one space between
 * words and an optional trailing newline.  ACTION is one of the
 * kobject action names, UUID is in the 36 character text form, and
 * every KEY and VALUE is a non-empty run of letters and digits.  The
 * event carries SYNTH_UUID=UUID (SYNTH_UUID=0 when absent) and one
 * SYNTH_ARG_KEY=VALUE per pair after the caller-independent variables.
 * Input that does not match, or whose variables alone would overflow
 * an environment, sends nothing.  Any failure is logged, rate limited,
 * as "synth uevent: DEVPATH: REASON".
 *
 * Context: Process context; may sleep.
 * Return: 0 on success, -EINVAL for input that does not match, or an
 * error from kobject_uevent_env().
 */
int kobject_synth_uevent(struct kobject *kobj, const char *buf, size_t count)
{
	struct uevent_synth synth;
	enum kobject_action action;
	int ret;

	ret = uevent_synth_parse(kobj, buf, count, &action, &synth);
	if (ret)
		return ret;
	ret = uevent_emit(kobj, action, NULL, &synth, NULL);
	if (ret)
		uevent_synth_report(kobj, "failed to send uevent");
	return ret;
}

/* ------------------------------------------------------------------ */
/* Counters: /sys/kernel/uevent/                                       */

struct uevent_stat_attribute {
	struct kobj_attribute attr;
	enum uevent_stat stat;
};

static ssize_t uevent_stat_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	const struct uevent_stat_attribute *sa =
		container_of(attr, struct uevent_stat_attribute, attr);
	unsigned long sum = 0;
	int cpu;

	/* A snapshot: counts may move on while it is summed. */
	for_each_possible_cpu(cpu)
		sum += per_cpu(uevent_stats[sa->stat], cpu);
	return sysfs_emit(buf, "%lu\n", sum);
}

#define UEVENT_STAT_ATTR(_name, _stat)					\
	static struct uevent_stat_attribute uevent_stat_##_name = {	\
		.attr = __ATTR(_name, 0444, uevent_stat_show, NULL),	\
		.stat = _stat,						\
	}

UEVENT_STAT_ATTR(sent, UEVENT_STAT_SENT);
UEVENT_STAT_ATTR(overflowed, UEVENT_STAT_OVERFLOWED);
UEVENT_STAT_ATTR(queue_dropped, UEVENT_STAT_QUEUE_DROPPED);
UEVENT_STAT_ATTR(failed_no_kset, UEVENT_STAT_FAILED + UEVENT_DROP_NO_KSET);
UEVENT_STAT_ATTR(failed_no_name, UEVENT_STAT_FAILED + UEVENT_DROP_NO_NAME);
UEVENT_STAT_ATTR(failed_no_room, UEVENT_STAT_FAILED + UEVENT_DROP_NO_ROOM);
UEVENT_STAT_ATTR(failed_no_memory,
		 UEVENT_STAT_FAILED + UEVENT_DROP_NO_MEMORY);
UEVENT_STAT_ATTR(failed_hook, UEVENT_STAT_FAILED + UEVENT_DROP_HOOK_ERROR);
UEVENT_STAT_ATTR(failed_defer_full,
		 UEVENT_STAT_FAILED + UEVENT_DROP_DEFER_FULL);

static struct attribute *uevent_stat_attrs[] = {
	&uevent_stat_sent.attr.attr,
	&uevent_stat_overflowed.attr.attr,
	&uevent_stat_queue_dropped.attr.attr,
	&uevent_stat_failed_no_kset.attr.attr,
	&uevent_stat_failed_no_name.attr.attr,
	&uevent_stat_failed_no_room.attr.attr,
	&uevent_stat_failed_no_memory.attr.attr,
	&uevent_stat_failed_hook.attr.attr,
	&uevent_stat_failed_defer_full.attr.attr,
	NULL
};

static const struct attribute_group uevent_stat_group = {
	.attrs = uevent_stat_attrs,
};

/* /sys/kernel/uevent/: these counters, and the replay ring's. */
struct kobject *uevent_kobj;

static int __init uevent_sysfs_init(void)
{
	int ret;

	uevent_kobj = kobject_create_and_add("uevent", kernel_kobj);
	if (!uevent_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(uevent_kobj, &uevent_stat_group);
	if (ret) {
		kobject_put(uevent_kobj);
		uevent_kobj = NULL;
	}
	return ret;
}
postcore_initcall(uevent_sysfs_init);

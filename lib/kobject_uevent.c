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
 *   kset hooks, allocating the messages with room for SEQNUM) happens
 *   first, without locks.  Then, under one short spinlock, the SEQNUM is
 *   taken and appended and the message is put on the delivery queue of
 *   every network namespace it goes to, so each queue is in strictly
 *   increasing SEQNUM order and an event that fails leaves no gap.
 *   SEQNUM is global: a gap seen by a listener means lost messages,
 *   which its socket reports as ENOBUFS, or events that went only to
 *   other network namespaces.
 *
 * - Delivery: a namespace's queue is handed to netlink, in order, by one
 *   task at a time: the emitter itself if no other task is delivering
 *   to that namespace, else that task or the namespace's work item.
 *   What a namespace's listeners cost (their number, socket filters,
 *   full receive queues) is paid by whoever delivers to that namespace
 *   and delays no event of another namespace.  An emitter never waits
 *   for another namespace's delivery; it waits for its own namespace
 *   only when that queue is full (UEVENT_QUEUE_MAX), and only if the
 *   namespace is owned by the initial user namespace.  The events of
 *   other namespaces are dropped instead, reported as ENOBUFS.
 *
 * Locking:
 *
 * uevent_order_lock is the only lock all emitters share.  It is taken
 * with interrupts disabled and held only to take a SEQNUM, format it
 * and append messages to queues (each queue's own spinlock nests
 * inside); it protects the order of every queue and changes to
 * uevent_nets, which is also read under RCU.  Each namespace's
 * tx_mutex is held by the one task that hands that namespace's queue to
 * netlink, whose locks nest inside it; it is never taken while
 * uevent_order_lock is held.  uevent_seqnum is advanced only with
 * atomic64_inc_return() under uevent_order_lock and may be read at any
 * time (/sys/kernel/uevent_seqnum); such a read is a snapshot, and the
 * event with that number may still be on its way to the sockets.
 */

#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/kobject.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "kobject_uevent.h"

/* Sequence number of the last event sent; see "Locking" above. */
atomic64_t uevent_seqnum;

#ifdef CONFIG_UEVENT_HELPER
char uevent_helper[UEVENT_HELPER_PATH_LEN] = CONFIG_UEVENT_HELPER_PATH;
#endif

/* Indexed by enum kobject_action; the strings are ABI. */
static const char *const uevent_action_names[] = {
	[KOBJ_ADD]	= "add",
	[KOBJ_REMOVE]	= "remove",
	[KOBJ_CHANGE]	= "change",
	[KOBJ_MOVE]	= "move",
	[KOBJ_ONLINE]	= "online",
	[KOBJ_OFFLINE]	= "offline",
	[KOBJ_BIND]	= "bind",
	[KOBJ_UNBIND]	= "unbind",
};

#define UEVENT_DEVPATH_KEY	"DEVPATH="
/* The room SEQNUM takes at most, NUL included. */
#define UEVENT_SEQNUM_MAX	sizeof("SEQNUM=18446744073709551615")
#define UEVENT_SYNTH_UUID	"SYNTH_UUID="
#define UEVENT_SYNTH_ARG	"SYNTH_ARG_"

/*
 * The validated argument text of a synthetic uevent: a UUID, then zero
 * or more " KEY=VALUE" words.  @text is NULL when the write named only
 * an action.
 */
struct uevent_synth {
	const char *text;
	size_t len;
};

/* ------------------------------------------------------------------ */
/* Netlink transport                                                   */

#ifdef CONFIG_NET

/*
 * Messages a namespace may have waiting for delivery.  Past this, an
 * emitter of an event for a namespace of the initial user namespace
 * first delivers waiting messages itself; for other namespaces the
 * event is dropped and the listeners are told with ENOBUFS.
 */
#define UEVENT_QUEUE_MAX	1024
/* Messages an emitter hands to netlink before it leaves the rest. */
#define UEVENT_TX_BUDGET	16
/* Namespaces an emitter delivers to itself; the work item does the rest. */
#define UEVENT_TX_INLINE	4

struct uevent_sock {
	struct list_head list;
	struct sock *sk;
	/* Messages in SEQNUM order; appended under uevent_order_lock. */
	struct sk_buff_head queue;
	/* Held by whoever hands messages of @queue to netlink. */
	struct mutex tx_mutex;
	/* Delivers what emitters left in @queue. */
	struct work_struct tx_work;
	struct rcu_head rcu;
};

/* What a queued message carries besides netlink's control block. */
struct uevent_skb_cb {
	struct netlink_skb_parms nl;
	/* Messages were dropped after this one: report ENOBUFS. */
	bool lost_after;
};

#define UEVENT_SKB_CB(skb)	((struct uevent_skb_cb *)(skb)->cb)

/*
 * Sockets of the network namespaces owned by the initial user namespace:
 * they receive every event that is not tagged with a network namespace.
 * Changed under uevent_order_lock; read under it or under RCU.
 */
static LIST_HEAD(uevent_nets);

/*
 * The one lock every emitter shares: a SEQNUM is taken and its message
 * appended to the queue of each namespace it goes to under it, so every
 * queue is in SEQNUM order.  Held for a few list operations only; never
 * across an allocation, a socket filter or anything that sleeps.
 */
static DEFINE_SPINLOCK(uevent_order_lock);

/* Untagged events reach @net, and it is on uevent_nets. */
static bool uevent_net_listed(const struct net *net)
{
	return net->user_ns == &init_user_ns;
}

/* The message without SEQNUM, with room to append the longest one. */
static struct sk_buff *uevent_build_skb(const struct kobj_uevent_env *env,
					const char *action,
					const char *devpath)
{
	size_t alen = strlen(action), dlen = strlen(devpath);
	struct netlink_skb_parms *parms;
	struct sk_buff *skb;
	char *hdr;

	skb = alloc_skb(alen + dlen + 2 + env->buflen + UEVENT_SEQNUM_MAX,
			GFP_KERNEL);
	if (!skb)
		return NULL;

	hdr = skb_put(skb, alen + dlen + 2);
	memcpy(hdr, action, alen);
	hdr[alen] = '@';
	memcpy(hdr + alen + 1, devpath, dlen + 1);
	skb_put_data(skb, env->buf, env->buflen);

	parms = &NETLINK_CB(skb);
	parms->creds.uid = GLOBAL_ROOT_UID;
	parms->creds.gid = GLOBAL_ROOT_GID;
	parms->dst_group = 1;
	parms->portid = 0;
	return skb;
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
 * its own clone, and a filter trims only its own listener's copy.
 */
static void uevent_broadcast(struct sock *sk, struct sk_buff *skb)
{
	netlink_broadcast(sk, skb_get(skb), 0, 1, GFP_KERNEL);
}

/*
 * Hand up to @budget queued messages of @ue to netlink, in order.
 * Return whether messages are left.
 */
static bool uevent_tx(struct uevent_sock *ue, unsigned int budget)
{
	struct sk_buff *skb;

	lockdep_assert_held(&ue->tx_mutex);
	while (budget--) {
		skb = skb_dequeue(&ue->queue);
		if (!skb)
			return false;
		uevent_broadcast(ue->sk, skb);
		if (UEVENT_SKB_CB(skb)->lost_after)
			netlink_set_err(ue->sk, 0, 1, ENOBUFS);
		consume_skb(skb);
	}
	return !skb_queue_empty_lockless(&ue->queue);
}

static void uevent_tx_work(struct work_struct *work)
{
	struct uevent_sock *ue = container_of(work, struct uevent_sock,
					      tx_work);

	mutex_lock(&ue->tx_mutex);
	while (uevent_tx(ue, UEVENT_TX_BUDGET))
		cond_resched();
	mutex_unlock(&ue->tx_mutex);
}

/*
 * Deliver what is queued for @ue now, unless another task is doing so;
 * then that task or the work item delivers it.  A task that finds the
 * queue empty under tx_mutex may unlock after a new message was queued
 * and our trylock failed: that is why the work item is queued whenever
 * the trylock fails or messages are left.
 */
static void uevent_tx_kick(struct uevent_sock *ue)
{
	bool left = true;

	if (mutex_trylock(&ue->tx_mutex)) {
		left = uevent_tx(ue, UEVENT_TX_BUDGET);
		mutex_unlock(&ue->tx_mutex);
	}
	if (left || !skb_queue_empty_lockless(&ue->queue))
		queue_work(system_unbound_wq, &ue->tx_work);
}

/*
 * Make room in the queue of @ue by delivering from it, as every emitter
 * did before messages were queued.  Only for namespaces owned by the
 * initial user namespace, whose events must not be dropped.
 */
static void uevent_tx_throttle(struct uevent_sock *ue)
{
	if (skb_queue_len_lockless(&ue->queue) < UEVENT_QUEUE_MAX)
		return;
	mutex_lock(&ue->tx_mutex);
	while (skb_queue_len_lockless(&ue->queue) >= UEVENT_QUEUE_MAX / 2 &&
	       uevent_tx(ue, UEVENT_TX_BUDGET))
		cond_resched();
	mutex_unlock(&ue->tx_mutex);
}

/*
 * Append @skb to the queue of @ue.  Called with uevent_order_lock held,
 * in SEQNUM order.  If @may_drop, a full queue of a namespace owned by
 * another user namespace drops the message and reports the loss after
 * the last queued message.  Consumes @skb.
 */
static void uevent_enqueue(struct uevent_sock *ue, struct sk_buff *skb,
			   bool may_drop)
{
	struct sk_buff *last;
	unsigned long flags;

	lockdep_assert_held(&uevent_order_lock);
	UEVENT_SKB_CB(skb)->lost_after = false;
	spin_lock_irqsave(&ue->queue.lock, flags);
	if (may_drop && skb_queue_len(&ue->queue) >= UEVENT_QUEUE_MAX &&
	    !uevent_net_listed(sock_net(ue->sk))) {
		last = skb_peek_tail(&ue->queue);
		UEVENT_SKB_CB(last)->lost_after = true;
		spin_unlock_irqrestore(&ue->queue.lock, flags);
		kfree_skb(skb);
		return;
	}
	__skb_queue_tail(&ue->queue, skb);
	spin_unlock_irqrestore(&ue->queue.lock, flags);
}

/*
 * The namespaces an emitter delivers to once it has queued its message:
 * each pinned with a reference, so it cannot go away before the
 * emitter is done with it.
 */
struct uevent_kicks {
	unsigned int n;
	struct net *net[UEVENT_TX_INLINE];
};

/*
 * Queue @skb to @net and note the namespace for uevent_kick_all(); the
 * work item delivers to namespaces beyond UEVENT_TX_INLINE.  A dying
 * namespace has no listener left: nothing is queued.  Consumes @skb.
 */
static void uevent_queue_to(struct net *net, struct sk_buff *skb,
			    struct uevent_kicks *kicks)
{
	struct uevent_sock *ue = net->uevent_sock;

	lockdep_assert_held(&uevent_order_lock);
	if (!maybe_get_net(net)) {
		kfree_skb(skb);
		return;
	}
	uevent_enqueue(ue, skb, true);
	if (kicks->n < UEVENT_TX_INLINE) {
		kicks->net[kicks->n++] = net;
		return;
	}
	queue_work(system_unbound_wq, &ue->tx_work);
	put_net(net);
}

static void uevent_kick_all(struct uevent_kicks *kicks)
{
	unsigned int i;

	for (i = 0; i < kicks->n; i++) {
		uevent_tx_kick(kicks->net[i]->uevent_sock);
		put_net(kicks->net[i]);
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
 * How many namespaces that @net's events go to have a listener now; for
 * an untagged event (@net is NULL), make room in their queues first.
 */
static unsigned int uevent_listening_nets(const struct net *net)
{
	struct uevent_sock *ue;
	unsigned int n = 0;
	struct net *pin;

	if (net)
		return netlink_has_listeners(net->uevent_sock->sk, 1);
retry:
	rcu_read_lock();
	list_for_each_entry_rcu(ue, &uevent_nets, list) {
		if (!netlink_has_listeners(ue->sk, 1))
			continue;
		if (skb_queue_len_lockless(&ue->queue) >= UEVENT_QUEUE_MAX) {
			pin = maybe_get_net(sock_net(ue->sk));
			if (!pin)
				continue;
			rcu_read_unlock();
			uevent_tx_throttle(ue);
			put_net(pin);
			n = 0;
			goto retry;
		}
		n++;
	}
	rcu_read_unlock();
	return n;
}

/*
 * Build the messages for @env, still without SEQNUM, one for each
 * namespace with a listener, into @msgs (empty when nobody listens).
 * A listener that binds after this check does not get the event, as if
 * it had bound a moment later.
 */
static int uevent_prepare(const struct net *net,
			  const struct kobj_uevent_env *env,
			  const char *action, const char *devpath,
			  struct sk_buff_head *msgs)
{
	struct sk_buff *skb, *copy;
	unsigned int n;
	kuid_t uid;
	kgid_t gid;

	__skb_queue_head_init(msgs);
	n = uevent_listening_nets(net);
	if (!n)
		return 0;
	if (net && skb_queue_len_lockless(&net->uevent_sock->queue) >=
	    UEVENT_QUEUE_MAX && uevent_net_listed(net))
		uevent_tx_throttle(net->uevent_sock);

	skb = uevent_build_skb(env, action, devpath);
	if (!skb)
		return -ENOMEM;
	if (net) {
		/* The sender is root of the namespace's owner, if mapped. */
		uid = make_kuid(net->user_ns, 0);
		if (uid_valid(uid))
			NETLINK_CB(skb).creds.uid = uid;
		gid = make_kgid(net->user_ns, 0);
		if (gid_valid(gid))
			NETLINK_CB(skb).creds.gid = gid;
	}
	__skb_queue_tail(msgs, skb);

	/* Clones share the data; SEQNUM is written once, for all. */
	while (--n) {
		copy = skb_clone(skb, GFP_KERNEL);
		if (!copy) {
			__skb_queue_purge(msgs);
			return -ENOMEM;
		}
		__skb_queue_tail(msgs, copy);
	}
	return 0;
}

/*
 * Append @seqvar ("SEQNUM=n", NUL included, @len bytes) to the messages
 * from uevent_prepare() and queue one to each namespace that listens;
 * called with uevent_order_lock held.  A namespace that got a listener
 * since uevent_prepare() may be left without a message.
 */
static void uevent_queue(const struct net *net, struct sk_buff_head *msgs,
			 const char *seqvar, size_t len,
			 struct uevent_kicks *kicks)
{
	struct sk_buff *skb = skb_peek(msgs), *msg;
	struct uevent_sock *ue;

	lockdep_assert_held(&uevent_order_lock);
	if (!skb)
		return;
	skb_put_data(skb, seqvar, len);
	skb_queue_walk(msgs, msg)
		if (msg != skb)
			__skb_put(msg, len);

	if (net) {
		uevent_queue_to((struct net *)net, __skb_dequeue(msgs), kicks);
		return;
	}
	list_for_each_entry(ue, &uevent_nets, list) {
		if (skb_queue_empty(msgs))
			break;
		if (netlink_has_listeners(ue->sk, 1))
			uevent_queue_to(sock_net(ue->sk), __skb_dequeue(msgs),
					kicks);
	}
}

/*
 * Take the next SEQNUM, append it to @env (which has room for it) and to
 * @msgs from uevent_prepare(), queue them, then deliver.
 */
static void uevent_post(const struct net *net, struct kobj_uevent_env *env,
			struct sk_buff_head *msgs)
{
	struct uevent_kicks kicks = { };
	unsigned long flags;
	const char *seqvar;

	spin_lock_irqsave(&uevent_order_lock, flags);
	add_uevent_var(env, "SEQNUM=%llu",
		       (u64)atomic64_inc_return(&uevent_seqnum));
	seqvar = env->envp[env->envp_idx - 1];
	uevent_queue(net, msgs, seqvar, strlen(seqvar) + 1, &kicks);
	spin_unlock_irqrestore(&uevent_order_lock, flags);

	/* Left over if namespaces stopped listening meanwhile. */
	__skb_queue_purge(msgs);
	uevent_kick_all(&kicks);
}

/*
 * A message written to a uevent socket by user space: broadcast its
 * payload with SEQNUM appended in the writer's network namespace.  The
 * writer hands its namespace's queue to netlink itself, up to and
 * including its own message, so a writer that floods pays for its own
 * listeners and socket filters.
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
	int n;

	/* Who may write: CAP_SYS_ADMIN over the target namespace's owner. */
	if (!netlink_ns_capable(skb, net->user_ns, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack, "missing CAP_SYS_ADMIN capability");
		return -EPERM;
	}

	/*
	 * The limit counts the netlink header and SEQNUM, as it always
	 * has, with the SEQNUM of the moment: should the number gain a
	 * digit before it is taken, the message may end one byte over.
	 * The buffer has room for the longest SEQNUM either way.
	 */
	n = snprintf(seqvar, sizeof(seqvar), "SEQNUM=%llu",
		     (u64)atomic64_read(&uevent_seqnum) + 1) + 1;
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
	spin_lock_irqsave(&uevent_order_lock, flags);
	n = snprintf(seqvar, sizeof(seqvar), "SEQNUM=%llu",
		     (u64)atomic64_inc_return(&uevent_seqnum)) + 1;
	skb_put_data(msg, seqvar, n);
	uevent_enqueue(ue, msg, false);
	spin_unlock_irqrestore(&uevent_order_lock, flags);
	while (uevent_tx(ue, UEVENT_TX_BUDGET))
		cond_resched();
	mutex_unlock(&ue->tx_mutex);
	return 0;
}

static void uevent_net_rcv(struct sk_buff *skb)
{
	netlink_rcv_skb(skb, uevent_inject);
}

static int uevent_net_init(struct net *net)
{
	struct netlink_kernel_cfg cfg = {
		.groups	= 1,
		.input	= uevent_net_rcv,
		.flags	= NL_CFG_F_NONROOT_RECV,
	};
	struct uevent_sock *ue;

	ue = kzalloc(sizeof(*ue), GFP_KERNEL);
	if (!ue)
		return -ENOMEM;

	ue->sk = netlink_kernel_create(net, NETLINK_KOBJECT_UEVENT, &cfg);
	if (!ue->sk) {
		kfree(ue);
		return -ENODEV;
	}
	skb_queue_head_init(&ue->queue);
	mutex_init(&ue->tx_mutex);
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
 * Every emitter pins the namespaces it queues to (uevent_queue_to()), so
 * once the namespace's count is zero and it is off uevent_nets, only the
 * work item can still touch its queue.
 */
static void uevent_net_exit(struct net *net)
{
	struct uevent_sock *ue = net->uevent_sock;

	if (uevent_net_listed(net)) {
		spin_lock_irq(&uevent_order_lock);
		list_del_rcu(&ue->list);
		spin_unlock_irq(&uevent_order_lock);
	}
	cancel_work_sync(&ue->tx_work);
	skb_queue_purge(&ue->queue);
	netlink_kernel_release(ue->sk);
	mutex_destroy(&ue->tx_mutex);
	kfree_rcu(ue, rcu);
}

static struct pernet_operations uevent_net_ops = {
	.init	= uevent_net_init,
	.exit	= uevent_net_exit,
};

static int __init uevent_net_setup(void)
{
	BUILD_BUG_ON(sizeof(struct uevent_skb_cb) >
		     sizeof_field(struct sk_buff, cb));
	return register_pernet_subsys(&uevent_net_ops);
}
postcore_initcall(uevent_net_setup);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * For the KUnit suite only: hand everything queued for @net to netlink
 * now, and hold or release @net's delivery the way a task busy
 * delivering to it would.
 */
VISIBLE_IF_KUNIT void uevent_net_flush(struct net *net)
{
	struct uevent_sock *ue = net->uevent_sock;

	mutex_lock(&ue->tx_mutex);
	while (uevent_tx(ue, UEVENT_TX_BUDGET))
		cond_resched();
	mutex_unlock(&ue->tx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_flush);

VISIBLE_IF_KUNIT void uevent_net_hold(struct net *net)
{
	mutex_lock(&net->uevent_sock->tx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_hold);

VISIBLE_IF_KUNIT void uevent_net_release(struct net *net)
{
	mutex_unlock(&net->uevent_sock->tx_mutex);
	uevent_tx_kick(net->uevent_sock);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_net_release);
#endif

#else /* !CONFIG_NET */

/* Without listeners only the uevent helper sees SEQNUM: nothing to order. */
static const struct net *uevent_kobj_net(const struct kobject *kobj)
{
	return NULL;
}

static int uevent_prepare(const struct net *net,
			  const struct kobj_uevent_env *env,
			  const char *action, const char *devpath,
			  struct sk_buff_head *msgs)
{
	return 0;
}

static void uevent_post(const struct net *net, struct kobj_uevent_env *env,
			struct sk_buff_head *msgs)
{
	add_uevent_var(env, "SEQNUM=%llu",
		       (u64)atomic64_inc_return(&uevent_seqnum));
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

static void uevent_helper_cleanup(struct subprocess_info *info)
{
	kfree(info->data);
}

/*
 * Start the helper for the event in *@envp.  Once the helper is set up
 * it owns the environment, and *@envp is cleared.
 */
static int uevent_run_helper(struct kobj_uevent_env **envp,
			     const char *subsystem)
{
	struct kobj_uevent_env *env = *envp;
	struct subprocess_info *info;
	size_t len = strlen(subsystem) + 1;
	int ret;

	ret = add_uevent_var(env, "HOME=/");
	if (!ret)
		ret = add_uevent_var(env, "PATH=/sbin:/bin:/usr/sbin:/usr/bin");
	if (ret)
		return ret;
	/* envp must be NULL terminated and argv[1] lives in @env->buf. */
	if (env->envp_idx >= UEVENT_NUM_ENVP ||
	    len > sizeof(env->buf) - env->buflen)
		return -ENOMEM;
	env->envp[env->envp_idx] = NULL;
	memcpy(env->buf + env->buflen, subsystem, len);
	env->argv[0] = uevent_helper;
	env->argv[1] = env->buf + env->buflen;
	env->argv[2] = NULL;
	env->buflen += len;

	info = call_usermodehelper_setup(env->argv[0], env->argv, env->envp,
					 GFP_KERNEL, NULL,
					 uevent_helper_cleanup, env);
	if (!info)
		return -ENOMEM;
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
 * kobject names directly in @env.  A concurrent rename can change the
 * length between the two walks; start again when it does.
 */
static int uevent_add_devpath(struct kobj_uevent_env *env,
			      const struct kobject *kobj)
{
	const size_t keylen = strlen(UEVENT_DEVPATH_KEY);
	const struct kobject *k;
	char *path, *pos;
	size_t len;

retry:
	len = 0;
	for (k = kobj; k; k = k->parent) {
		if (!kobject_name(k))
			return -ENOENT;
		len += strlen(kobject_name(k)) + 1;
	}

	if (env->envp_idx >= UEVENT_NUM_ENVP ||
	    keylen + len + 1 > sizeof(env->buf) - env->buflen)
		return -ENOMEM;

	path = env->buf + env->buflen + keylen;
	pos = path + len;
	*pos = '\0';
	for (k = kobj; k; k = k->parent) {
		const char *name = kobject_name(k);
		size_t n = name ? strlen(name) : 0;

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

static int uevent_fill_env(struct kobj_uevent_env *env, struct kobject *kobj,
			   enum kobject_action action, const char *subsystem,
			   char *const envp_ext[],
			   const struct uevent_synth *synth,
			   const struct kset_uevent_ops *ops)
{
	int ret;
	int i;

	ret = add_uevent_var(env, "ACTION=%s", uevent_action_names[action]);
	if (ret)
		return ret;
	ret = uevent_add_devpath(env, kobj);
	if (ret)
		return ret;
	ret = add_uevent_var(env, "SUBSYSTEM=%s", subsystem);
	if (ret)
		return ret;

	for (i = 0; envp_ext && envp_ext[i]; i++) {
		ret = add_uevent_var(env, "%s", envp_ext[i]);
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
		if (ret)
			return ret;
	}

	if (action == KOBJ_ADD)
		kobj->state_add_uevent_sent = 1;
	else if (action == KOBJ_UNBIND)
		uevent_drop_modalias(env);
	return 0;
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
			 struct kobj_uevent_env *env, const char *action)
{
	const char *devpath = env->envp[1] + strlen(UEVENT_DEVPATH_KEY);
	const struct net *net = uevent_kobj_net(kobj);
	struct sk_buff_head msgs;
	int ret;

	/* Once taken, the SEQNUM must fit: leave room for the longest. */
	if (env->envp_idx >= UEVENT_NUM_ENVP ||
	    sizeof(env->buf) - env->buflen < UEVENT_SEQNUM_MAX)
		return -ENOMEM;
	ret = uevent_prepare(net, env, action, devpath, &msgs);
	if (ret)
		return ret;
	uevent_post(net, env, &msgs);
	return 0;
}

static int uevent_emit(struct kobject *kobj, enum kobject_action action,
		       char *const envp_ext[],
		       const struct uevent_synth *synth)
{
	const struct kset_uevent_ops *ops;
	struct kobj_uevent_env *env;
	const char *subsystem;
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
	if (!top->kset)
		return -EINVAL;
	ops = top->kset->uevent_ops;

	if (kobj->uevent_suppress)
		return 0;
	if (ops && ops->filter && !ops->filter(kobj))
		return 0;
	if (ops && ops->name)
		subsystem = ops->name(kobj);
	else
		subsystem = kobject_name(&top->kset->kobj);
	if (!subsystem)
		return 0;

	/* Every field is written before it is read; no need to zero. */
	env = kmalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->envp_idx = 0;
	env->buflen = 0;

	ret = uevent_fill_env(env, kobj, action, subsystem, envp_ext, synth,
			      ops);
	if (ret)
		goto out;

	ret = uevent_commit(kobj, env, uevent_action_names[action]);
	if (!ret && uevent_helper_wanted(kobj))
		ret = uevent_run_helper(&env, subsystem);
out:
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
 * Context: Process context; may sleep.
 * Return: 0 on success or if the event was dropped; -EINVAL if @kobj
 * has no kset; -ENOENT if a kobject on its path has no name; -ENOMEM if
 * memory or environment space ran out; or the error of the kset's
 * uevent() hook or of the helper's start.
 */
int kobject_uevent_env(struct kobject *kobj, enum kobject_action action,
		       char *envp_ext[])
{
	return uevent_emit(kobj, action, envp_ext, NULL);
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
	return uevent_emit(kobj, action, NULL, NULL);
}
EXPORT_SYMBOL_GPL(kobject_uevent);

/* ------------------------------------------------------------------ */
/* Synthetic uevents                                                   */

static int uevent_action_lookup(const char *word, size_t len,
				enum kobject_action *action)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uevent_action_names); i++) {
		if (strlen(uevent_action_names[i]) == len &&
		    !memcmp(uevent_action_names[i], word, len)) {
			*action = i;
			return 0;
		}
	}
	return -EINVAL;
}

static size_t uevent_alnum_span(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && isalnum(s[n]))
		n++;
	return n;
}

/*
 * Check "UUID[ KEY=VALUE]..." in @s[0..@len), keys and values being
 * non-empty runs of alphanumerics, and that the variables it makes fit
 * in one environment on their own.
 */
static int uevent_synth_check(const char *s, size_t len)
{
	size_t bytes = sizeof(UEVENT_SYNTH_UUID) + UUID_STRING_LEN;
	size_t pos = UUID_STRING_LEN, k, v;
	unsigned int vars = 1;

	if (len < UUID_STRING_LEN || !uuid_is_valid(s))
		return -EINVAL;

	while (pos < len) {
		if (s[pos++] != ' ')
			return -EINVAL;
		k = uevent_alnum_span(s + pos, len - pos);
		if (!k || pos + k == len || s[pos + k] != '=')
			return -EINVAL;
		pos += k + 1;
		v = uevent_alnum_span(s + pos, len - pos);
		if (!v || (pos + v < len && s[pos + v] != ' '))
			return -EINVAL;
		pos += v;
		vars++;
		bytes += sizeof(UEVENT_SYNTH_ARG "=") + k + v;
	}

	if (vars > UEVENT_NUM_ENVP || bytes > UEVENT_BUFFER_SIZE)
		return -EINVAL;
	return 0;
}

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
	struct uevent_synth synth = { };
	enum kobject_action action;
	const char *space, *why;
	size_t len = count;
	char *path;
	int ret;

	if (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;

	space = memchr(buf, ' ', len);
	why = "unknown uevent action string";
	ret = uevent_action_lookup(buf, space ? space - buf : len, &action);
	if (ret)
		goto fail;

	if (space) {
		synth.text = space + 1;
		synth.len = buf + len - synth.text;
		why = "incorrect uevent action arguments";
		ret = uevent_synth_check(synth.text, synth.len);
		if (ret)
			goto fail;
	}
	why = "failed to send uevent";
	ret = uevent_emit(kobj, action, NULL, &synth);
	if (!ret)
		return 0;
fail:
	/* Name the object: sysfs "uevent" files of modules, buses and
	 * drivers report nothing else.  The line is ABI, as before.
	 */
	path = kobject_get_path(kobj, GFP_KERNEL);
	pr_warn_ratelimited("synth uevent: %s: %s\n",
			    path ?: "unknown device", why);
	kfree(path);
	return ret;
}

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

#include <linux/jump_label.h>
#include <linux/kobject.h>
#include <linux/sizes.h>
#include <linux/sockptr.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct kvec;
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

int uevent_action_lookup(const char *word, size_t len,
			 enum kobject_action *action);
int uevent_synth_parse(struct kobject *kobj, const char *buf, size_t count,
		       enum kobject_action *action, struct uevent_synth *synth);
void uevent_synth_report(struct kobject *kobj, const char *why);

/*
 * An event as subscriptions see it; see lib/kobject_uevent_sub.c.
 * @action is a UEVENT_SUB_* bit, 0 for an action without a name; a
 * hash is 0 when the field is missing.
 */
struct uevent_key {
	const char *subsystem;
	const char *devtype;
	u32 subsystem_hash;
	u32 devtype_hash;
	u32 action;
};

#ifdef CONFIG_NET
struct sk_buff;
struct sock;
struct uevent_interest;
struct uevent_sub;

extern atomic_t uevent_sub_sockets;

/* Whether any socket holds a set: events need a key. */
static inline bool uevent_subs_active(void)
{
	return atomic_read(&uevent_sub_sockets);
}

void uevent_key_init(struct uevent_key *key, int action,
		     const char *subsystem, const char *devtype);
void uevent_key_parse(struct uevent_key *key, const char *msg, size_t len);
int uevent_sub_filter(struct sock *dsk, struct sk_buff *skb, void *data);
int uevent_sub_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			  unsigned int optlen);
int uevent_sub_getsockopt(struct sock *sk, int optname, char __user *optval,
			  int __user *optlen);
unsigned int uevent_sub_get(struct sock *sk, struct uevent_sub *buf,
			    unsigned int max);
void uevent_sub_release(struct sock *sk, unsigned long *groups);
struct uevent_interest *uevent_interest_build(struct sock *ksk);
void uevent_interest_free(struct uevent_interest *in);
bool uevent_interest_valid(const struct uevent_interest *in,
			   const struct sock *ksk);
bool uevent_interest_wants(const struct uevent_interest *in,
			   const struct uevent_key *key);
#endif /* CONFIG_NET */

/* Deferred events that may wait at once (kobject_uevent_env_deferred()). */
#define UEVENT_DEFER_MAX	1024
/* A deferred event's own variables: ACTION, DEVPATH, SUBSYSTEM, SEQNUM too. */
#define UEVENT_DEFER_MAX_VARS	(UEVENT_NUM_ENVP - 4)

#if IS_ENABLED(CONFIG_KUNIT)
unsigned int uevent_defer_waiting(void);
#endif

/* /sys/kernel/uevent/, or NULL if it could not be made. */
extern struct kobject *uevent_kobj;

#ifdef CONFIG_KOBJECT_UEVENT_REPLAY

#define UEVENT_REPLAY_MIN_SIZE	SZ_16K
#define UEVENT_REPLAY_MAX_SIZE	SZ_1G
/* The longest message: a header and an environment, each this long. */
#define UEVENT_REPLAY_MSG_MAX	(2 * UEVENT_BUFFER_SIZE)

/* A ring of recent events; see lib/kobject_uevent_replay.c. */
struct uevent_replay {
	char *buf;
	size_t size;
	u64 head;
	u64 tail;
	unsigned long overwritten;
	spinlock_t lock;	/* taken by writers only */
	wait_queue_head_t wait;
};

/*
 * Where a reader is (@pos), what it may see (events tagged with
 * @net_cookie, and untagged events if @untagged, with a SEQNUM of at
 * least @min_seq), and whether its next read reports a loss (@lost).
 */
struct uevent_replay_reader {
	u64 pos;
	u64 min_seq;
	u64 net_cookie;
	bool untagged;
	bool lost;
};

DECLARE_STATIC_KEY_FALSE(uevent_replay_key);

/* Whether the running kernel records events. */
static inline bool uevent_replay_enabled(void)
{
	return static_branch_likely(&uevent_replay_key);
}

unsigned long uevent_replay_lock(void);
void uevent_replay_unlock(unsigned long flags);
void uevent_replay_record(u64 seq, const struct net *net,
			  const struct kvec *iov, unsigned int n);
void uevent_replay_wake(void);

#if IS_ENABLED(CONFIG_KUNIT)
int uevent_replay_init(struct uevent_replay *r, size_t size);
void uevent_replay_destroy(struct uevent_replay *r);
void uevent_replay_add(struct uevent_replay *r, u64 seq, u64 net_cookie,
		       const struct kvec *iov, unsigned int n);
ssize_t uevent_replay_read(const struct uevent_replay *r,
			   struct uevent_replay_reader *rd, char *buf,
			   size_t size, u64 *seq);
void uevent_replay_seek(const struct uevent_replay *r,
			struct uevent_replay_reader *rd, u64 seq);
void uevent_replay_seek_end(const struct uevent_replay *r,
			    struct uevent_replay_reader *rd);
#endif

#else /* !CONFIG_KOBJECT_UEVENT_REPLAY */

static inline bool uevent_replay_enabled(void)
{
	return false;
}

static inline unsigned long uevent_replay_lock(void)
{
	return 0;
}

static inline void uevent_replay_unlock(unsigned long flags)
{
}

static inline void uevent_replay_record(u64 seq, const struct net *net,
					const struct kvec *iov,
					unsigned int n)
{
}

static inline void uevent_replay_wake(void)
{
}

#endif /* CONFIG_KOBJECT_UEVENT_REPLAY */

#if IS_ENABLED(CONFIG_KUNIT) && IS_ENABLED(CONFIG_NET)
void uevent_net_flush(struct net *net);
void uevent_net_hold(struct net *net);
void uevent_net_release(struct net *net);
unsigned int uevent_net_queued(struct net *net);
#endif

#endif /* _LIB_KOBJECT_UEVENT_H */

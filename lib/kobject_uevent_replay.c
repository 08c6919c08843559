// SPDX-License-Identifier: GPL-2.0
/*
 * The uevent replay ring and /dev/uevent.
 *
 * Every uevent that takes a SEQNUM is also recorded here: its message,
 * byte for byte as a listener receives it, its SEQNUM, the network
 * namespace whose listeners may see it and when it was sent.  A
 * listener that lost events (its socket reported ENOBUFS) reads them
 * back from /dev/uevent, which has the semantics of /dev/kmsg: one
 * event per read(), lseek() to the oldest or past the newest, EPIPE
 * when the next event was overwritten.
 *
 * Conventions used in this file:
 *
 * - The ring is a byte buffer of a power-of-two size.  Positions are
 *   64-bit byte counts that only grow; a position modulo the size is an
 *   offset in the buffer.  @head is the oldest retained record, @tail
 *   the end of the newest.  A record is a struct uevent_replay_hdr and
 *   the message, padded to 8 bytes, and never wraps: a record that does
 *   not fit before the end of the buffer goes to its start, and the
 *   space left is skipped (marked with UEVENT_REPLAY_WRAP if a header
 *   fits there).
 *
 * - Records are in SEQNUM order: the SEQNUM is taken while the ring's
 *   lock is held (uevent_replay_lock()).
 *
 * - A reader sees what a NETLINK_KOBJECT_UEVENT socket in the network
 *   namespace it opened the device from would receive: untagged events
 *   if that namespace is owned by the initial user namespace, and the
 *   events tagged with that namespace.  Records carry the namespace's
 *   cookie (0 for untagged events), which is never reused, so no
 *   reference to the namespace is kept.
 *
 * Locking:
 *
 * Writers hold @lock, taken with interrupts disabled; the uevent core
 * takes it inside uevent_order_lock, and never the other way round.  A
 * writer copies one message and moves @head past the records it
 * overwrites; it never waits for a reader.  Readers take no lock:
 * they copy a record, then check that @head did not pass it while they
 * copied (uevent_replay_peek()), and start again from @head if it did.
 * The writer publishes @head before it overwrites bytes and @tail after
 * it wrote them; see the pairs named at each barrier.  Each open file
 * has a mutex that orders its own readers; poll() and a reader waiting
 * for events look at its position without it.
 */

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kobject.h>
#include <linux/lockdep.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "kobject_uevent.h"

/* Marks the end of the buffer's used part: the next record is at 0. */
#define UEVENT_REPLAY_WRAP	U32_MAX

struct uevent_replay_hdr {
	u64 seq;
	u64 ts_nsec;		/* local_clock(), as printk's timestamps */
	u64 net_cookie;		/* 0: untagged */
	u32 len;		/* message bytes, or UEVENT_REPLAY_WRAP */
	u32 reserved;
};

static size_t uevent_replay_span(u32 len)
{
	return ALIGN(sizeof(struct uevent_replay_hdr) + len, 8);
}

static size_t uevent_replay_offset(const struct uevent_replay *r, u64 pos)
{
	return pos & (r->size - 1);
}

/**
 * uevent_replay_init() - Allocate an empty ring.
 * @r: The ring.
 * @size: Its size in bytes: a power of two, at least
 *	%UEVENT_REPLAY_MIN_SIZE.
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for a bad size or -ENOMEM.
 */
VISIBLE_IF_KUNIT int uevent_replay_init(struct uevent_replay *r, size_t size)
{
	memset(r, 0, sizeof(*r));
	spin_lock_init(&r->lock);
	init_waitqueue_head(&r->wait);
	if (size < UEVENT_REPLAY_MIN_SIZE || !is_power_of_2(size))
		return -EINVAL;
	r->buf = kvzalloc(size, GFP_KERNEL);
	if (!r->buf)
		return -ENOMEM;
	r->size = size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_replay_init);

/**
 * uevent_replay_destroy() - Free a ring that nobody uses any more.
 * @r: The ring.
 *
 * Context: Process context.
 */
VISIBLE_IF_KUNIT void uevent_replay_destroy(struct uevent_replay *r)
{
	kvfree(r->buf);
	r->buf = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_replay_destroy);

/* Whether a record, not padding, is at @pos; @r->lock held. */
static bool uevent_replay_is_record(const struct uevent_replay *r, u64 pos)
{
	size_t off = uevent_replay_offset(r, pos);
	const struct uevent_replay_hdr *h = (const void *)(r->buf + off);

	return r->size - off >= sizeof(*h) && h->len != UEVENT_REPLAY_WRAP;
}

/* The position after the record or padding at @pos; @r->lock held. */
static u64 uevent_replay_next(const struct uevent_replay *r, u64 pos)
{
	size_t off = uevent_replay_offset(r, pos);
	const struct uevent_replay_hdr *h = (const void *)(r->buf + off);

	if (!uevent_replay_is_record(r, pos))
		return pos + r->size - off;
	return pos + uevent_replay_span(h->len);
}

/**
 * uevent_replay_add() - Record a message.
 * @r: The ring.
 * @seq: Its SEQNUM, higher than any recorded before.
 * @net_cookie: Cookie of the network namespace whose listeners get it,
 *	or 0 for every namespace owned by the initial user namespace.
 * @iov: The message, in pieces.
 * @n: Number of pieces.
 *
 * Overwrites the oldest records as needed.  A ring that has no buffer
 * records nothing.
 *
 * Context: Any context, with @r->lock held.
 */
VISIBLE_IF_KUNIT void uevent_replay_add(struct uevent_replay *r, u64 seq,
					u64 net_cookie,
					const struct kvec *iov,
					unsigned int n)
{
	struct uevent_replay_hdr *h;
	u64 head = r->head, tail = r->tail, end;
	size_t len = 0, off, pad;
	unsigned int i;
	char *dst;

	lockdep_assert_held(&r->lock);
	if (!r->buf)
		return;
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	/* Messages are at most UEVENT_REPLAY_MSG_MAX bytes. */
	if (WARN_ON_ONCE(len > UEVENT_REPLAY_MSG_MAX))
		return;

	off = uevent_replay_offset(r, tail);
	pad = r->size - off < uevent_replay_span(len) ? r->size - off : 0;
	end = tail + pad + uevent_replay_span(len);
	while (end - head > r->size) {
		if (uevent_replay_is_record(r, head))
			WRITE_ONCE(r->overwritten, r->overwritten + 1);
		head = uevent_replay_next(r, head);
	}
	WRITE_ONCE(r->head, head);
	/*
	 * Pairs with smp_rmb() in uevent_replay_peek() and
	 * uevent_replay_read(): a reader that sees the bytes written
	 * below also sees the new head, so it knows they were overwritten.
	 */
	smp_wmb();

	if (pad) {
		if (pad >= sizeof(*h)) {
			h = (void *)(r->buf + off);
			h->len = UEVENT_REPLAY_WRAP;
		}
		off = 0;
	}
	h = (void *)(r->buf + off);
	h->seq = seq;
	h->ts_nsec = local_clock();
	h->net_cookie = net_cookie;
	h->len = len;
	h->reserved = 0;
	dst = (char *)(h + 1);
	for (i = 0; i < n; i++) {
		memcpy(dst, iov[i].iov_base, iov[i].iov_len);
		dst += iov[i].iov_len;
	}
	/* Pairs with smp_load_acquire() in uevent_replay_peek(). */
	smp_store_release(&r->tail, end);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_replay_add);

/*
 * Copy the header of the first record at or after *@pos, skipping
 * padding.  Return 0, -EAGAIN if there is none yet, or -EPIPE if it was
 * overwritten.
 */
static int uevent_replay_peek(const struct uevent_replay *r, u64 *pos,
			      struct uevent_replay_hdr *h)
{
	size_t off;

	for (;;) {
		/* Pairs with smp_store_release() in uevent_replay_add(). */
		if (*pos == smp_load_acquire(&r->tail))
			return -EAGAIN;
		if (*pos < READ_ONCE(r->head))
			return -EPIPE;
		off = uevent_replay_offset(r, *pos);
		if (r->size - off < sizeof(*h)) {
			*pos += r->size - off;
			continue;
		}
		/* Racing the writer by design: checked against head below. */
		data_race(memcpy(h, r->buf + off, sizeof(*h)));
		/* Pairs with smp_wmb() in uevent_replay_add(). */
		smp_rmb();
		if (*pos < READ_ONCE(r->head))
			return -EPIPE;
		if (h->len != UEVENT_REPLAY_WRAP)
			return 0;
		*pos += r->size - off;
	}
}

/* Whether @rd may see an event recorded with @net_cookie. */
static bool uevent_replay_visible(const struct uevent_replay_reader *rd,
				  u64 net_cookie)
{
	return net_cookie ? net_cookie == rd->net_cookie : rd->untagged;
}

/**
 * uevent_replay_read() - Read the next event a reader may see.
 * @r: The ring.
 * @rd: The reader.
 * @buf: Where the message goes.
 * @size: Room in @buf.
 * @seq: Set to the event's SEQNUM, if not NULL.
 *
 * Events @rd may not see are skipped.  The caller serializes the
 * reads of one reader.
 *
 * Context: Any context.
 * Return: The message's length; -EAGAIN if no event is left; -EINVAL if
 * @size is too small, and then the event stays next; -EPIPE if the next
 * event was overwritten, and then @rd is moved to the oldest one.
 */
VISIBLE_IF_KUNIT ssize_t uevent_replay_read(const struct uevent_replay *r,
					    struct uevent_replay_reader *rd,
					    char *buf, size_t size, u64 *seq)
{
	struct uevent_replay_hdr h;
	u64 pos = rd->pos;
	ssize_t ret;

	if (!r->buf)
		return -EAGAIN;
	if (rd->lost) {
		WRITE_ONCE(rd->lost, false);
		return -EPIPE;
	}
	for (;;) {
		ret = uevent_replay_peek(r, &pos, &h);
		if (ret == -EPIPE)
			goto overwritten;
		if (ret)
			goto out;
		if (h.seq >= rd->min_seq &&
		    uevent_replay_visible(rd, h.net_cookie))
			break;
		pos += uevent_replay_span(h.len);
	}
	ret = -EINVAL;
	if (h.len > size)
		goto out;
	/* Racing the writer by design: checked against head below. */
	data_race(memcpy(buf, r->buf + uevent_replay_offset(r, pos) +
			 sizeof(h), h.len));
	/* Pairs with smp_wmb() in uevent_replay_add(). */
	smp_rmb();
	if (pos < READ_ONCE(r->head))
		goto overwritten;
	pos += uevent_replay_span(h.len);
	if (seq)
		*seq = h.seq;
	ret = h.len;
out:
	/* uevent_replay_ready() reads it without the caller's lock. */
	WRITE_ONCE(rd->pos, pos);
	return ret;

overwritten:
	WRITE_ONCE(rd->pos, READ_ONCE(r->head));
	return -EPIPE;
}
EXPORT_SYMBOL_IF_KUNIT(uevent_replay_read);

/**
 * uevent_replay_seek() - Move a reader to an event.
 * @r: The ring.
 * @rd: The reader.
 * @seq: The lowest SEQNUM to read next; 0 for the oldest event.
 *
 * Moves @rd to the first retained event with a SEQNUM of @seq or more;
 * if there is none yet, @rd reads the first event with such a SEQNUM
 * that is sent.  If @seq is not 0 and that event was overwritten, the
 * next read reports -EPIPE first.
 *
 * Context: Any context; the caller serializes it with @rd's reads.
 */
VISIBLE_IF_KUNIT void uevent_replay_seek(const struct uevent_replay *r,
					 struct uevent_replay_reader *rd,
					 u64 seq)
{
	struct uevent_replay_hdr h;
	bool oldest, lost;
	u64 pos;
	int ret;

	rd->min_seq = seq;
retry:
	pos = READ_ONCE(r->head);
	oldest = true;
	lost = false;
	while (r->buf) {
		ret = uevent_replay_peek(r, &pos, &h);
		if (ret == -EPIPE)
			goto retry;
		if (ret)
			break;
		if (h.seq >= seq) {
			lost = oldest && seq && h.seq > seq;
			break;
		}
		oldest = false;
		pos += uevent_replay_span(h.len);
	}
	/* uevent_replay_ready() reads them without the caller's lock. */
	WRITE_ONCE(rd->lost, lost);
	WRITE_ONCE(rd->pos, pos);
}
EXPORT_SYMBOL_IF_KUNIT(uevent_replay_seek);

/**
 * uevent_replay_seek_end() - Move a reader past the newest event.
 * @r: The ring.
 * @rd: The reader.
 *
 * Context: Any context; the caller serializes it with @rd's reads.
 */
VISIBLE_IF_KUNIT void uevent_replay_seek_end(const struct uevent_replay *r,
					     struct uevent_replay_reader *rd)
{
	WRITE_ONCE(rd->lost, false);
	rd->min_seq = 0;
	/* Pairs with smp_store_release() in uevent_replay_add(). */
	WRITE_ONCE(rd->pos, smp_load_acquire(&r->tail));
}
EXPORT_SYMBOL_IF_KUNIT(uevent_replay_seek_end);

/*
 * Whether @rd has something to read: an event, or a loss to report.
 * Called without the lock that serializes @rd's reads: a snapshot.
 */
static __poll_t uevent_replay_ready(const struct uevent_replay *r,
				    const struct uevent_replay_reader *rd)
{
	u64 pos = READ_ONCE(rd->pos);

	if (READ_ONCE(rd->lost) || pos < READ_ONCE(r->head))
		return EPOLLIN | EPOLLRDNORM | EPOLLERR | EPOLLPRI;
	/* Pairs with smp_store_release() in uevent_replay_add(). */
	if (pos != smp_load_acquire(&r->tail))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The ring of the running kernel                                      */

/* Off (no buffer) until uevent_replay_setup(), and if that fails. */
static struct uevent_replay uevent_replay = {
	.lock = __SPIN_LOCK_UNLOCKED(uevent_replay.lock),
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER(uevent_replay.wait),
};

DEFINE_STATIC_KEY_FALSE(uevent_replay_key);

static size_t uevent_replay_size __initdata =
	1UL << CONFIG_KOBJECT_UEVENT_REPLAY_SHIFT;

/* uevent_replay_size=SIZE: bytes, rounded up to a power of two; 0: off. */
static int __init uevent_replay_size_setup(char *str)
{
	unsigned long long size;

	if (!str)
		return -EINVAL;
	size = memparse(str, &str);
	if (*str)
		return -EINVAL;
	if (size)
		size = roundup_pow_of_two(clamp_val(size,
						    UEVENT_REPLAY_MIN_SIZE,
						    UEVENT_REPLAY_MAX_SIZE));
	uevent_replay_size = size;
	return 0;
}
early_param("uevent_replay_size", uevent_replay_size_setup);

/*
 * Before the driver core's first event, so that the ring starts with
 * SEQNUM 1.
 */
static int __init uevent_replay_setup(void)
{
	int ret;

	if (!uevent_replay_size)
		return 0;
	ret = uevent_replay_init(&uevent_replay, uevent_replay_size);
	if (ret) {
		pr_warn("uevent: no %zu byte replay ring (%d): /dev/uevent is off\n",
			uevent_replay_size, ret);
		return ret;
	}
	static_branch_enable(&uevent_replay_key);
	return 0;
}
early_initcall(uevent_replay_setup);

/**
 * uevent_replay_lock() - Take the running kernel's ring's lock.
 *
 * The uevent core holds it to take a SEQNUM and record the event.
 *
 * Context: Any context; nests inside uevent_order_lock.
 * Return: The interrupt state to give to uevent_replay_unlock().
 */
unsigned long uevent_replay_lock(void)
	__acquires(&uevent_replay.lock)
{
	unsigned long flags;

	spin_lock_irqsave(&uevent_replay.lock, flags);
	return flags;
}

/**
 * uevent_replay_unlock() - Release the ring's lock.
 * @flags: What uevent_replay_lock() returned.
 *
 * Context: With the lock held.
 */
void uevent_replay_unlock(unsigned long flags)
	__releases(&uevent_replay.lock)
{
	spin_unlock_irqrestore(&uevent_replay.lock, flags);
}

/**
 * uevent_replay_record() - Record an event in the running kernel's ring.
 * @seq: Its SEQNUM.
 * @net: The network namespace it was sent to, or NULL if untagged.
 * @iov: Its message, in pieces.
 * @n: Number of pieces.
 *
 * Context: Any context, with uevent_replay_lock() held.
 */
void uevent_replay_record(u64 seq, const struct net *net,
			  const struct kvec *iov, unsigned int n)
{
	uevent_replay_add(&uevent_replay, seq, net ? net->net_cookie : 0,
			  iov, n);
}

static void uevent_replay_wake_work(struct work_struct *work)
{
	wake_up_interruptible_poll(&uevent_replay.wait, EPOLLIN | EPOLLRDNORM |
				   EPOLLERR | EPOLLPRI);
}

static DECLARE_WORK(uevent_replay_waker, uevent_replay_wake_work);

/**
 * uevent_replay_wake() - Wake the readers waiting for new events.
 *
 * The work item wakes them: the sender pays nothing for their number.
 *
 * Context: Any context, after uevent_replay_unlock().
 */
void uevent_replay_wake(void)
{
	if (!uevent_replay_enabled())
		return;
	/* wq_has_sleeper()'s barrier pairs with the one in prepare_to_wait(). */
	if (wq_has_sleeper(&uevent_replay.wait))
		schedule_work(&uevent_replay_waker);
}

/* ------------------------------------------------------------------ */
/* /dev/uevent                                                         */

/* An open /dev/uevent: its reader and a buffer for one message. */
struct uevent_replay_file {
	struct mutex lock;	/* serializes the reads of @rd */
	struct uevent_replay_reader rd;
	char msg[UEVENT_REPLAY_MSG_MAX];
};

static int uevent_replay_open(struct inode *inode, struct file *file)
{
	const struct net *net = current->nsproxy->net_ns;
	struct uevent_replay_file *f;

	if ((file->f_flags & O_ACCMODE) != O_RDONLY)
		return -EINVAL;
	f = kvzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	/* Untagged events reach namespaces of the initial user namespace. */
	f->rd.untagged = net->user_ns == &init_user_ns;
	f->rd.net_cookie = net->net_cookie;
	f->rd.pos = READ_ONCE(uevent_replay.head);
	file->private_data = f;
	return 0;
}

static int uevent_replay_release(struct inode *inode, struct file *file)
{
	struct uevent_replay_file *f = file->private_data;

	mutex_destroy(&f->lock);
	kvfree(f);
	return 0;
}

static bool uevent_replay_file_ready(struct uevent_replay_file *f)
{
	return uevent_replay_ready(&uevent_replay, &f->rd);
}

static ssize_t uevent_replay_read_file(struct file *file, char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct uevent_replay_file *f = file->private_data;
	ssize_t ret;

	for (;;) {
		if (mutex_lock_interruptible(&f->lock))
			return -ERESTARTSYS;
		ret = uevent_replay_read(&uevent_replay, &f->rd, f->msg,
					 min(count, sizeof(f->msg)), NULL);
		/* Under the lock: another read() of @f reuses @f->msg. */
		if (ret > 0 && copy_to_user(ubuf, f->msg, ret))
			ret = -EFAULT;
		mutex_unlock(&f->lock);
		if (ret != -EAGAIN || (file->f_flags & O_NONBLOCK))
			return ret;
		/* Without the lock: poll() and lseek() go on meanwhile. */
		ret = wait_event_interruptible(uevent_replay.wait,
					       uevent_replay_file_ready(f));
		if (ret)
			return ret;
	}
}

/*
 * SEEK_SET to a SEQNUM, SEEK_END past the newest event; there is no
 * current position to be relative to.
 */
static loff_t uevent_replay_llseek(struct file *file, loff_t offset,
				   int whence)
{
	struct uevent_replay_file *f = file->private_data;
	loff_t ret = 0;

	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	switch (whence) {
	case SEEK_SET:
		if (offset < 0) {
			ret = -EINVAL;
			break;
		}
		uevent_replay_seek(&uevent_replay, &f->rd, offset);
		ret = offset;
		break;
	case SEEK_END:
		if (offset) {
			ret = -EINVAL;
			break;
		}
		uevent_replay_seek_end(&uevent_replay, &f->rd);
		break;
	case SEEK_CUR:
		ret = -ESPIPE;
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&f->lock);
	return ret;
}

static __poll_t uevent_replay_poll(struct file *file, poll_table *wait)
{
	struct uevent_replay_file *f = file->private_data;

	poll_wait(file, &uevent_replay.wait, wait);
	return uevent_replay_ready(&uevent_replay, &f->rd);
}

static const struct file_operations uevent_replay_fops = {
	.owner		= THIS_MODULE,
	.open		= uevent_replay_open,
	.release	= uevent_replay_release,
	.read		= uevent_replay_read_file,
	.llseek		= uevent_replay_llseek,
	.poll		= uevent_replay_poll,
};

static struct miscdevice uevent_replay_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "uevent",
	.fops	= &uevent_replay_fops,
	.mode	= 0444,
};

/* ------------------------------------------------------------------ */
/* /sys/kernel/uevent/replay_*                                         */

static ssize_t replay_size_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", uevent_replay.size);
}

static ssize_t replay_overwritten_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(uevent_replay.overwritten));
}

static struct kobj_attribute uevent_replay_size_attr = __ATTR_RO(replay_size);
static struct kobj_attribute uevent_replay_overwritten_attr =
	__ATTR_RO(replay_overwritten);

static struct attribute *uevent_replay_attrs[] = {
	&uevent_replay_size_attr.attr,
	&uevent_replay_overwritten_attr.attr,
	NULL
};

static const struct attribute_group uevent_replay_group = {
	.attrs = uevent_replay_attrs,
};

static int __init uevent_replay_dev_init(void)
{
	int ret = 0;

	if (uevent_kobj)
		ret = sysfs_create_group(uevent_kobj, &uevent_replay_group);
	if (ret || !uevent_replay.buf)
		return ret;
	return misc_register(&uevent_replay_dev);
}
device_initcall(uevent_replay_dev_init);

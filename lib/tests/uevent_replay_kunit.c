// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the uevent replay ring (lib/kobject_uevent_replay.c):
 * records wrap around the buffer and come back byte for byte in SEQNUM
 * order, the largest message fits, readers see only their namespace's
 * events, an overwritten position reads as EPIPE once, seeking, a
 * reader racing a writer, and a ring without memory.  Each test uses a
 * ring of its own, not the running kernel's.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "../kobject_uevent.h"

#define URK_SIZE	UEVENT_REPLAY_MIN_SIZE
#define URK_NET_A	11
#define URK_NET_B	12

KUNIT_DEFINE_ACTION_WRAPPER(urk_destroy, uevent_replay_destroy,
			    struct uevent_replay *);

static struct uevent_replay *urk_ring(struct kunit *test, size_t size)
{
	struct uevent_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, uevent_replay_init(r, size), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, urk_destroy, r),
			0);
	return r;
}

/*
 * The message of event @seq, @len bytes: a header and SEQNUM as a
 * listener gets them, then 'x' up to @len; its last byte is NUL.
 */
static void urk_msg(char *buf, u64 seq, size_t len)
{
	int n = scnprintf(buf, len, "change@/devices/urk/%llu", seq);

	memset(buf + n, 'x', len - n);
	buf[n] = '\0';
	buf[len - 1] = '\0';
}

/* Record event @seq, @len bytes long, for @cookie. */
static void urk_add(struct uevent_replay *r, u64 seq, u64 cookie, size_t len)
{
	static char msg[UEVENT_REPLAY_MSG_MAX];
	struct kvec iov = { .iov_base = msg, .iov_len = len };
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	urk_msg(msg, seq, len);
	uevent_replay_add(r, seq, cookie, &iov, 1);
	spin_unlock_irqrestore(&r->lock, flags);
}

/* Read one event and check that it is event @seq of @len bytes. */
static void urk_expect(struct kunit *test, const struct uevent_replay *r,
		       struct uevent_replay_reader *rd, u64 seq, size_t len)
{
	char *want = kunit_kmalloc(test, len, GFP_KERNEL);
	char *got = kunit_kmalloc(test, UEVENT_REPLAY_MSG_MAX, GFP_KERNEL);
	u64 got_seq = 0;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	urk_msg(want, seq, len);
	KUNIT_ASSERT_EQ(test, uevent_replay_read(r, rd, got,
						 UEVENT_REPLAY_MSG_MAX,
						 &got_seq), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, got_seq, seq);
	KUNIT_EXPECT_MEMEQ(test, got, want, len);
	kunit_kfree(test, want);
	kunit_kfree(test, got);
}

static ssize_t urk_read(const struct uevent_replay *r,
			struct uevent_replay_reader *rd)
{
	static char buf[UEVENT_REPLAY_MSG_MAX];

	return uevent_replay_read(r, rd, buf, sizeof(buf), NULL);
}

static const struct uevent_replay_reader urk_host = { .untagged = true };

/* The SEQNUM of the oldest retained event. */
static u64 urk_oldest(const struct uevent_replay *r)
{
	static char buf[UEVENT_REPLAY_MSG_MAX];
	struct uevent_replay_reader rd = urk_host;
	u64 seq = 0;

	uevent_replay_seek(r, &rd, 0);
	uevent_replay_read(r, &rd, buf, sizeof(buf), &seq);
	return seq;
}

/* ------------------------------------------------------------------ */

struct urk_wrap_case {
	const char *desc;
	size_t len;		/* message bytes; 0: varying */
	unsigned int events;
};

static const struct urk_wrap_case urk_wrap_cases[] = {
	{ "small events", 64, 2000 },
	{ "typical events", 300, 500 },
	{ "largest events", UEVENT_REPLAY_MSG_MAX, 40 },
	{ "varying sizes", 0, 1000 },
};

KUNIT_ARRAY_PARAM_DESC(urk_wrap, urk_wrap_cases, desc);

static size_t urk_len(const struct urk_wrap_case *c, u64 seq)
{
	return c->len ?: 40 + (seq * 997) % (UEVENT_REPLAY_MSG_MAX - 40);
}

/*
 * Fill a 16 KiB ring many times over: a reader from the oldest event
 * gets every retained event, consecutive, ending with the newest, and
 * the ring counts the rest as overwritten.
 */
static void uevent_replay_wraps_around(struct kunit *test)
{
	const struct urk_wrap_case *c = test->param_value;
	struct uevent_replay *r = urk_ring(test, URK_SIZE);
	struct uevent_replay_reader rd = urk_host;
	char *buf = kunit_kmalloc(test, UEVENT_REPLAY_MSG_MAX, GFP_KERNEL);
	unsigned int seq, read = 0;
	u64 first = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (seq = 1; seq <= c->events; seq++)
		urk_add(r, seq, 0, urk_len(c, seq));

	uevent_replay_seek(r, &rd, 0);
	for (;;) {
		u64 s;
		ssize_t n;

		n = uevent_replay_read(r, &rd, buf, UEVENT_REPLAY_MSG_MAX, &s);
		if (n == -EAGAIN)
			break;
		KUNIT_ASSERT_GT(test, n, 0);
		if (!read)
			first = s;
		KUNIT_ASSERT_EQ(test, s, first + read);
		KUNIT_ASSERT_EQ(test, (size_t)n, urk_len(c, s));
		read++;
	}
	KUNIT_EXPECT_EQ(test, first + read - 1, (u64)c->events);
	KUNIT_EXPECT_GT(test, first, 1ULL);
	KUNIT_EXPECT_EQ(test, r->overwritten, (unsigned long)(first - 1));

	/* And the bytes are right. */
	uevent_replay_seek(r, &rd, first);
	urk_expect(test, r, &rd, first, urk_len(c, first));
	uevent_replay_seek(r, &rd, c->events);
	urk_expect(test, r, &rd, c->events, urk_len(c, c->events));
	KUNIT_EXPECT_EQ(test, urk_read(r, &rd), -EAGAIN);
}

/*
 * The largest message fits; a buffer one byte short fails with EINVAL
 * and leaves the event to be read.
 */
static void uevent_replay_largest_message(struct kunit *test)
{
	struct uevent_replay *r = urk_ring(test, URK_SIZE);
	struct uevent_replay_reader rd = urk_host;
	char *buf = kunit_kmalloc(test, UEVENT_REPLAY_MSG_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	urk_add(r, 1, 0, UEVENT_REPLAY_MSG_MAX);
	urk_add(r, 2, 0, 100);
	uevent_replay_seek(r, &rd, 0);
	KUNIT_EXPECT_EQ(test, uevent_replay_read(r, &rd, buf,
						 UEVENT_REPLAY_MSG_MAX - 1,
						 NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, uevent_replay_read(r, &rd, buf, 0, NULL),
			-EINVAL);
	urk_expect(test, r, &rd, 1, UEVENT_REPLAY_MSG_MAX);
	urk_expect(test, r, &rd, 2, 100);
}

/* ------------------------------------------------------------------ */

struct urk_ns_case {
	const char *desc;
	struct uevent_replay_reader rd;
	u64 want[4];		/* the SEQNUMs it reads, 0-terminated */
};

/* Events 1 and 4 are untagged, 2 is for namespace A, 3 for B. */
static const struct urk_ns_case urk_ns_cases[] = {
	{ "initial namespace", { .untagged = true, .net_cookie = 1 },
	  { 1, 4 } },
	{ "namespace A of the initial user namespace",
	  { .untagged = true, .net_cookie = URK_NET_A }, { 1, 2, 4 } },
	{ "namespace B of another user namespace",
	  { .untagged = false, .net_cookie = URK_NET_B }, { 3 } },
	{ "namespace of another user namespace without events",
	  { .untagged = false, .net_cookie = 99 }, { } },
};

KUNIT_ARRAY_PARAM_DESC(urk_ns, urk_ns_cases, desc);

/*
 * A reader sees untagged events only if its namespace is owned by the
 * initial user namespace, and tagged events only of its namespace.
 */
static void uevent_replay_namespaces(struct kunit *test)
{
	const struct urk_ns_case *c = test->param_value;
	struct uevent_replay *r = urk_ring(test, URK_SIZE);
	struct uevent_replay_reader rd = c->rd;
	int i;

	urk_add(r, 1, 0, 100);
	urk_add(r, 2, URK_NET_A, 110);
	urk_add(r, 3, URK_NET_B, 120);
	urk_add(r, 4, 0, 130);
	uevent_replay_seek(r, &rd, 0);
	for (i = 0; c->want[i]; i++)
		urk_expect(test, r, &rd, c->want[i], 90 + 10 * c->want[i]);
	KUNIT_EXPECT_EQ(test, urk_read(r, &rd), -EAGAIN);
}

/* ------------------------------------------------------------------ */

/*
 * A reader whose next event is overwritten gets EPIPE once, then the
 * oldest retained event; so does one that seeks to an overwritten
 * SEQNUM.  Seeking to 0 is the oldest without EPIPE, to a SEQNUM not
 * sent yet or to the end reads nothing until the next event.
 */
static void uevent_replay_epipe_and_seek(struct kunit *test)
{
	struct uevent_replay *r = urk_ring(test, URK_SIZE);
	struct uevent_replay_reader rd = urk_host;
	struct uevent_replay_reader late = urk_host;
	u64 seq, oldest;

	for (seq = 1; seq <= 10; seq++)
		urk_add(r, seq, 0, 1000);
	uevent_replay_seek(r, &rd, 0);
	urk_expect(test, r, &rd, 1, 1000);

	/* 16 KiB hold 15 of these: the reader's next event is gone. */
	for (; seq <= 25; seq++)
		urk_add(r, seq, 0, 1000);
	oldest = urk_oldest(r);
	KUNIT_ASSERT_GT(test, oldest, 5ULL);
	KUNIT_EXPECT_EQ(test, urk_read(r, &rd), -EPIPE);
	urk_expect(test, r, &rd, oldest, 1000);

	uevent_replay_seek(r, &late, 5);
	KUNIT_EXPECT_TRUE(test, late.lost);
	KUNIT_EXPECT_EQ(test, urk_read(r, &late), -EPIPE);
	urk_expect(test, r, &late, oldest, 1000);

	uevent_replay_seek(r, &late, 0);
	urk_expect(test, r, &late, oldest, 1000);
	uevent_replay_seek(r, &late, oldest);
	urk_expect(test, r, &late, oldest, 1000);
	uevent_replay_seek(r, &late, 20);
	urk_expect(test, r, &late, 20, 1000);

	/* A SEQNUM not sent yet: events before it are not read. */
	uevent_replay_seek(r, &late, 27);
	KUNIT_EXPECT_EQ(test, urk_read(r, &late), -EAGAIN);
	uevent_replay_seek_end(r, &rd);
	KUNIT_EXPECT_EQ(test, urk_read(r, &rd), -EAGAIN);
	urk_add(r, 26, 0, 1000);
	urk_add(r, 27, 0, 1000);
	urk_expect(test, r, &rd, 26, 1000);
	urk_expect(test, r, &late, 27, 1000);
	KUNIT_EXPECT_EQ(test, r->overwritten,
			(unsigned long)(urk_oldest(r) - 1));
}

/* ------------------------------------------------------------------ */

#define URK_RACE_EVENTS	100000
/* Large: the writer laps a 16 KiB ring every few records. */
#define URK_RACE_LEN(seq)	(UEVENT_REPLAY_MSG_MAX / 2 + \
				 (seq) % (UEVENT_REPLAY_MSG_MAX / 2))

struct urk_race {
	struct uevent_replay *r;
	struct completion done;
};

static int urk_writer(void *data)
{
	struct urk_race *race = data;
	u64 seq;

	for (seq = 1; seq <= URK_RACE_EVENTS; seq++) {
		urk_add(race->r, seq, 0, URK_RACE_LEN(seq));
		/* Let the reader in on one CPU too, mid-ring. */
		if (!(seq % 1024))
			schedule_timeout_uninterruptible(1);
	}
	complete(&race->done);
	return 0;
}

/*
 * A writer fills the ring as fast as it can while this reader reads:
 * every event read has the right bytes for its SEQNUM, SEQNUMs only
 * grow, and a gap comes only right after an EPIPE.
 */
static void uevent_replay_reader_races_writer(struct kunit *test)
{
	struct uevent_replay *r = urk_ring(test, URK_SIZE);
	struct uevent_replay_reader rd = urk_host;
	char *buf = kunit_kmalloc(test, UEVENT_REPLAY_MSG_MAX, GFP_KERNEL);
	char *want = kunit_kmalloc(test, UEVENT_REPLAY_MSG_MAX, GFP_KERNEL);
	unsigned long reads = 0, epipes = 0;
	struct task_struct *task;
	struct urk_race race;
	bool after_epipe = true;
	u64 last = 0, seq;
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	race.r = r;
	init_completion(&race.done);
	task = kthread_run(urk_writer, &race, "urk_writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	for (;;) {
		/* Done before the read: the read then sees every event. */
		bool done = completion_done(&race.done);

		n = uevent_replay_read(r, &rd, buf, UEVENT_REPLAY_MSG_MAX,
				       &seq);
		if (n == -EAGAIN && done)
			break;
		if (n == -EAGAIN) {
			cond_resched();
			continue;
		}
		if (n == -EPIPE) {
			epipes++;
			after_epipe = true;
			continue;
		}
		/*
		 * Expect and stop, never assert: the writer must be waited
		 * for before the ring and this frame go away.
		 */
		KUNIT_EXPECT_EQ(test, (size_t)n, URK_RACE_LEN(seq));
		if ((size_t)n != URK_RACE_LEN(seq))
			break;
		urk_msg(want, seq, n);
		KUNIT_EXPECT_MEMEQ(test, buf, want, n);
		KUNIT_EXPECT_GT(test, seq, last);
		if (!after_epipe)
			KUNIT_EXPECT_EQ(test, seq, last + 1);
		if (memcmp(buf, want, n) || seq <= last ||
		    (!after_epipe && seq != last + 1))
			break;
		after_epipe = false;
		last = seq;
		reads++;
	}
	wait_for_completion(&race.done);
	kunit_info(test, "%lu events read, %lu EPIPE, last %llu\n", reads,
		   epipes, last);
	KUNIT_EXPECT_EQ(test, last, (u64)URK_RACE_EVENTS);
	KUNIT_EXPECT_GT(test, reads, 0UL);
}

/* ------------------------------------------------------------------ */

struct urk_size_case {
	const char *desc;
	size_t size;
	int ret;
};

static const struct urk_size_case urk_size_cases[] = {
	{ "smallest", UEVENT_REPLAY_MIN_SIZE, 0 },
	{ "too small", UEVENT_REPLAY_MIN_SIZE / 2, -EINVAL },
	{ "not a power of two", UEVENT_REPLAY_MIN_SIZE * 3, -EINVAL },
	{ "zero", 0, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(urk_size, urk_size_cases, desc);

/*
 * Sizes the ring refuses; a ring left without memory, as a failed
 * allocation leaves it, records and reads nothing and fails nothing.
 */
static void uevent_replay_sizes(struct kunit *test)
{
	const struct urk_size_case *c = test->param_value;
	struct uevent_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct uevent_replay_reader rd = urk_host;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, uevent_replay_init(r, c->size), c->ret);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, urk_destroy, r),
			0);
	urk_add(r, 1, 0, 100);
	uevent_replay_seek(r, &rd, 0);
	if (c->ret) {
		KUNIT_EXPECT_NULL(test, r->buf);
		KUNIT_EXPECT_EQ(test, urk_read(r, &rd), -EAGAIN);
		uevent_replay_seek(r, &rd, 1);
		KUNIT_EXPECT_FALSE(test, rd.lost);
		KUNIT_EXPECT_EQ(test, urk_read(r, &rd), -EAGAIN);
	} else {
		urk_expect(test, r, &rd, 1, 100);
	}
}

static struct kunit_case uevent_replay_cases[] = {
	KUNIT_CASE_PARAM(uevent_replay_wraps_around, urk_wrap_gen_params),
	KUNIT_CASE(uevent_replay_largest_message),
	KUNIT_CASE_PARAM(uevent_replay_namespaces, urk_ns_gen_params),
	KUNIT_CASE(uevent_replay_epipe_and_seek),
	KUNIT_CASE_SLOW(uevent_replay_reader_races_writer),
	KUNIT_CASE_PARAM(uevent_replay_sizes, urk_size_gen_params),
	{}
};

static struct kunit_suite uevent_replay_suite = {
	.name = "uevent_replay",
	.test_cases = uevent_replay_cases,
};

kunit_test_suite(uevent_replay_suite);

MODULE_DESCRIPTION("KUnit tests for the uevent replay ring");
MODULE_LICENSE("GPL");

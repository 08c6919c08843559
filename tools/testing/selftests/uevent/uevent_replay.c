// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the uevent replay ring as user space sees it through
 * /dev/uevent: one event per read(), byte-identical to the message a
 * listener received; SEEK_END, SEEK_SET by SEQNUM and the seeks that
 * are refused; poll() and blocking reads; a short buffer that consumes
 * nothing; EPIPE once events are overwritten; what readers of other
 * namespaces and unprivileged readers see; and that a listener whose
 * socket overflows during a storm of 20,000 events recovers every one
 * of them from the ring.  Also the counters in /sys/kernel/uevent/ and
 * the uevent:uevent_{send,deliver,drop} tracepoints.
 *
 * Safe to run on a developer's machine.  Every event a test causes on
 * purpose, the storms included, is about a dummy network device in a
 * network namespace of the test's own (with a mount namespace and a
 * sysfs of its own), so only listeners and readers of that namespace
 * receive it: a device manager on the machine never sees them.  The
 * ring itself is shared by the whole system, so the storms push older
 * events out of it, as any burst of events would.  When the ring holds
 * no event a reader of the initial namespace may read, two tests send
 * one synthetic "change" event for /dev/null, which is harmless.  The
 * tracepoint test traces into a trace instance of its own, which it
 * removes, and leaves the machine's tracing untouched.
 *
 * Needs root for most tests and skips them otherwise; skips the replay
 * tests when /dev/uevent does not exist (no CONFIG_KOBJECT_UEVENT_REPLAY
 * or uevent_replay_size=0), and those needing a dummy network device
 * (CONFIG_DUMMY and iproute2 or busybox "ip"), the counters or tracefs
 * when they are missing.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/netlink.h>

#include "../kselftest_harness.h"

#define MSG_MAX		8192	/* always enough for one event */
#define REPLAY_DEV	"/dev/uevent"
#define COUNTERS	"/sys/kernel/uevent/"
#define SEQNUM_SYSFS	"/sys/kernel/uevent_seqnum"
#define NULL_UEVENT	"/sys/devices/virtual/mem/null/uevent"
#define TRACEFS		"/sys/kernel/tracing"
#define DEV		"uevrep0"
#define DEV_PATH	"/devices/virtual/net/" DEV
#define DEV_UEVENT	"/sys/class/net/" DEV "/uevent"
#define UUID		"01234567-89ab-cdef-0123-456789abcdef"
#define UNPRIV_ID	1000
#define STORM_EVENTS	20000
#define USERNS_CHILD_CODES	"1 foreign event, 10 unshare, 11 open, 12 lseek, 13 read, 14 no EAGAIN"
#define STORM_FMT	"%d events sent; big listener: %zu events, %lu the writer's, %lu ENOBUFS; tiny listener: %zu events, %lu ENOBUFS, %lu from its socket, %lu from /dev/uevent, %lu EPIPE\n"
#define TRACE_MAX	(4 << 20)

/* Synthetic writes with this many arguments: the first fails to fit. */
#define FIRST_ARGS	50
#define LAST_ARGS	63

/* Exit code of a test child: namespaces unavailable. */
#define CHILD_NO_NS	20

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static int write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int write_str(const char *path, const char *text)
{
	return write_file(path, text, strlen(text));
}

static int run(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Read a small text file into @buf, NUL-terminated; length or -errno. */
static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	n = n < 0 ? -errno : n;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* A counter of /sys/kernel/uevent/: one decimal number and "\n". */
static int read_counter(const char *name, unsigned long long *val)
{
	char path[96], text[32], *end;
	int n;

	snprintf(path, sizeof(path), COUNTERS "%s", name);
	n = read_text(path, text, sizeof(text));
	if (n < 0)
		return n;
	if (n < 2 || text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	*val = strtoull(text, &end, 10);
	if (errno || strcmp(end, "\n"))
		return -EINVAL;
	return 0;
}

/* The errors of unshare() that mean the kernel or policy says no. */
static bool ns_missing(int err)
{
	return err == EINVAL || err == EPERM || err == ENOSPC || err == EUSERS;
}

/* A uevent listener with a receive buffer of @size bytes. */
static int listen_uevents(int size, bool force)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, force ? SO_RCVBUFFORCE : SO_RCVBUF,
		       &size, sizeof(size)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * SEQNUM of a message, which must be its last variable and end with
 * the message's final NUL; 0 if the message is not so.
 */
static unsigned long long seqnum_of(const char *msg, size_t len)
{
	const char *p, *last = NULL;
	unsigned long long seq;
	char *end;

	if (!len || msg[len - 1])
		return 0;
	for (p = msg + strlen(msg) + 1; p < msg + len; p += strlen(p) + 1)
		last = p;
	if (!last || strncmp(last, "SEQNUM=", 7) || !last[7])
		return 0;
	errno = 0;
	seq = strtoull(last + 7, &end, 10);
	return errno || *end ? 0 : seq;
}

/* DEVPATH of a message whose seqnum_of() is not 0: its header's tail. */
static const char *devpath_of(const char *msg)
{
	const char *at = strchr(msg, '@');

	return at ? at + 1 : "";
}

/* Whether @msg is a well-formed event about the dummy device. */
static bool is_ours(const char *msg, ssize_t len)
{
	return len > 0 && seqnum_of(msg, len) &&
	       !strcmp(devpath_of(msg), DEV_PATH);
}

/* Variables in a message, SEQNUM included. */
static int count_vars(const char *msg, int len)
{
	int n = 0, i;

	for (i = strlen(msg) + 1; i < len; i += strlen(msg + i) + 1)
		n++;
	return n;
}

/*
 * Next well-formed message about @devpath (any if NULL) on listener
 * @fd; 0 after @timeout_ms without one, -errno on error.
 */
static int next_event(int fd, char *buf, const char *devpath, int timeout_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return 0;
		n = recv(fd, buf, MSG_MAX, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (!seqnum_of(buf, n))
			continue;
		if (!devpath || !strcmp(devpath_of(buf), devpath))
			return n;
	}
}

/* Write "change" @n times to the dummy device's uevent file: failures. */
static long emit(long n)
{
	int fd = open(DEV_UEVENT, O_WRONLY | O_CLOEXEC);
	long i, failed = 0;

	if (fd < 0)
		return n;
	for (i = 0; i < n; i++)
		if (pwrite(fd, "change", 6, 0) != 6)
			failed++;
	close(fd);
	return failed;
}

/* Write "change UUID A1=x ... An=x" to the dummy device: 0 or -errno. */
static int write_args(int n)
{
	char text[1024];
	int len, i;

	len = snprintf(text, sizeof(text), "change %s", UUID);
	for (i = 1; i <= n; i++)
		len += snprintf(text + len, sizeof(text) - len, " A%d=x", i);
	return write_file(DEV_UEVENT, text, len);
}

/*
 * Move the test's process into a network and a mount namespace of its
 * own, with that network namespace's sysfs on /sys, and add the dummy
 * device DEV there.  Its events reach only the listeners and readers
 * of that namespace, which goes away with the process.  Returns NULL,
 * or why the test cannot run.
 */
static const char *private_dummy(struct __test_metadata *_metadata)
{
	if (geteuid())
		return "needs root";
	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		return "no network or mount namespaces";
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("sysfs", "/sys", "sysfs", 0, NULL));
	if (run("ip link add " DEV " type dummy 2>/dev/null"))
		return "cannot add a dummy network device";
	return NULL;
}

/*
 * Read from the non-blocking reader @fd until EAGAIN, allowing for
 * unrelated events of the machine, none about the dummy device.
 * 0; -EEXIST for an event of the dummy device; -EBUSY if EAGAIN never
 * comes; or the -errno of read().
 */
static int drain_foreign(int fd, char *buf)
{
	ssize_t n;
	int i;

	for (i = 0; i < 10; i++) {
		n = read(fd, buf, MSG_MAX);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (is_ours(buf, n))
			return -EEXIST;
	}
	return -EBUSY;
}

/* Whether a reader's next read() finds no event: see drain_foreign(). */
static int check_no_pollin(int fd, char *buf)
{
	int flags = fcntl(fd, F_GETFL), i, ret;

	for (i = 0; i < 10; i++) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 0) < 0)
			return -errno;
		if (!(pfd.revents & POLLIN))
			return 0;
		/*
		 * An unrelated event of the machine, or the one spurious
		 * wakeup an event of another namespace may cause.
		 */
		if (fcntl(fd, F_SETFL, flags | O_NONBLOCK))
			return -errno;
		ret = drain_foreign(fd, buf);
		if (fcntl(fd, F_SETFL, flags))
			return -errno;
		if (ret)
			return ret;
	}
	return -EBUSY;
}

static const char *drain_error(int ret)
{
	if (ret == -EEXIST)
		return "an event of " DEV " sent before SEEK_END";
	if (ret == -EBUSY)
		return "events keep coming, or POLLIN without one";
	return strerror(-ret);
}

/*
 * A reader in the initial namespace must find an event it may read
 * from the oldest on; a storm of another namespace's events can push
 * them all out of the ring: then send one, for /dev/null.
 */
static void ensure_visible_event(struct __test_metadata *_metadata)
{
	char buf[MSG_MAX];
	ssize_t n;
	int fd;

	fd = open(REPLAY_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG(REPLAY_DEV ": %s", strerror(errno));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		ASSERT_EQ(0, write_str(NULL_UEVENT, "change"));
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/* /dev/uevent is a read-only character device: a write open fails. */
TEST(write_open_refused)
{
	struct stat st;
	int fd, err;

	if (access(REPLAY_DEV, F_OK))
		SKIP(return, "no " REPLAY_DEV);
	if (geteuid())
		SKIP(return, "needs root (others get EACCES from the mode)");
	ASSERT_EQ(0, stat(REPLAY_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0444U, st.st_mode & 07777);
	fd = open(REPLAY_DEV, O_WRONLY | O_CLOEXEC);
	err = errno;
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, err);
	fd = open(REPLAY_DEV, O_RDWR | O_CLOEXEC);
	err = errno;
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, err);
}

/*
 * Any user may read the events its namespace's listeners get: uid
 * 1000, without groups or capabilities, opens /dev/uevent and reads
 * the oldest retained event of the initial namespace, a whole one.
 */
TEST(unprivileged_reader)
{
	int status;
	pid_t pid;

	if (access(REPLAY_DEV, F_OK))
		SKIP(return, "no " REPLAY_DEV);
	if (geteuid())
		SKIP(return, "needs root to become uid %d", UNPRIV_ID);
	ensure_visible_event(_metadata);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char buf[MSG_MAX];
		ssize_t n;
		int fd;

		if (setgroups(0, NULL) || setgid(UNPRIV_ID) ||
		    setuid(UNPRIV_ID))
			_exit(10);
		fd = open(REPLAY_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			_exit(11);
		if (lseek(fd, 0, SEEK_SET))
			_exit(12);
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			_exit(errno == EAGAIN ? 13 : 14);
		_exit(seqnum_of(buf, n) ? 0 : 15);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 10 setuid, 11 open, 12 lseek, 13 EAGAIN, 14 read, 15 malformed");
}

/*
 * Untagged events (ordinary devices) are for namespaces owned by the
 * initial user namespace only.  A reader opened from a network
 * namespace of a new user namespace reads none of them, none of any
 * other namespace either: nothing but what its own namespace's devices
 * sent (its "lo" and lo's queues), then EAGAIN.  The initial
 * namespace's reader must find untagged events retained, so the child
 * would see them if visibility were not applied.
 */
TEST(new_userns_reader_sees_no_untagged_event)
{
	unsigned long untagged = 0;
	char buf[MSG_MAX];
	int fd, status, round, i;
	ssize_t n;
	pid_t pid;

	if (access(REPLAY_DEV, F_OK))
		SKIP(return, "no " REPLAY_DEV);
	if (geteuid())
		SKIP(return, "needs root");

	fd = open(REPLAY_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG(REPLAY_DEV ": %s", strerror(errno));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	for (round = 0; round < 2 && !untagged; round++) {
		if (round)
			ASSERT_EQ(0, write_str(NULL_UEVENT, "change"));
		for (i = 0; i < 1000000 && !untagged; i++) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno == EPIPE)
				continue;
			if (n < 0)
				break;
			/* Network devices and their queues are tagged. */
			if (seqnum_of(buf, n) &&
			    !strstr(devpath_of(buf), "/net/"))
				untagged++;
		}
	}
	close(fd);
	ASSERT_LT(0UL, untagged)
		TH_LOG("no untagged event retained: the test proves nothing");

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static const char lo[] = "/devices/virtual/net/lo";
		const char *path;

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(ns_missing(errno) ? CHILD_NO_NS : 10);
		fd = open(REPLAY_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			_exit(11);
		if (lseek(fd, 0, SEEK_SET))
			_exit(12);
		for (i = 0; i < 1000; i++) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0)
				_exit(errno == EAGAIN ? 0 : 13);
			path = devpath_of(buf);
			if (!seqnum_of(buf, n) ||
			    strncmp(path, lo, sizeof(lo) - 1) ||
			    (path[sizeof(lo) - 1] && path[sizeof(lo) - 1] != '/')) {
				ksft_print_msg("new user namespace read: %s\n",
					       buf);
				_exit(1);
			}
		}
		_exit(14);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == CHILD_NO_NS)
		SKIP(return, "no user or network namespaces");
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: %s", USERNS_CHILD_CODES);
}

/* ------------------------------------------------------------------ */
/* A reader in a namespace of the test's own                           */

/*
 * The test's process is in a private network and mount namespace with
 * the dummy device; the reader and the listener were opened there, so
 * they get the dummy device's events and the machine's untagged ones.
 */
FIXTURE(replay) {
	int fd;			/* /dev/uevent, non-blocking */
	int nl;			/* a uevent listener */
	char buf[MSG_MAX];
	char msg[MSG_MAX];
};

FIXTURE_SETUP(replay)
{
	const char *why;

	self->fd = -1;
	self->nl = -1;
	if (access(REPLAY_DEV, F_OK))
		SKIP(return, "no " REPLAY_DEV);
	why = private_dummy(_metadata);
	if (why)
		SKIP(return, "%s", why);
	self->nl = listen_uevents(64 << 20, true);
	ASSERT_LE(0, self->nl) TH_LOG("uevent socket: %s", strerror(errno));
	/* After unshare(): visibility is fixed at open(). */
	self->fd = open(REPLAY_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG(REPLAY_DEV ": %s", strerror(errno));
}

/* The namespaces and the device go away when the process exits. */
FIXTURE_TEARDOWN(replay)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->nl >= 0)
		close(self->nl);
}

/*
 * SEEK_END leaves nothing to read; SEEK_SET to a SEQNUM just sent
 * returns that SEQNUM and reads that event, byte for byte what the
 * listener got, again after it was read; SEEK_END then skips it;
 * SEEK_SET to 0 reads the oldest retained event, without EPIPE;
 * SEEK_CUR is refused with ESPIPE, SEEK_END with an offset and other
 * whence values with EINVAL.
 */
TEST_F(replay, seek_end_and_set)
{
	unsigned long long s, seq;
	int len, ret, err, i;
	ssize_t n;
	off_t off;

	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_END));
	ret = drain_foreign(self->fd, self->buf);
	ASSERT_EQ(0, ret) TH_LOG("after SEEK_END: %s", drain_error(ret));

	ASSERT_EQ(0, write_str(DEV_UEVENT, "change"));
	len = next_event(self->nl, self->msg, DEV_PATH, 2000);
	ASSERT_LT(0, len) TH_LOG("the listener got no event");
	s = seqnum_of(self->msg, len);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ((off_t)s, lseek(self->fd, s, SEEK_SET));
		n = read(self->fd, self->buf, MSG_MAX);
		err = errno;
		ASSERT_EQ(len, n) TH_LOG("read #%d: %s", i,
					 n < 0 ? strerror(err) : "wrong size");
		EXPECT_EQ(0, memcmp(self->msg, self->buf, len))
			TH_LOG("read #%d: '%s', want '%s'", i, self->buf,
			       self->msg);
	}

	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_END));
	ret = drain_foreign(self->fd, self->buf);
	EXPECT_EQ(0, ret) TH_LOG("after SEEK_END: %s", drain_error(ret));

	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	n = read(self->fd, self->buf, MSG_MAX);
	err = errno;
	ASSERT_LT(0, n) TH_LOG("oldest event: %s", strerror(err));
	seq = seqnum_of(self->buf, n);
	EXPECT_LT(0ULL, seq);
	EXPECT_GE(s, seq);

	off = lseek(self->fd, 0, SEEK_CUR);
	err = errno;
	EXPECT_EQ(-1, off);
	EXPECT_EQ(ESPIPE, err);
	off = lseek(self->fd, 1, SEEK_END);
	err = errno;
	EXPECT_EQ(-1, off);
	EXPECT_EQ(EINVAL, err);
	off = lseek(self->fd, 0, SEEK_DATA);
	err = errno;
	EXPECT_EQ(-1, off);
	EXPECT_EQ(EINVAL, err);
}

/*
 * A buffer too small for the next event gets EINVAL and consumes
 * nothing: a buffer of 8192 bytes then reads the whole event, ending
 * with "SEQNUM=N" and its NUL, the listener's bytes.  A buffer of
 * exactly the event's length is enough.
 */
TEST_F(replay, short_buffer_consumes_nothing)
{
	unsigned long long s;
	char tail[40];
	int len, err, i;
	ssize_t n;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, write_str(DEV_UEVENT, "change"));
		len = next_event(self->nl, self->msg, DEV_PATH, 2000);
		ASSERT_LT(16, len) TH_LOG("the listener got no event");
		s = seqnum_of(self->msg, len);
		/* Not SEEK_END: an event of the machine could come first. */
		ASSERT_EQ((off_t)s, lseek(self->fd, s, SEEK_SET));
		if (i) {
			n = read(self->fd, self->buf, len);
			err = errno;
			EXPECT_EQ(len, n) TH_LOG("a buffer of %d bytes: %s",
						 len, strerror(err));
			EXPECT_EQ(0, memcmp(self->msg, self->buf, len));
			continue;
		}

		n = read(self->fd, self->buf, 16);
		err = errno;
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EINVAL, err);
		n = read(self->fd, self->buf, len - 1);
		err = errno;
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EINVAL, err);

		n = read(self->fd, self->buf, MSG_MAX);
		err = errno;
		ASSERT_EQ(len, n) TH_LOG("%s", n < 0 ? strerror(err) :
					 "not the listener's length");
		EXPECT_EQ(0, memcmp(self->msg, self->buf, len))
			TH_LOG("'%s', want '%s'", self->buf, self->msg);
		snprintf(tail, sizeof(tail), "SEQNUM=%llu", s);
		ASSERT_LT(strlen(tail) + 1, (size_t)n);
		EXPECT_EQ(0, memcmp(self->buf + n - strlen(tail) - 1, tail,
				    strlen(tail) + 1));
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void *late_change(void *arg)
{
	int *ret = arg;

	usleep(200000);
	*ret = write_str(DEV_UEVENT, "change");
	return NULL;
}

/*
 * After SEEK_END, poll() reports nothing to read; a blocking read()
 * waits for the event another thread sends 200 ms later and returns
 * it, the listener's bytes.  A read that is still blocked after 10 s
 * is interrupted (EINTR) and fails the test.
 */
TEST_F(replay, poll_and_blocking_read)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec t0, t1;
	int fd, len, ret, err = 0, wret = -1, i;
	sigset_t alrm;
	ssize_t n = -1;
	pthread_t tid;
	long ms;

	fd = open(REPLAY_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG(REPLAY_DEV ": %s", strerror(errno));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_END));
	ret = check_no_pollin(fd, self->buf);
	ASSERT_EQ(0, ret) TH_LOG("poll() after SEEK_END: %s",
				 drain_error(ret));

	/* No SA_RESTART: SIGALRM interrupts read(); the writer blocks it. */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &alrm, NULL));
	ret = pthread_create(&tid, NULL, late_change, &wret);
	ASSERT_EQ(0, pthread_sigmask(SIG_UNBLOCK, &alrm, NULL));
	ASSERT_EQ(0, ret);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(10);
	for (i = 0; i < 100; i++) {
		n = read(fd, self->buf, MSG_MAX);
		err = errno;
		if (n < 0 || is_ours(self->buf, n))
			break;
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(tid, NULL);
	close(fd);
	ASSERT_EQ(0, wret) TH_LOG("write: %s", strerror(-wret));
	ASSERT_LT(0, n) TH_LOG("blocking read: %s", err == EINTR ?
			       "no event within 10 s" : strerror(err));
	ASSERT_TRUE(is_ours(self->buf, n)) TH_LOG("no event of " DEV);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_LE(100, ms) TH_LOG("read() returned after %ld ms", ms);

	len = next_event(self->nl, self->msg, DEV_PATH, 2000);
	ASSERT_EQ(n, len);
	EXPECT_EQ(0, memcmp(self->msg, self->buf, len));
}

/*
 * An event overwritten before it was read: after SEEK_SET to its
 * SEQNUM, poll() reports it (POLLERR|POLLPRI per the ABI; POLLIN is
 * accepted), read() fails once with EPIPE, and the next read() returns
 * the oldest retained event, a later one.  SEEK_SET to 0 reads without
 * EPIPE.  replay_overwritten grows by at least what the ring could not
 * hold of the events sent.
 */
TEST_F_TIMEOUT(replay, epipe_when_overwritten, 600)
{
	unsigned long long size, over0, over1, s, seq;
	struct pollfd pfd;
	long count;
	int len, err;
	ssize_t n;

	ASSERT_EQ(0, read_counter("replay_size", &size));
	ASSERT_LT(0ULL, size);
	ASSERT_EQ(0, read_counter("replay_overwritten", &over0));
	ASSERT_EQ(0, write_str(DEV_UEVENT, "change"));
	len = next_event(self->nl, self->msg, DEV_PATH, 2000);
	ASSERT_LT(0, len) TH_LOG("the listener got no event");
	s = seqnum_of(self->msg, len);
	/* Nothing more is wanted from the listener: no need to fill it. */
	close(self->nl);
	self->nl = -1;

	/* Each of them takes at least @len bytes of the ring. */
	count = 2 * size / len + 200;
	ASSERT_EQ(0, emit(count));
	ASSERT_EQ(0, read_counter("replay_overwritten", &over1));
	EXPECT_LE(over0 + count - size / len, over1)
		TH_LOG("%ld events of %d bytes in a ring of %llu bytes",
		       count, len, size);

	ASSERT_EQ((off_t)s, lseek(self->fd, s, SEEK_SET));
	pfd = (struct pollfd){ .fd = self->fd, .events = POLLIN | POLLPRI };
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & (POLLERR | POLLIN))
		TH_LOG("poll(): %#x", pfd.revents);
	if ((pfd.revents & (POLLERR | POLLPRI)) != (POLLERR | POLLPRI))
		TH_LOG("note: poll() gave %#x, not POLLERR|POLLPRI",
		       pfd.revents);
	n = read(self->fd, self->buf, MSG_MAX);
	err = errno;
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EPIPE, err);
	n = read(self->fd, self->buf, MSG_MAX);
	err = errno;
	ASSERT_LT(0, n) TH_LOG("after EPIPE: %s", strerror(err));
	seq = seqnum_of(self->buf, n);
	EXPECT_LT(s, seq);

	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	n = read(self->fd, self->buf, MSG_MAX);
	err = errno;
	EXPECT_LT(0, n) TH_LOG("SEEK_SET 0: %s", strerror(err));
}

/* ------------------------------------------------------------------ */
/* A storm recovered                                                   */

struct event {
	unsigned long long seq;
	size_t len;
	char *msg;		/* malloc()ed, @len bytes */
};

struct event_log {
	struct event *ev;
	size_t n;
	size_t size;
};

static int log_add(struct event_log *log, const char *msg, size_t len,
		   unsigned long long seq)
{
	struct event *ev;
	size_t size;

	if (log->n == log->size) {
		size = log->size ? 2 * log->size : 1024;
		ev = realloc(log->ev, size * sizeof(*ev));
		if (!ev)
			return -ENOMEM;
		log->ev = ev;
		log->size = size;
	}
	ev = &log->ev[log->n];
	ev->msg = malloc(len);
	if (!ev->msg)
		return -ENOMEM;
	memcpy(ev->msg, msg, len);
	ev->len = len;
	ev->seq = seq;
	log->n++;
	return 0;
}

/* Keep only the events of the test's device, in order. */
static void log_keep_device(struct event_log *log)
{
	size_t i, kept = 0;

	for (i = 0; i < log->n; i++) {
		if (strcmp(devpath_of(log->ev[i].msg), DEV_PATH)) {
			free(log->ev[i].msg);
			continue;
		}
		log->ev[kept++] = log->ev[i];
	}
	log->n = kept;
}

static void log_free(struct event_log *log)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		free(log->ev[i].msg);
	free(log->ev);
	log->ev = NULL;
	log->n = 0;
	log->size = 0;
}

/* Index of the first event in which @a and @b differ, or -1. */
static long first_difference(const struct event_log *a,
			     const struct event_log *b)
{
	size_t i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (a->ev[i].seq != b->ev[i].seq ||
		    a->ev[i].len != b->ev[i].len ||
		    memcmp(a->ev[i].msg, b->ev[i].msg, a->ev[i].len))
			return i;
	return a->n == b->n ? -1 : (long)i;
}

struct storm {
	int big;			/* the listener that cannot overflow */
	unsigned long long base;	/* SEQNUM when both listened */
	struct event_log big_log;	/* its events after base */
	unsigned long big_enobufs;
	int big_err;
	int stop;			/* the tiny listener is done */
	int written;			/* the writer is done */
	long write_failures;
};

static void *storm_listen(void *arg)
{
	struct storm *st = arg;
	unsigned long long seq;
	struct pollfd pfd;
	char *buf;
	ssize_t n;
	int ret;

	buf = malloc(MSG_MAX);
	if (!buf) {
		st->big_err = ENOMEM;
		return NULL;
	}
	for (;;) {
		pfd = (struct pollfd){ .fd = st->big, .events = POLLIN };
		ret = poll(&pfd, 1, 500);
		if (ret < 0 && errno != EINTR) {
			st->big_err = errno;
			break;
		}
		if (!ret && __atomic_load_n(&st->stop, __ATOMIC_ACQUIRE))
			break;
		if (ret <= 0)
			continue;
		n = recv(st->big, buf, MSG_MAX, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				st->big_enobufs++;
			} else if (errno != EAGAIN && errno != EINTR) {
				st->big_err = errno;
				break;
			}
			continue;
		}
		seq = seqnum_of(buf, n);
		if (seq > st->base && log_add(&st->big_log, buf, n, seq)) {
			st->big_err = ENOMEM;
			break;
		}
	}
	free(buf);
	return NULL;
}

static void *storm_write(void *arg)
{
	struct storm *st = arg;

	st->write_failures = emit(STORM_EVENTS);
	__atomic_store_n(&st->written, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * What a listener does after ENOBUFS: read every event after *@last
 * from the reader @fd, up to the newest, into @log, moving *@last.
 * Returns 0; -EPIPE once the events after *@last turned out to be
 * overwritten (*@lost grows by the SEQNUMs skipped, an upper bound:
 * some may be other namespaces' events); or another -errno.
 */
static int recover(int fd, char *buf, struct event_log *log,
		   unsigned long long *last, unsigned long *recovered,
		   unsigned long long *lost)
{
	unsigned long long seq, from = *last + 1;
	bool epipe = false, gap = false;
	ssize_t n;

	if (lseek(fd, from, SEEK_SET) != (off_t)from)
		return errno ? -errno : -EIO;
	for (;;) {
		n = read(fd, buf, MSG_MAX);
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				return -errno;
			epipe = true;
			gap = true;
			continue;
		}
		seq = seqnum_of(buf, n);
		if (!seq)
			return -EBADMSG;
		if (seq <= *last)
			continue;
		if (gap)
			*lost += seq - *last - 1;
		gap = false;
		if (log_add(log, buf, n, seq))
			return -ENOMEM;
		*last = seq;
		(*recovered)++;
	}
	return epipe ? -EPIPE : 0;
}

/*
 * A writer sends 20,000 synthetic events for the dummy device.  Two
 * listeners of its namespace receive them: a big one that never
 * overflows, read by a thread of its own, and a tiny one whose receive
 * buffer holds hardly one message, read by this thread.  On each
 * ENOBUFS, and on each SEQNUM gap (after an overflow, netlink drops
 * silently until the socket's queue is empty), the tiny listener reads
 * what it missed from /dev/uevent, from the SEQNUM after the last it
 * has, then skips the duplicates its socket still holds.  This
 * proves that the ring makes an overflowing listener whole: it ends
 * with exactly the events of the big one for the device, in SEQNUM
 * order and byte for byte, the writer's 20,000.  An event the ring did
 * not record, recorded other than sent, or lost to an overwrite, fails
 * it; so do a big listener that overflowed and a tiny one that never
 * did (nothing would have been recovered).
 */
TEST_F_TIMEOUT(replay, storm_recovered_from_replay, 600)
{
	unsigned long long last, seq, lost = 0, ov[2], qd[2];
	unsigned long enobufs = 0, recovered = 0, from_socket = 0;
	unsigned long epipes = 0, mine = 0, others = 0, disorder = 0;
	struct event_log tiny_log = { };
	struct storm st = { .big = -1 };
	pthread_t listener, writer;
	int tiny, ret, err = 0, counted;
	struct event *a, *b;
	struct pollfd pfd;
	char num[32];
	bool done;
	ssize_t n;
	long diff;
	size_t i;

	/* The fixture's listener would only hold 20,000 messages. */
	close(self->nl);
	self->nl = -1;
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_END));
	st.big = listen_uevents(256 << 20, true);
	ASSERT_LE(0, st.big) TH_LOG("big listener: %s", strerror(errno));
	/* The kernel rounds 0 up to its minimum. */
	tiny = listen_uevents(0, false);
	ASSERT_LE(0, tiny) TH_LOG("tiny listener: %s", strerror(errno));
	/* Every event after this SEQNUM reaches both, or overflows. */
	ASSERT_LT(0, read_text(SEQNUM_SYSFS, num, sizeof(num)));
	st.base = strtoull(num, NULL, 10);
	last = st.base;
	counted = !read_counter("overflowed", &ov[0]) &&
		  !read_counter("queue_dropped", &qd[0]);
	ASSERT_EQ(0, pthread_create(&listener, NULL, storm_listen, &st));
	ASSERT_EQ(0, pthread_create(&writer, NULL, storm_write, &st));
	/* Read nothing until 500 events passed: the tiny socket overflows. */
	for (i = 0; i < 1000 && !__atomic_load_n(&st.written, __ATOMIC_ACQUIRE);
	     i++) {
		ASSERT_LT(0, read_text(SEQNUM_SYSFS, num, sizeof(num)));
		if (strtoull(num, NULL, 10) >= st.base + 500)
			break;
		usleep(10000);
	}

	for (;;) {
		done = __atomic_load_n(&st.written, __ATOMIC_ACQUIRE);
		pfd = (struct pollfd){ .fd = tiny, .events = POLLIN };
		ret = poll(&pfd, 1, done ? 2000 : 1000);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			err = errno;
			break;
		}
		if (!ret) {
			if (done)
				break;
			continue;
		}
		n = recv(tiny, self->buf, MSG_MAX, MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			enobufs++;
			ret = recover(self->fd, self->buf, &tiny_log, &last,
				      &recovered, &lost);
			if (ret == -EPIPE) {
				epipes++;
			} else if (ret) {
				err = -ret;
				break;
			}
			continue;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			err = errno;
			break;
		}
		seq = seqnum_of(self->buf, n);
		/* Already read from the ring, or older than the test. */
		if (seq <= last)
			continue;
		/*
		 * A gap: once a socket overflowed, netlink drops what comes
		 * until its queue is empty, without a second ENOBUFS.
		 */
		if (seq != last + 1) {
			ret = recover(self->fd, self->buf, &tiny_log, &last,
				      &recovered, &lost);
			if (ret == -EPIPE) {
				epipes++;
			} else if (ret) {
				err = -ret;
				break;
			}
			if (seq <= last)
				continue;
		}
		if (log_add(&tiny_log, self->buf, n, seq)) {
			err = ENOMEM;
			break;
		}
		last = seq;
		from_socket++;
	}
	/*
	 * The last events may have been dropped after the last recovery,
	 * with no later event to show the gap: read the ring once more.
	 */
	if (!err) {
		ret = recover(self->fd, self->buf, &tiny_log, &last,
			      &recovered, &lost);
		if (ret == -EPIPE)
			epipes++;
		else if (ret)
			err = -ret;
	}
	pthread_join(writer, NULL);
	__atomic_store_n(&st.stop, 1, __ATOMIC_RELEASE);
	pthread_join(listener, NULL);
	close(tiny);
	close(st.big);
	counted = counted && !read_counter("overflowed", &ov[1]) &&
		  !read_counter("queue_dropped", &qd[1]);

	for (i = 0; i < st.big_log.n; i++) {
		a = &st.big_log.ev[i];
		if (i && a->seq <= a[-1].seq)
			disorder++;
		if (strcmp(devpath_of(a->msg), DEV_PATH))
			continue;
		if (!strncmp(a->msg, "change@", 7))
			mine++;
		else
			others++;
	}
	ksft_print_msg(STORM_FMT, STORM_EVENTS, st.big_log.n, mine,
		       st.big_enobufs, tiny_log.n, enobufs, from_socket, recovered, epipes);
	if (counted)
		ksft_print_msg("counters: overflowed +%llu, queue_dropped +%llu\n",
			       ov[1] - ov[0], qd[1] - qd[0]);

	ASSERT_EQ(0, err) TH_LOG("tiny listener: %s", strerror(err));
	ASSERT_EQ(0, st.big_err) TH_LOG("big listener: %s",
					strerror(st.big_err));
	EXPECT_EQ(0, st.write_failures);
	ASSERT_EQ(0UL, epipes)
		TH_LOG("up to %llu events overwritten before they were recovered",
		       lost);
	ASSERT_LT(0UL, enobufs)
		TH_LOG("the tiny listener never overflowed: the test proved nothing");
	EXPECT_EQ(0UL, st.big_enobufs);
	/* Each ENOBUFS stands for at least one event that overflowed. */
	if (counted)
		EXPECT_LE(enobufs, ov[1] - ov[0]);
	EXPECT_EQ(0UL, disorder);
	EXPECT_EQ((unsigned long)STORM_EVENTS, mine);
	EXPECT_EQ(0UL, others);

	/* Host events may reach one listener and not the other in time. */
	log_keep_device(&st.big_log);
	log_keep_device(&tiny_log);
	diff = first_difference(&st.big_log, &tiny_log);
	if (diff >= 0) {
		a = (size_t)diff < st.big_log.n ? &st.big_log.ev[diff] : NULL;
		b = (size_t)diff < tiny_log.n ? &tiny_log.ev[diff] : NULL;
		TH_LOG("event #%ld: big SEQNUM %llu (%zu bytes), tiny %llu (%zu bytes)",
		       diff, a ? a->seq : 0, a ? a->len : 0,
		       b ? b->seq : 0, b ? b->len : 0);
	}
	EXPECT_EQ(st.big_log.n, tiny_log.n);
	EXPECT_EQ(-1, diff);
	log_free(&st.big_log);
	log_free(&tiny_log);
}

/* ------------------------------------------------------------------ */
/* Counters                                                            */

static const char *const counter_names[11] = {
	"sent", "failed_no_kset", "failed_no_name", "failed_no_room",
	"failed_no_memory", "failed_hook", "failed_defer_full", "overflowed",
	"queue_dropped", "replay_overwritten", "replay_size",
};

/*
 * Every counter reads as a number (the replay ones when the ring is
 * configured); "sent" counts the events sent; a synthetic write with
 * more arguments than fit in one event's environment fails and counts
 * in failed_no_room, once, and writes that fit count nothing there.
 * The dummy device's events carry ACTION, DEVPATH, SUBSYSTEM,
 * SYNTH_UUID, the arguments, INTERFACE, IFINDEX and SEQNUM: 58
 * arguments make 65 of the 64 variables an event may have.  The first
 * write of FIRST_ARGS.. LAST_ARGS arguments that fails is the one
 * checked.
 */
TEST(counters)
{
	unsigned long long val, sent0, sent1, room0, room1;
	bool ring = !access(REPLAY_DEV, F_OK);
	const char *why;
	char path[96];
	int n, ret;
	size_t i;

	if (access(COUNTERS "sent", F_OK))
		SKIP(return, "no " COUNTERS);
	why = private_dummy(_metadata);
	if (why)
		SKIP(return, "%s", why);

	for (i = 0; i < ARRAY_SIZE(counter_names); i++) {
		snprintf(path, sizeof(path), COUNTERS "%s", counter_names[i]);
		if (!strncmp(counter_names[i], "replay_", 7) && !ring &&
		    access(path, F_OK))
			continue;
		ret = read_counter(counter_names[i], &val);
		EXPECT_EQ(0, ret) TH_LOG("%s: %s", path, strerror(-ret));
	}
	if (ring) {
		ASSERT_EQ(0, read_counter("replay_size", &val));
		EXPECT_LT(0ULL, val);
		EXPECT_EQ(0ULL, val & (val - 1))
			TH_LOG("replay_size %llu: not a power of two", val);
	}

	ASSERT_EQ(0, read_counter("sent", &sent0));
	EXPECT_EQ(0, emit(10));
	ASSERT_EQ(0, read_counter("sent", &sent1));
	EXPECT_LE(sent0 + 10, sent1);

	for (n = FIRST_ARGS; n <= LAST_ARGS; n++) {
		ASSERT_EQ(0, read_counter("failed_no_room", &room0));
		ret = write_args(n);
		ASSERT_EQ(0, read_counter("failed_no_room", &room1));
		if (!ret) {
			EXPECT_EQ(room0, room1)
				TH_LOG("%d arguments: sent, yet counted", n);
			continue;
		}
		EXPECT_EQ(room0 + 1, room1)
			TH_LOG("%d arguments: %s", n, strerror(-ret));
		break;
	}
	ASSERT_GE(LAST_ARGS, n)
		TH_LOG("every write of %d to %d arguments succeeded",
		       FIRST_ARGS, LAST_ARGS);
	if (n != 58)
		TH_LOG("note: the first write that failed had %d arguments, not 58",
		       n);
}

/* ------------------------------------------------------------------ */
/* Tracepoints                                                         */

static const char *const uevent_tps[3] = {
	"uevent_send", "uevent_deliver", "uevent_drop",
};

/*
 * Remove trace instance @name.  The test process made it through a
 * tracefs of its own mount namespace; where tracefs is not mounted on
 * TRACEFS, mount it in a mount namespace of this process, which only
 * runs the teardown.
 */
static int remove_instance(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), TRACEFS "/instances/%s", name);
	if (!rmdir(path))
		return 0;
	if (errno != ENOENT)
		return -errno;
	if (!access(TRACEFS "/instances", F_OK))
		return -ENOENT;
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("nodev", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	return rmdir(path) ? -errno : 0;
}

/* Read all of @path into @buf, NUL-terminated; length or -errno. */
static long read_all(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Whether a line of @text ends with @tail. */
static bool has_line_ending(const char *text, const char *tail)
{
	size_t len = strlen(tail);
	const char *p;

	for (p = strstr(text, tail); p; p = strstr(p + 1, tail))
		if (p[len] == '\n' || !p[len])
			return true;
	return false;
}

/*
 * Smallest number of arguments from FIRST_ARGS on with which a
 * synthetic write fails, its errno in *@err; -1 if none does.
 */
static int first_failing_args(int *err)
{
	int n, ret;

	for (n = FIRST_ARGS; n <= LAST_ARGS; n++) {
		ret = write_args(n);
		if (ret) {
			*err = -ret;
			return n;
		}
	}
	return -1;
}

FIXTURE(tracing) {
	char instance[64];	/* the trace instance to remove, or "" */
	char buf[MSG_MAX];
};

FIXTURE_SETUP(tracing)
{
	self->instance[0] = '\0';
	if (geteuid())
		SKIP(return, "needs root");
}

/* Runs in the parent: the fixture data is shared, descriptors are not. */
FIXTURE_TEARDOWN_PARENT(tracing)
{
	int ret;

	if (!self->instance[0])
		return;
	ret = remove_instance(self->instance);
	if (ret)
		ksft_print_msg("cannot remove trace instance %s: %s\n",
			       self->instance, strerror(-ret));
}

/*
 * One synthetic "change" of the dummy device and one synthetic write
 * with too many arguments leave, in a trace instance of the test's
 * own: a uevent_send line with the event's SEQNUM, action, DEVPATH,
 * subsystem, the listener's message size, its variable count, origin
 * synth, SYNTH_UUID 0, the namespace's inode and the test's pid and
 * comm; a uevent_deliver line for that namespace with its one listener
 * and no overflow; and a uevent_drop line with reason no_room and the
 * error the write got.
 */
TEST_F(tracing, send_deliver_drop)
{
	char dir[128], path[192], comm[32], want[3][384];
	bool found[3] = { false, false, false };
	int nl, len, n, err = 0, fd, i, j;
	unsigned long long seq;
	const char *why;
	struct stat st;
	char *trace;

	why = private_dummy(_metadata);
	if (why)
		SKIP(return, "%s", why);
	/* The new sysfs hides tracefs: mount it again, the same one. */
	if (access(TRACEFS "/instances", F_OK) &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL))
		SKIP(return, "cannot mount tracefs: %s", strerror(errno));
	if (access(TRACEFS "/events/uevent", F_OK))
		SKIP(return, "no uevent tracepoints");

	snprintf(dir, sizeof(dir), TRACEFS "/instances/uevent_replay.%d",
		 getpid());
	if (mkdir(dir, 0700))
		SKIP(return, "cannot create trace instance %s: %s", dir,
		     strerror(errno));
	snprintf(self->instance, sizeof(self->instance), "uevent_replay.%d",
		 getpid());
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/events/uevent/%s/enable",
			 dir, uevent_tps[i]);
		ASSERT_EQ(0, write_str(path, "1")) TH_LOG("%s", path);
	}
	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", path, strerror(errno));
	close(fd);

	nl = listen_uevents(64 << 20, true);
	ASSERT_LE(0, nl) TH_LOG("uevent socket: %s", strerror(errno));
	ASSERT_LT(0, read_text("/proc/thread-self/comm", comm, sizeof(comm)));
	comm[strcspn(comm, "\n")] = '\0';
	ASSERT_EQ(0, stat("/proc/self/ns/net", &st));

	ASSERT_EQ(0, write_str(DEV_UEVENT, "change"));
	len = next_event(nl, self->buf, DEV_PATH, 2000);
	ASSERT_LT(0, len) TH_LOG("the listener got no event");
	seq = seqnum_of(self->buf, len);
	n = first_failing_args(&err);
	close(nl);
	ASSERT_LT(0, n) TH_LOG("no write of %d to %d arguments failed",
			       FIRST_ARGS, LAST_ARGS);

	snprintf(want[0], sizeof(want[0]),
		 "uevent_send: seqnum=%llu action=change devpath=" DEV_PATH
		 " subsystem=net size=%d vars=%d origin=synth synth_uuid=0 netns=%lu pid=%d comm=%s",
		 seq, len, count_vars(self->buf, len),
		 (unsigned long)st.st_ino, getpid(), comm);
	snprintf(want[1], sizeof(want[1]),
		 "uevent_deliver: seqnum=%llu netns=%lu listeners=1 overflowed=0 filtered=0",
		 seq, (unsigned long)st.st_ino);
	snprintf(want[2], sizeof(want[2]),
		 "uevent_drop: action=change devpath=" DEV_PATH
		 " subsystem=net reason=no_room error=-%d pid=%d comm=%s",
		 err, getpid(), comm);

	trace = malloc(TRACE_MAX);
	ASSERT_NE(NULL, trace);
	/* Delivery may be finished by another task: give it a moment. */
	for (i = 0; i < 20; i++) {
		ASSERT_LE(0, read_all(path, trace, TRACE_MAX));
		for (j = 0; j < 3; j++)
			found[j] = has_line_ending(trace, want[j]);
		if (found[0] && found[1] && found[2])
			break;
		usleep(100000);
	}
	for (j = 0; j < 3; j++)
		EXPECT_TRUE(found[j]) TH_LOG("no line ending with \"%s\" in %s",
					     want[j], path);
	free(trace);

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/events/uevent/%s/enable",
			 dir, uevent_tps[i]);
		EXPECT_EQ(0, write_str(path, "0")) TH_LOG("%s", path);
	}
}

/*
 * What user space learns of deferred events without a driver that
 * sends one: the uevent_send format names origin "deferred" and the
 * uevent_drop format the reasons "defer_full" and "removed", and both
 * carry pid and comm fields.
 */
TEST(deferred_trace_values)
{
	static const char *const want[][2] = {
		{ "uevent_send", "{ 3, \"deferred\" }" },
		{ "uevent_send", "field:pid_t pid;" },
		{ "uevent_send", "field:char comm[16];" },
		{ "uevent_drop", "\"defer_full\" }" },
		{ "uevent_drop", "\"removed\" }" },
		{ "uevent_drop", "field:pid_t pid;" },
	};
	char path[128], *text;
	size_t i;

	if (geteuid())
		SKIP(return, "needs root");
	if (access(TRACEFS "/events/uevent", F_OK) &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL))
		SKIP(return, "cannot mount tracefs: %s", strerror(errno));
	if (access(TRACEFS "/events/uevent", F_OK))
		SKIP(return, "no uevent tracepoints");
	text = malloc(TRACE_MAX);
	ASSERT_NE(NULL, text);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/uevent/%s/format",
			 want[i][0]);
		ASSERT_LT(0, read_all(path, text, TRACE_MAX)) TH_LOG("%s", path);
		EXPECT_NE(NULL, strstr(text, want[i][1]))
			TH_LOG("%s lacks %s", path, want[i][1]);
	}
	free(text);
}

TEST_HARNESS_MAIN

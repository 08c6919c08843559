// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of uevent delivery, as a device manager sees it:
 * the exact messages of real events, the synthetic uevent grammar,
 * network and user namespace routing, message injection and SEQNUM
 * ordering with several writers.
 *
 * Needs root, a dummy network device driver, loop devices and busybox
 * or iproute2 "ip" in PATH.  Runs in the uevent series' QEMU guest.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <grp.h>
#include <sys/wait.h>
#include <linux/netlink.h>

#include "../kselftest_harness.h"

#define MSG_MAX		8192
#define UUID		"01234567-89ab-cdef-0123-456789abcdef"
#define LO_UEVENT	"/sys/devices/virtual/net/lo/uevent"
#define LO_PATH		"/devices/virtual/net/lo"
#define LOOP_UEVENT	"/sys/devices/virtual/block/loop0/uevent"
#define LOOP_PATH	"/devices/virtual/block/loop0"

static int listen_uevents(void)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	int size = 64 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Next message whose header ends in "@devpath" (any message if devpath
 * is NULL); 0 after timeout_ms without one, -errno on error.
 */
static int next_event(int fd, char *buf, const char *devpath, int timeout_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		const char *at;
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return 0;
		n = recv(fd, buf, MSG_MAX - 1, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		buf[n] = '\0';
		at = strchr(buf, '@');
		if (!devpath || (at && !strcmp(at + 1, devpath)))
			return n;
	}
}

/* Value of KEY in a message, or NULL. */
static const char *prop(const char *msg, int len, const char *key)
{
	size_t klen = strlen(key);
	const char *p;

	for (p = msg + strlen(msg) + 1; p < msg + len; p += strlen(p) + 1)
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
	return NULL;
}

/*
 * Compare a message with "header" and the NULL-terminated list of
 * expected variables, in order; "KEY=*" matches any value.  SEQNUM must
 * follow as the last variable.  Returns NULL or what differs.
 */
static const char *diff_event(const char *msg, int len, const char *header,
			      const char *const *vars)
{
	static char why[512];
	const char *p = msg + strlen(msg) + 1;
	const char *end = msg + len;
	char *tail;

	if (strcmp(msg, header)) {
		snprintf(why, sizeof(why), "header '%s', want '%s'", msg, header);
		return why;
	}
	for (; *vars; vars++, p += strlen(p) + 1) {
		size_t n = strlen(*vars);
		bool any = n > 2 && !strcmp(*vars + n - 2, "=*");

		if (p >= end) {
			snprintf(why, sizeof(why), "missing '%s'", *vars);
			return why;
		}
		if (any ? strncmp(p, *vars, n - 1) : strcmp(p, *vars)) {
			snprintf(why, sizeof(why), "got '%s', want '%s'", p, *vars);
			return why;
		}
	}
	if (p >= end || strncmp(p, "SEQNUM=", 7) ||
	    (strtoull(p + 7, &tail, 10), *tail) || !p[7]) {
		snprintf(why, sizeof(why), "no SEQNUM last (at '%s')",
			 p < end ? p : "end");
		return why;
	}
	p += strlen(p) + 1;
	if (p != end) {
		snprintf(why, sizeof(why), "extra '%s' after SEQNUM", p);
		return why;
	}
	return NULL;
}

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

#define EXPECT_EVENT(msg, len, header, ...) do {			\
	const char *const _vars[] = { __VA_ARGS__, NULL };		\
	const char *_hdr = (header);					\
	const char *_why = diff_event(msg, len, _hdr, _vars);		\
	EXPECT_EQ(NULL, _why) TH_LOG("%s: %s", _hdr, _why);		\
} while (0)

/* ------------------------------------------------------------------ */

FIXTURE(events) {
	int fd;
	char buf[MSG_MAX];
};

FIXTURE_SETUP(events)
{
	self->fd = listen_uevents();
	ASSERT_LE(0, self->fd) TH_LOG("uevent socket: %s", strerror(errno));
}

FIXTURE_TEARDOWN(events)
{
	close(self->fd);
}

/* A dummy network device added, renamed and removed. */
TEST_F(events, netdev_add_rename_remove)
{
	char ifindex[32];
	int len;

	run("ip link del uevt0 2>/dev/null; ip link del uevt1 2>/dev/null");
	ASSERT_EQ(0, run("ip link add uevt0 type dummy"));
	snprintf(ifindex, sizeof(ifindex), "IFINDEX=%u", if_nametoindex("uevt0"));

	len = next_event(self->fd, self->buf, "/devices/virtual/net/uevt0", 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "add@/devices/virtual/net/uevt0",
		     "ACTION=add", "DEVPATH=/devices/virtual/net/uevt0",
		     "SUBSYSTEM=net", "INTERFACE=uevt0", "IFINDEX=*");
	EXPECT_STREQ(ifindex + 8, prop(self->buf, len, "IFINDEX"));

	ASSERT_EQ(0, run("ip link set uevt0 name uevt1"));
	len = next_event(self->fd, self->buf, "/devices/virtual/net/uevt1", 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "move@/devices/virtual/net/uevt1",
		     "ACTION=move", "DEVPATH=/devices/virtual/net/uevt1",
		     "SUBSYSTEM=net",
		     "DEVPATH_OLD=/devices/virtual/net/uevt0",
		     "INTERFACE=uevt1", ifindex);

	ASSERT_EQ(0, run("ip link del uevt1"));
	len = next_event(self->fd, self->buf, "/devices/virtual/net/uevt1", 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "remove@/devices/virtual/net/uevt1",
		     "ACTION=remove", "DEVPATH=/devices/virtual/net/uevt1",
		     "SUBSYSTEM=net", "INTERFACE=uevt1", ifindex);
}

/* A loop device attached and detached announces both as change. */
TEST_F(events, loop_attach_detach)
{
	static const char *const steps[] = {
		"losetup /dev/loop0 /tmp/uevt.img", "losetup -d /dev/loop0",
	};
	size_t i;
	int len;

	ASSERT_EQ(0, run("dd if=/dev/zero of=/tmp/uevt.img bs=1024 count=1024 2>/dev/null"));
	run("losetup -d /dev/loop0 2>/dev/null");
	while (next_event(self->fd, self->buf, NULL, 100) > 0)
		;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		ASSERT_EQ(0, run(steps[i]));
		len = next_event(self->fd, self->buf, LOOP_PATH, 2000);
		ASSERT_LT(0, len);
		EXPECT_EVENT(self->buf, len, "change@" LOOP_PATH,
			     "ACTION=change", "DEVPATH=" LOOP_PATH,
			     "SUBSYSTEM=block", "MAJOR=7", "MINOR=0",
			     "DEVNAME=loop0", "DEVTYPE=disk", "DISKSEQ=*");
	}
	/* Detaching also reports the media change. */
	len = next_event(self->fd, self->buf, LOOP_PATH, 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "change@" LOOP_PATH, "ACTION=change",
		     "DEVPATH=" LOOP_PATH, "SUBSYSTEM=block",
		     "DISK_MEDIA_CHANGE=1", "MAJOR=7", "MINOR=0",
		     "DEVNAME=loop0", "DEVTYPE=disk", "DISKSEQ=*");
}

/* Synthetic uevents carry SYNTH_UUID and SYNTH_ARG_ after SUBSYSTEM. */
TEST_F(events, synthetic_valid)
{
	static const char add_args[] = "add " UUID " MODE=test Count=42\n";
	int len;

	ASSERT_EQ(0, write_str(LO_UEVENT, "change"));
	len = next_event(self->fd, self->buf, LO_PATH, 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "change@" LO_PATH, "ACTION=change",
		     "DEVPATH=" LO_PATH, "SUBSYSTEM=net", "SYNTH_UUID=0",
		     "INTERFACE=lo", "IFINDEX=1");

	ASSERT_EQ(0, write_str(LO_UEVENT, "add " UUID "\n"));
	len = next_event(self->fd, self->buf, LO_PATH, 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "add@" LO_PATH, "ACTION=add",
		     "DEVPATH=" LO_PATH, "SUBSYSTEM=net", "SYNTH_UUID=" UUID,
		     "INTERFACE=lo", "IFINDEX=1");

	ASSERT_EQ(0, write_str(LO_UEVENT, add_args));
	len = next_event(self->fd, self->buf, LO_PATH, 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "add@" LO_PATH, "ACTION=add",
		     "DEVPATH=" LO_PATH, "SUBSYSTEM=net", "SYNTH_UUID=" UUID,
		     "SYNTH_ARG_MODE=test", "SYNTH_ARG_Count=42",
		     "INTERFACE=lo", "IFINDEX=1");
}

/*
 * Bad synthetic input fails with EINVAL and sends nothing: the next
 * event after it must be the valid marker written afterwards.
 */
TEST_F(events, synthetic_invalid)
{
	static const char *const bad[] = {
		"frobnicate", "add 0123", "add " UUID "x",
		"add 0123456g-89ab-cdef-0123-456789abcdef",
		"add " UUID " A-B=1", "add " UUID " A=1.5", "add " UUID " A",
		"add " UUID " A=", "add " UUID "  A=1", "add  " UUID,
		"add " UUID " A=1 ", "add " UUID " =1",
	};
	char *overlong;
	size_t i, n;
	int len;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, write_str(LO_UEVENT, bad[i]))
			TH_LOG("bad input #%zu", i);

	/* 64 arguments: 65 variables do not fit in one environment. */
	overlong = malloc(4096);
	ASSERT_NE(NULL, overlong);
	n = sprintf(overlong, "add %s", UUID);
	for (i = 0; i < 64; i++)
		n += sprintf(overlong + n, " K%zu=v", i);
	EXPECT_EQ(-EINVAL, write_file(LO_UEVENT, overlong, n));
	free(overlong);

	ASSERT_EQ(0, write_str(LO_UEVENT, "add " UUID " MARK=1"));
	len = next_event(self->fd, self->buf, NULL, 2000);
	ASSERT_LT(0, len);
	EXPECT_STREQ("add@" LO_PATH, self->buf);
	EXPECT_STREQ("1", prop(self->buf, len, "SYNTH_ARG_MARK"));
}

#define HELPER		"/tmp/uevt-helper"
#define HELPER_OUT	"/tmp/uevt-helper.out"

/* The uevent helper runs with the event's environment and SUBSYSTEM. */
TEST(uevent_helper)
{
	static const char script[] =
		"#!/bin/sh\n"
		"[ \"$SYNTH_ARG_HELPER\" = 1 ] || exit 0\n"
		"{ echo \"argv1=$1\"; env; } > " HELPER_OUT ".tmp\n"
		"mv " HELPER_OUT ".tmp " HELPER_OUT "\n";
	char buf[4096];
	ssize_t n;
	int fd, i;

	if (access("/sys/kernel/uevent_helper", W_OK))
		SKIP(return, "no CONFIG_UEVENT_HELPER");
	unlink(HELPER_OUT);
	fd = open(HELPER, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(script), write(fd, script, strlen(script)));
	close(fd);

	ASSERT_EQ(0, write_str("/sys/kernel/uevent_helper", HELPER));
	EXPECT_EQ(0, write_str(LO_UEVENT, "change " UUID " HELPER=1"));
	for (i = 0; i < 100 && access(HELPER_OUT, R_OK); i++)
		usleep(50000);
	/* A zero-length write never reaches the kernel: clear with "\n". */
	ASSERT_EQ(0, write_str("/sys/kernel/uevent_helper", "\n"));

	fd = open(HELPER_OUT, O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("the helper did not run");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_NE(NULL, strstr(buf, "argv1=net\n"));
	EXPECT_NE(NULL, strstr(buf, "ACTION=change\n"));
	EXPECT_NE(NULL, strstr(buf, "DEVPATH=" LO_PATH "\n"));
	EXPECT_NE(NULL, strstr(buf, "SYNTH_UUID=" UUID "\n"));
	EXPECT_NE(NULL, strstr(buf, "SEQNUM="));
	EXPECT_NE(NULL, strstr(buf, "HOME=/\n"));
	EXPECT_NE(NULL, strstr(buf, "PATH=/sbin:/bin:/usr/sbin:/usr/bin\n"));
}

/* ------------------------------------------------------------------ */
/* Namespaces                                                          */

/*
 * In a child that unshared @flags, listen, tell the parent, run @cmd
 * (if any), and report through the exit code whether an event for
 * @devpath arrived within the time the parent allows.
 */
static int child_listen(int flags, const char *cmd, const char *devpath)
{
	int ready[2], status, fd;
	char buf[MSG_MAX], c;
	pid_t pid;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(ready[0]);
		if (unshare(flags))
			_exit(10);
		fd = listen_uevents();
		if (fd < 0)
			_exit(11);
		if (write(ready[1], "r", 1) != 1)
			_exit(12);
		if (cmd && run(cmd))
			_exit(13);
		_exit(next_event(fd, buf, devpath, 1500) > 0 ? 0 : 1);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	close(ready[0]);
	if (!cmd)
		write_str(LOOP_UEVENT, "change");
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(events, netns_device_stays_in_its_namespace)
{
	int len;

	/* The child creates a device in its new netns and sees the add. */
	EXPECT_EQ(0, child_listen(CLONE_NEWNET, "ip link add uevns0 type dummy",
				  "/devices/virtual/net/uevns0"));
	/* The initial namespace never sees it: the marker comes first. */
	ASSERT_EQ(0, write_str(LOOP_UEVENT, "change " UUID " MARK=2"));
	do {
		len = next_event(self->fd, self->buf, NULL, 2000);
		ASSERT_LT(0, len);
		EXPECT_EQ(NULL, strstr(self->buf, "uevns0"));
	} while (!prop(self->buf, len, "SYNTH_ARG_MARK"));
}

TEST(untagged_reaches_netns_of_initial_userns)
{
	EXPECT_EQ(0, child_listen(CLONE_NEWNET, NULL, LOOP_PATH));
}

TEST(untagged_skips_netns_of_new_userns)
{
	EXPECT_EQ(1, child_listen(CLONE_NEWUSER | CLONE_NEWNET, NULL,
				  LOOP_PATH));
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return write_str(path, text);
}

/*
 * An event tagged for a network namespace owned by a new user namespace
 * comes from that user namespace's root: a process of uid 1000 creates
 * the namespaces with root mapped to 1000, and its listener must see
 * uid 0.  Sent as global root, the event would show the overflow uid.
 */
TEST(tagged_event_credentials)
{
	int to_parent[2], to_child[2], status, one = 1;
	struct ucred *cred;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char buf[MSG_MAX], ctl[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl, .msg_controllen = sizeof(ctl),
		};
		int fd;

		/* Become uid 1000 first: root of the new namespace maps to it. */
		if (setgroups(0, NULL) || setgid(1000) || setuid(1000) ||
		    unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(10);
		if (write(to_parent[1], "u", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(11);
		fd = listen_uevents();
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one,
					 sizeof(one)))
			_exit(12);
		if (run("ip link add uevc0 type dummy"))
			_exit(13);
		do {
			if (recvmsg(fd, &mh, 0) <= 0)
				_exit(14);
		} while (!strstr(buf, "@/devices/virtual/net/uevc0"));
		cred = (struct ucred *)CMSG_DATA(CMSG_FIRSTHDR(&mh));
		_exit(cred->uid == 0 && cred->gid == 0 ? 0 : 15);
	}
	ASSERT_EQ(1, read(to_parent[0], &c, 1));
	ASSERT_EQ(0, write_proc(pid, "setgroups", "deny"));
	ASSERT_EQ(0, write_proc(pid, "uid_map", "0 1000 1"));
	ASSERT_EQ(0, write_proc(pid, "gid_map", "0 1000 1"));
	ASSERT_EQ(1, write(to_child[1], "m", 1));
	waitpid(pid, &status, 0);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ------------------------------------------------------------------ */
/* Injection                                                           */

/* Send @payload to the kernel; return the error of its ack. */
static int inject(const char *payload, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nlh;
		char data[4096];
	} req = { };
	char ack[512];
	int fd, ret;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	req.nlh.nlmsg_len = NLMSG_LENGTH(len);
	req.nlh.nlmsg_type = NLMSG_MIN_TYPE;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	memcpy(req.data, payload, len);
	if (sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	n = recv(fd, ack, sizeof(ack), 0);
	close(fd);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		return -EBADMSG;
	return ((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)ack))->error;
}

static const char inj_msg[] = "change@/devices/virtual/uevtest\0ACTION=change\0"
			      "DEVPATH=/devices/virtual/uevtest\0SUBSYSTEM=uevtest";

TEST_F(events, inject_with_cap_sys_admin)
{
	int len;

	ASSERT_EQ(0, inject(inj_msg, sizeof(inj_msg)));
	len = next_event(self->fd, self->buf, "/devices/virtual/uevtest", 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "change@/devices/virtual/uevtest",
		     "ACTION=change", "DEVPATH=/devices/virtual/uevtest",
		     "SUBSYSTEM=uevtest");
}

TEST(inject_without_cap_sys_admin)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(-inject(inj_msg, sizeof(inj_msg)));
	}
	waitpid(pid, &status, 0);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
}

TEST(inject_over_limit)
{
	static char big[2048];

	memcpy(big, inj_msg, sizeof(inj_msg));
	EXPECT_EQ(-EINVAL, inject(big, sizeof(big)));
}

/* ------------------------------------------------------------------ */
/* Ordering                                                            */

#define WRITERS		4
#define EVENTS		200000
#define ORDER_FMT	"%d writers, %d events, %llu received, %llu out of order, %llu gaps, %llu ENOBUFS\n"

static void *writer(void *arg)
{
	long *failures = arg;
	int fd = open(LOOP_UEVENT, O_WRONLY | O_CLOEXEC);
	int i;

	for (i = 0; i < EVENTS / WRITERS; i++)
		if (fd < 0 || pwrite(fd, "change", 6, 0) != 6)
			(*failures)++;
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * Four threads write synthetic uevents while this thread listens.
 * Every SEQNUM must be higher than the last, and every gap must be
 * explained by an ENOBUFS the socket reported.
 */
TEST_F_TIMEOUT(events, ordering_under_concurrent_writers, 900)
{
	long failures[WRITERS] = { };
	unsigned long long last = 0, seq, received = 0, disorder = 0;
	unsigned long long gaps = 0, enobufs = 0;
	pthread_t tid[WRITERS];
	char *buf = self->buf;
	int fd = self->fd;
	const char *v;
	int i, len;

	for (i = 0; i < WRITERS; i++)
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, writer, &failures[i]));

	for (;;) {
		len = next_event(fd, buf, NULL, 3000);
		if (len == -ENOBUFS) {
			enobufs++;
			continue;
		}
		if (len <= 0)
			break;
		v = prop(buf, len, "SEQNUM");
		if (!v)
			continue;
		seq = strtoull(v, NULL, 10);
		if (last && seq <= last)
			disorder++;
		else if (last && seq != last + 1)
			gaps++;
		if (seq > last)
			last = seq;
		received++;
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(tid[i], NULL);
		EXPECT_EQ(0, failures[i]);
	}
	ksft_print_msg(ORDER_FMT, WRITERS, EVENTS, received, disorder, gaps,
		       enobufs);
	EXPECT_LE(EVENTS, received + (enobufs ? EVENTS : 0));
	EXPECT_EQ(0, disorder);
	if (!enobufs)
		EXPECT_EQ(0, gaps);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of uevent delivery, as a device manager sees it:
 * the exact messages of real events, the synthetic uevent grammar,
 * network and user namespace routing, message injection, SEQNUM
 * ordering with several writers, that one listener's socket filter
 * never shortens the messages the other listeners receive, that a
 * failed allocation fails an event cleanly, and the superblock events
 * and GFS2's own events of file systems mounted on loop devices.
 *
 * Needs root, a dummy network device driver, loop devices, slab fault
 * injection (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS) and
 * busybox or iproute2 "ip" in PATH; the superblock tests need vfat and
 * GFS2, mkfs.gfs2 and the kernel's config (/proc/config.gz or
 * /boot/config-RELEASE); a test whose needs are not met is skipped.
 * Meant for a test machine or VM; run elsewhere, it sets the uevent
 * helper and failslab's settings for a moment, mounts debugfs if it is
 * not mounted and adds network and loop devices of its own; it
 * restores, unmounts and removes them, also when a test fails.  The
 * superblock tests mount file system images of their own in a private
 * mount namespace (and withdraw the GFS2 one); their loop devices go
 * away when the test's process exits.
 */

#define _GNU_SOURCE
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
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <grp.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/magic.h>
#include <linux/netlink.h>

#include "../kselftest_harness.h"

#define MSG_MAX		8192
#define UUID		"01234567-89ab-cdef-0123-456789abcdef"
#define LO_UEVENT	"/sys/devices/virtual/net/lo/uevent"
#define LO_PATH		"/devices/virtual/net/lo"
#define NULL_UEVENT	"/sys/devices/virtual/mem/null/uevent"
#define NULL_PATH	"/devices/virtual/mem/null"
#define HELPER_SYSFS	"/sys/kernel/uevent_helper"
#define SEQNUM_SYSFS	"/sys/kernel/uevent_seqnum"
#define DEBUGFS		"/sys/kernel/debug"
#define FAILSLAB	DEBUGFS "/failslab"
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define UNPRIV_ID	1000

/* Exit codes of test children: namespaces unavailable, command failed. */
#define CHILD_NO_NS	20
#define CHILD_CMD_FAIL	13

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
		snprintf(why, sizeof(why), "header '%s', want '%s'", msg,
			 header);
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
			snprintf(why, sizeof(why), "got '%s', want '%s'", p,
				 *vars);
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

/*
 * Make a directory only root can enter (mkdtemp() creates it with mode
 * 0700 under a fresh name) on a file system that allows exec, for the
 * files a test needs.  Returns 0, or -1 and @dir empty.
 */
static int private_dir(char *dir, size_t size)
{
	static const char *const bases[] = { "/tmp", "/var/tmp", "/run" };
	struct statvfs st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		if (statvfs(bases[i], &st) || (st.f_flag & ST_NOEXEC))
			continue;
		snprintf(dir, size, "%s/uevent-test.XXXXXX", bases[i]);
		if (mkdtemp(dir))
			return 0;
	}
	dir[0] = '\0';
	return -1;
}

/* Create a new file in a private directory, never through a link. */
static int create_private(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    mode);
}

/* The errors of unshare() that mean the kernel or policy says no. */
static bool ns_missing(int err)
{
	return err == EINVAL || err == EPERM || err == ENOSPC;
}

#define EXPECT_EVENT(msg, len, header, ...) do {			\
	const char *const _vars[] = { __VA_ARGS__, NULL };		\
	const char *_hdr = (header);					\
	const char *_why = diff_event(msg, len, _hdr, _vars);		\
	EXPECT_EQ(NULL, _why) TH_LOG("%s: %s", _hdr, _why);		\
} while (0)

/* ------------------------------------------------------------------ */

/*
 * Fixtures that change the system undo it in FIXTURE_TEARDOWN_PARENT():
 * built with optimization, the harness skips FIXTURE_TEARDOWN() after a
 * failed ASSERT (longjmp() clobbers its "child" variable), but always
 * runs this one, in the test's process or in its parent.  So it only
 * uses the fixture data, which is shared, never descriptors: the test
 * process's sockets and namespaces go away when it exits.
 */

/*
 * A failed synthetic write leaves one line in the kernel log naming the
 * object and the reason (Documentation/ABI/testing/sysfs-uevent).  It
 * runs first: the line is rate limited.
 */
TEST(synthetic_failure_is_logged)
{
	static const char want[] =
		"synth uevent: " NULL_PATH ": unknown uevent action string";
	char line[1024];
	bool found = false;
	ssize_t n;
	int fd;

	if (geteuid())
		SKIP(return, "needs root");
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "no /dev/kmsg: %s", strerror(errno));
	ASSERT_LE(0, lseek(fd, 0, SEEK_END));
	EXPECT_NE(0, write_str(NULL_UEVENT, "nonsense"));
	/* One record per read(); EAGAIN once they are all read. */
	while ((n = read(fd, line, sizeof(line) - 1)) > 0 || errno == EPIPE) {
		if (n <= 0)
			continue;
		line[n] = '\0';
		if (strstr(line, want))
			found = true;
	}
	close(fd);
	EXPECT_TRUE(found) TH_LOG("no \"%s\" in the kernel log", want);
}

FIXTURE(events) {
	int fd;
	const char *netdev;	/* the dummy device to remove, if any */
	char buf[MSG_MAX];
};

FIXTURE_SETUP(events)
{
	self->fd = -1;
	self->netdev = NULL;
	if (geteuid())
		SKIP(return, "needs root");
	self->fd = listen_uevents();
	ASSERT_LE(0, self->fd) TH_LOG("uevent socket: %s", strerror(errno));
}

FIXTURE_TEARDOWN_PARENT(events)
{
	char cmd[64];

	if (self->netdev) {
		snprintf(cmd, sizeof(cmd), "ip link del %s", self->netdev);
		run(cmd);
	}
}

/* A dummy network device added, renamed and removed. */
TEST_F(events, netdev_add_rename_remove)
{
	char ifindex[32];
	int len;

	run("ip link del uevt0 2>/dev/null; ip link del uevt1 2>/dev/null");
	if (run("ip link add uevt0 type dummy"))
		SKIP(return, "cannot add a dummy network device");
	self->netdev = "uevt0";
	snprintf(ifindex, sizeof(ifindex), "IFINDEX=%u",
		 if_nametoindex("uevt0"));

	len = next_event(self->fd, self->buf, "/devices/virtual/net/uevt0",
			 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "add@/devices/virtual/net/uevt0",
		     "ACTION=add", "DEVPATH=/devices/virtual/net/uevt0",
		     "SUBSYSTEM=net", "INTERFACE=uevt0", "IFINDEX=*");
	EXPECT_STREQ(ifindex + 8, prop(self->buf, len, "IFINDEX"));

	ASSERT_EQ(0, run("ip link set uevt0 name uevt1"));
	self->netdev = "uevt1";
	len = next_event(self->fd, self->buf, "/devices/virtual/net/uevt1",
			 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "move@/devices/virtual/net/uevt1",
		     "ACTION=move", "DEVPATH=/devices/virtual/net/uevt1",
		     "SUBSYSTEM=net",
		     "DEVPATH_OLD=/devices/virtual/net/uevt0",
		     "INTERFACE=uevt1", ifindex);

	ASSERT_EQ(0, run("ip link del uevt1"));
	self->netdev = NULL;
	len = next_event(self->fd, self->buf, "/devices/virtual/net/uevt1",
			 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, "remove@/devices/virtual/net/uevt1",
		     "ACTION=remove", "DEVPATH=/devices/virtual/net/uevt1",
		     "SUBSYSTEM=net", "INTERFACE=uevt1", ifindex);
}

/*
 * A loop device of our own, the first free one, backed by a file in a
 * private directory; only ever detached if this test attached it.
 */
FIXTURE(loop) {
	int fd;
	int n;			/* loop device number */
	bool attached;
	char dir[64];
	char img[96];
	char buf[MSG_MAX];
};

FIXTURE_SETUP(loop)
{
	self->fd = -1;
	self->n = -1;
	self->attached = false;
	self->dir[0] = '\0';
	self->img[0] = '\0';
	if (geteuid())
		SKIP(return, "needs root");
	if (access("/dev/loop-control", R_OK | W_OK))
		SKIP(return, "no /dev/loop-control");
	self->fd = listen_uevents();
	ASSERT_LE(0, self->fd) TH_LOG("uevent socket: %s", strerror(errno));
}

FIXTURE_TEARDOWN_PARENT(loop)
{
	char cmd[48];

	if (self->attached) {
		snprintf(cmd, sizeof(cmd), "losetup -d /dev/loop%d", self->n);
		run(cmd);
	}
	if (self->img[0])
		unlink(self->img);
	if (self->dir[0])
		rmdir(self->dir);
}

/* A loop device attached and detached announces both as change. */
TEST_F(loop, attach_detach)
{
	char attach[160], detach[48], path[80], dev[32], header[80];
	char devpath[64], major[24], minor[24], devname[32];
	unsigned int maj, min;
	int fd, len, ret, i;

	fd = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("/dev/loop-control: %s", strerror(errno));
	self->n = ioctl(fd, LOOP_CTL_GET_FREE);
	ret = errno;
	close(fd);
	ASSERT_LE(0, self->n) TH_LOG("LOOP_CTL_GET_FREE: %s", strerror(ret));

	ASSERT_EQ(0, private_dir(self->dir, sizeof(self->dir)));
	snprintf(self->img, sizeof(self->img), "%s/backing", self->dir);
	fd = create_private(self->img, 0600);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", self->img, strerror(errno));
	ret = ftruncate(fd, 1 << 20);
	close(fd);
	ASSERT_EQ(0, ret);

	snprintf(path, sizeof(path), "/sys/devices/virtual/block/loop%d/dev",
		 self->n);
	ASSERT_LT(0, read_text(path, dev, sizeof(dev)));
	ret = sscanf(dev, "%u:%u", &maj, &min);
	ASSERT_EQ(2, ret) TH_LOG("%s: '%s'", path, dev);
	snprintf(devpath, sizeof(devpath), "/devices/virtual/block/loop%d",
		 self->n);
	snprintf(header, sizeof(header), "change@%s", devpath);
	snprintf(path, sizeof(path), "DEVPATH=%s", devpath);
	snprintf(major, sizeof(major), "MAJOR=%u", maj);
	snprintf(minor, sizeof(minor), "MINOR=%u", min);
	snprintf(devname, sizeof(devname), "DEVNAME=loop%d", self->n);
	snprintf(attach, sizeof(attach), "losetup /dev/loop%d %s", self->n,
		 self->img);
	snprintf(detach, sizeof(detach), "losetup -d /dev/loop%d", self->n);
	while (next_event(self->fd, self->buf, NULL, 100) > 0)
		;

	for (i = 0; i < 2; i++) {
		ret = run(i ? detach : attach);
		if (!ret)
			self->attached = !i;
		ASSERT_EQ(0, ret) TH_LOG("%s", i ? detach : attach);
		len = next_event(self->fd, self->buf, devpath, 2000);
		ASSERT_LT(0, len);
		EXPECT_EVENT(self->buf, len, header, "ACTION=change", path,
			     "SUBSYSTEM=block", major, minor, devname,
			     "DEVTYPE=disk", "DISKSEQ=*");
	}
	/* Detaching also reports the media change. */
	len = next_event(self->fd, self->buf, devpath, 2000);
	ASSERT_LT(0, len);
	EXPECT_EVENT(self->buf, len, header, "ACTION=change", path,
		     "SUBSYSTEM=block", "DISK_MEDIA_CHANGE=1", major, minor,
		     devname, "DEVTYPE=disk", "DISKSEQ=*");
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

/*
 * The uevent helper runs as root for every event of the system, so the
 * script lives in a private directory, and the previous helper comes
 * back even when the test fails.
 */
FIXTURE(uevent_helper) {
	char dir[64];
	char script[96];
	char out[96];
	char tmp[96];
	char saved[512];	/* what HELPER_SYSFS said before */
	int saved_len;
	bool installed;
};

FIXTURE_SETUP(uevent_helper)
{
	self->dir[0] = '\0';
	self->saved_len = -1;
	self->installed = false;
	if (geteuid())
		SKIP(return, "needs root");
	if (access(HELPER_SYSFS, W_OK))
		SKIP(return, "no CONFIG_UEVENT_HELPER");
}

/* Write back what HELPER_SYSFS said, @len bytes with the newline. */
static int restore_helper(const char *saved, int len)
{
	/* Without the newline it fits; an empty value is written as "\n". */
	if (len > 1 && saved[len - 1] == '\n')
		len--;
	return write_file(HELPER_SYSFS, saved, len);
}

FIXTURE_TEARDOWN_PARENT(uevent_helper)
{
	if (self->installed)
		restore_helper(self->saved, self->saved_len);
	if (!self->dir[0])
		return;
	unlink(self->out);
	unlink(self->tmp);
	unlink(self->script);
	rmdir(self->dir);
}

/*
 * Install a helper script that, for events with SYNTH_ARG_HELPER=1,
 * writes its argv[1] and environment to self->out.  (The struct is
 * FIXTURE_DATA(uevent_helper), spelt out for checkpatch.)
 */
static void install_helper(struct __test_metadata *_metadata,
			   struct _test_data_uevent_helper *self)
{
	char script[512];
	ssize_t n;
	int fd, ok;

	n = read_text(HELPER_SYSFS, self->saved, sizeof(self->saved));
	ASSERT_LT(0, n) TH_LOG(HELPER_SYSFS ": %s", strerror(-n));
	self->saved_len = n;

	ASSERT_EQ(0, private_dir(self->dir, sizeof(self->dir)));
	snprintf(self->script, sizeof(self->script), "%s/helper", self->dir);
	snprintf(self->out, sizeof(self->out), "%s/out", self->dir);
	snprintf(self->tmp, sizeof(self->tmp), "%s/out.tmp", self->dir);
	n = snprintf(script, sizeof(script),
		     "#!/bin/sh\n"
		     "[ \"$SYNTH_ARG_HELPER\" = 1 ] || exit 0\n"
		     "{ echo \"argv1=$1\"; env; } > %s\n"
		     "mv %s %s\n", self->tmp, self->tmp, self->out);
	fd = create_private(self->script, 0700);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", self->script, strerror(errno));
	ok = write(fd, script, n) == n;
	close(fd);
	ASSERT_TRUE(ok);

	self->installed = true;
	ASSERT_EQ(0, write_str(HELPER_SYSFS, self->script));
}

/*
 * Wait for the helper's output, restore the helper and read the output
 * into @buf of @size bytes.
 */
static void helper_output(struct __test_metadata *_metadata,
			  struct _test_data_uevent_helper *self, char *buf,
			  size_t size)
{
	ssize_t n;
	int fd, i, ret;

	for (i = 0; i < 100 && access(self->out, R_OK); i++)
		usleep(50000);
	ret = restore_helper(self->saved, self->saved_len);
	self->installed = ret != 0;
	ASSERT_EQ(0, ret) TH_LOG("restoring the helper: %s", strerror(-ret));

	fd = open(self->out, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("the helper did not run");
	n = read(fd, buf, size - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
}

/* The uevent helper runs with the event's environment and SUBSYSTEM. */
TEST_F(uevent_helper, runs_with_event_environment)
{
	char buf[4096];

	install_helper(_metadata, self);
	EXPECT_EQ(0, write_str(LO_UEVENT, "change " UUID " HELPER=1"));
	helper_output(_metadata, self, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "argv1=net\n"));
	EXPECT_NE(NULL, strstr(buf, "ACTION=change\n"));
	EXPECT_NE(NULL, strstr(buf, "DEVPATH=" LO_PATH "\n"));
	EXPECT_NE(NULL, strstr(buf, "SYNTH_UUID=" UUID "\n"));
	EXPECT_NE(NULL, strstr(buf, "SEQNUM="));
	EXPECT_NE(NULL, strstr(buf, "HOME=/\n"));
	EXPECT_NE(NULL, strstr(buf, "PATH=/sbin:/bin:/usr/sbin:/usr/bin\n"));
}

/* Variables in a received message: the NUL-ended strings after its header. */
static int count_vars(const char *msg, int len)
{
	int n = 0, i;

	for (i = strlen(msg) + 1; i < len; i += strlen(msg + i) + 1)
		n++;
	return n;
}

/*
 * An event with all 64 variables still goes to the helper, with HOME
 * and PATH, and the write that asked for it succeeds.  How many
 * variables lo's events carry is learnt from one with a single
 * argument; the second event adds arguments up to 64.
 */
TEST_F(uevent_helper, full_environment)
{
	char cmd[2048], buf[8192], *pos;
	int fd, len, vars, args, i;

	fd = listen_uevents();
	ASSERT_LE(0, fd) TH_LOG("uevent socket: %s", strerror(errno));
	ASSERT_EQ(0, write_str(LO_UEVENT, "change " UUID " HELPER=0"));
	len = next_event(fd, buf, LO_PATH, 5000);
	ASSERT_LT(0, len);
	vars = count_vars(buf, len);
	args = 64 - vars + 1;
	ASSERT_LT(1, args) TH_LOG("%d variables already", vars);

	pos = cmd + sprintf(cmd, "change " UUID " HELPER=1");
	for (i = 1; i < args; i++)
		pos += sprintf(pos, " A%d=%d", i, i);
	install_helper(_metadata, self);
	EXPECT_EQ(0, write_str(LO_UEVENT, cmd));
	len = next_event(fd, buf, LO_PATH, 5000);
	close(fd);
	ASSERT_LT(0, len);
	EXPECT_EQ(64, count_vars(buf, len));

	helper_output(_metadata, self, buf, sizeof(buf));
	snprintf(cmd, sizeof(cmd), "SYNTH_ARG_A%d=%d\n", args - 1, args - 1);
	EXPECT_NE(NULL, strstr(buf, cmd));
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
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	if (!pid) {
		close(ready[0]);
		if (unshare(flags))
			_exit(ns_missing(errno) ? CHILD_NO_NS : 10);
		fd = listen_uevents();
		if (fd < 0)
			_exit(11);
		if (write(ready[1], "r", 1) != 1)
			_exit(12);
		if (cmd && run(cmd))
			_exit(CHILD_CMD_FAIL);
		_exit(next_event(fd, buf, devpath, 1500) > 0 ? 0 : 1);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	close(ready[0]);
	if (!cmd && c == 'r')
		write_str(NULL_UEVENT, "change");
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(events, netns_device_stays_in_its_namespace)
{
	int len, ret;

	/* The child creates a device in its new netns and sees the add. */
	ret = child_listen(CLONE_NEWNET, "ip link add uevns0 type dummy",
			   "/devices/virtual/net/uevns0");
	if (ret == CHILD_NO_NS)
		SKIP(return, "no network namespaces");
	if (ret == CHILD_CMD_FAIL)
		SKIP(return, "cannot add a dummy network device");
	EXPECT_EQ(0, ret);
	/* The initial namespace never sees it: the marker comes first. */
	ASSERT_EQ(0, write_str(NULL_UEVENT, "change " UUID " MARK=2"));
	do {
		len = next_event(self->fd, self->buf, NULL, 2000);
		ASSERT_LT(0, len);
		EXPECT_EQ(NULL, strstr(self->buf, "uevns0"));
	} while (!prop(self->buf, len, "SYNTH_ARG_MARK"));
}

TEST(untagged_reaches_netns_of_initial_userns)
{
	int ret;

	if (geteuid())
		SKIP(return, "needs root");
	ret = child_listen(CLONE_NEWNET, NULL, NULL_PATH);
	if (ret == CHILD_NO_NS)
		SKIP(return, "no network namespaces");
	EXPECT_EQ(0, ret);
}

TEST(untagged_skips_netns_of_new_userns)
{
	int ret;

	if (geteuid())
		SKIP(return, "needs root");
	ret = child_listen(CLONE_NEWUSER | CLONE_NEWNET, NULL, NULL_PATH);
	if (ret == CHILD_NO_NS)
		SKIP(return, "no user or network namespaces");
	EXPECT_EQ(1, ret);
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
	pid_t pid;
	char c;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct timeval tv = { .tv_sec = 2 };
		char buf[MSG_MAX], ctl[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct cmsghdr *cm;
		struct ucred cred;
		int fd;

		close(to_parent[0]);
		close(to_child[1]);
		/* Become uid 1000 first: the new root maps to it. */
		if (setgroups(0, NULL) || setgid(1000) || setuid(1000))
			_exit(10);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(ns_missing(errno) ? CHILD_NO_NS : 10);
		if (write(to_parent[1], "u", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(11);
		fd = listen_uevents();
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one,
					 sizeof(one)) ||
		    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
			_exit(12);
		if (run("ip link add uevc0 type dummy"))
			_exit(CHILD_CMD_FAIL);
		do {
			memset(buf, 0, sizeof(buf));
			mh.msg_control = ctl;
			mh.msg_controllen = sizeof(ctl);
			if (recvmsg(fd, &mh, 0) <= 0)
				_exit(14);
		} while (!strstr(buf, "@/devices/virtual/net/uevc0"));
		cm = CMSG_FIRSTHDR(&mh);
		if (!cm || cm->cmsg_type != SCM_CREDENTIALS)
			_exit(16);
		memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
		_exit(cred.uid == 0 && cred.gid == 0 ? 0 : 15);
	}
	/* Only the child holds these ends: its exit ends our reads. */
	close(to_parent[1]);
	close(to_child[0]);
	if (read(to_parent[0], &c, 1) == 1) {
		ASSERT_EQ(0, write_proc(pid, "setgroups", "deny"));
		ASSERT_EQ(0, write_proc(pid, "uid_map", "0 1000 1"));
		ASSERT_EQ(0, write_proc(pid, "gid_map", "0 1000 1"));
		ASSERT_EQ(1, write(to_child[1], "m", 1));
	}
	close(to_parent[0]);
	close(to_child[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == CHILD_NO_NS)
		SKIP(return, "uid 1000 cannot create user namespaces");
	if (WEXITSTATUS(status) == CHILD_CMD_FAIL)
		SKIP(return, "cannot add a dummy network device");
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
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	pid = fork();
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

	if (geteuid())
		SKIP(return, "needs root");
	memcpy(big, inj_msg, sizeof(inj_msg));
	EXPECT_EQ(-EINVAL, inject(big, sizeof(big)));
}

/* ------------------------------------------------------------------ */
/* Socket filters                                                      */

/*
 * Any process may listen to uevents and attach a classic BPF filter to
 * its socket.  The "snaplen" filter, one instruction that keeps the
 * first N bytes of each message, may only shorten that process's own
 * copy: every other listener, in every network namespace the event
 * reaches, still gets the whole message.  Netlink delivers to the most
 * recently bound socket first, so the filtered socket is bound after
 * the privileged one.
 *
 * Sockets are opened by short-lived children, in the namespace and
 * with the credentials they need, and passed back with SCM_RIGHTS: a
 * socket keeps its namespace, filter and binding.
 */

#define INJ_PATH	"/devices/virtual/uevtest"

/* Pass @fd over the AF_UNIX socket @sock; 0 or -errno. */
static int send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl = { };
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

/* The descriptor send_fd() passes within @timeout_ms, or -errno. */
static int recv_fd(int sock, int timeout_ms)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *cm;
	ssize_t n;
	int fd;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	cm = CMSG_FIRSTHDR(&mh);
	if (n != 1 || !cm || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * fork() into the network namespace @nsfd, or the current one if it is
 * negative; a child that cannot join exits with the errno.
 */
static pid_t fork_in(int nsfd)
{
	pid_t pid = fork();

	if (!pid && nsfd >= 0 && setns(nsfd, CLONE_NEWNET))
		_exit(errno);
	return pid;
}

/* Exit status of @fn(@arg) run by a child in @nsfd, or -errno. */
static int status_in(int nsfd, int (*fn)(const void *), const void *arg)
{
	pid_t pid = fork_in(nsfd);
	int status;

	if (pid < 0)
		return -errno;
	if (!pid)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return WEXITSTATUS(status);
}

/*
 * The descriptor @fn(@arg) opens in a child in @nsfd, passed back to
 * us, or -errno: the error @fn returned, or why it could not be passed.
 */
static int fd_in(int nsfd, int (*fn)(const void *), const void *arg)
{
	int sv[2], fd, status = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork_in(nsfd);
	if (pid < 0) {
		fd = -errno;
		close(sv[0]);
		close(sv[1]);
		return fd;
	}
	if (!pid) {
		close(sv[0]);
		fd = fn(arg);
		_exit(fd < 0 ? -fd : -send_fd(sv[1], fd));
	}
	close(sv[1]);
	fd = recv_fd(sv[0], 10000);
	close(sv[0]);
	if (fd == -ETIMEDOUT)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) == pid && fd < 0 &&
	    WIFEXITED(status) && WEXITSTATUS(status))
		fd = -WEXITSTATUS(status);
	return fd;
}

/* A new network namespace, owned by our user namespace; fd or -errno. */
static int open_netns(const void *flags)
{
	int fd;

	if (unshare(*(const int *)flags))
		return -errno;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * A listener bound to the uevent group: privileged if @snaplen is NULL,
 * else opened, filtered to *@snaplen bytes and bound by uid and gid
 * 1000 without supplementary groups (so without capabilities).
 * Returns the socket or -errno.
 */
static int open_listener(const void *snaplen)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	struct sock_filter snap[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {
		.len = ARRAY_SIZE(snap),
		.filter = snap,
	};
	uid_t ruid, euid, suid;
	int fd, err;

	if (!snaplen) {
		fd = listen_uevents();
		return fd < 0 ? -errno : fd;
	}
	snap[0].k = *(const int *)snaplen;
	if (setgroups(0, NULL) ||
	    setresgid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID) ||
	    setresuid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID))
		return -errno;
	if (getresuid(&ruid, &euid, &suid) || ruid != UNPRIV_ID ||
	    euid != UNPRIV_ID || suid != UNPRIV_ID || getgroups(0, NULL))
		return -EPERM;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int run_cmd(const void *cmd)
{
	return run(cmd);
}

static int inject_iov(const void *msg)
{
	const struct iovec *iov = msg;

	return -inject(iov->iov_base, iov->iov_len);
}

/* Discard what a socket has queued. */
static void drain(int fd)
{
	char byte;

	while (recv(fd, &byte, 1, MSG_DONTWAIT) >= 0 || errno == EINTR ||
	       errno == ENOBUFS)
		;
}

/*
 * Like next_event(), for the message of @action on @devpath only, and
 * counting in *@cut the messages on the way that do not end in a NUL:
 * every uevent does, unless something cut it short.
 */
static int next_action(int fd, char *buf, const char *action,
		       const char *devpath, int timeout_ms, int *cut)
{
	size_t n = strlen(action);
	const char *at;
	ssize_t len;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return 0;
		len = recv(fd, buf, MSG_MAX - 1, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		buf[len] = '\0';
		if (!len || buf[len - 1]) {
			(*cut)++;
			continue;
		}
		at = strchr(buf, '@');
		if (at && (size_t)(at - buf) == n && !strncmp(buf, action, n) &&
		    !strcmp(at + 1, devpath))
			return len;
	}
}

/*
 * On a filtered socket, the next message that is the first @snaplen
 * bytes of @full.  Returns its length, or the length of the first
 * message that is not @snaplen bytes long (the filter keeps exactly
 * that much of every uevent); 0 after @timeout_ms without either,
 * -errno on error.
 */
static int next_snapped(int fd, char *buf, const char *full, int snaplen,
			int timeout_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return 0;
		n = recv(fd, buf, MSG_MAX, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (n != snaplen || !memcmp(buf, full, snaplen))
			return n;
	}
}

/*
 * NULL if @msg is a whole uevent for @action on @devpath: the header
 * "ACTION@DEVPATH", then ACTION, DEVPATH and SUBSYSTEM, more KEY=VALUE
 * strings and SEQNUM last, each NUL-terminated; else what is wrong.
 */
static const char *incomplete(const char *msg, int len, const char *action,
			      const char *devpath)
{
	static const char *const first[] = { "ACTION", "DEVPATH", "SUBSYSTEM" };
	static char why[256];
	const char *p, *eq, *last = NULL;
	size_t klen;
	int i = 0;

	if (len <= 64 || msg[len - 1]) {
		snprintf(why, sizeof(why), "%d bytes, %s", len,
			 msg[len - 1] ? "cut short" : "too short");
		return why;
	}
	if (strncmp(msg, action, strlen(action)) ||
	    msg[strlen(action)] != '@' ||
	    strcmp(msg + strlen(action) + 1, devpath)) {
		snprintf(why, sizeof(why), "header '%s'", msg);
		return why;
	}
	for (p = msg + strlen(msg) + 1; p < msg + len; p += strlen(p) + 1) {
		eq = strchr(p, '=');
		if (!eq || eq == p) {
			snprintf(why, sizeof(why), "'%s' is no KEY=VALUE", p);
			return why;
		}
		klen = eq - p;
		if (i < 3 && (klen != strlen(first[i]) ||
			      strncmp(p, first[i], klen) ||
			      (i == 0 && strcmp(eq + 1, action)) ||
			      (i == 1 && strcmp(eq + 1, devpath)))) {
			snprintf(why, sizeof(why), "'%s' where %s belongs", p,
				 first[i]);
			return why;
		}
		last = p;
		i++;
	}
	if (i < 4 || strncmp(last, "SEQNUM=", 7) || !last[7] ||
	    strspn(last + 7, "0123456789") != strlen(last + 7)) {
		snprintf(why, sizeof(why), "'%s' last, not SEQNUM",
			 last ? last : "");
		return why;
	}
	return NULL;
}

enum uevent_kind { UNTAGGED, TAGGED, INJECTED };

/* Namespace 0 is the initial one, 1 the second one if there is one. */
struct listeners {
	int netns;		/* the second network namespace, or -1 */
	int priv[2];		/* root's listener in each namespace */
	int filt[2];		/* uid 1000's filtered listener */
	int len[2];
	char msg[2][MSG_MAX];	/* what root's listeners received */
	char buf[MSG_MAX];
};

FIXTURE(snaplen) {
	struct listeners l;
	bool dev_added;
	char ifname[IFNAMSIZ];
};

FIXTURE_VARIANT(snaplen) {
	int snaplen;
	enum uevent_kind kind;
	bool several;		/* listeners in a second namespace too */
	bool full;		/* the filtered listener never reads */
};

FIXTURE_VARIANT_ADD(snaplen, snap1_untagged_one_netns) {
	.snaplen = 1, .kind = UNTAGGED, .several = false,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_untagged_several_netns) {
	.snaplen = 1, .kind = UNTAGGED, .several = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_tagged_one_netns) {
	.snaplen = 1, .kind = TAGGED, .several = false,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_tagged_several_netns) {
	.snaplen = 1, .kind = TAGGED, .several = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_injected_one_netns) {
	.snaplen = 1, .kind = INJECTED, .several = false,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_injected_several_netns) {
	.snaplen = 1, .kind = INJECTED, .several = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap64_untagged_one_netns) {
	.snaplen = 64, .kind = UNTAGGED, .several = false,
};

FIXTURE_VARIANT_ADD(snaplen, snap64_untagged_several_netns) {
	.snaplen = 64, .kind = UNTAGGED, .several = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap64_tagged_one_netns) {
	.snaplen = 64, .kind = TAGGED, .several = false,
};

FIXTURE_VARIANT_ADD(snaplen, snap64_tagged_several_netns) {
	.snaplen = 64, .kind = TAGGED, .several = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap64_injected_one_netns) {
	.snaplen = 64, .kind = INJECTED, .several = false,
};

FIXTURE_VARIANT_ADD(snaplen, snap64_injected_several_netns) {
	.snaplen = 64, .kind = INJECTED, .several = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_untagged_filtered_full) {
	.snaplen = 1, .kind = UNTAGGED, .full = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_tagged_filtered_full) {
	.snaplen = 1, .kind = TAGGED, .full = true,
};

FIXTURE_VARIANT_ADD(snaplen, snap1_injected_filtered_full) {
	.snaplen = 1, .kind = INJECTED, .full = true,
};

/* For fork_in(): namespace @i of @l. */
static int ns_fd(const struct listeners *l, int i)
{
	return i ? l->netns : -1;
}

FIXTURE_SETUP(snaplen)
{
	struct listeners *l = &self->l;
	int flags = CLONE_NEWNET;
	int i, fd;

	l->netns = -1;
	for (i = 0; i < 2; i++) {
		l->priv[i] = -1;
		l->filt[i] = -1;
	}
	self->dev_added = false;
	if (geteuid())
		SKIP(return, "needs root");
	snprintf(self->ifname, sizeof(self->ifname), "uevsl%d",
		 (int)getpid());
	if (variant->several) {
		/* A child unshares it: root's, so untagged events reach it. */
		fd = fd_in(-1, open_netns, &flags);
		if (fd < 0 && ns_missing(-fd))
			SKIP(return, "no network namespaces: %s",
			     strerror(-fd));
		ASSERT_LE(0, fd) TH_LOG("network namespace: %s",
					strerror(-fd));
		l->netns = fd;
	}
	/* Root's listener first: the filtered one is delivered to first. */
	for (i = 0; i <= variant->several; i++) {
		l->priv[i] = fd_in(ns_fd(l, i), open_listener, NULL);
		ASSERT_LE(0, l->priv[i])
			TH_LOG("root's listener: %s", strerror(-l->priv[i]));
		l->filt[i] = fd_in(ns_fd(l, i), open_listener,
				   &variant->snaplen);
		ASSERT_LE(0, l->filt[i])
			TH_LOG("uid %d's listener: %s", UNPRIV_ID,
			       strerror(-l->filt[i]));
	}
}

/* A device in the second namespace goes away with the namespace. */
FIXTURE_TEARDOWN_PARENT(snaplen)
{
	char cmd[64];

	if (self->dev_added && !variant->several) {
		snprintf(cmd, sizeof(cmd), "ip link del %s", self->ifname);
		run(cmd);
	}
}

static void drain_all(struct listeners *l)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (l->priv[i] >= 0)
			drain(l->priv[i]);
		if (l->filt[i] >= 0)
			drain(l->filt[i]);
	}
}

/*
 * Empty every listener; with @full, then shrink the filtered listeners'
 * buffers and send events until netlink can queue nothing more to them,
 * as a listener that never reads would have it, and empty root's.
 */
static void prepare(struct __test_metadata *_metadata, struct listeners *l,
		    bool full)
{
	int zero = 0, i;

	drain_all(l);
	if (!full)
		return;
	for (i = 0; i < 2; i++)
		if (l->filt[i] >= 0)
			ASSERT_EQ(0, setsockopt(l->filt[i], SOL_SOCKET,
						SO_RCVBUF, &zero,
						sizeof(zero)));
	/* A few fill the smallest buffer; the rest find it full. */
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, write_str(NULL_UEVENT, "change"));
	for (i = 0; i < 2; i++)
		if (l->priv[i] >= 0)
			drain(l->priv[i]);
}

/*
 * In namespace @i, root's listener receives the whole message of
 * @action on @devpath (kept in l->msg[i]) and uid 1000's filtered
 * listener exactly its first @snaplen bytes; a @snaplen of 0 skips the
 * filtered listener, whose buffer is full.
 */
static void check_delivery(struct __test_metadata *_metadata,
			   struct listeners *l, int i, int snaplen,
			   const char *action, const char *devpath)
{
	const char *why;
	int len, cut = 0;

	len = next_action(l->priv[i], l->msg[i], action, devpath, 2000, &cut);
	EXPECT_EQ(0, cut)
		TH_LOG("namespace %d, root's listener: %d messages cut short",
		       i, cut);
	ASSERT_LT(0, len) TH_LOG("namespace %d: no %s@%s", i, action, devpath);
	l->len[i] = len;
	why = incomplete(l->msg[i], len, action, devpath);
	EXPECT_EQ(NULL, why)
		TH_LOG("namespace %d, root's listener: %s", i, why);

	if (!snaplen)
		return;
	len = next_snapped(l->filt[i], l->buf, l->msg[i], snaplen, 2000);
	EXPECT_EQ(snaplen, len)
		TH_LOG("namespace %d, filtered listener: %d bytes, want %d",
		       i, len, snaplen);
}

/* An event of the second namespace stays out of the initial one. */
static void check_stays(struct __test_metadata *_metadata,
			struct listeners *l, const char *devpath)
{
	/* Delivery is done when the second namespace's listener has it. */
	EXPECT_EQ(0, next_event(l->priv[0], l->buf, devpath, 0))
		TH_LOG("%s reached the initial namespace", l->buf);
}

/*
 * Untagged: a synthetic uevent reaches both namespaces (the second is
 * owned by the initial user namespace), the same bytes in each.
 * Tagged: a dummy network device added and removed in the namespace of
 * the last listeners.  Injected: root's message sent from there.
 * The _full variants first fill the filtered listener's buffer, as a
 * listener that never reads would: root's must still get every byte.
 */
TEST_F(snaplen, others_get_full_event)
{
	static const struct iovec payload = {
		.iov_base = (void *)inj_msg,
		.iov_len = sizeof(inj_msg),
	};
	char cmd[64], devpath[64], want[sizeof(inj_msg) + 32];
	int snap = variant->full ? 0 : variant->snaplen, t = variant->several;
	struct listeners *l = &self->l;
	const char *seq;
	int i, n;

	switch (variant->kind) {
	case UNTAGGED:
		prepare(_metadata, l, variant->full);
		ASSERT_EQ(0, write_str(NULL_UEVENT, "change"));
		for (i = 0; i <= variant->several; i++)
			check_delivery(_metadata, l, i, snap, "change",
				       NULL_PATH);
		if (variant->several) {
			ASSERT_EQ(l->len[0], l->len[1]);
			EXPECT_EQ(0, memcmp(l->msg[0], l->msg[1],
					    l->len[0]));
		}
		break;
	case TAGGED:
		snprintf(devpath, sizeof(devpath), "/devices/virtual/net/%s",
			 self->ifname);
		snprintf(cmd, sizeof(cmd), "ip link add %s type dummy",
			 self->ifname);
		prepare(_metadata, l, variant->full);
		if (status_in(ns_fd(l, t), run_cmd, cmd))
			SKIP(return, "cannot add a dummy network device");
		self->dev_added = true;
		check_delivery(_metadata, l, t, snap, "add", devpath);
		if (t)
			check_stays(_metadata, l, devpath);

		snprintf(cmd, sizeof(cmd), "ip link del %s", self->ifname);
		prepare(_metadata, l, variant->full);
		ASSERT_EQ(0, status_in(ns_fd(l, t), run_cmd, cmd));
		self->dev_added = false;
		check_delivery(_metadata, l, t, snap, "remove", devpath);
		if (t)
			check_stays(_metadata, l, devpath);
		break;
	case INJECTED:
		prepare(_metadata, l, variant->full);
		ASSERT_EQ(0, status_in(ns_fd(l, t), inject_iov, &payload));
		check_delivery(_metadata, l, t, snap, "change", INJ_PATH);
		/* The kernel appends "SEQNUM=n" to what was injected. */
		seq = prop(l->msg[t], l->len[t], "SEQNUM");
		ASSERT_NE(NULL, seq);
		memcpy(want, inj_msg, sizeof(inj_msg));
		n = sizeof(inj_msg) + 1 +
		    snprintf(want + sizeof(inj_msg),
			     sizeof(want) - sizeof(inj_msg), "SEQNUM=%s", seq);
		ASSERT_EQ(n, l->len[t]);
		EXPECT_EQ(0, memcmp(want, l->msg[t], n));
		if (t)
			check_stays(_metadata, l, INJ_PATH);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Ordering                                                            */

#define WRITERS		4
#define EVENTS		200000
#define ORDER_DEV	"uevord0"
#define ORDER_UEVENT	"/sys/class/net/" ORDER_DEV "/uevent"
#define ORDER_FMT	"%d writers, %d events, %llu received, %llu out of order, %llu gaps, %llu ENOBUFS\n"

static void *writer(void *arg)
{
	long *failures = arg;
	int fd = open(ORDER_UEVENT, O_WRONLY | O_CLOEXEC);
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
 *
 * The events are for a dummy network device in a network namespace of
 * the test's own, so only listeners there receive them: a device
 * manager running on the machine never sees the 200,000 events.  The
 * test process has its own mount namespace too, with a sysfs that shows
 * the namespace's devices; both go away when it exits.
 */
TEST_F_TIMEOUT(events, ordering_under_concurrent_writers, 900)
{
	long failures[WRITERS] = { };
	unsigned long long last = 0, seq, received = 0, disorder = 0;
	unsigned long long gaps = 0, enobufs = 0;
	pthread_t tid[WRITERS];
	char *buf = self->buf;
	const char *v;
	int i, len, fd;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		SKIP(return, "no namespaces: %s", strerror(errno));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("sysfs", "/sys", "sysfs", 0, NULL));
	fd = listen_uevents();
	ASSERT_LE(0, fd) TH_LOG("uevent socket: %s", strerror(errno));
	if (run("ip link add " ORDER_DEV " type dummy"))
		SKIP(return, "cannot add a dummy network device");
	for (i = 0; i < WRITERS; i++)
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, writer,
					    &failures[i]));

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
	close(fd);
	ksft_print_msg(ORDER_FMT, WRITERS, EVENTS, received, disorder, gaps,
		       enobufs);
	EXPECT_LE(EVENTS, received + (enobufs ? EVENTS : 0));
	EXPECT_EQ(0, disorder);
	if (!enobufs)
		EXPECT_EQ(0, gaps);
}

/* ------------------------------------------------------------------ */
/* An unprivileged flood in namespaces of its own                      */

#define FLOOD_SOCKETS	64
#define FLOOD_PAYLOAD	1900
#define FLOOD_EVENTS	2000

/*
 * The flooder: uid UNPRIV_ID without groups, in a user and a network
 * namespace of its own, where it has CAP_SYS_ADMIN.  It opens
 * FLOOD_SOCKETS uevent listeners with tiny receive buffers and socket
 * filters of BPF_MAXINSNS instructions, never reads them, and injects
 * FLOOD_PAYLOAD-byte messages until it is killed, counting them in
 * *@count.  It writes one byte to @ready once flooding (or exits).
 */
static void flood(unsigned long *count, int ready)
{
	static struct sock_filter insns[BPF_MAXINSNS];
	struct sock_fprog prog = { .len = BPF_MAXINSNS, .filter = insns };
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	static char payload[FLOOD_PAYLOAD];
	int i, fd, small = 1;

	for (i = 0; i < BPF_MAXINSNS - 1; i++)
		insns[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0);
	insns[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	snprintf(payload, sizeof(payload), "change@/devices/virtual/uevtest");
	memset(payload + 30, 'x', sizeof(payload) - 31);

	if (setgroups(0, NULL) ||
	    setresgid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID) ||
	    setresuid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID))
		_exit(10);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		_exit(ns_missing(errno) || errno == EPERM ? CHILD_NO_NS : 11);
	for (i = 0; i < FLOOD_SOCKETS; i++) {
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			    NETLINK_KOBJECT_UEVENT);
		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small,
			       sizeof(small)) ||
		    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			       sizeof(prog)) ||
		    bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
			_exit(12);
	}
	if (inject(payload, sizeof(payload)))
		_exit(13);
	__atomic_fetch_add(count, 1, __ATOMIC_RELAXED);
	if (write(ready, "r", 1) != 1)
		_exit(14);
	for (;;) {
		if (inject(payload, sizeof(payload)))
			_exit(15);
		__atomic_fetch_add(count, 1, __ATOMIC_RELAXED);
	}
}

static void *flood_writer(void *arg)
{
	long *failures = arg;
	int fd = open(ORDER_UEVENT, O_WRONLY | O_CLOEXEC);
	int i;

	for (i = 0; i < FLOOD_EVENTS; i++)
		if (fd < 0 || pwrite(fd, "change", 6, 0) != 6)
			(*failures)++;
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * While an unprivileged user floods its own namespaces with injected
 * messages that its 64 filtered, never-read sockets must all examine, a
 * writer elsewhere sends FLOOD_EVENTS synthetic events.  The listener
 * must get every one of them, in order, and the flooder must have been
 * injecting all along (its count grows while the writer runs): nothing
 * here depends on how fast either side is.  The writer's events are for
 * a dummy device in a private network namespace owned by the initial
 * user namespace, like those the ordering test uses; the cost of the
 * flood to the writer is a benchmark row, not a test.
 */
TEST_F_TIMEOUT(events, writer_unaffected_by_unprivileged_flood, 600)
{
	unsigned long long last = 0, seq, received = 0, disorder = 0;
	unsigned long before, during;
	unsigned long *count;
	long failures = 0;
	int i, len, fd, status, pipefd[2];
	pthread_t tid;
	const char *v;
	pid_t pid;
	char byte;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		SKIP(return, "no namespaces: %s", strerror(errno));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("sysfs", "/sys", "sysfs", 0, NULL));
	fd = listen_uevents();
	ASSERT_LE(0, fd) TH_LOG("uevent socket: %s", strerror(errno));
	if (run("ip link add " ORDER_DEV " type dummy"))
		SKIP(return, "cannot add a dummy network device");

	count = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, count);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		close(fd);
		flood(count, pipefd[1]);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &byte, 1) != 1) {
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_NO_NS)
			SKIP(return, "no unprivileged user namespaces");
		ASSERT_TRUE(0) TH_LOG("flooder failed: status %#x", status);
	}
	drain(fd);

	before = __atomic_load_n(count, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_create(&tid, NULL, flood_writer, &failures));
	for (i = 0; i < FLOOD_EVENTS; i++) {
		len = next_event(fd, self->buf, NULL, 30000);
		if (len <= 0)
			break;
		v = prop(self->buf, len, "SEQNUM");
		if (!v) {
			i--;
			continue;
		}
		seq = strtoull(v, NULL, 10);
		if (last && seq <= last)
			disorder++;
		last = seq;
		received++;
	}
	pthread_join(tid, NULL);
	during = __atomic_load_n(count, __ATOMIC_RELAXED);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fd);

	ksft_print_msg("%llu/%d received, %llu out of order, injected %lu+%lu\n",
		       received, FLOOD_EVENTS, disorder, before,
		       during - before);
	EXPECT_EQ(0, failures);
	EXPECT_EQ(FLOOD_EVENTS, received);
	EXPECT_EQ(0, disorder);
	EXPECT_LT(0, before);
	EXPECT_LT(before, during);
}

/* ------------------------------------------------------------------ */
/* Allocation failures                                                 */

/*
 * What the failslab test sets, in this order, and restores in the
 * reverse order: failures are quiet, only fail-nth injects them (and
 * does not count "times" down), any cache may fail, and, last,
 * allocations that may sleep can fail too.
 */
static const struct {
	const char *file;
	const char *value;
} failslab_knobs[] = {
	{ "verbose", "0" },
	{ "times", "-1" },
	{ "interval", "1" },
	{ "probability", "0" },
	{ "cache-filter", "N" },
	{ "ignore-gfp-wait", "N" },
};

#define MAX_NTH		256
#define KNOB_MAX	32

FIXTURE(failslab) {
	int fd;
	bool mounted;		/* debugfs was mounted by the test */
	int changed;		/* failslab_knobs[] written, saved[] to restore */
	char saved[ARRAY_SIZE(failslab_knobs)][KNOB_MAX];
	char buf[MSG_MAX];
};

FIXTURE_SETUP(failslab)
{
	struct statfs st;
	char helper[512];

	self->fd = -1;
	self->mounted = false;
	self->changed = 0;
	if (geteuid())
		SKIP(return, "needs root");
	if (access("/proc/self/fail-nth", F_OK))
		SKIP(return, "no /proc/self/fail-nth (CONFIG_FAULT_INJECTION)");
	/* Starting the helper can fail after the event went out. */
	if (read_text(HELPER_SYSFS, helper, sizeof(helper)) > 1)
		SKIP(return, "a uevent helper is set");
	self->fd = listen_uevents();
	ASSERT_LE(0, self->fd) TH_LOG("uevent socket: %s", strerror(errno));
	if (statfs(DEBUGFS, &st) || st.f_type != DEBUGFS_MAGIC) {
		if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
			SKIP(return, "cannot mount debugfs on " DEBUGFS ": %s",
			     strerror(errno));
		self->mounted = true;
	}
	if (access(FAILSLAB, F_OK)) {
		/* No teardown after a skipped setup. */
		if (self->mounted)
			umount2(DEBUGFS, MNT_DETACH);
		self->mounted = false;
		SKIP(return, "no " FAILSLAB " (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	}
}

/*
 * Write back the first *@changed failslab_knobs[] from @saved, the last
 * one first, and count *@changed down; 0 or the first -errno.
 */
static int restore_failslab(int *changed, char saved[][KNOB_MAX])
{
	char path[96];
	int ret, err = 0;

	while (*changed > 0) {
		--*changed;
		snprintf(path, sizeof(path), FAILSLAB "/%s",
			 failslab_knobs[*changed].file);
		ret = write_str(path, saved[*changed]);
		if (ret && !err)
			err = ret;
	}
	return err;
}

FIXTURE_TEARDOWN_PARENT(failslab)
{
	restore_failslab(&self->changed, self->saved);
	if (self->mounted)
		umount2(DEBUGFS, MNT_DETACH);
}

/*
 * Fail the 1st, 2nd, ... slab allocation of writing "change" to a
 * uevent file, through fail-nth, until the write gets through.  A
 * write that fails must fail with ENOMEM and send nothing: no event,
 * the same SEQNUM.  A write that succeeds sends its event once, or,
 * when the copy for this listener could not be made, the listener's
 * socket reports ENOBUFS.
 */
TEST_F(failslab, synthetic_alloc_failure)
{
	char path[96], num[16], before[32], after[32];
	unsigned int nth, errors = 0, overruns = 0;
	int nth_fd, fd, len, n, err;
	bool reached;
	ssize_t ret;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(failslab_knobs); i++) {
		snprintf(path, sizeof(path), FAILSLAB "/%s",
			 failslab_knobs[i].file);
		n = read_text(path, self->saved[i], sizeof(self->saved[i]));
		ASSERT_LT(0, n) TH_LOG("%s: %s", path, strerror(-n));
	}
	for (i = 0; i < ARRAY_SIZE(failslab_knobs); i++) {
		snprintf(path, sizeof(path), FAILSLAB "/%s",
			 failslab_knobs[i].file);
		self->changed = i + 1;
		n = write_str(path, failslab_knobs[i].value);
		ASSERT_EQ(0, n) TH_LOG("%s: %s", path, strerror(-n));
	}
	nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth_fd) TH_LOG(FAIL_NTH ": %s", strerror(errno));

	for (nth = 1; nth < MAX_NTH; nth++) {
		drain(self->fd);
		ASSERT_LT(0, read_text(SEQNUM_SYSFS, before, sizeof(before)));
		fd = open(NULL_UEVENT, O_WRONLY | O_CLOEXEC);
		ASSERT_LE(0, fd) TH_LOG(NULL_UEVENT ": %s", strerror(errno));

		/* Fail the nth allocation from here on, in this thread. */
		n = snprintf(num, sizeof(num), "%u", nth);
		ASSERT_EQ(n, write(nth_fd, num, n));
		ret = write(fd, "change", 6);
		err = errno;
		/* 0 if the nth allocation was reached, and failed. */
		n = pread(nth_fd, num, sizeof(num) - 1, 0);
		ASSERT_EQ(1, write(nth_fd, "0", 1));
		close(fd);
		ASSERT_LT(0, n);
		num[n] = '\0';
		reached = !strtoul(num, NULL, 10);
		ASSERT_LT(0, read_text(SEQNUM_SYSFS, after, sizeof(after)));

		if (ret < 0) {
			errors++;
			EXPECT_EQ(ENOMEM, err) TH_LOG("nth %u: %s", nth,
						      strerror(err));
			EXPECT_TRUE(reached) TH_LOG("nth %u", nth);
			len = next_event(self->fd, self->buf, NULL_PATH, 100);
			EXPECT_EQ(0, len) TH_LOG("nth %u: an event was sent",
						 nth);
			EXPECT_STREQ(before, after) TH_LOG("nth %u", nth);
		} else {
			EXPECT_EQ(6, ret) TH_LOG("nth %u", nth);
			len = next_event(self->fd, self->buf, NULL_PATH, 2000);
			if (len == -ENOBUFS && reached) {
				overruns++;
			} else {
				EXPECT_LT(0, len)
					TH_LOG("nth %u: no event: %s", nth,
					       len ? strerror(-len) : "timeout");
				len = next_event(self->fd, self->buf,
						 NULL_PATH, 100);
				EXPECT_EQ(0, len)
					TH_LOG("nth %u: a second event", nth);
			}
		}
		/* Fewer than nth allocations: the write went through. */
		if (!reached)
			break;
	}
	close(nth_fd);
	ksft_print_msg("%u allocation points: %u failed the write, %u overran the listener\n",
		       nth - 1, errors, overruns);
	EXPECT_GT(MAX_NTH, nth) TH_LOG("still failing at nth %u", nth);
	EXPECT_LT(0, errors);

	n = restore_failslab(&self->changed, self->saved);
	EXPECT_EQ(0, n) TH_LOG("restoring failslab: %s", strerror(-n));
}

/* ------------------------------------------------------------------ */
/* Superblock events (CONFIG_SB_UEVENT)                                */

#define SB_UUID		"4a7c1f2e-93b0-4d5e-8f61-2c3b4a5d6e7f"

/*
 * Whether the running kernel was built with CONFIG_SB_UEVENT=y, read
 * from /proc/config.gz or else /boot/config-RELEASE: 1 yes, 0 no, -1
 * when neither can be read.
 */
static int sb_uevent_configured(void)
{
	int found = 0, lines = 0;
	struct utsname u;
	char line[256];
	FILE *f = NULL;
	bool gz;

	gz = !access("/proc/config.gz", R_OK);
	if (gz) {
		f = popen("zcat /proc/config.gz 2>/dev/null", "r");
	} else if (!uname(&u)) {
		snprintf(line, sizeof(line), "/boot/config-%s", u.release);
		f = fopen(line, "re");
	}
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		lines++;
		if (!strcmp(line, "CONFIG_SB_UEVENT=y\n"))
			found = 1;
	}
	if (gz)
		pclose(f);
	else
		fclose(f);
	return lines ? found : -1;
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
}

/*
 * Write an empty FAT12 file system, a 1.44 MB floppy, to @fd: no
 * formatting tool needed.  Its 4-byte serial number is no UUID.
 */
static int write_fat12(int fd)
{
	static const unsigned char fat[] = { 0xf0, 0xff, 0xff };
	unsigned char bs[512] = { 0xeb, 0x3c, 0x90 };

	memcpy(bs + 3, "MSWIN4.1", 8);
	put16(bs + 11, 512);		/* bytes per sector */
	bs[13] = 1;			/* sectors per cluster */
	put16(bs + 14, 1);		/* reserved sectors */
	bs[16] = 2;			/* FATs */
	put16(bs + 17, 224);		/* root directory entries */
	put16(bs + 19, 2880);		/* sectors */
	bs[21] = 0xf0;			/* media */
	put16(bs + 22, 9);		/* sectors per FAT */
	put16(bs + 24, 18);		/* sectors per track */
	put16(bs + 26, 2);		/* heads */
	bs[38] = 0x29;			/* extended boot signature */
	memcpy(bs + 39, "\x78\x56\x34\x12", 4);
	memcpy(bs + 43, "NO NAME    FAT12   ", 19);
	bs[510] = 0x55;
	bs[511] = 0xaa;
	if (pwrite(fd, bs, sizeof(bs), 0) != sizeof(bs) ||
	    pwrite(fd, fat, sizeof(fat), 512) != sizeof(fat) ||
	    pwrite(fd, fat, sizeof(fat), 10 * 512) != sizeof(fat) ||
	    ftruncate(fd, 2880 * 512))
		return -1;
	return 0;
}

FIXTURE(superblock) {
	int fd;			/* uevent socket */
	int loop;		/* the loop device, cleared on last close */
	int on;			/* CONFIG_SB_UEVENT */
	char dir[64];
	char img[96];
	char dev[32];
	char devpath[64];
	char header[80];
	char vars[6][80];	/* DEVPATH, MAJOR, MINOR, DEVNAME, DISKSEQ, UUID */
	char buf[MSG_MAX];
};

FIXTURE_VARIANT(superblock) {
	const char *fstype;
	bool uuid;		/* a 16-byte UUID */
};

FIXTURE_VARIANT_ADD(superblock, vfat) {
	.fstype = "vfat",
	.uuid = false,
};

FIXTURE_VARIANT_ADD(superblock, gfs2) {
	.fstype = "gfs2",
	.uuid = true,
};

/* Whether /proc/filesystems lists @fstype; it may still be a module. */
static bool fs_listed(const char *fstype)
{
	char line[128], want[64];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "re");

	if (!f)
		return false;
	snprintf(want, sizeof(want), "\t%s\n", fstype);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, want))
			found = true;
	fclose(f);
	return found;
}

/*
 * Attach @img to a free loop device, cleared when @self->loop closes.
 * (@self is FIXTURE_DATA(superblock), spelt out for checkpatch.)
 */
static int sb_attach(struct _test_data_superblock *self)
{
	struct loop_config cfg = { .info.lo_flags = LO_FLAGS_AUTOCLEAR };
	unsigned long long seq;
	struct stat st;
	int ctl, n, ret;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	ret = -errno;
	close(ctl);
	if (n < 0)
		return ret;
	snprintf(self->dev, sizeof(self->dev), "/dev/loop%d", n);
	ctl = open(self->dev, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	cfg.fd = open(self->img, O_RDWR | O_CLOEXEC);
	ret = cfg.fd < 0 || ioctl(ctl, LOOP_CONFIGURE, &cfg) ? -errno : 0;
	if (cfg.fd >= 0)
		close(cfg.fd);
	/*
	 * Keep it open read-only: a writer would make mounts fail with
	 * CONFIG_BLK_DEV_WRITE_MOUNTED=n.
	 */
	if (!ret) {
		self->loop = open(self->dev, O_RDONLY | O_CLOEXEC);
		ret = self->loop < 0 ? -errno : 0;
	}
	close(ctl);
	if (ret)
		return ret;
	if (fstat(self->loop, &st) || ioctl(self->loop, BLKGETDISKSEQ, &seq))
		return -errno;
	snprintf(self->devpath, sizeof(self->devpath),
		 "/devices/virtual/block/loop%d", n);
	snprintf(self->header, sizeof(self->header), "change@%s",
		 self->devpath);
	snprintf(self->vars[0], 80, "DEVPATH=%s", self->devpath);
	snprintf(self->vars[1], 80, "MAJOR=%u", major(st.st_rdev));
	snprintf(self->vars[2], 80, "MINOR=%u", minor(st.st_rdev));
	snprintf(self->vars[3], 80, "DEVNAME=loop%d", n);
	snprintf(self->vars[4], 80, "DISKSEQ=%llu", seq);
	return 0;
}

FIXTURE_SETUP(superblock)
{
	char cmd[256];
	int fd, ret;

	self->fd = -1;
	self->loop = -1;
	self->dir[0] = '\0';
	self->img[0] = '\0';
	if (geteuid())
		SKIP(return, "needs root");
	self->on = sb_uevent_configured();
	if (self->on < 0)
		SKIP(return, "no kernel config to tell if CONFIG_SB_UEVENT is set");
	if (!self->on)
		TH_LOG("CONFIG_SB_UEVENT is not set: no superblock event may arrive");
	if (!fs_listed(variant->fstype))
		SKIP(return, "no %s file system", variant->fstype);
	if (access("/dev/loop-control", R_OK | W_OK))
		SKIP(return, "no /dev/loop-control");
	/* Mounts stay in this test's own mount namespace. */
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));

	ASSERT_EQ(0, private_dir(self->dir, sizeof(self->dir)));
	snprintf(self->img, sizeof(self->img), "%s/fs.img", self->dir);
	fd = create_private(self->img, 0600);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", self->img, strerror(errno));
	if (!strcmp(variant->fstype, "vfat")) {
		ret = write_fat12(fd);
		close(fd);
		ASSERT_EQ(0, ret);
	} else {
		ret = ftruncate(fd, 32 << 20);
		close(fd);
		ASSERT_EQ(0, ret);
		snprintf(cmd, sizeof(cmd),
			 "mkfs.gfs2 -O -q -p lock_nolock -t uevent:sb -j 1 -J 8 -U %s %s >/dev/null 2>&1",
			 SB_UUID, self->img);
		if (run(cmd))
			SKIP(return, "mkfs.gfs2 failed or is missing");
	}
	snprintf(self->vars[5], 80, "UUID=%s", SB_UUID);
	for (ret = 0; ret < 3; ret++) {
		snprintf(cmd, sizeof(cmd), "%s/m%d", self->dir, ret);
		ASSERT_EQ(0, mkdir(cmd, 0700));
	}

	self->fd = listen_uevents();
	ASSERT_LE(0, self->fd) TH_LOG("uevent socket: %s", strerror(errno));
	ret = sb_attach(self);
	ASSERT_EQ(0, ret) TH_LOG("loop device: %s", strerror(-ret));
}

FIXTURE_TEARDOWN_PARENT(superblock)
{
	char path[128];
	int i;

	if (self->img[0])
		unlink(self->img);
	for (i = 0; self->dir[0] && i < 3; i++) {
		snprintf(path, sizeof(path), "%s/m%d", self->dir, i);
		rmdir(path);
	}
	if (self->dir[0])
		rmdir(self->dir);
}

/* Next message about the loop device with SB_EVENT, or 0 after @ms. */
static int next_sb_event(struct _test_data_superblock *self, int ms)
{
	int len;

	while ((len = next_event(self->fd, self->buf, self->devpath, ms)) > 0)
		if (prop(self->buf, len, "SB_EVENT"))
			return len;
	return len;
}

static int sb_mount(struct _test_data_superblock *self, int i, const char *fstype,
		    unsigned long flags)
{
	char dir[80];

	snprintf(dir, sizeof(dir), "%s/m%d", self->dir, i);
	return mount(self->dev, dir, fstype, flags, NULL) ? -errno : 0;
}

static int sb_umount(struct _test_data_superblock *self, int i)
{
	char dir[80];

	snprintf(dir, sizeof(dir), "%s/m%d", self->dir, i);
	return umount(dir) ? -errno : 0;
}

/*
 * Check the next superblock event: SB_EVENT=@event with FSTYPE=@fstype,
 * the test's UUID if @uuid and @ro; none at all with the option off.
 * Returns NULL or what is wrong.
 */
static const char *sb_event_diff(struct _test_data_superblock *self,
				 const char *fstype, bool uuid,
				 const char *event, const char *ro)
{
	const char *vars[14];
	char ev[32], fs[32];
	int len, n = 0;

	len = next_sb_event(self, 2000);
	if (!self->on)
		return len ? "an event with CONFIG_SB_UEVENT off" : NULL;
	if (len <= 0)
		return len ? strerror(-len) : "no event";
	snprintf(ev, sizeof(ev), "SB_EVENT=%s", event);
	snprintf(fs, sizeof(fs), "FSTYPE=%s", fstype);
	vars[n++] = "ACTION=change";
	vars[n++] = self->vars[0];
	vars[n++] = "SUBSYSTEM=block";
	vars[n++] = ev;
	vars[n++] = fs;
	if (uuid)
		vars[n++] = self->vars[5];
	vars[n++] = ro;
	vars[n++] = self->vars[1];
	vars[n++] = self->vars[2];
	vars[n++] = self->vars[3];
	vars[n++] = "DEVTYPE=disk";
	vars[n++] = self->vars[4];
	vars[n] = NULL;
	return diff_event(self->buf, len, self->header, vars);
}

#define EXPECT_SB_EVENT(event, ro) do {					\
	const char *_ev = (event);					\
	const char *_why = sb_event_diff(self, variant->fstype,		\
					 variant->uuid, _ev, (ro));	\
	EXPECT_EQ(NULL, _why) TH_LOG("SB_EVENT=%s: %s", _ev, _why);	\
} while (0)

/* The first mount activates, the last unmount deactivates. */
TEST_F(superblock, mount_umount)
{
	int ret;

	ret = sb_mount(self, 0, variant->fstype, 0);
	ASSERT_EQ(0, ret) TH_LOG("mount: %s", strerror(-ret));
	EXPECT_SB_EVENT("activate", "RO=0");
	ret = sb_umount(self, 0);
	ASSERT_EQ(0, ret) TH_LOG("umount: %s", strerror(-ret));
	EXPECT_SB_EVENT("deactivate", "RO=0");
	EXPECT_EQ(0, next_sb_event(self, 500));
}

/* A read-only file system says so in both events. */
TEST_F(superblock, read_only)
{
	int ret;

	ret = sb_mount(self, 0, variant->fstype, MS_RDONLY);
	ASSERT_EQ(0, ret) TH_LOG("mount: %s", strerror(-ret));
	EXPECT_SB_EVENT("activate", "RO=1");
	ret = sb_umount(self, 0);
	ASSERT_EQ(0, ret) TH_LOG("umount: %s", strerror(-ret));
	EXPECT_SB_EVENT("deactivate", "RO=1");
}

/*
 * The events follow the superblock: a second mount and a bind mount of
 * an active file system send nothing, nor does unmounting them.
 */
TEST_F(superblock, second_and_bind_mount)
{
	char from[80], to[80];
	int ret;

	ret = sb_mount(self, 0, variant->fstype, 0);
	ASSERT_EQ(0, ret) TH_LOG("mount: %s", strerror(-ret));
	EXPECT_SB_EVENT("activate", "RO=0");

	ret = sb_mount(self, 1, variant->fstype, 0);
	ASSERT_EQ(0, ret) TH_LOG("second mount: %s", strerror(-ret));
	snprintf(from, sizeof(from), "%s/m0", self->dir);
	snprintf(to, sizeof(to), "%s/m2", self->dir);
	ASSERT_EQ(0, mount(from, to, NULL, MS_BIND, NULL));
	EXPECT_EQ(0, sb_umount(self, 0));
	EXPECT_EQ(0, sb_umount(self, 2));
	EXPECT_EQ(0, next_sb_event(self, 500))
		TH_LOG("an event for a second or bind mount");

	ret = sb_umount(self, 1);
	ASSERT_EQ(0, ret) TH_LOG("last umount: %s", strerror(-ret));
	EXPECT_SB_EVENT("deactivate", "RO=0");
}

/*
 * Next event about a file system's own object below /sys/fs (GFS2's
 * /fs/gfs2/TABLE), or 0 after @ms.
 */
static int next_fs_event(struct _test_data_superblock *self, int ms)
{
	const char *at;
	int len;

	while ((len = next_event(self->fd, self->buf, NULL, ms)) > 0) {
		at = strchr(self->buf, '@');
		if (at && !strncmp(at + 1, "/fs/", 4))
			return len;
	}
	return len;
}

#define GFS2_DEVPATH	"/fs/gfs2/uevent:sb"
#define GFS2_HOOK	"LOCKTABLE=uevent:sb", "LOCKPROTO=lock_nolock",	\
			"UUID=4A7C1F2E-93B0-4D5E-8F61-2C3B4A5D6E7F"

#define GFS2_CORE	"DEVPATH=" GFS2_DEVPATH, "SUBSYSTEM=gfs2"

/* The next event not about the loop device is @header and the rest. */
#define EXPECT_GFS2_EVENT(header, ...) do {				\
	const char *_fs_hdr = (header);					\
	int _len = next_fs_event(self, 2000);				\
									\
	ASSERT_LT(0, _len) TH_LOG("no %s", _fs_hdr);			\
	EXPECT_EVENT(self->buf, _len, _fs_hdr, __VA_ARGS__);		\
} while (0)

/*
 * The file system's own events.  FAT sends none.  GFS2 announces its
 * object in /sys/fs/gfs2, the recovery of its journal, the end of the
 * first mount and that it is online; a withdraw sends offline and the
 * unmount remove.  Each carries the hook's LOCKTABLE, LOCKPROTO and
 * UUID after the caller's variables, and no JOURNALID: lock_nolock
 * never gives one.  Recovering another node's journal and the lock_dlm
 * events need a cluster.
 */
TEST_F(superblock, fs_own_events)
{
	bool gfs2 = !strcmp(variant->fstype, "gfs2");
	int ret;

	ret = sb_mount(self, 0, variant->fstype, 0);
	ASSERT_EQ(0, ret) TH_LOG("mount: %s", strerror(-ret));
	if (gfs2) {
		EXPECT_GFS2_EVENT("add@" GFS2_DEVPATH, "ACTION=add", GFS2_CORE,
				  "RDONLY=0", "SPECTATOR=0", GFS2_HOOK);
		EXPECT_GFS2_EVENT("change@" GFS2_DEVPATH, "ACTION=change",
				  GFS2_CORE, "JID=0", "RECOVERY=Done",
				  GFS2_HOOK);
		EXPECT_GFS2_EVENT("change@" GFS2_DEVPATH, "ACTION=change",
				  GFS2_CORE, "FIRSTMOUNT=Done", GFS2_HOOK);
		EXPECT_GFS2_EVENT("online@" GFS2_DEVPATH, "ACTION=online",
				  GFS2_CORE, "RDONLY=0", "SPECTATOR=0",
				  GFS2_HOOK);
		EXPECT_EQ(0, write_str("/sys" GFS2_DEVPATH "/withdraw", "1"));
		EXPECT_GFS2_EVENT("offline@" GFS2_DEVPATH, "ACTION=offline",
				  GFS2_CORE, GFS2_HOOK);
	}
	EXPECT_EQ(0, next_fs_event(self, 500)) TH_LOG("an extra event");
	ret = sb_umount(self, 0);
	ASSERT_EQ(0, ret) TH_LOG("umount: %s", strerror(-ret));
	if (gfs2)
		EXPECT_GFS2_EVENT("remove@" GFS2_DEVPATH, "ACTION=remove",
				  GFS2_CORE, GFS2_HOOK);
	EXPECT_EQ(0, next_fs_event(self, 500)) TH_LOG("an extra event");
}

TEST_HARNESS_MAIN

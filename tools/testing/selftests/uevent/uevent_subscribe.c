// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of uevent subscriptions (NETLINK_UEVENT_SUBSCRIBE) as user space
 * sees them: an unprivileged process sets, reads back and clears a set,
 * and malformed sets fail whole; and a listener subscribed to "block"
 * with a small receive buffer gets every block event and no ENOBUFS
 * while 100,000 "net" events pass, where a listener without a set and
 * the same buffer overflows.
 *
 * Safe to run on a developer's machine.  The 100,000 events are
 * synthetic "change" events of the loopback device of a network
 * namespace of the test's own (with a mount namespace and a sysfs of
 * its own), so only listeners of that namespace receive them.  The
 * block events are 20 synthetic "change" events of a loop device,
 * carrying the test's SYNTH_UUID; a device manager on the machine sees
 * them as it sees "udevadm trigger --action=change" of that device.  The storm pushes
 * older events out of /dev/uevent, as any burst of events would.
 *
 * Skips what the kernel lacks: the option (ENOPROTOOPT), namespaces,
 * root for the storm, a loop device.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "../kselftest_harness.h"

/*
 * The ABI, written out as include/uapi/linux/uevent.h and
 * linux/netlink.h define it: the selftests are built without the
 * tree's installed headers, and a copy under names of its own checks
 * the ABI rather than whatever headers the build machine has.
 */
#define SUBSCRIBE_OPT		13	/* NETLINK_UEVENT_SUBSCRIBE */
#define SUB_MAX			32	/* UEVENT_SUB_MAX */
#define SUB_NAME_LEN		64	/* UEVENT_SUB_NAME_LEN */
#define SUB_ADD			0x01U	/* UEVENT_SUB_ADD */
#define SUB_REMOVE		0x02U	/* UEVENT_SUB_REMOVE */
#define SUB_ACTIONS		0xffU	/* UEVENT_SUB_ACTIONS */

struct sub {			/* struct uevent_sub */
	char		subsystem[SUB_NAME_LEN];
	char		devtype[SUB_NAME_LEN];
	uint32_t	actions;
	uint32_t	flags;
};

static_assert(sizeof(struct sub) == 136, "struct uevent_sub is ABI");

#define MSG_MAX		8192
#define NOBODY		65534
#define SMALL_BUF	65536
#define NET_EVENTS	100000
#define BLOCK_EVERY	5000
#define BLOCK_EVENTS	(NET_EVENTS / BLOCK_EVERY)
#define NET_UUID	"8b3c0a9e-1111-4d6f-9a55-0c2a6f0d7e01"
#define BLOCK_UUID	"8b3c0a9e-2222-4d6f-9a55-0c2a6f0d7e02"
#define LO_UEVENT	"/sys/class/net/lo/uevent"

/*
 * A group-1 listener with a receive buffer of @size bytes (0: the
 * default), subscribed to @n entries at @subs before it binds, or
 * -errno.
 */
static int listener(int size, const struct sub *subs, int n)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	if ((size && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				sizeof(size))) ||
	    (n && setsockopt(fd, SOL_NETLINK, SUBSCRIBE_OPT, subs,
			     n * sizeof(*subs))) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

static struct sub entry(const char *subsystem, unsigned int actions)
{
	struct sub e;

	memset(&e, 0, sizeof(e));
	snprintf(e.subsystem, sizeof(e.subsystem), "%s", subsystem);
	e.actions = actions;
	return e;
}

/* setsockopt() of the option: 0 or -errno. */
static int set_subs(int fd, const void *subs, socklen_t len)
{
	return setsockopt(fd, SOL_NETLINK, SUBSCRIBE_OPT, subs,
			  len) ? -errno : 0;
}

/* getsockopt() of the option into @subs: the size it reports, or -errno. */
static int get_subs(int fd, void *subs, socklen_t room)
{
	socklen_t len = room;

	if (getsockopt(fd, SOL_NETLINK, SUBSCRIBE_OPT, subs, &len))
		return -errno;
	return len;
}

/* The value of variable @key in the uevent @msg of @len bytes, or NULL. */
static const char *var(const char *msg, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p;

	for (p = msg + strlen(msg) + 1; p < msg + len; p += strlen(p) + 1)
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
	return NULL;
}

TEST(sockopt_abi)
{
	struct sub old = entry("block", SUB_ADD |
				      SUB_REMOVE);
	struct sub many[SUB_MAX + 1], got[2];
	int fd, route, i;
	socklen_t len;
	long page;
	char *map;

	/* Anyone who may open the socket may subscribe it. */
	if (geteuid() == 0)
		ASSERT_EQ(0, setresuid(NOBODY, NOBODY, NOBODY));
	fd = listener(0, NULL, 0);
	ASSERT_LE(0, fd);
	if (set_subs(fd, &old, sizeof(old)) == -ENOPROTOOPT)
		SKIP(return, "kernel without NETLINK_UEVENT_SUBSCRIBE");

	ASSERT_EQ(0, set_subs(fd, &old, sizeof(old)));
	/* No room: nothing copied, the whole size reported. */
	EXPECT_EQ((int)sizeof(old), get_subs(fd, got, 0));
	memset(got, 0, sizeof(got));
	EXPECT_EQ((int)sizeof(old), get_subs(fd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, &old, sizeof(old)));

	/* Malformed sets fail whole; the old set stays. */
	for (i = 0; i <= SUB_MAX; i++)
		many[i] = entry("net", 0);
	EXPECT_EQ(-E2BIG, set_subs(fd, many, sizeof(many)));
	EXPECT_EQ(-EINVAL, set_subs(fd, many, sizeof(many[0]) - 1));
	EXPECT_EQ(-EINVAL, set_subs(fd, many, sizeof(many[0]) + 1));
	many[1].flags = 1;
	EXPECT_EQ(-EINVAL, set_subs(fd, many, 2 * sizeof(many[0])));
	many[1].flags = 0;
	many[1].actions = SUB_ACTIONS + 1;
	EXPECT_EQ(-EINVAL, set_subs(fd, many, 2 * sizeof(many[0])));
	many[1].actions = 0;
	memset(many[1].subsystem, 'x', sizeof(many[1].subsystem));
	EXPECT_EQ(-EINVAL, set_subs(fd, many, 2 * sizeof(many[0])));
	/* A set that runs into an unmapped page. */
	page = sysconf(_SC_PAGESIZE);
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	EXPECT_EQ(-EFAULT, set_subs(fd, map + page - sizeof(int),
				    sizeof(many[0])));
	munmap(map, 2 * page);
	memset(got, 0, sizeof(got));
	EXPECT_EQ((int)sizeof(old), get_subs(fd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, &old, sizeof(old)));

	/* A negative room is refused; the empty set reads back empty. */
	len = (socklen_t)-1;
	EXPECT_EQ(-1, getsockopt(fd, SOL_NETLINK, SUBSCRIBE_OPT,
				 got, &len));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, set_subs(fd, NULL, 0));
	EXPECT_EQ(0, get_subs(fd, got, sizeof(got)));

	/* The option is the uevent protocol's alone. */
	route = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ASSERT_LE(0, route);
	EXPECT_EQ(-ENOPROTOOPT, set_subs(route, &old, sizeof(old)));
	EXPECT_EQ(-ENOPROTOOPT, get_subs(route, got, sizeof(got)));
	close(route);
	close(fd);
}

FIXTURE(storm) {
	char block_uevent[PATH_MAX + sizeof("/uevent")];
	char block_devpath[PATH_MAX];
	char msg[MSG_MAX];
};

/*
 * A loop device's uevent file and DEVPATH, looked up before the test
 * moves to its own namespaces; 0 or -1 if there is none.  A loop
 * device, attached or not, is the block device whose synthetic change
 * events a device manager on a developer's machine shrugs off.
 */
static int find_block(char *uevent, char *devpath)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct dirent *d;
	DIR *dir = opendir("/sys/class/block");
	int ret = -1;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, "loop", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s", d->d_name);
		if (!realpath(path, real) || strncmp(real, "/sys/", 5))
			continue;
		snprintf(uevent, PATH_MAX + sizeof("/uevent"), "%s/uevent",
			 real);
		snprintf(devpath, PATH_MAX, "%s", real + 4);
		ret = 0;
		break;
	}
	closedir(dir);
	return ret;
}

FIXTURE_SETUP(storm)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (find_block(self->block_uevent, self->block_devpath))
		SKIP(return, "no loop device");
	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		SKIP(return, "no network or mount namespaces");
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	/* This namespace's sysfs: its lo, the machine's block devices. */
	ASSERT_EQ(0, mount("sysfs", "/sys", "sysfs", 0, NULL));
}

FIXTURE_TEARDOWN(storm)
{
}

/*
 * Read what @fd has queued: the events about @devpath that carry
 * SYNTH_UUID=BLOCK_UUID into *@ours, the rest into *@others, ENOBUFS
 * into *@enobufs.  Every event must have a SEQNUM above the last one,
 * and, if @subsystem is given, that SUBSYSTEM.
 */
static void drain(struct __test_metadata *_metadata, int fd, char *msg,
		  const char *devpath, const char *subsystem, int *ours,
		  int *others, int *enobufs)
{
	unsigned long long seq, last = 0;
	const char *at, *v;
	ssize_t n;

	for (;;) {
		n = recv(fd, msg, MSG_MAX - 1, MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			(*enobufs)++;
			continue;
		}
		if (n < 0) {
			ASSERT_EQ(EAGAIN, errno);
			return;
		}
		msg[n] = '\0';
		v = var(msg, n, "SEQNUM");
		ASSERT_NE(NULL, v);
		seq = strtoull(v, NULL, 10);
		ASSERT_LT(last, seq);
		last = seq;
		if (subsystem) {
			v = var(msg, n, "SUBSYSTEM");
			ASSERT_NE(NULL, v);
			ASSERT_STREQ(subsystem, v);
		}
		at = strchr(msg, '@');
		v = var(msg, n, "SYNTH_UUID");
		if (at && !strcmp(at + 1, devpath) && v &&
		    !strcmp(v, BLOCK_UUID))
			(*ours)++;
		else
			(*others)++;
	}
}

TEST_F_TIMEOUT(storm, block_listener_survives_net_storm, 600)
{
	struct sub block = entry("block", 0);
	int sub, plain, lo, blk, i;
	int ours = 0, others = 0, enobufs = 0;
	int p_ours = 0, p_others = 0, p_enobufs = 0;

	/* Subscribed before it binds: no other event is ever queued. */
	sub = listener(SMALL_BUF, &block, 1);
	if (sub == -ENOPROTOOPT)
		SKIP(return, "kernel without NETLINK_UEVENT_SUBSCRIBE");
	plain = listener(SMALL_BUF, NULL, 0);
	ASSERT_LE(0, sub);
	ASSERT_LE(0, plain);

	lo = open(LO_UEVENT, O_WRONLY | O_CLOEXEC);
	blk = open(self->block_uevent, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, lo);
	ASSERT_LE(0, blk);
	/* Nobody reads during the storm. */
	for (i = 1; i <= NET_EVENTS; i++) {
		ASSERT_EQ((ssize_t)strlen("change " NET_UUID),
			  pwrite(lo, "change " NET_UUID,
				 strlen("change " NET_UUID), 0));
		if (i % BLOCK_EVERY)
			continue;
		ASSERT_EQ((ssize_t)strlen("change " BLOCK_UUID),
			  pwrite(blk, "change " BLOCK_UUID,
				 strlen("change " BLOCK_UUID), 0));
	}
	close(lo);
	close(blk);

	drain(_metadata, sub, self->msg, self->block_devpath, "block", &ours,
	      &others, &enobufs);
	drain(_metadata, plain, self->msg, self->block_devpath, NULL,
	      &p_ours, &p_others, &p_enobufs);
	TH_LOG("subscribed: %d block events of the test, %d others, %d ENOBUFS;"
	       " without a set: %d, %d, %d ENOBUFS", ours, others, enobufs,
	       p_ours, p_others, p_enobufs);
	EXPECT_EQ(BLOCK_EVENTS, ours);
	EXPECT_EQ(0, enobufs);
	/* The same buffer without a set overflows. */
	EXPECT_LT(0, p_enobufs);
	close(sub);
	close(plain);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit helpers for tests of uevent emitters (<kunit/uevent.h>).
 *
 * A test listens in the initial network namespace on an in-kernel
 * NETLINK_KOBJECT_UEVENT socket bound to multicast group 1, exactly
 * where udevd listens, and looks only at the messages about the
 * devpath it is testing, so events from the rest of the system do not
 * disturb it.
 */

#include <kunit/test.h>
#include <kunit/uevent.h>
#include <kunit/visibility.h>
#include <linux/kobject.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "../kobject_uevent.h"

KUNIT_DEFINE_ACTION_WRAPPER(kunit_uevent_release, sock_release,
			    struct socket *);
KUNIT_DEFINE_ACTION_WRAPPER(kunit_uevent_kfree, kfree, const void *);

/**
 * kunit_uevent_listen() - Listen to uevents until the test ends.
 * @test: The test.
 *
 * Creates a socket in the initial network namespace bound to uevent
 * multicast group 1 with a 16 MiB receive buffer.  Events sent before
 * the call never reach it.  The socket is released when @test ends.
 * Fails @test if it cannot be created.
 *
 * Context: Process context; may sleep.
 * Return: The socket.
 */
struct socket *kunit_uevent_listen(struct kunit *test)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW,
					       NETLINK_KOBJECT_UEVENT, &sock),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kunit_uevent_release,
							sock), 0);
	/* Events sent before this call are not for this listener. */
	uevent_net_flush(&init_net);
	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	sock_set_rcvbuf(sock->sk, 16 << 20);
	return sock;
}
EXPORT_SYMBOL_IF_KUNIT(kunit_uevent_listen);

/**
 * kunit_uevent_next() - Take the next queued uevent about a devpath.
 * @sock: A socket from kunit_uevent_listen().
 * @devpath: The DEVPATH of the events wanted, as in the message header.
 * @buf: Room for %KUNIT_UEVENT_MSG_MAX bytes.
 *
 * Events the core has queued for the initial namespace are handed to
 * netlink first, so "none" means that no such event was sent.  Events
 * about other devpaths are read and thrown away.  The message is
 * NUL-terminated in @buf.
 *
 * Context: Process context; may sleep.  Does not wait for events.
 * Return: The length of the message, 0 if none is queued, or a
 * negative errno from the socket (-ENOBUFS after an overflow).
 */
int kunit_uevent_next(struct socket *sock, const char *devpath, char *buf)
{
	struct msghdr msg = { };
	struct kvec iov;
	const char *at;
	int n;

	uevent_net_flush(sock_net(sock->sk));
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = KUNIT_UEVENT_MSG_MAX - 1;
		n = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len,
				   MSG_DONTWAIT);
		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return n;
		buf[n] = '\0';
		at = strchr(buf, '@');
		if (at && !strcmp(at + 1, devpath))
			return n;
	}
}
EXPORT_SYMBOL_IF_KUNIT(kunit_uevent_next);

/**
 * kunit_uevent_expect() - Check a received uevent byte for byte.
 * @test: The test.
 * @msg: The message, as returned by kunit_uevent_next().
 * @len: Its length.
 * @action: The action word of the header ("change", "add", ...).
 * @devpath: The devpath of the header.
 * @vars: The variables expected before SEQNUM, in order, NULL-terminated.
 *
 * The message must be exactly the header (@action, "@", @devpath), then
 * each of @vars,
 * then "SEQNUM=" and a number, every field NUL-terminated: what
 * a listener receives for a kernel event.
 *
 * Context: Process context; may sleep.
 */
void kunit_uevent_expect(struct kunit *test, const char *msg, int len,
			 const char *action, const char *devpath,
			 const char *const *vars)
{
	char *want = kunit_kzalloc(test, KUNIT_UEVENT_MSG_MAX, GFP_KERNEL);
	const char *seq;
	int n, i;
	u64 v;

	KUNIT_ASSERT_NOT_NULL(test, want);
	n = scnprintf(want, KUNIT_UEVENT_MSG_MAX, "%s@%s", action, devpath) + 1;
	for (i = 0; vars[i]; i++) {
		KUNIT_ASSERT_LT(test, n, KUNIT_UEVENT_MSG_MAX);
		n += scnprintf(want + n, KUNIT_UEVENT_MSG_MAX - n, "%s",
			       vars[i]) + 1;
	}
	KUNIT_ASSERT_LT(test, n, KUNIT_UEVENT_MSG_MAX);
	/* The last field is SEQNUM: take its number from @msg. */
	KUNIT_ASSERT_GT(test, len, 1);
	for (seq = msg + len - 1; seq > msg && seq[-1]; seq--)
		;
	KUNIT_EXPECT_EQ(test, strncmp(seq, "SEQNUM=", 7), 0);
	KUNIT_EXPECT_EQ(test, kstrtou64(seq + strlen("SEQNUM="), 10, &v), 0);
	n += scnprintf(want + n, KUNIT_UEVENT_MSG_MAX - n, "%s", seq) + 1;
	KUNIT_EXPECT_EQ(test, len, n);
	KUNIT_EXPECT_MEMEQ(test, msg, want, min(len, n));
}
EXPORT_SYMBOL_IF_KUNIT(kunit_uevent_expect);

/**
 * kunit_uevent_devpath() - The DEVPATH of a kobject, freed with the test.
 * @test: The test.
 * @kobj: A kobject in sysfs.
 *
 * Context: Process context; may sleep.
 * Return: The path; fails @test when there is no memory.
 */
char *kunit_uevent_devpath(struct kunit *test, struct kobject *kobj)
{
	char *path = kobject_get_path(kobj, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, path);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kunit_uevent_kfree,
							path), 0);
	return path;
}
EXPORT_SYMBOL_IF_KUNIT(kunit_uevent_devpath);

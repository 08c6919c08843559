// SPDX-License-Identifier: GPL-2.0
/*
 * uevrecover - the smallest uevent listener that loses nothing.
 *
 * It listens on a NETLINK_KOBJECT_UEVENT socket and prints each event's
 * SEQNUM, ACTION and DEVPATH.  When its socket overflows it reads the
 * events it missed from /dev/uevent and prints them too, marked
 * "recovered"; if even those were overwritten it says that it would
 * have to re-read sysfs.  Documentation/core-api/kobject-uevent.rst
 * shows it as the example of a client of /dev/uevent.
 *
 * Build it with "make -C tools/uevent", or alone with any C compiler.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#define MSG_MAX	8192	/* enough for any uevent */

static unsigned long long last;	/* the highest SEQNUM handled */

/* The value of @key ("SEQNUM=") in the event @msg of @len bytes. */
static const char *value(const char *msg, int len, const char *key)
{
	const char *p;

	for (p = msg; p < msg + len; p += strlen(p) + 1)
		if (!strncmp(p, key, strlen(key)))
			return p + strlen(key);
	return NULL;
}

/* The SEQNUM of the newest event sent, 0 if unknown. */
static unsigned long long seqnum_now(void)
{
	unsigned long long seq = 0;
	FILE *f = fopen("/sys/kernel/uevent_seqnum", "r");

	if (f) {
		if (fscanf(f, "%llu", &seq) != 1)
			seq = 0;
		fclose(f);
	}
	return seq;
}

/* Handle one event, once: events come in SEQNUM order. */
static void handle(const char *msg, int len, const char *how)
{
	const char *s = value(msg, len, "SEQNUM=");
	unsigned long long seq = s ? strtoull(s, NULL, 10) : 0;

	if (seq <= last)
		return;		/* already handled: a copy of a recovered one */
	last = seq;
	printf("%llu %s %s%s\n", seq, value(msg, len, "ACTION=") ?: "?",
	       value(msg, len, "DEVPATH=") ?: "?", how);
	fflush(stdout);
}

/*
 * Read every event after @last from /dev/uevent.  Returns -1 if some
 * were overwritten before we could read them.
 */
static int recover(int ring)
{
	char msg[MSG_MAX];
	int lost = 0;
	ssize_t n;

	if (lseek(ring, last + 1, SEEK_SET) < 0)
		return -1;
	for (;;) {
		n = read(ring, msg, sizeof(msg));
		if (n > 0)
			handle(msg, n, " (recovered)");
		else if (n < 0 && errno == EPIPE)
			lost = -1;	/* then reads go on from the oldest */
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return lost;	/* EAGAIN: nothing more */
	}
}

int main(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int size = 1 << 20, sock, ring;
	char msg[MSG_MAX];
	ssize_t n;

	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		      NETLINK_KOBJECT_UEVENT);
	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("uevrecover: uevent socket");
		return 1;
	}
	setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* Open it now: it shows only what this network namespace gets. */
	ring = open("/dev/uevent", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (ring < 0)
		perror("uevrecover: /dev/uevent (lost events stay lost)");
	/* Handle the events after the newest one sent before we bound. */
	last = seqnum_now();

	for (;;) {
		n = recv(sock, msg, sizeof(msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != ENOBUFS) {
			perror("uevrecover: recv");
			return 1;
		}
		/*
		 * ENOBUFS: the socket overflowed, and it drops what comes
		 * until we have read what it holds.  A SEQNUM gap after that
		 * is the events it dropped (or events that went only to
		 * other network namespaces; the ring skips those for us).
		 * Either way, read what we missed from the ring.
		 */
		if (n > 0) {
			const char *s = value(msg, n, "SEQNUM=");

			if (!s || strtoull(s, NULL, 10) <= last + 1) {
				handle(msg, n, "");
				continue;
			}
		}
		if (ring >= 0 && recover(ring) < 0) {
			printf("events lost for good: re-read sysfs\n");
			fflush(stdout);
		}
		if (n > 0)
			handle(msg, n, "");
	}
}

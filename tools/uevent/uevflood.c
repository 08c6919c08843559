// SPDX-License-Identifier: GPL-2.0
/*
 * uevflood - flood uevent injection the way an unprivileged user can.
 *
 *   uevflood [-u UID] [-s SOCKETS]
 *
 * Drops to UID (default 1000) without supplementary groups, unshares a
 * user and a network namespace (where it then has CAP_SYS_ADMIN), opens
 * SOCKETS (default 64) uevent listeners with tiny receive buffers and
 * socket filters of BPF_MAXINSNS instructions that it never reads, and
 * injects 1900-byte messages until it gets SIGINT or SIGTERM.  Every
 * injected message makes the kernel run every filter.  It prints
 * "uevflood: ready" once flooding and, at the end,
 * "uevflood: injected=N".  For the benchmark: run it as root.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* setresuid(), unshare() */
#endif
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/netlink.h>

#define PAYLOAD	1900

static int stop;

static void on_signal(int sig)
{
	__atomic_store_n(&stop, sig, __ATOMIC_RELAXED);
}

static int open_filtered(void)
{
	static struct sock_filter insns[BPF_MAXINSNS];
	struct sock_fprog prog = { .len = BPF_MAXINSNS, .filter = insns };
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	int fd, i, small = 1;

	for (i = 0; i < BPF_MAXINSNS - 1; i++)
		insns[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_LEN,
							0);
	insns[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) ||
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		return -1;
	return fd;
}

/* Send one message to the kernel on @fd and wait for its ack. */
static int inject(int fd, const char *payload, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nlh;
		char data[PAYLOAD];
	} req = { };
	char ack[256];

	req.nlh.nlmsg_len = NLMSG_LENGTH(len);
	req.nlh.nlmsg_type = NLMSG_MIN_TYPE;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	memcpy(req.data, payload, len);
	if (sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	if (recv(fd, ack, sizeof(ack), 0) < (ssize_t)NLMSG_LENGTH(sizeof(int)))
		return -EBADMSG;
	return ((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)ack))->error;
}

int main(int argc, char **argv)
{
	static char payload[PAYLOAD];
	unsigned long injected = 0;
	long uid = 1000, sockets = 64, i;
	int opt, fd, err;

	while ((opt = getopt(argc, argv, "u:s:")) != -1) {
		switch (opt) {
		case 'u':
			uid = strtol(optarg, NULL, 10);
			break;
		case 's':
			sockets = strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: uevflood [-u UID] [-s SOCKETS]\n");
			return 2;
		}
	}
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid)) {
		perror("uevflood: dropping to the user");
		return 1;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		perror("uevflood: unshare");
		return 1;
	}
	for (i = 0; i < sockets; i++) {
		if (open_filtered() < 0) {
			perror("uevflood: listener");
			return 1;
		}
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		perror("uevflood: socket");
		return 1;
	}
	i = snprintf(payload, sizeof(payload), "change@/devices/virtual/uevflood");
	memset(payload + i + 1, 'x', sizeof(payload) - i - 2);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("uevflood: ready\n");
	fflush(stdout);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		err = inject(fd, payload, sizeof(payload));
		if (err && err != -EINTR) {
			fprintf(stderr, "uevflood: inject: %s\n", strerror(-err));
			return 1;
		}
		injected++;
	}
	printf("uevflood: injected=%lu\n", injected);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * uevmon - watch kernel uevents on NETLINK_KOBJECT_UEVENT.
 *
 * Prints each event the way "udevadm monitor --kernel --property" does,
 * filters by subsystem and action, and reports what a listener can
 * learn about lost events: ENOBUFS from its socket, gaps in SEQNUM and
 * SEQNUMs that go backwards.  Built static so it runs in an initramfs.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#define MSG_MAX		8192
#define MAX_FILTERS	32
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SUMMARY_FMT	"summary: received %llu, shown %llu, gaps %llu (%llu missing), out of order %llu, ENOBUFS %llu, last SEQNUM %llu\n"

static const char *const actions[] = {
	"add", "remove", "change", "move", "online", "offline", "bind",
	"unbind",
};

struct filters {
	const char *subsystem[MAX_FILTERS];
	int nsubsystem;
	const char *action[MAX_FILTERS];
	int naction;
};

struct stats {
	unsigned long long received;	/* messages read from the socket */
	unsigned long long shown;	/* messages that passed the filters */
	unsigned long long gaps;	/* times SEQNUM jumped forward */
	unsigned long long missing;	/* SEQNUMs skipped by those jumps */
	unsigned long long disorder;	/* times SEQNUM went backwards */
	unsigned long long enobufs;	/* overflows the socket reported */
	unsigned long long last;	/* highest SEQNUM seen */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: uevmon [options]\n"
		"  -s, --subsystem NAME   show only events of subsystem NAME (repeatable)\n"
		"  -a, --action NAME      show only events with action NAME (repeatable)\n"
		"  -q, --quiet            print no events, only losses and the summary\n"
		"  -S, --summary          print a summary on exit\n"
		"  -c, --count N          exit after N events passed the filters\n"
		"  -t, --timeout SECONDS  exit after SECONDS without an event\n"
		"  -b, --buffer BYTES     socket receive buffer (default 4194304)\n"
		"  -h, --help             show this help\n"
		"Actions: add remove change move online offline bind unbind.\n"
		"Reported on stderr: ENOBUFS when the socket overflowed and events\n"
		"were lost; SEQNUM gaps (lost events, or events sent only to other\n"
		"network namespaces); a SEQNUM lower than one already seen.\n");
}

static int parse_number(const char *opt, const char *arg, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > max) {
		fprintf(stderr, "uevmon: %s: invalid number '%s' (0..%ld)\n",
			opt, arg, max);
		return -1;
	}
	*out = v;
	return 0;
}

static bool known_action(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(actions[i], name))
			return true;
	return false;
}

/* Value of KEY in the variables of a message, or NULL. */
static const char *prop(const char *msg, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = msg + strnlen(msg, len) + 1;

	for (; p < msg + len; p += strnlen(p, msg + len - p) + 1)
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
	return NULL;
}

static bool listed(const char *const *list, int n, const char *value)
{
	int i;

	if (!n)
		return true;
	for (i = 0; i < n && value; i++)
		if (!strcmp(list[i], value))
			return true;
	return false;
}

static void check_seqnum(struct stats *st, const char *msg, size_t len)
{
	const char *v = prop(msg, len, "SEQNUM");
	unsigned long long seq;
	char *end;

	if (!v)
		return;
	seq = strtoull(v, &end, 10);
	if (*end)
		return;
	if (st->last && seq <= st->last) {
		st->disorder++;
		fprintf(stderr, "uevmon: out of order: SEQNUM %llu after %llu\n",
			seq, st->last);
		return;
	}
	if (st->last && seq > st->last + 1) {
		st->gaps++;
		st->missing += seq - st->last - 1;
		fprintf(stderr,
			"uevmon: gap: %llu event(s) not received, SEQNUM %llu..%llu\n",
			seq - st->last - 1, st->last + 1, seq - 1);
	}
	st->last = seq;
}

static void show(const char *msg, size_t len)
{
	const char *at = memchr(msg, '@', strnlen(msg, len));
	const char *subsystem = prop(msg, len, "SUBSYSTEM");
	const char *p = msg + strnlen(msg, len) + 1;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (at)
		printf("KERNEL[%ld.%06ld] %-8.*s %s (%s)\n", (long)ts.tv_sec,
		       ts.tv_nsec / 1000, (int)(at - msg), msg, at + 1,
		       subsystem ?: "");
	else
		printf("KERNEL[%ld.%06ld] %s\n", (long)ts.tv_sec,
		       ts.tv_nsec / 1000, msg);
	for (; p < msg + len; p += strnlen(p, msg + len - p) + 1)
		if (*p)
			printf("%.*s\n", (int)strnlen(p, msg + len - p), p);
	printf("\n");
	fflush(stdout);
}

static int open_socket(int rcvbuf)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		perror("uevmon: socket(NETLINK_KOBJECT_UEVENT)");
		return -1;
	}
	/* SO_RCVBUFFORCE needs CAP_NET_ADMIN; fall back to the capped one. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("uevmon: bind(group 1)");
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "subsystem", required_argument, NULL, 's' },
		{ "action", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "summary", no_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	long count = 0, timeout = 0, rcvbuf = 4 << 20;
	bool quiet = false, summary = false;
	struct filters f = { };
	struct stats st = { };
	static char msg[MSG_MAX];
	bool stop = false;
	sigset_t sigs;
	int fd, sfd, opt;

	while ((opt = getopt_long(argc, argv, "s:a:qSc:t:b:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			if (f.nsubsystem == MAX_FILTERS || !*optarg) {
				fprintf(stderr, "uevmon: --subsystem: empty or more than %d\n",
					MAX_FILTERS);
				return 2;
			}
			f.subsystem[f.nsubsystem++] = optarg;
			break;
		case 'a':
			if (!known_action(optarg)) {
				fprintf(stderr,
					"uevmon: --action: unknown action '%s'\n",
					optarg);
				usage(stderr);
				return 2;
			}
			if (f.naction == MAX_FILTERS) {
				fprintf(stderr, "uevmon: --action: more than %d\n",
					MAX_FILTERS);
				return 2;
			}
			f.action[f.naction++] = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'S':
			summary = true;
			break;
		case 'c':
			if (parse_number("--count", optarg, LONG_MAX, &count))
				return 2;
			break;
		case 't':
			if (parse_number("--timeout", optarg, INT_MAX / 1000,
					 &timeout))
				return 2;
			break;
		case 'b':
			if (parse_number("--buffer", optarg, INT_MAX / 2, &rcvbuf))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "uevmon: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	/* SIGINT and SIGTERM end the loop through a signalfd. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	fd = open_socket(rcvbuf);
	if (fd < 0 || sfd < 0)
		return 1;

	while (!stop && (!count || (long)st.shown < count)) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		struct sockaddr_nl from;
		struct iovec iov = { msg, sizeof(msg) - 1 };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n;
		int r;

		r = poll(pfd, 2, timeout ? (int)timeout * 1000 : -1);
		if (r == 0)
			break;
		if (r < 0)
			continue;
		if (pfd[1].revents) {
			stop = true;
			continue;
		}
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				st.enobufs++;
				fprintf(stderr,
					"uevmon: ENOBUFS: receive buffer overflowed, events were lost\n");
			} else if (errno != EAGAIN && errno != EINTR) {
				perror("uevmon: recvmsg");
				break;
			}
			continue;
		}
		/* Only the kernel (port 0) sends on group 1. */
		if (from.nl_pid != 0)
			continue;
		msg[n] = '\0';
		st.received++;
		check_seqnum(&st, msg, n);
		if (!listed(f.subsystem, f.nsubsystem, prop(msg, n, "SUBSYSTEM")) ||
		    !listed(f.action, f.naction, prop(msg, n, "ACTION")))
			continue;
		st.shown++;
		if (!quiet)
			show(msg, n);
	}
	close(fd);
	close(sfd);

	if (summary)
		printf(SUMMARY_FMT, st.received, st.shown, st.gaps, st.missing,
		       st.disorder, st.enobufs, st.last);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * uevmon - watch kernel uevents on NETLINK_KOBJECT_UEVENT.
 *
 * Prints each event the way "udevadm monitor --kernel --property" does,
 * filters by subsystem and action (in the kernel, with
 * NETLINK_UEVENT_SUBSCRIBE, where it can), and reports what a listener can
 * learn about lost events: ENOBUFS from its socket, gaps in SEQNUM and
 * SEQNUMs that go backwards.  Events the socket dropped are read back
 * from the kernel's replay ring, /dev/uevent, when there is one; that
 * ring can also be printed on its own (--replay).  Built static so it
 * runs in an initramfs.
 */

#include <errno.h>
#include <fcntl.h>
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
#include <linux/uevent.h>

#define MSG_MAX		8192
#define MAX_FILTERS	32
#define RING		"/dev/uevent"
#define OPT_NO_RECOVER	256
#define OPT_NO_KERNEL_FILTER 257
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SUMMARY_FMT	"summary: received %llu, shown %llu, gaps %llu (%llu missing), out of order %llu, ENOBUFS %llu, last SEQNUM %llu, recovered %llu, unrecoverable %llu, duplicates %llu\n"

/* Indexed like the kernel's actions: UEVENT_SUB_* bit numbers. */
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

struct config {
	struct filters f;
	long count, timeout, rcvbuf;
	long from;			/* --from, -1 if not given */
	bool quiet, summary, recover, replay, kernel_filter;
};

struct stats {
	unsigned long long received;	/* messages read from the socket */
	unsigned long long shown;	/* messages that passed the filters */
	unsigned long long gaps;	/* times SEQNUM jumped forward */
	unsigned long long missing;	/* SEQNUMs skipped by those jumps */
	unsigned long long disorder;	/* times SEQNUM went backwards */
	unsigned long long enobufs;	/* overflows the socket reported */
	unsigned long long last;	/* highest SEQNUM seen */
	unsigned long long recovered;	/* lost events read from RING */
	unsigned long long unrecoverable; /* overwritten in RING unread */
	unsigned long long duplicates;	/* socket copies of recovered */
};

struct monitor {
	const struct config *cfg;
	struct stats st;
	int ring;			/* RING, or -1 */
	bool ring_tried;		/* RING was opened, or failed to */
	bool overflowed;		/* ENOBUFS, socket queue not drained */
	bool replayed;			/* st.last was read from RING */
	bool filtered;			/* the kernel applies the filters */
	unsigned long long lost_from;	/* EPIPE: first SEQNUM lost or 0 */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: uevmon [options]\n"
		"       uevmon --replay [--from N] [options]\n"
		"  -s, --subsystem NAME   show only events of subsystem NAME (repeatable)\n"
		"  -a, --action NAME      show only events with action NAME (repeatable)\n"
		"  -q, --quiet            print no events, only losses and the summary\n"
		"  -S, --summary          print a summary on exit\n"
		"  -c, --count N          exit after N events passed the filters\n"
		"  -t, --timeout SECONDS  exit after SECONDS without an event\n"
		"  -b, --buffer BYTES     socket receive buffer (default 4194304)\n"
		"      --no-recover       do not read lost events back from /dev/uevent\n"
		"      --no-kernel-filter apply -s and -a in user space only\n"
		"  -r, --replay           print the events retained in /dev/uevent and\n"
		"                         exit (-t, -b and --no-recover are ignored)\n"
		"  -f, --from N           with --replay: start at the first retained\n"
		"                         event with SEQNUM >= N (default: the oldest)\n"
		"  -h, --help             show this help\n"
		"Actions: add remove change move online offline bind unbind.\n"
		"With -s or -a the socket subscribes in the kernel\n"
		"(NETLINK_UEVENT_SUBSCRIBE) to the events the filters pass, so\n"
		"other events never fill its buffer; stderr says whether it did,\n"
		"or why it filters in user space only (older kernel, a name of 64\n"
		"bytes or more). Subscribed, SEQNUM gaps are events it did not\n"
		"subscribe to and are not reported; losses still are (ENOBUFS).\n"
		"Reported on stderr: ENOBUFS when the socket overflowed and events\n"
		"were lost; SEQNUM gaps (lost events, or events sent only to other\n"
		"network namespaces); a SEQNUM lower than one already seen.\n"
		"After ENOBUFS the events the socket dropped are read back from\n"
		"/dev/uevent (kernels with CONFIG_KOBJECT_UEVENT_REPLAY) and printed\n"
		"like the others with \" (recovered)\" at the end of their first\n"
		"line; their copies that still come on the socket are skipped\n"
		"(\"duplicates\"). Events overwritten in /dev/uevent before they\n"
		"could be read are reported on stderr (EPIPE; the count may include\n"
		"events of other network namespaces) and counted as unrecoverable.\n"
		"Without /dev/uevent this is said once and nothing is recovered.\n"
		"--replay prints the retained events this network namespace may\n"
		"see, unmarked, with the time they were read, and exits 0 (1 if\n"
		"/dev/uevent is missing); \"received\" then counts events read from it.\n"
		"Summary (-S), one line:\n"
		"  summary: received N, shown N, gaps N (N missing), out of order N,\n"
		"  ENOBUFS N, last SEQNUM N, recovered N, unrecoverable N,\n"
		"  duplicates N\n");
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

/* The index of action @name in actions[], or -1 if it is unknown. */
static int action_index(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(actions[i], name))
			return i;
	return -1;
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

/* SEQNUM of a message, 0 if it has none or it is not a number. */
static unsigned long long seqnum(const char *msg, size_t len)
{
	const char *v = prop(msg, len, "SEQNUM");
	unsigned long long seq;
	char *end;

	if (!v)
		return 0;
	seq = strtoull(v, &end, 10);
	return *end ? 0 : seq;
}

/* The events after an EPIPE: those from lost_from up to SEQNUM seq. */
static void report_overwritten(struct monitor *m, unsigned long long seq)
{
	unsigned long long from = m->lost_from;

	m->lost_from = 0;
	if (seq <= from)
		return;
	m->st.unrecoverable += seq - from;
	fprintf(stderr,
		"uevmon: EPIPE: %llu event(s) overwritten in /dev/uevent before they were read, SEQNUM %llu..%llu\n",
		seq - from, from, seq - 1);
}

/* An EPIPE not followed by any event: the number lost is unknown. */
static void report_pending(struct monitor *m)
{
	if (m->lost_from)
		fprintf(stderr,
			"uevmon: EPIPE: events from SEQNUM %llu on were overwritten in /dev/uevent before they were read\n",
			m->lost_from);
	m->lost_from = 0;
}

/*
 * Account for the SEQNUM of a socket message.  Returns false for a copy
 * of an event already read from RING, which is to be skipped.  A gap
 * after an event read from RING is no loss: the events in between are
 * for other network namespaces, or RING would have had them.
 */
static bool check_seqnum(struct monitor *m, unsigned long long seq)
{
	struct stats *st = &m->st;

	if (!seq)
		return true;
	if (m->replayed && seq <= st->last) {
		st->duplicates++;
		return false;
	}
	if (st->last && seq <= st->last) {
		st->disorder++;
		fprintf(stderr, "uevmon: out of order: SEQNUM %llu after %llu\n",
			seq, st->last);
		return true;
	}
	if (m->lost_from) {
		report_overwritten(m, seq);
	} else if (st->last && !m->replayed && !m->filtered &&
		   seq > st->last + 1) {
		st->gaps++;
		st->missing += seq - st->last - 1;
		fprintf(stderr,
			"uevmon: gap: %llu event(s) not received, SEQNUM %llu..%llu\n",
			seq - st->last - 1, st->last + 1, seq - 1);
	}
	st->last = seq;
	m->replayed = false;
	return true;
}

static void show(const char *msg, size_t len, const char *mark)
{
	const char *at = memchr(msg, '@', strnlen(msg, len));
	const char *subsystem = prop(msg, len, "SUBSYSTEM");
	const char *p = msg + strnlen(msg, len) + 1;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (at)
		printf("KERNEL[%ld.%06ld] %-8.*s %s (%s)%s\n", (long)ts.tv_sec,
		       ts.tv_nsec / 1000, (int)(at - msg), msg, at + 1,
		       subsystem ?: "", mark);
	else
		printf("KERNEL[%ld.%06ld] %s%s\n", (long)ts.tv_sec,
		       ts.tv_nsec / 1000, msg, mark);
	for (; p < msg + len; p += strnlen(p, msg + len - p) + 1)
		if (*p)
			printf("%.*s\n", (int)strnlen(p, msg + len - p), p);
	printf("\n");
	fflush(stdout);
}

static bool done(const struct monitor *m)
{
	return m->cfg->count && (long)m->st.shown >= m->cfg->count;
}

/* Count and print a message if it passes the filters. */
static void emit(struct monitor *m, const char *msg, size_t len,
		 const char *mark)
{
	const struct filters *f = &m->cfg->f;

	if (!listed(f->subsystem, f->nsubsystem, prop(msg, len, "SUBSYSTEM")) ||
	    !listed(f->action, f->naction, prop(msg, len, "ACTION")))
		return;
	m->st.shown++;
	if (!m->cfg->quiet)
		show(msg, len, mark);
}

static int open_ring(const char *what)
{
	int fd = open(RING, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		fprintf(stderr,
			"uevmon: /dev/uevent: %s: %s (kernel without CONFIG_KOBJECT_UEVENT_REPLAY, or booted with uevent_replay_size=0)\n",
			strerror(errno), what);
	else
		fprintf(stderr, "uevmon: /dev/uevent: %s: %s\n", strerror(errno),
			what);
	return -1;
}

/*
 * Read events from RING until EAGAIN, until one at or above @limit (if
 * not 0) or until --count events were shown.  Each read() returns one
 * event.  @next is the SEQNUM the reader stands at (0: unknown), to
 * count what an EPIPE says was overwritten.  Events not above the
 * highest SEQNUM seen are skipped; gaps between the others are events
 * this reader may not see, not losses.  Returns 0, or -1 on error.
 */
static int read_ring(struct monitor *m, unsigned long long next,
		     unsigned long long limit, const char *mark,
		     unsigned long long *counter)
{
	static char msg[MSG_MAX + 1];
	unsigned long long seq;
	ssize_t n;

	while (!done(m)) {
		n = read(m->ring, msg, MSG_MAX);
		if (n < 0 && errno == EPIPE) {
			if (!next)
				fprintf(stderr,
					"uevmon: EPIPE: events were overwritten in /dev/uevent before they were read\n");
			else if (!m->lost_from)
				m->lost_from = next;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			perror("uevmon: read " RING);
			return -1;
		}
		msg[n] = '\0';
		seq = seqnum(msg, n);
		if (limit && seq >= limit)
			break;
		if (!seq || seq <= m->st.last)
			continue;
		if (m->lost_from)
			report_overwritten(m, seq);
		m->st.last = seq;
		next = seq + 1;
		(*counter)++;
		emit(m, msg, n, mark);
	}
	if (limit && m->lost_from)
		report_overwritten(m, limit);
	return 0;
}

/*
 * After ENOBUFS, read back from RING the events after the highest
 * SEQNUM seen and, if @limit is not 0, before @limit: those the socket
 * dropped.  Called once the socket has handed over what it had queued
 * before it overflowed, either when it gives an event past a gap
 * (@limit is that event) or when its queue is empty (@limit is 0):
 * netlink drops every event while the queue is not drained, and
 * reports ENOBUFS only once.
 */
static void recover(struct monitor *m, unsigned long long limit)
{
	unsigned long long from = m->st.last + 1;

	if (!m->st.last) {
		fprintf(stderr,
			"uevmon: no SEQNUM seen before the overflow: lost events cannot be recovered\n");
		return;
	}
	if (lseek(m->ring, (off_t)from, SEEK_SET) < 0) {
		perror("uevmon: lseek " RING);
		return;
	}
	if (!read_ring(m, from, limit, " (recovered)", &m->st.recovered))
		m->replayed = true;
}

/* ENOBUFS: recover once the socket queue is drained, if possible. */
static void overflow(struct monitor *m)
{
	m->st.enobufs++;
	fprintf(stderr,
		"uevmon: ENOBUFS: receive buffer overflowed, events were lost\n");
	if (!m->cfg->recover)
		return;
	if (!m->ring_tried) {
		m->ring_tried = true;
		m->ring = open_ring("lost events cannot be recovered");
	}
	if (m->ring >= 0)
		m->overflowed = true;
}

static void handle(struct monitor *m, const char *msg, size_t len)
{
	unsigned long long seq = seqnum(msg, len);

	m->st.received++;
	if (m->overflowed && m->st.last && seq > m->st.last + 1) {
		recover(m, seq);
		if (done(m))
			return;
	}
	if (check_seqnum(m, seq))
		emit(m, msg, len, "");
}

/*
 * Subscribe @fd to what the filters pass: an entry per subsystem with
 * the actions' bits, or one entry for any subsystem.  On a kernel
 * without the option, or a set it refuses, the filters stay in user
 * space alone; they are applied there in any case.
 */
static void subscribe(struct monitor *m, int fd)
{
	const struct filters *f = &m->cfg->f;
	struct uevent_sub subs[MAX_FILTERS] = { };
	unsigned int bits = 0;
	int i, n;

	if (!f->nsubsystem && !f->naction)
		return;
	if (!m->cfg->kernel_filter) {
		fprintf(stderr, "uevmon: filtering in user space (--no-kernel-filter)\n");
		return;
	}
	/* parse_args() took known actions only. */
	for (i = 0; i < f->naction; i++)
		bits |= 1U << action_index(f->action[i]);
	n = f->nsubsystem ? f->nsubsystem : 1;
	for (i = 0; i < n; i++) {
		if (f->nsubsystem && strlen(f->subsystem[i]) >= UEVENT_SUB_NAME_LEN) {
			fprintf(stderr,
				"uevmon: filtering in user space: subsystem '%s' is too long for the kernel filter\n",
				f->subsystem[i]);
			return;
		}
		if (f->nsubsystem)
			memcpy(subs[i].subsystem, f->subsystem[i],
			       strlen(f->subsystem[i]));
		subs[i].actions = bits;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_UEVENT_SUBSCRIBE, subs,
		       n * sizeof(subs[0]))) {
		fprintf(stderr,
			"uevmon: filtering in user space: kernel filter not available: %s\n",
			strerror(errno));
		return;
	}
	m->filtered = true;
	fprintf(stderr, "uevmon: filtering in the kernel (%d entr%s)\n", n,
		n == 1 ? "y" : "ies");
}

/* A group-1 listener, subscribed before it binds. */
static int open_socket(struct monitor *m, int rcvbuf)
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
	/* Before bind(): nothing unwanted is queued in between. */
	subscribe(m, fd);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("uevmon: bind(group 1)");
		close(fd);
		return -1;
	}
	return fd;
}

/* Print the events retained in RING; --from picks the first. */
static int run_replay(struct monitor *m)
{
	const struct config *c = m->cfg;
	int ret = 0;

	m->ring = open_ring("cannot read retained events");
	if (m->ring < 0)
		return 1;
	if (c->from >= 0 && lseek(m->ring, (off_t)c->from, SEEK_SET) < 0) {
		perror("uevmon: lseek " RING);
		ret = 1;
	} else if (read_ring(m, c->from > 0 ? c->from : 0, 0, "",
			     &m->st.received)) {
		ret = 1;
	}
	report_pending(m);
	close(m->ring);
	return ret;
}

static int monitor(struct monitor *m)
{
	const struct config *c = m->cfg;
	static char msg[MSG_MAX];
	bool stop = false;
	sigset_t sigs;
	int fd, sfd;

	/* SIGINT and SIGTERM end the loop through a signalfd. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	fd = open_socket(m, c->rcvbuf);
	if (fd < 0 || sfd < 0)
		return 1;

	while (!stop && !done(m)) {
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

		/* After ENOBUFS, only look whether the queue is empty. */
		if (m->overflowed)
			r = poll(pfd, 2, 0);
		else
			r = poll(pfd, 2, c->timeout ? (int)c->timeout * 1000
						    : -1);
		if (r == 0 && m->overflowed) {
			m->overflowed = false;
			recover(m, 0);
			continue;
		}
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
				overflow(m);
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
		handle(m, msg, n);
	}
	report_pending(m);
	if (m->ring >= 0)
		close(m->ring);
	close(fd);
	close(sfd);
	return 0;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct config *c)
{
	static const struct option longopts[] = {
		{ "subsystem", required_argument, NULL, 's' },
		{ "action", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "summary", no_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "no-recover", no_argument, NULL, OPT_NO_RECOVER },
		{ "no-kernel-filter", no_argument, NULL, OPT_NO_KERNEL_FILTER },
		{ "replay", no_argument, NULL, 'r' },
		{ "from", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct filters *f = &c->f;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:a:qSc:t:b:rf:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			if (f->nsubsystem == MAX_FILTERS || !*optarg) {
				fprintf(stderr, "uevmon: --subsystem: empty or more than %d\n",
					MAX_FILTERS);
				return 2;
			}
			f->subsystem[f->nsubsystem++] = optarg;
			break;
		case 'a':
			if (action_index(optarg) < 0) {
				fprintf(stderr,
					"uevmon: --action: unknown action '%s'\n",
					optarg);
				usage(stderr);
				return 2;
			}
			if (f->naction == MAX_FILTERS) {
				fprintf(stderr, "uevmon: --action: more than %d\n",
					MAX_FILTERS);
				return 2;
			}
			f->action[f->naction++] = optarg;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'S':
			c->summary = true;
			break;
		case 'c':
			if (parse_number("--count", optarg, LONG_MAX,
					 &c->count))
				return 2;
			break;
		case 't':
			if (parse_number("--timeout", optarg, INT_MAX / 1000,
					 &c->timeout))
				return 2;
			break;
		case 'b':
			if (parse_number("--buffer", optarg, INT_MAX / 2,
					 &c->rcvbuf))
				return 2;
			break;
		case OPT_NO_RECOVER:
			c->recover = false;
			break;
		case OPT_NO_KERNEL_FILTER:
			c->kernel_filter = false;
			break;
		case 'r':
			c->replay = true;
			break;
		case 'f':
			if (parse_number("--from", optarg, LONG_MAX, &c->from))
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
	if (c->from >= 0 && !c->replay) {
		fprintf(stderr, "uevmon: --from needs --replay\n");
		usage(stderr);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct config c = {
		.rcvbuf = 4 << 20, .from = -1, .recover = true,
		.kernel_filter = true,
	};
	struct monitor m = { .cfg = &c, .ring = -1 };
	struct stats *st = &m.st;
	int ret;

	ret = parse_args(argc, argv, &c);
	if (ret >= 0)
		return ret;
	ret = c.replay ? run_replay(&m) : monitor(&m);

	if (c.summary && !ret)
		printf(SUMMARY_FMT, st->received, st->shown, st->gaps,
		       st->missing, st->disorder, st->enobufs, st->last,
		       st->recovered, st->unrecoverable, st->duplicates);
	return ret;
}

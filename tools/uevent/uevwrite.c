// SPDX-License-Identifier: GPL-2.0
/*
 * uevwrite - time synthetic uevents written from user space.
 *
 *   uevwrite [-w WRITERS] [-n EVENTS] [FILE]
 *
 * WRITERS threads (default 1) together write EVENTS (default 20000)
 * "change" requests to FILE (default the loopback device's uevent
 * file) and the wall time per event is printed:
 *
 *   uevwrite: writers=W events=E ns_per_event=T
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *path = "/sys/devices/virtual/net/lo/uevent";
static long per_writer;

static void *writer(void *arg)
{
	long i, *failed = arg;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		*failed = per_writer;
		return NULL;
	}
	for (i = 0; i < per_writer; i++)
		if (pwrite(fd, "change", 6, 0) != 6)
			(*failed)++;
	close(fd);
	return NULL;
}

static long parse_count(const char *opt, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v < 1 || v > 100000000) {
		fprintf(stderr, "uevwrite: %s: invalid number '%s'\n", opt, arg);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long writers = 1, events = 20000, failed = 0, i;
	struct timespec t0, t1;
	pthread_t *tid;
	long *fails;
	int opt;

	while ((opt = getopt(argc, argv, "w:n:h")) != -1) {
		switch (opt) {
		case 'w':
			writers = parse_count("-w", optarg);
			break;
		case 'n':
			events = parse_count("-n", optarg);
			break;
		default:
			fprintf(stderr, "Usage: uevwrite [-w WRITERS] [-n EVENTS] [FILE]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind < argc)
		path = argv[optind];
	if (access(path, W_OK)) {
		fprintf(stderr, "uevwrite: %s: %s\n", path, strerror(errno));
		return 1;
	}
	per_writer = events / writers;
	tid = calloc(writers, sizeof(*tid));
	fails = calloc(writers, sizeof(*fails));
	if (!tid || !fails)
		return 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < writers; i++)
		if (pthread_create(&tid[i], NULL, writer, &fails[i]))
			return 1;
	for (i = 0; i < writers; i++) {
		pthread_join(tid[i], NULL);
		failed += fails[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	events = per_writer * writers;
	printf("uevwrite: writers=%ld events=%ld ns_per_event=%lld\n", writers,
	       events, ((t1.tv_sec - t0.tv_sec) * 1000000000LL +
			t1.tv_nsec - t0.tv_nsec) / events);
	if (failed) {
		fprintf(stderr, "uevwrite: %ld writes failed\n", failed);
		return 1;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "typical" event of the uevent benchmarks: what a disk partition
 * adds after ACTION, DEVPATH and SUBSYSTEM, nine variables, about 400
 * bytes in all.  Shared by uevent_bench.c and the per-phase profile's
 * module, so both measure the same event.
 */
#ifndef _UEVENT_BENCH_ENV_H
#define _UEVENT_BENCH_ENV_H

static char *typical_env[] = {
	"MAJOR=259", "MINOR=17", "DEVNAME=nvme0n1p17", "DEVTYPE=partition",
	"DISKSEQ=42", "PARTN=17", "PARTNAME=benchmark-partition-name",
	"ID_PART_ENTRY_UUID=0fc63daf-8483-4772-8e79-3d69d8477de4",
	"DRIVER_HINT=nvme-benchmark-driver-with-a-long-name-0123456789", NULL,
};

#endif /* _UEVENT_BENCH_ENV_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers for tests of uevent emitters: listen to uevents the way
 * user space does and compare what arrives byte for byte.
 */
#ifndef _KUNIT_UEVENT_H
#define _KUNIT_UEVENT_H

#include <linux/types.h>

struct kunit;
struct kobject;
struct socket;

/* Room for any message of the kernel's own (UEVENT_BUFFER_SIZE). */
#define KUNIT_UEVENT_MSG_MAX	2048

struct socket *kunit_uevent_listen(struct kunit *test);
int kunit_uevent_next(struct socket *sock, const char *devpath, char *buf);
void kunit_uevent_expect(struct kunit *test, const char *msg, int len,
			 const char *action, const char *devpath,
			 const char *const *vars);
char *kunit_uevent_devpath(struct kunit *test, struct kobject *kobj);

#endif /* _KUNIT_UEVENT_H */

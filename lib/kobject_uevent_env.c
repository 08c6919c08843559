// SPDX-License-Identifier: GPL-2.0
/*
 * Uevent environment buffers.
 *
 * A struct kobj_uevent_env holds the KEY=VALUE strings of one uevent:
 * @buf packs them back to back, each terminated by a NUL, and @envp
 * points at the start of each.  The netlink message of an event is
 * exactly @buflen bytes of @buf behind its "action@devpath" header, so
 * the packing here is part of the wire format.
 *
 * This file is built whether or not CONFIG_KOBJECT_UEVENT is set: the
 * driver core also fills environments to answer reads of the sysfs
 * "uevent" attribute, which do not send anything.
 */

#include <linux/export.h>
#include <linux/kobject.h>
#include <linux/kernel.h>
#include <linux/sprintf.h>

/**
 * add_uevent_var() - Append a KEY=VALUE string to a uevent environment.
 * @env: The environment to extend.
 * @format: printf() format producing the whole "KEY=VALUE" string.
 *
 * The string is formatted into the free space of @env->buf, NUL
 * terminated, and recorded in @env->envp.  An environment holds at most
 * %UEVENT_NUM_ENVP strings in at most %UEVENT_BUFFER_SIZE bytes counting
 * their terminators; a string that would exceed either bound is not
 * added and @env is left unchanged.
 *
 * Context: Any context; does not sleep or allocate.  The caller owns
 * @env exclusively.
 * Return: 0 on success, -ENOMEM if @env has no room for the string.
 */
int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
{
	size_t room;
	va_list args;
	int len;

	if (env->envp_idx >= UEVENT_NUM_ENVP)
		return -ENOMEM;

	room = sizeof(env->buf) - env->buflen;
	va_start(args, format);
	len = vsnprintf(env->buf + env->buflen, room, format, args);
	va_end(args);

	/* vsnprintf() wrote a truncated string; the buffer tail is unused. */
	if (len < 0 || (size_t)len >= room)
		return -ENOMEM;

	env->envp[env->envp_idx++] = env->buf + env->buflen;
	env->buflen += len + 1;
	return 0;
}
EXPORT_SYMBOL_GPL(add_uevent_var);

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
 * "uevent" attribute, which do not send anything, and writes to that
 * attribute are checked the same way with or without uevents.
 */

#include <linux/ctype.h>
#include <linux/export.h>
#include <linux/kobject.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "kobject_uevent.h"

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

/* ------------------------------------------------------------------ */
/* Writes to sysfs "uevent" attributes                                 */

const char *const uevent_action_names[KOBJ_UNBIND + 1] = {
	[KOBJ_ADD]	= "add",
	[KOBJ_REMOVE]	= "remove",
	[KOBJ_CHANGE]	= "change",
	[KOBJ_MOVE]	= "move",
	[KOBJ_ONLINE]	= "online",
	[KOBJ_OFFLINE]	= "offline",
	[KOBJ_BIND]	= "bind",
	[KOBJ_UNBIND]	= "unbind",
};

/* The action named by the @len bytes at @word: 0, or -EINVAL. */
int uevent_action_lookup(const char *word, size_t len,
			 enum kobject_action *action)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uevent_action_names); i++) {
		if (strlen(uevent_action_names[i]) == len &&
		    !memcmp(uevent_action_names[i], word, len)) {
			*action = i;
			return 0;
		}
	}
	return -EINVAL;
}

static size_t uevent_alnum_span(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && isalnum(s[n]))
		n++;
	return n;
}

/*
 * Check "UUID[ KEY=VALUE]..." in @s[0..@len), keys and values being
 * non-empty runs of alphanumerics, and that the variables it makes fit
 * in one environment on their own.
 */
static int uevent_synth_check(const char *s, size_t len)
{
	size_t bytes = sizeof(UEVENT_SYNTH_UUID) + UUID_STRING_LEN;
	size_t pos = UUID_STRING_LEN, k, v;
	unsigned int vars = 1;

	if (len < UUID_STRING_LEN || !uuid_is_valid(s))
		return -EINVAL;

	while (pos < len) {
		if (s[pos++] != ' ')
			return -EINVAL;
		k = uevent_alnum_span(s + pos, len - pos);
		if (!k || pos + k == len || s[pos + k] != '=')
			return -EINVAL;
		pos += k + 1;
		v = uevent_alnum_span(s + pos, len - pos);
		if (!v || (pos + v < len && s[pos + v] != ' '))
			return -EINVAL;
		pos += v;
		vars++;
		bytes += sizeof(UEVENT_SYNTH_ARG "=") + k + v;
	}

	if (vars > UEVENT_NUM_ENVP || bytes > UEVENT_BUFFER_SIZE)
		return -EINVAL;
	return 0;
}

/*
 * Log why a write to @kobj's "uevent" attribute failed, naming the
 * object: the "uevent" files of modules, buses and drivers report
 * nothing else.  The line is ABI (Documentation/ABI/testing/sysfs-uevent).
 */
void uevent_synth_report(struct kobject *kobj, const char *why)
{
	char *path = kobject_get_path(kobj, GFP_KERNEL);

	pr_warn_ratelimited("synth uevent: %s: %s\n",
			    path ?: "unknown device", why);
	kfree(path);
}

/*
 * Parse "ACTION [UUID [KEY=VALUE ...]]" (@count bytes at @buf, with an
 * optional trailing newline) written to @kobj's "uevent" attribute into
 * @action and @synth.  Return 0, or -EINVAL after logging why.
 */
int uevent_synth_parse(struct kobject *kobj, const char *buf, size_t count,
		       enum kobject_action *action, struct uevent_synth *synth)
{
	size_t len = count;
	const char *space;

	if (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;

	synth->text = NULL;
	synth->len = 0;
	space = memchr(buf, ' ', len);
	if (uevent_action_lookup(buf, space ? space - buf : len, action)) {
		uevent_synth_report(kobj, "unknown uevent action string");
		return -EINVAL;
	}
	if (!space)
		return 0;
	synth->text = space + 1;
	synth->len = buf + len - synth->text;
	if (uevent_synth_check(synth->text, synth->len)) {
		uevent_synth_report(kobj, "incorrect uevent action arguments");
		return -EINVAL;
	}
	return 0;
}

#ifndef CONFIG_KOBJECT_UEVENT
/*
 * Without uevents a write to a "uevent" attribute is checked as usual,
 * and a valid one succeeds without sending anything.
 */
int kobject_synth_uevent(struct kobject *kobj, const char *buf, size_t count)
{
	struct uevent_synth synth;
	enum kobject_action action;

	return uevent_synth_parse(kobj, buf, count, &action, &synth);
}
#endif

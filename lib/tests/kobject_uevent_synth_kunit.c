// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for writes to sysfs "uevent" attributes: the same text is
 * accepted or refused whether or not CONFIG_KOBJECT_UEVENT is set.
 * With uevents an accepted write also sends its event; the suite
 * kobject_uevent checks what that event carries.
 */

#include <kunit/test.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>

#define USK_UUID	"01234567-89ab-cdef-0123-456789abcdef"

struct usk_case {
	const char *desc;
	const char *in;
	int ret;
};

static const struct usk_case usk_cases[] = {
	{ "action alone", "change", 0 },
	{ "action and newline", "add\n", 0 },
	{ "action and UUID", "change " USK_UUID, 0 },
	{ "UUID and arguments", "change " USK_UUID " A=1 B2=x", 0 },
	{ "unknown action", "bogus", -EINVAL },
	{ "empty", "", -EINVAL },
	{ "short UUID", "change 0123", -EINVAL },
	{ "argument without value", "change " USK_UUID " A=", -EINVAL },
	{ "two spaces", "change  " USK_UUID, -EINVAL },
	{ "argument not alphanumeric", "change " USK_UUID " A-B=1", -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(usk, usk_cases, desc);

KUNIT_DEFINE_ACTION_WRAPPER(usk_unregister, kset_unregister, struct kset *);
KUNIT_DEFINE_ACTION_WRAPPER(usk_put, kobject_put, struct kobject *);

static void usk_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type usk_ktype = {
	.release = usk_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/* Write @c->in to a kobject in a kset of its own, as sysfs would. */
static void uevent_synth_write(struct kunit *test)
{
	const struct usk_case *c = test->param_value;
	struct kobject *kobj;
	struct kset *kset;

	kset = kset_create_and_add("uevent_synth_kunit", NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, kset);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, usk_unregister,
							kset), 0);
	kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kobj);
	kobject_init(kobj, &usk_ktype);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, usk_put, kobj),
			0);
	kobj->kset = kset;
	KUNIT_ASSERT_EQ(test, kobject_add(kobj, NULL, "dev0"), 0);

	KUNIT_EXPECT_EQ(test, kobject_synth_uevent(kobj, c->in, strlen(c->in)),
			c->ret);
}

static struct kunit_case uevent_synth_cases[] = {
	KUNIT_CASE_PARAM(uevent_synth_write, usk_gen_params),
	{}
};

static struct kunit_suite uevent_synth_suite = {
	.name = "kobject_uevent_synth",
	.test_cases = uevent_synth_cases,
};

kunit_test_suite(uevent_synth_suite);

MODULE_DESCRIPTION("KUnit tests for writes to uevent attributes");
MODULE_LICENSE("GPL");

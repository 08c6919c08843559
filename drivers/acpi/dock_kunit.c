// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KUnit tests of the dock station's uevents; included by dock.c.
 *
 * The dock station under test has a platform device registered by the
 * test and dependent devices that are ACPI device objects with nothing
 * but a hotplug context, so no ACPI dock is needed.  The events are read
 * back from a uevent socket, byte for byte, and each dependent's uevent
 * callback looks whether the station's event has reached it yet.
 */

#include <kunit/platform_device.h>
#include <kunit/test.h>
#include <kunit/uevent.h>

#define DOCK_KUNIT_DEPS	2

struct dock_kunit {
	struct dock_station ds;
	struct acpi_hotplug_context hp;
	struct acpi_device adev[DOCK_KUNIT_DEPS];
	struct dock_dependent_device dd[DOCK_KUNIT_DEPS];
	struct socket *sock;
	const char *devpath;
	char *buf;
	int len;			/* of the station's event in @buf */
	int calls;
	struct acpi_device *called[DOCK_KUNIT_DEPS];
	u32 event[DOCK_KUNIT_DEPS];
	bool sent[DOCK_KUNIT_DEPS];	/* station's event seen at the call */
};

/* The dependents' callback has no context argument. */
static struct dock_kunit *dock_kunit_ctx;

static void dock_kunit_dep_uevent(struct acpi_device *adev, u32 event)
{
	struct dock_kunit *ctx = dock_kunit_ctx;
	int i = ctx->calls++;

	if (i >= DOCK_KUNIT_DEPS)
		return;
	if (!ctx->len)
		ctx->len = kunit_uevent_next(ctx->sock, ctx->devpath,
					     ctx->buf);
	ctx->called[i] = adev;
	ctx->event[i] = event;
	ctx->sent[i] = ctx->len > 0;
}

static void dock_kunit_clear_ctx(void *unused)
{
	dock_kunit_ctx = NULL;
}

static int dock_kunit_init(struct kunit *test)
{
	struct platform_device *pdev;
	struct dock_kunit *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, KUNIT_UEVENT_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);

	pdev = kunit_platform_device_alloc(test, "dock", PLATFORM_DEVID_AUTO);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, pdev), 0);
	ctx->ds.dock_device = pdev;
	INIT_LIST_HEAD(&ctx->ds.dependent_devices);
	ctx->hp.uevent = dock_kunit_dep_uevent;

	ctx->devpath = kunit_uevent_devpath(test, &pdev->dev.kobj);
	ctx->sock = kunit_uevent_listen(test);
	dock_kunit_ctx = ctx;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							dock_kunit_clear_ctx,
							NULL), 0);
	test->priv = ctx;
	return 0;
}

struct dock_kunit_case {
	const char *desc;
	int num;		/* DOCK_EVENT or UNDOCK_EVENT */
	u32 event;		/* the ACPI notification */
	int deps;
	const char *var;
};

static const struct dock_kunit_case dock_kunit_cases[] = {
	{ "dock", DOCK_EVENT, ACPI_NOTIFY_BUS_CHECK, 2, "EVENT=dock" },
	{ "undock", UNDOCK_EVENT, ACPI_NOTIFY_EJECT_REQUEST, 2,
	  "EVENT=undock" },
	{ "dock, one dependent", DOCK_EVENT, ACPI_NOTIFY_DEVICE_CHECK, 1,
	  "EVENT=dock" },
	{ "dock, no dependents", DOCK_EVENT, ACPI_NOTIFY_BUS_CHECK, 0,
	  "EVENT=dock" },
	{ "undock, no dependents", UNDOCK_EVENT, ACPI_NOTIFY_EJECT_REQUEST, 0,
	  "EVENT=undock" },
};

KUNIT_ARRAY_PARAM_DESC(dock_kunit, dock_kunit_cases, desc);

/*
 * dock_event() sends one change event on the station's device, with
 * exactly the bytes below, before the dependents' callbacks for a dock
 * and after them for an undock; every dependent is called once, in
 * list order, with the ACPI notification.
 */
static void dock_uevent_order(struct kunit *test)
{
	const struct dock_kunit_case *c = test->param_value;
	struct dock_kunit *ctx = test->priv;
	char *devpath = kunit_kzalloc(test, KUNIT_UEVENT_MSG_MAX, GFP_KERNEL);
	const char *vars[6] = {
		"ACTION=change",
		devpath,
		"SUBSYSTEM=platform",
		c->var,
		"MODALIAS=platform:dock",
		NULL
	};
	int i;

	KUNIT_ASSERT_NOT_NULL(test, devpath);
	snprintf(devpath, KUNIT_UEVENT_MSG_MAX, "DEVPATH=%s", ctx->devpath);
	for (i = 0; i < c->deps; i++) {
		acpi_set_hp_context(&ctx->adev[i], &ctx->hp);
		ctx->dd[i].adev = &ctx->adev[i];
		list_add_tail(&ctx->dd[i].list, &ctx->ds.dependent_devices);
	}

	dock_event(&ctx->ds, c->event, c->num);

	KUNIT_EXPECT_EQ(test, ctx->calls, c->deps);
	for (i = 0; i < min(ctx->calls, c->deps); i++) {
		KUNIT_EXPECT_PTR_EQ(test, ctx->called[i], &ctx->adev[i]);
		KUNIT_EXPECT_EQ(test, ctx->event[i], c->event);
		KUNIT_EXPECT_EQ_MSG(test, ctx->sent[i], c->num == DOCK_EVENT,
				    "dependent %d called %s the station's event",
				    i, ctx->sent[i] ? "after" : "before");
	}
	if (!ctx->len)
		ctx->len = kunit_uevent_next(ctx->sock, ctx->devpath, ctx->buf);
	KUNIT_ASSERT_GT(test, ctx->len, 0);
	kunit_uevent_expect(test, ctx->buf, ctx->len, "change", ctx->devpath,
			    vars);
	/* Exactly one event. */
	KUNIT_EXPECT_EQ(test, kunit_uevent_next(ctx->sock, ctx->devpath,
						ctx->buf), 0);
}

static struct kunit_case dock_kunit_test_cases[] = {
	KUNIT_CASE_PARAM(dock_uevent_order, dock_kunit_gen_params),
	{}
};

static struct kunit_suite dock_kunit_suite = {
	.name = "acpi_dock_uevent",
	.init = dock_kunit_init,
	.test_cases = dock_kunit_test_cases,
};

kunit_test_suite(dock_kunit_suite);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

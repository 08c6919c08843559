// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of GFS2's uevents; included by sys.c.
 *
 * A file system object with only what the uevent hook and the event
 * senders read (lock table and protocol, journal id, UUID, read-only and
 * spectator flags) is added to /sys/fs/gfs2 without a block device or a
 * cluster, and its events are read back from a uevent socket byte for
 * byte: the core's variables, then the caller's, then the hook's.
 * What needs a mounted file system (the add event, recovery, withdraw)
 * is left to the guest tests.
 */

#include <kunit/test.h>
#include <kunit/uevent.h>

static const uuid_t gfs2_kunit_uuid =
	UUID_INIT(0x0a1b2c3d, 0x4e5f, 0x6a7b, 0x8c, 0x9d, 0xae, 0xbf,
		  0xc0, 0xd1, 0xe2, 0xf3);
#define GFS2_KUNIT_UUID	"UUID=0A1B2C3D-4E5F-6A7B-8C9D-AEBFC0D1E2F3"

struct gfs2_kunit {
	struct gfs2_sbd *sdp;
	struct super_block *sb;
	struct socket *sock;
	char *buf;
	char *devpath;
	const char *vars[12];
	int nvars;
};

static void gfs2_kunit_release(struct kobject *kobj)
{
	struct gfs2_sbd *sdp = container_of(kobj, struct gfs2_sbd, sd_kobj);

	complete(&sdp->sd_kobj_unregister);
}

static const struct kobj_type gfs2_kunit_ktype = {
	.release = gfs2_kunit_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/* As gfs2_sys_fs_del(): the object is gone before its memory. */
static void gfs2_kunit_put(void *data)
{
	struct gfs2_sbd *sdp = data;

	kobject_put(&sdp->sd_kobj);
	wait_for_completion(&sdp->sd_kobj_unregister);
}

struct gfs2_kunit_case {
	const char *desc;
	const char *table;
	const char *proto;
	int jid;
	bool nojournalid;	/* the lock module has not told the jid */
	bool uuid;
	bool rdonly;
	bool spectator;
	const char *const *caller;
	const char *const *hook;	/* what the hook must add, in order */
};

/* Add the case's file system object to gfs2_kset and start listening. */
static struct gfs2_kunit *gfs2_kunit_fs(struct kunit *test,
					const struct gfs2_kunit_case *c)
{
	struct gfs2_kunit *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, KUNIT_UEVENT_MSG_MAX, GFP_KERNEL);
	ctx->sdp = kunit_kzalloc(test, sizeof(*ctx->sdp), GFP_KERNEL);
	ctx->sb = kunit_kzalloc(test, sizeof(*ctx->sb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	KUNIT_ASSERT_NOT_NULL(test, ctx->sdp);
	KUNIT_ASSERT_NOT_NULL(test, ctx->sb);

	if (c->uuid)
		uuid_copy(&ctx->sb->s_uuid, &gfs2_kunit_uuid);
	if (c->rdonly)
		ctx->sb->s_flags |= SB_RDONLY;
	ctx->sdp->sd_vfs = ctx->sb;
	ctx->sdp->sd_args.ar_spectator = c->spectator;
	strscpy(ctx->sdp->sd_table_name, c->table);
	strscpy(ctx->sdp->sd_proto_name, c->proto);
	ctx->sdp->sd_lockstruct.ls_jid = c->jid;
	if (c->nojournalid)
		set_bit(SDF_NOJOURNALID, &ctx->sdp->sd_flags);

	ctx->sdp->sd_kobj.kset = gfs2_kset;
	init_completion(&ctx->sdp->sd_kobj_unregister);
	kobject_init(&ctx->sdp->sd_kobj, &gfs2_kunit_ktype);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, gfs2_kunit_put,
							ctx->sdp), 0);
	KUNIT_ASSERT_EQ(test, kobject_add(&ctx->sdp->sd_kobj, NULL, "%s",
					  c->table), 0);
	ctx->devpath = kunit_uevent_devpath(test, &ctx->sdp->sd_kobj);
	ctx->sock = kunit_uevent_listen(test);
	return ctx;
}

/* Append to the expected variables; the array ends with a NULL. */
static void gfs2_kunit_want(struct kunit *test, struct gfs2_kunit *ctx,
			    const char *var)
{
	KUNIT_ASSERT_LT(test, ctx->nvars, (int)ARRAY_SIZE(ctx->vars) - 1);
	ctx->vars[ctx->nvars++] = var;
}

static void gfs2_kunit_want_all(struct kunit *test, struct gfs2_kunit *ctx,
				const char *const *vars)
{
	for (; vars && *vars; vars++)
		gfs2_kunit_want(test, ctx, *vars);
}

/* The core's ACTION, DEVPATH and SUBSYSTEM of an event of @ctx. */
static void gfs2_kunit_want_core(struct kunit *test, struct gfs2_kunit *ctx,
				 const char *action)
{
	size_t size = KUNIT_UEVENT_MSG_MAX;
	char *var = kunit_kzalloc(test, 2 * size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, var);
	snprintf(var, size, "ACTION=%s", action);
	gfs2_kunit_want(test, ctx, var);
	snprintf(var + size, size, "DEVPATH=%s", ctx->devpath);
	gfs2_kunit_want(test, ctx, var + size);
	gfs2_kunit_want(test, ctx, "SUBSYSTEM=gfs2");
}

/* The one event about @ctx's object is exactly @action and ctx->vars. */
static void gfs2_kunit_expect(struct kunit *test, struct gfs2_kunit *ctx,
			      const char *action)
{
	int len = kunit_uevent_next(ctx->sock, ctx->devpath, ctx->buf);

	KUNIT_ASSERT_GT(test, len, 0);
	kunit_uevent_expect(test, ctx->buf, len, action, ctx->devpath,
			    ctx->vars);
	KUNIT_EXPECT_EQ(test, kunit_uevent_next(ctx->sock, ctx->devpath,
						ctx->buf), 0);
}

static const char *const gfs2_kunit_caller[] = { "JID=1", "RECOVERY=Done",
						 NULL };

static const char *const gfs2_kunit_nolock[] = {
	"LOCKTABLE=kunit:nolock", "LOCKPROTO=lock_nolock", GFS2_KUNIT_UUID,
	NULL
};

static const char *const gfs2_kunit_dlm[] = {
	"LOCKTABLE=kunit:dlm", "LOCKPROTO=lock_dlm", "JOURNALID=3",
	GFS2_KUNIT_UUID, NULL
};

static const char *const gfs2_kunit_nojid[] = {
	"LOCKTABLE=kunit:nojid", "LOCKPROTO=lock_dlm", GFS2_KUNIT_UUID, NULL
};

static const char *const gfs2_kunit_nouuid[] = {
	"LOCKTABLE=kunit:nouuid", "LOCKPROTO=lock_dlm", "JOURNALID=0", NULL
};

static const char *const gfs2_kunit_bare[] = {
	"LOCKTABLE=kunit:bare", "LOCKPROTO=lock_dlm", NULL
};

static const struct gfs2_kunit_case gfs2_kunit_cases[] = {
	/* lock_nolock never gives a journal id. */
	{ "lock_nolock", "kunit:nolock", "lock_nolock", 0, true, true,
	  false, false, NULL, gfs2_kunit_nolock },
	{ "lock_dlm, caller's variables first", "kunit:dlm", "lock_dlm", 3,
	  false, true, true, true, gfs2_kunit_caller, gfs2_kunit_dlm },
	{ "no journal id yet", "kunit:nojid", "lock_dlm", 2, true, true,
	  false, false, gfs2_kunit_caller, gfs2_kunit_nojid },
	{ "null UUID", "kunit:nouuid", "lock_dlm", 0, false, false,
	  false, true, NULL, gfs2_kunit_nouuid },
	{ "no journal id, null UUID", "kunit:bare", "lock_dlm", 0, true,
	  false, false, false, NULL, gfs2_kunit_bare },
};

KUNIT_ARRAY_PARAM_DESC(gfs2_kunit, gfs2_kunit_cases, desc);

/*
 * Any event of a GFS2 object: the core's variables, the caller's, then
 * LOCKTABLE, LOCKPROTO, JOURNALID unless SDF_NOJOURNALID, and UUID
 * unless it is null.
 */
static void gfs2_uevent_hook(struct kunit *test)
{
	const struct gfs2_kunit_case *c = test->param_value;
	struct gfs2_kunit *ctx = gfs2_kunit_fs(test, c);
	char *caller[4] = { };	/* kobject_uevent_env() takes char *[] */
	int i;

	for (i = 0; c->caller && c->caller[i]; i++) {
		KUNIT_ASSERT_LT(test, i, (int)ARRAY_SIZE(caller) - 1);
		caller[i] = (char *)c->caller[i];
	}
	gfs2_kunit_want_core(test, ctx, "change");
	gfs2_kunit_want_all(test, ctx, c->caller);
	gfs2_kunit_want_all(test, ctx, c->hook);
	KUNIT_ASSERT_EQ(test, kobject_uevent_env(&ctx->sdp->sd_kobj,
						 KOBJ_CHANGE, caller), 0);
	gfs2_kunit_expect(test, ctx, "change");
}

/*
 * The online event sent at the end of a mount and a remount: RDONLY and
 * SPECTATOR, then the hook's variables.
 */
static void gfs2_uevent_online(struct kunit *test)
{
	const struct gfs2_kunit_case *c = test->param_value;
	struct gfs2_kunit *ctx = gfs2_kunit_fs(test, c);

	gfs2_kunit_want_core(test, ctx, "online");
	gfs2_kunit_want(test, ctx, c->rdonly ? "RDONLY=1" : "RDONLY=0");
	gfs2_kunit_want(test, ctx, c->spectator ? "SPECTATOR=1" :
			"SPECTATOR=0");
	gfs2_kunit_want_all(test, ctx, c->hook);
	gfs2_online_uevent(ctx->sdp);
	gfs2_kunit_expect(test, ctx, "online");
}

static struct kunit_case gfs2_kunit_test_cases[] = {
	KUNIT_CASE_PARAM(gfs2_uevent_hook, gfs2_kunit_gen_params),
	KUNIT_CASE_PARAM(gfs2_uevent_online, gfs2_kunit_gen_params),
	{}
};

static struct kunit_suite gfs2_kunit_suite = {
	.name = "gfs2_uevent",
	.test_cases = gfs2_kunit_test_cases,
};

kunit_test_suite(gfs2_kunit_suite);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

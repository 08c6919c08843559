/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel uevents: an event sent (with who sent it), its delivery to the
 * listeners of one network namespace, and an event dropped before it
 * was sent.  The text format is described in
 * Documentation/ABI/testing/tracefs-uevent.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM uevent

#if !defined(_TRACE_UEVENT_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_UEVENT_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#ifndef _TRACE_UEVENT_ENUMS
#define _TRACE_UEVENT_ENUMS
/* Where an event came from. */
enum uevent_origin {
	UEVENT_ORIGIN_KERNEL,	/* kobject_uevent_env() and friends */
	UEVENT_ORIGIN_SYNTH,	/* a write to a sysfs "uevent" attribute */
	UEVENT_ORIGIN_INJECT,	/* a message written to a uevent socket */
	UEVENT_ORIGIN_DEFERRED,	/* kobject_uevent_env_deferred() */
};

/* Why an event was not sent; see kobject_uevent_env(). */
enum uevent_drop_reason {
	UEVENT_DROP_SUPPRESSED,		/* kobject->uevent_suppress */
	UEVENT_DROP_FILTERED,		/* the kset's filter() hook */
	UEVENT_DROP_NO_SUBSYSTEM,	/* the kset's name() hook */
	UEVENT_DROP_NO_KSET,		/* no kset above the kobject */
	UEVENT_DROP_NO_NAME,		/* a kobject on the path has no name */
	UEVENT_DROP_NO_ROOM,		/* the environment is full */
	UEVENT_DROP_NO_MEMORY,		/* an allocation failed */
	UEVENT_DROP_HOOK_ERROR,		/* the kset's uevent() hook failed */
	UEVENT_DROP_DEFER_FULL,		/* too many deferred events pending */
	UEVENT_DROP_REMOVED,		/* deferred, kobject left sysfs first */
	UEVENT_DROP_MAX,
};
#endif

TRACE_DEFINE_ENUM(UEVENT_ORIGIN_KERNEL);
TRACE_DEFINE_ENUM(UEVENT_ORIGIN_SYNTH);
TRACE_DEFINE_ENUM(UEVENT_ORIGIN_INJECT);
TRACE_DEFINE_ENUM(UEVENT_ORIGIN_DEFERRED);
TRACE_DEFINE_ENUM(UEVENT_DROP_SUPPRESSED);
TRACE_DEFINE_ENUM(UEVENT_DROP_FILTERED);
TRACE_DEFINE_ENUM(UEVENT_DROP_NO_SUBSYSTEM);
TRACE_DEFINE_ENUM(UEVENT_DROP_NO_KSET);
TRACE_DEFINE_ENUM(UEVENT_DROP_NO_NAME);
TRACE_DEFINE_ENUM(UEVENT_DROP_NO_ROOM);
TRACE_DEFINE_ENUM(UEVENT_DROP_NO_MEMORY);
TRACE_DEFINE_ENUM(UEVENT_DROP_HOOK_ERROR);
TRACE_DEFINE_ENUM(UEVENT_DROP_DEFER_FULL);
TRACE_DEFINE_ENUM(UEVENT_DROP_REMOVED);

/**
 * uevent_send - An event took its SEQNUM and is on its way to listeners.
 * @seqnum: Its SEQNUM.
 * @action: Its ACTION.
 * @devpath: Its DEVPATH.
 * @subsystem: Its SUBSYSTEM, or "" if an injected message has none.
 * @size: Bytes of the message a listener receives.
 * @vars: Its variables, SEQNUM included.
 * @origin: Who described it: enum uevent_origin.
 * @synth_uuid: SYNTH_UUID of a synthetic event, else "".
 * @netns: Inode number of the one network namespace it is sent to, or
 *	0 for an event sent to every namespace of the initial user namespace.
 * @pid: The task that sent it or, for a deferred event, queued it; 0
 *	if it was queued from interrupt context.
 * @comm: That task's comm, or "<hardirq>" or "<softirq>".
 */
TRACE_EVENT(uevent_send,
	    TP_PROTO(u64 seqnum, const char *action, const char *devpath,
		     const char *subsystem, unsigned int size, unsigned int vars,
		     enum uevent_origin origin, const char *synth_uuid,
		     unsigned int netns, pid_t pid, const char *comm),
	    TP_ARGS(seqnum, action, devpath, subsystem, size, vars, origin,
		    synth_uuid, netns, pid, comm),
	    TP_STRUCT__entry(__field(u64, seqnum)
			     __string(action, action)
			     __string(devpath, devpath)
			     __string(subsystem, subsystem)
			     __field(unsigned int, size)
			     __field(unsigned int, vars)
			     __field(int, origin)
			     __string(synth_uuid, synth_uuid)
			     __field(unsigned int, netns)
			     __field(pid_t, pid)
			     __array(char, comm, TASK_COMM_LEN)),
	    TP_fast_assign(__entry->seqnum = seqnum;
			   __assign_str(action);
			   __assign_str(devpath);
			   __assign_str(subsystem);
			   __entry->size = size;
			   __entry->vars = vars;
			   __entry->origin = origin;
			   __assign_str(synth_uuid);
			   __entry->netns = netns;
			   __entry->pid = pid;
			   strscpy(__entry->comm, comm, TASK_COMM_LEN);),
	    TP_printk("seqnum=%llu action=%s devpath=%s subsystem=%s size=%u vars=%u origin=%s synth_uuid=%s netns=%u pid=%d comm=%s",
		      __entry->seqnum, __get_str(action), __get_str(devpath),
		      __get_str(subsystem), __entry->size, __entry->vars,
		      __print_symbolic(__entry->origin,
				       { UEVENT_ORIGIN_KERNEL, "kernel" },
				       { UEVENT_ORIGIN_SYNTH, "synth" },
				       { UEVENT_ORIGIN_INJECT, "inject" },
				       { UEVENT_ORIGIN_DEFERRED, "deferred" }),
		      __get_str(synth_uuid), __entry->netns, __entry->pid,
		      __entry->comm)
);

/**
 * uevent_deliver - An event was handed to one namespace's listeners.
 * @seqnum: Its SEQNUM.
 * @netns: Inode number of the network namespace.
 * @listeners: Sockets it was queued to.
 * @overflowed: Sockets whose receive queue had no room for it.
 * @filtered: Sockets whose subscriptions did not take it.
 */
TRACE_EVENT(uevent_deliver,
	    TP_PROTO(u64 seqnum, unsigned int netns, unsigned int listeners,
		     unsigned int overflowed, unsigned int filtered),
	    TP_ARGS(seqnum, netns, listeners, overflowed, filtered),
	    TP_STRUCT__entry(__field(u64, seqnum)
			     __field(unsigned int, netns)
			     __field(unsigned int, listeners)
			     __field(unsigned int, overflowed)
			     __field(unsigned int, filtered)),
	    TP_fast_assign(__entry->seqnum = seqnum;
			   __entry->netns = netns;
			   __entry->listeners = listeners;
			   __entry->overflowed = overflowed;
			   __entry->filtered = filtered;),
	    TP_printk("seqnum=%llu netns=%u listeners=%u overflowed=%u filtered=%u",
		      __entry->seqnum, __entry->netns, __entry->listeners,
		      __entry->overflowed, __entry->filtered)
);

/**
 * uevent_drop - An event was not sent.
 * @action: Its ACTION.
 * @devpath: Its DEVPATH, or the kobject's name if there is no path.
 * @subsystem: Its SUBSYSTEM, or "" if not known yet.
 * @reason: Why: enum uevent_drop_reason.
 * @error: What the sender was returned: 0 or a negative errno.
 * @pid: As for uevent_send: the task that tried to send or queue it.
 * @comm: As for uevent_send.
 */
TRACE_EVENT(uevent_drop,
	    TP_PROTO(const char *action, const char *devpath,
		     const char *subsystem, enum uevent_drop_reason reason,
		     int error, pid_t pid, const char *comm),
	    TP_ARGS(action, devpath, subsystem, reason, error, pid, comm),
	    TP_STRUCT__entry(__string(action, action)
			     __string(devpath, devpath)
			     __string(subsystem, subsystem)
			     __field(int, reason)
			     __field(int, error)
			     __field(pid_t, pid)
			     __array(char, comm, TASK_COMM_LEN)),
	    TP_fast_assign(__assign_str(action);
			   __assign_str(devpath);
			   __assign_str(subsystem);
			   __entry->reason = reason;
			   __entry->error = error;
			   __entry->pid = pid;
			   strscpy(__entry->comm, comm, TASK_COMM_LEN);),
	    TP_printk("action=%s devpath=%s subsystem=%s reason=%s error=%d pid=%d comm=%s",
		      __get_str(action), __get_str(devpath), __get_str(subsystem),
		      __print_symbolic(__entry->reason,
				       { UEVENT_DROP_SUPPRESSED, "suppressed" },
				       { UEVENT_DROP_FILTERED, "filtered" },
				       { UEVENT_DROP_NO_SUBSYSTEM, "no_subsystem" },
				       { UEVENT_DROP_NO_KSET, "no_kset" },
				       { UEVENT_DROP_NO_NAME, "no_name" },
				       { UEVENT_DROP_NO_ROOM, "no_room" },
				       { UEVENT_DROP_NO_MEMORY, "no_memory" },
				       { UEVENT_DROP_HOOK_ERROR, "hook_error" },
				       { UEVENT_DROP_DEFER_FULL, "defer_full" },
				       { UEVENT_DROP_REMOVED, "removed" }),
		      __entry->error, __entry->pid, __entry->comm)
);

#endif /* _TRACE_UEVENT_H */

/* This part must be outside protection */
#include <trace/define_trace.h>

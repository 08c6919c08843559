#!/bin/sh
# Guest side of "series/uev bench": the same measurements on whichever
# kernel booted.  Every result line starts with "uevent_bench: ".
#
# Listener setups: none; one, two or four uevmon in the initial network
# namespace; one uevmon in each of four network namespaces (netns4);
# one uevmon while an unprivileged user floods injections into its own
# user and network namespace through 64 filtered, never-read sockets
# (flood: compare with one); one uevmon subscribed to a subsystem that
# sends nothing (subscribed: compare with none and one; on a kernel
# without subscriptions it filters in user space, as one does).
events=$(sed -n 's/.*uev\.events=\([0-9]*\).*/\1/p' /proc/cmdline)
events=${events:-20000}
buf=67108864

# uev.profile: the per-phase profile instead ("series/uev bench
# --profile", on a kernel built with series/profile/): no listener, then
# one listener, and only the profile module.  The listener is stopped
# while the module sends, so that only the sender's work is measured;
# its 64 MiB receive buffer holds every event.
if grep -q 'uev\.profile' /proc/cmdline; then
	for setup in none one; do
		pid=
		if [ "$setup" = one ]; then
			uevmon --quiet --buffer $buf >/dev/null 2>&1 &
			pid=$!
			sleep 1
			kill -STOP $pid
		fi
		sleep 1
		insmod /lib/uevent_prof_bench.ko events="$events" label="$setup"
		rmmod uevent_prof_bench
		if [ -n "$pid" ]; then
			kill -CONT $pid
			kill -INT $pid
		fi
		wait
	done
	dmesg | grep 'uevent_bench: label='
	exit 0
fi

# uev.noflood leaves the flood out (the icount runs: emulating the
# flood's filters on one host thread takes minutes per kernel).
setups="none one two four netns4 flood subscribed"
grep -q 'uev\.noflood' /proc/cmdline &&
	setups="none one two four netns4 subscribed"

for setup in $setups; do
	pids=
	case "$setup" in
	one)
		uevmon --quiet --summary --buffer $buf > /tmp/mon.one 2>/dev/null &
		pids=$!
		;;
	two|four)
		n=2
		[ "$setup" = four ] && n=4
		for i in $(seq $n); do
			uevmon --quiet --buffer $buf >/dev/null 2>&1 &
			pids="$pids $!"
		done
		;;
	subscribed)
		uevmon --quiet --summary --subsystem uevent_bench_none \
			--buffer $buf > /tmp/mon.subscribed \
			2> /tmp/mon.subscribed.err &
		pids=$!
		;;
	netns4)
		for i in 1 2 3 4; do
			unshare -n uevmon --quiet --buffer $buf >/dev/null 2>&1 &
			pids="$pids $!"
		done
		;;
	flood)
		uevflood > /tmp/flood.out 2>&1 &
		pids=$!
		i=0
		while ! grep -q ready /tmp/flood.out && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		uevmon --quiet --summary --buffer $buf > /tmp/mon.flood 2>/dev/null &
		pids="$pids $!"
		;;
	esac
	sleep 1
	insmod /lib/uevent_bench.ko events="$events" label="$setup"
	rmmod uevent_bench
	if [ "$setup" != netns4 ] && [ "$setup" != subscribed ]; then
		for w in 1 2 4; do
			uevwrite -w $w -n "$events" |
				sed "s/^uevwrite: /uevent_bench: label=$setup e2e /"
		done
	fi
	sleep 1
	[ -n "$pids" ] && kill -INT $pids
	wait
	case "$setup" in
	one|flood)
		sed "s/^/uevent_bench: label=$setup monitor /" /tmp/mon.$setup
		;;
	esac
	[ "$setup" = flood ] && sed -n "s/^uevflood: /uevent_bench: label=flood flooder /p" /tmp/flood.out
	[ "$setup" = subscribed ] &&
		sed -n "s/^uevmon: /uevent_bench: label=subscribed uevmon /p" \
			/tmp/mon.subscribed.err
done
dmesg | grep 'uevent_bench: label='

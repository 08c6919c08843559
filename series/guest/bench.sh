#!/bin/sh
# Guest side of "series/uev bench": the same measurements on whichever
# kernel booted.  Every result line starts with "uevent_bench: ".
events=$(sed -n 's/.*uev\.events=\([0-9]*\).*/\1/p' /proc/cmdline)
events=${events:-20000}
buf=67108864

for setup in none one netns4; do
	pids=
	case "$setup" in
	one)
		uevmon --quiet --summary --buffer $buf > /tmp/mon.one 2>/dev/null &
		pids=$!
		;;
	netns4)
		for i in 1 2 3 4; do
			unshare -n uevmon --quiet --buffer $buf >/dev/null 2>&1 &
			pids="$pids $!"
		done
		;;
	esac
	sleep 1
	insmod /lib/uevent_bench.ko events="$events" label="$setup"
	rmmod uevent_bench
	if [ "$setup" != netns4 ]; then
		for w in 1 4; do
			uevwrite -w $w -n "$events" |
				sed "s/^uevwrite: /uevent_bench: label=$setup e2e /"
		done
	fi
	sleep 1
	[ -n "$pids" ] && kill -INT $pids
	wait
	[ "$setup" = one ] && sed "s/^/uevent_bench: label=one monitor /" /tmp/mon.one
done
dmesg | grep 'uevent_bench: label='

#!/bin/sh
# Guest test: real uevent clients side by side with uevmon.
#
# Debian's "udevadm monitor --kernel --property" and busybox "mdev -d"
# (/etc/mdev.conf: loop device nodes under /dev/mdev/, every event it
# handles logged) run next to uevmon while the guest adds, renames and
# removes a dummy network device, attaches and detaches a loop device
# and writes synthetic uevents.  Two synthetic change events on lo
# (SYNTH_ARG_UEVCLIENTS=begin, =end) mark the window.
#
# Prints KTAP for what the guest can see itself, then the events each
# client received or handled, one "# CLIENT: SEQNUM ACTION DEVPATH
# [MARK]" line each: the host checks that udevadm and mdev got exactly
# the events uevmon got in the window.

T=/tmp/clients
MARK_UUID=0c1e0175-0000-4000-8000-00000000c11e
mkdir -p $T
n=0
failed=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n $2 # SKIP $1"
}

# until_ok SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds.
until_ok() {
	tries=$(($1 * 10))
	shift
	while ! "$@"; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

mark() {
	echo "change $MARK_UUID UEVCLIENTS=$1" > /sys/class/net/lo/uevent
}

# seen CLIENT MARK: CLIENT got the marker event MARK.
seen() {
	if [ "$1" = mdev ]; then
		grep -q " $2\$" $T/mdev.handled 2>/dev/null
	else
		grep -q "^SYNTH_ARG_UEVCLIENTS=$2\$" $T/$1.out
	fi
}

# Events as "SEQNUM ACTION DEVPATH [MARK]" from the property blocks
# that uevmon and udevadm print alike.
records() {
	awk -v who="$1" '
	/^ACTION=/ { action = substr($0, 8) }
	/^DEVPATH=/ { devpath = substr($0, 9) }
	/^SEQNUM=/ { seqnum = substr($0, 8) }
	/^SYNTH_ARG_UEVCLIENTS=/ { mark = " " substr($0, 22) }
	/^$/ {
		if (seqnum != "")
			printf "# %s: %s %s %s%s\n", who, seqnum, action, devpath, mark
		action = devpath = seqnum = mark = ""
	}' $T/$1.out
}

echo "TAP version 13"
echo "1..13"

uevmon > $T/uevmon.out 2> $T/uevmon.err &
uevmon=$!
udevadm monitor --kernel --property > $T/udevadm.out 2>&1 &
udevadm=$!
mdev -v -d -f > $T/mdev.err 2>&1 &
mdev=$!

# udevadm prints this line once its socket is bound; mdev -d binds its
# socket, then creates the nodes of the devices already there.
until_ok 30 grep -q '^KERNEL - the kernel uevent' $T/udevadm.out
until_ok 30 test -b /dev/mdev/loop0
sleep 1
mark begin
until_ok 10 seen uevmon begin
result $? "uevmon is listening"
until_ok 10 seen udevadm begin
result $? "udevadm monitor --kernel --property is listening"
test -b /dev/mdev/loop0 && until_ok 10 seen mdev begin
result $? "mdev -d created /dev/mdev/loop0 at start and is listening"

ip link add uevc0 type dummy &&
	ip link set uevc0 name uevc1 &&
	ip link del uevc1
result $? "dummy network device added, renamed and removed"

dd if=/dev/zero of=$T/disk.img bs=1024 count=1024 2>/dev/null &&
	losetup /dev/loop0 $T/disk.img &&
	losetup -d /dev/loop0
result $? "loop device attached and detached"

echo remove > /sys/block/loop0/uevent &&
	until_ok 10 test ! -e /dev/mdev/loop0
result $? "mdev removed /dev/mdev/loop0 on a synthetic remove"

echo "add $MARK_UUID UEVCLIENTSADD=1" > /sys/block/loop0/uevent &&
	until_ok 10 test -b /dev/mdev/loop0
result $? "mdev created /dev/mdev/loop0 on a synthetic add (UUID, arguments)"

mark end
until_ok 10 seen uevmon end && until_ok 10 seen udevadm end &&
	until_ok 10 seen mdev end
result $? "uevmon, udevadm and mdev got the end of the window"

kill -INT $uevmon $udevadm
kill -TERM $mdev
(sleep 10; kill -KILL $uevmon $udevadm $mdev 2>/dev/null) &
killer=$!
wait $uevmon $udevadm $mdev
kill $killer 2>/dev/null

# The recovering clients, stopped while 4000 events pass: their sockets
# overflow, and they read what they missed back from /dev/uevent.
REC_DEV=/devices/virtual/net/uevrec0
recovered_all() {
	[ "$(grep -c " change $REC_DEV" $T/rec.out)" -eq 4000 ] &&
		grep -q " change $REC_DEV (recovered)\$" $T/rec.out
}
if [ -e /dev/uevent ] && ip link add uevrec0 type dummy; then
	uevrecover > $T/rec.out 2>&1 &
	rec=$!
	uevmon -q -S -s net -c 4000 -b 65536 > $T/rmon.out 2> $T/rmon.err &
	rmon=$!
	sleep 1
	kill -STOP $rec $rmon
	first=$(($(cat /sys/kernel/uevent_seqnum) + 1))
	uevwrite -n 4000 /sys/class/net/uevrec0/uevent > /dev/null
	kill -CONT $rec $rmon
	until_ok 60 recovered_all
	result $? "uevrecover, stopped while 4000 events passed, printed each"
	until_ok 60 eval '! kill -0 $rmon 2>/dev/null' &&
		grep -q "shown 4000,.*ENOBUFS [1-9].*recovered [1-9][0-9]*, unrecoverable 0," \
			$T/rmon.out
	result $? "uevmon, stopped while 4000 events passed, recovered the lost ones"
	kill $rec $rmon 2>/dev/null
	uevmon --replay --from $first -s net -q -S > $T/replay.out 2>&1
	grep -q "^summary: received [0-9]*, shown 4000," $T/replay.out
	result $? "uevmon --replay --from printed the 4000 retained events"
	sed 's/^/# uevmon: /' $T/rmon.out $T/replay.out
	grep -c "(recovered)" $T/rec.out | sed 's/^/# uevrecover: recovered /'
	ip link del uevrec0
else
	skip "no /dev/uevent" "uevrecover, stopped while 4000 events passed, printed each"
	skip "no /dev/uevent" "uevmon, stopped while 4000 events passed, recovered the lost ones"
	skip "no /dev/uevent" "uevmon --replay --from printed the 4000 retained events"
fi

# Subscriptions: two uevmon with the same 64 KiB buffer, stopped while
# 100,000 events of lo and 20 of loop0 pass.  The one that subscribed
# to block in the kernel holds the 20 and no ENOBUFS; the one told to
# filter in user space overflowed.
uevmon -q -S -s block -c 20 -b 65536 > $T/sub.out 2> $T/sub.err &
sub=$!
uevmon -q -S -s block --no-kernel-filter --no-recover -b 65536 \
	> $T/nosub.out 2> $T/nosub.err &
nosub=$!
sleep 1
kill -STOP $sub $nosub
uevwrite -n 50000 > /dev/null
for i in $(seq 20); do
	echo change > /sys/block/loop0/uevent
done
uevwrite -n 50000 > /dev/null
kill -CONT $sub $nosub
until_ok 60 eval '! kill -0 $sub 2>/dev/null' &&
	grep -q "filtering in the kernel" $T/sub.err &&
	grep -q "shown 20,.*ENOBUFS 0," $T/sub.out
result $? "uevmon --subsystem block, stopped while 100000 other events passed, got its 20 without ENOBUFS"
until_ok 60 grep -q "ENOBUFS: receive buffer overflowed" $T/nosub.err
kill -INT $nosub
wait $nosub
grep -q "filtering in user space" $T/nosub.err &&
	grep -q "ENOBUFS [1-9]" $T/nosub.out
result $? "uevmon --no-kernel-filter with the same buffer overflowed"
sed 's/^/# uevmon subscribed: /' $T/sub.out $T/sub.err
sed 's/^/# uevmon user-space filter: /' $T/nosub.out $T/nosub.err

records uevmon
records udevadm
sed 's/ *$//; s/^/# mdev: /' $T/mdev.handled 2>/dev/null
if [ $failed -ne 0 ]; then
	tail -n 20 $T/uevmon.err | sed 's/^/# uevmon stderr: /'
	grep -v '^[A-Z_]*=' $T/udevadm.out | tail -n 40 |
		sed 's/^/# udevadm output: /'
	tail -n 40 $T/mdev.err | sed 's/^/# mdev -v: /'
fi
[ $failed -eq 0 ]

#!/bin/sh
# The demo: make the kernel emit real uevents and show them live, the way
# "udevadm monitor --kernel --property" does.

step() {
	sleep 0.5
	printf '\n######## %s\n\n' "$*"
}

echo "uevent demo on Linux $(uname -r); listening with: uevmon --summary"
uevmon --summary &
monitor=$!
sleep 0.5

step "Add a network device: ip link add uevdemo0 type dummy"
ip link add uevdemo0 type dummy

step "Rename it, a move with DEVPATH_OLD: ip link set uevdemo0 name uevdemo1"
ip link set uevdemo0 name uevdemo1

step "Remove it: ip link del uevdemo1"
ip link del uevdemo1

step "Attach a loop device: losetup /dev/loop0 /tmp/disk.img"
dd if=/dev/zero of=/tmp/disk.img bs=1024 count=1024 2>/dev/null
losetup /dev/loop0 /tmp/disk.img

step "Detach it: losetup -d /dev/loop0"
losetup -d /dev/loop0

step "A synthetic uevent with a UUID and arguments:" \
	"echo 'add 6f9619ff-8b86-d011-b42d-00c04fc964ff ACTOR=demo STEP=6' > /sys/class/net/lo/uevent"
echo 'add 6f9619ff-8b86-d011-b42d-00c04fc964ff ACTOR=demo STEP=6' > /sys/class/net/lo/uevent

step "Create a network namespace and add a device in it:" \
	"only a listener inside the namespace sees it (lines marked [netns])"
unshare -n sh -c 'uevmon --timeout 2 --subsystem net | sed "s/^/[netns] /" &
	sleep 0.5; ip link add uevns0 type dummy; wait'

sleep 0.5
kill -INT "$monitor"
wait "$monitor"

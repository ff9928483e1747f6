#!/bin/bash
# PID 1 of one test cluster node. lib.sh starts it as
#   ip netns exec vhct-NODE unshare --mount --uts --ipc --pid --fork --mount-proc node-init.sh NODE STATE_DIR
# so the node has its own network, mounts, host name, IPC and PIDs. Everything Pacemaker and Corosync
# write goes to private copies (STATE_DIR holds the node's persistent disk: corosync.conf, CIB, logs);
# /run, /dev/shm and /tmp are fresh tmpfs, so the token cache (/run/vpc-ha) and the resource state
# (/run/resource-agents) are per node and vanish when the node dies, as on a rebooted instance.
# SIGTERM stops pacemakerd (which stops the resources) then corosync; SIGKILL of this PID kills the
# whole node at once (power cut).
set -u
NODE=$1
DISK=$2

mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock /run/resource-agents && chmod 1777 /run/lock
ln -s /dev/shm /run/shm
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount --bind "$DISK/etc-corosync" /etc/corosync
mount --bind "$DISK/var-lib-pacemaker" /var/lib/pacemaker
mount --bind "$DISK/var-lib-corosync" /var/lib/corosync
# the agents under test at Pacemaker's OCF path, in this node only (ct_node_disk)
mount --bind "$DISK/ocf-resource.d" /usr/lib/ocf/resource.d || { echo "$NODE: cannot mount the OCF agents"; exit 1; }
mount --bind "$DISK/var-log" /var/log
mount --bind "$DISK/hosts" /etc/hosts
# the agents' metrics (metrics_dir's default) in this node's own directory, never the machine's
if [ -d /var/lib/prometheus/node-exporter ]; then
    mkdir -p "$DISK/node-exporter" && chmod 755 "$DISK/node-exporter"
    mount --bind "$DISK/node-exporter" /var/lib/prometheus/node-exporter
fi
# the simulator's CA among the system's: libcurl (fence_ibm_vpc's pycurl) reads this file
mount --bind "$DISK/ca-certificates.crt" /etc/ssl/certs/ca-certificates.crt
hostname "$NODE"
# A boot starts without the addresses a previous life added (the VIP on lo, a secondary IP on eth0,
# which the kernel lists as secondary beside the node's own address of that subnet): the network
# namespace outlives this PID namespace, so forget them here.
ip -4 addr flush dev lo scope global
ip -4 addr flush dev eth0 secondary
echo "$NODE: init $(date +%T.%N)"

if ! corosync -t >/var/log/corosync.stdout 2>&1; then
    echo "$NODE: corosync.conf refused:"; cat /var/log/corosync.stdout
    exit 1
fi
corosync -f >>/var/log/corosync.stdout 2>&1 &
CS=$!
for _ in $(seq 1 100); do corosync-cfgtool -s >/dev/null 2>&1 && break; sleep 0.1; done
echo "$NODE: corosync pid $CS ready $(date +%T.%N)"
QD=""
if grep -q "model: net" /etc/corosync/corosync.conf; then
    # the quorum device's client; its socket and NSS database are private to this node
    mkdir -p /run/corosync-qdevice
    corosync-qdevice -f >>/var/log/corosync-qdevice.stdout 2>&1 &
    QD=$!
    echo "$NODE: corosync-qdevice pid $QD $(date +%T.%N)"
fi
# the resident accelerator's socket, as systemd makes an enabled vpc-ha-agent.socket at boot, before
# Pacemaker (lib.sh, ct_node_disk: the run or the suite is accelerated)
# (run from the node's disk: this script's own folder may be under /tmp, hidden by the node's /tmp)
if [ -f "$DISK/accelerator" ]; then
    if "$DISK/accelerator-activator.sh" "$(cat "$DISK/accelerator")" </dev/null >>/var/log/vpc-ha-agent.log 2>&1; then
        echo "$NODE: accelerator socket $(date +%T.%N)"
    else
        echo "$NODE: no accelerator socket (/var/log/vpc-ha-agent.log)"
    fi
fi
# what /etc/default/pacemaker would add to the agents' environment (a suite's CT_PACEMAKER_ENV)
EXTRA_ENV=()
[ -f "$DISK/pacemaker.env" ] && mapfile -t EXTRA_ENV < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$DISK/pacemaker.env")
# CT_PCMK_DEBUG (e.g. pacemaker-controld): Pacemaker's debug messages of those daemons in its log,
# to see why a run's numbers are what they are (it slows them: not for the measured runs)
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "${EXTRA_ENV[@]}" \
    ${CT_PCMK_DEBUG:+PCMK_debug=$CT_PCMK_DEBUG} pacemakerd >/var/log/pacemakerd.stdout 2>&1 &
PM=$!
echo "$NODE: pacemakerd pid $PM $(date +%T.%N)"

stop_node() {
    echo "$NODE: shutdown $(date +%T.%N)"
    kill -TERM "$PM" 2>/dev/null; wait "$PM" 2>/dev/null
    [ -z "$QD" ] || { kill -TERM "$QD" 2>/dev/null; wait "$QD" 2>/dev/null; }
    kill -TERM "$CS" 2>/dev/null; wait "$CS" 2>/dev/null
    echo "$NODE: stopped $(date +%T.%N)"
    exit 0
}
trap stop_node TERM INT
# PID 1 of a PID namespace: reap orphans; signals without a handler are ignored, hence the trap.
while :; do sleep 1 & wait $!; done

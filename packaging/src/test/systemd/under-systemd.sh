#!/bin/sh
# under-systemd.sh: a real systemd (the machine's /lib/systemd/systemd) as PID 1 of new PID, mount, UTS,
# IPC and cgroup namespaces, with the .deb's files and only the units the accelerator needs, for
# SystemdUnitsIT (docs/accelerator.md, "Units"). The machine's PID 1 need not be systemd. Needs root,
# util-linux (unshare, nsenter) and systemd (the package, not a running one).
#
#   under-systemd.sh boot WORK DEB   extract DEB into WORK, boot; returns once systemd answers
#   under-systemd.sh run WORK CMD... CMD inside (all its namespaces; PATH and LANG only)
#   under-systemd.sh halt WORK       end it (every process inside), remove its cgroups
#
# Inside: /run is its own tmpfs; /usr is the .deb's files over the machine's (read-only overlay); /etc
# and /var are overlays whose writes go to WORK; /sys is read-only but for this cgroup namespace's
# hierarchies. systemd reads units only from WORK/units (SYSTEMD_UNIT_PATH): the .deb's (vpc-ha-agent*),
# journald's and empty stand-ins for the targets they are ordered against, so nothing of the machine
# starts.
set -eu
command=${1:?usage: under-systemd.sh boot|run|halt WORK ...}
work=${2:?usage: under-systemd.sh boot|run|halt WORK ...}
# one cgroup per WORK: several runs never share one
cgroup_name=vpcha-under-systemd-$(printf '%s' "$work" | cksum | cut -d' ' -f1)

cgroup_dirs() {
    if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
        echo "/sys/fs/cgroup/$cgroup_name"
    else
        echo "/sys/fs/cgroup/systemd/$cgroup_name"
        [ -d /sys/fs/cgroup/unified ] && echo "/sys/fs/cgroup/unified/$cgroup_name"
    fi
    return 0
}

case "$command" in
boot)
    deb=${3:?usage: under-systemd.sh boot WORK DEB}
    [ -d /sys/fs/cgroup/systemd ] || [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || {
        echo "under-systemd: neither a cgroup2 /sys/fs/cgroup nor a name=systemd hierarchy" >&2
        exit 1
    }
    mkdir -p "$work/root" "$work/units" "$work/overlay"
    dpkg-deb -x "$deb" "$work/root"
    # the accelerator's units: the socket, its service, the re-arm's timer and service
    cp "$work/root"/usr/lib/systemd/system/vpc-ha-agent*.* "$work/units/"
    for unit in systemd-journald.service systemd-journald.socket systemd-journald-dev-log.socket \
        sockets.target shutdown.target umount.target; do
        cp "/lib/systemd/system/$unit" "$work/units/"
    done
    for target in sysinit basic; do
        printf '[Unit]\nDescription=%s (empty: under-systemd.sh)\nDefaultDependencies=no\n' "$target" \
            >"$work/units/$target.target"
    done
    printf '[Unit]\nDescription=under-systemd.sh\nDefaultDependencies=no\nWants=%s\n' \
        'systemd-journald.socket systemd-journald-dev-log.socket systemd-journald.service' \
        >"$work/units/under-systemd.target"
    # the second half runs as PID 1 of the new namespaces, then becomes systemd
    setsid "$0" init "$work" </dev/null >"$work/boot.log" 2>&1 &
    deadline=$(($(date +%s) + 60))
    while :; do
        if [ -s "$work/pid" ]; then
            case $("$0" run "$work" systemctl is-system-running 2>/dev/null) in
            running | degraded) break ;;
            esac
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "under-systemd: systemd did not answer within 60 s" >&2
            cat "$work/boot.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    ;;
init)
    # outside still: the cgroups it will own, then the namespaces (unshare forks PID 1)
    for dir in $(cgroup_dirs); do
        mkdir -p "$dir"
        echo $$ >"$dir/cgroup.procs"
    done
    unshare --pid --fork --mount --uts --ipc --cgroup --mount-proc --propagation private \
        "$0" pid1 "$work" &
    forked=$!
    # its PID 1 as this namespace sees it: what run and halt enter and end
    until pid=$(pgrep -P "$forked"); do
        kill -0 "$forked" 2>/dev/null || exit 1
        sleep 0.05
    done
    echo "$pid" >"$work/pid"
    wait "$forked"
    ;;
pid1)
    v2=$(stat -f -c %T /sys/fs/cgroup)
    # the machine's mounts under /run (network namespaces' among them) are no business of this one's,
    # and a copy here would keep them alive: gone from this namespace, deepest first
    findmnt -rn -o TARGET | grep '^/run/' | sort -r | while read -r target; do
        umount -l "$target" || true
    done
    mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
    mount -o remount,bind,ro /sys 2>/dev/null || mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys
    if [ "$v2" = cgroup2fs ]; then
        mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup
    else
        mount -t tmpfs -o mode=755,nosuid,nodev,noexec tmpfs /sys/fs/cgroup
        mkdir /sys/fs/cgroup/systemd /sys/fs/cgroup/unified
        mount -t cgroup -o none,name=systemd,nosuid,nodev,noexec cgroup /sys/fs/cgroup/systemd
        mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup/unified
    fi
    mount -t overlay overlay -o "lowerdir=$work/root/usr:/usr" /usr
    for dir in etc var; do
        mkdir -p "$work/overlay/$dir-upper" "$work/overlay/$dir-work"
        mount -t overlay overlay \
            -o "lowerdir=/$dir,upperdir=$work/overlay/$dir-upper,workdir=$work/overlay/$dir-work" "/$dir"
    done
    hostname under-systemd
    export container=under-systemd SYSTEMD_UNIT_PATH="$work/units"
    exec /lib/systemd/systemd --system --unit=under-systemd.target --log-target=journal-or-kmsg
    ;;
run)
    shift 2
    exec nsenter -t "$(cat "$work/pid")" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
    ;;
halt)
    if [ -s "$work/pid" ]; then
        pid=$(cat "$work/pid")
        # PID 1 of its namespace: SIGKILL ends every process in it
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    fi
    for dir in $(cgroup_dirs); do
        # depth first: systemd's slices and scopes inside, then ours, once the kernel has reaped the
        # processes PID 1 took with it
        deadline=$(($(date +%s) + 10))
        while [ -d "$dir" ]; do
            find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
            [ -d "$dir" ] || break
            if [ "$(date +%s)" -ge "$deadline" ]; then
                echo "under-systemd: cannot remove $dir" >&2
                exit 1
            fi
            sleep 0.05
        done
    done
    rm -f "$work/pid"
    ;;
*)
    echo "usage: under-systemd.sh boot|run|halt WORK ..." >&2
    exit 2
    ;;
esac

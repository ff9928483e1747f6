#!/bin/sh
# accelerator-activator.sh VPC_HA: vpc-ha-agent.socket + vpc-ha-agent.service of the packages, on a test
# cluster node, which has no systemd. node-init.sh runs it at boot when the node's disk says so
# (lib.sh, ct_node_disk), as systemd makes an enabled socket at boot before Pacemaker starts; it
# returns once the socket is there (0600, in a 0700 /run/vpc-ha). systemd-socket-activate makes the
# socket and hands it (inetd style, as StandardInput=socket) to a loop that, like systemd, starts the
# service when a connection waits and again after it ended. Its PID and the service's go to /run for
# the suites' faults (suites/accelerator.sh).
if [ "${1:-}" != --serve ]; then
    umask 077
    mkdir -p /run/vpc-ha && chmod 700 /run/vpc-ha
    # execs the rest of this script (--serve) on the first connection
    systemd-socket-activate --inetd -l /run/vpc-ha/agent.sock "$0" --serve "$1" </dev/null &
    echo $! >/run/vpc-ha-activator.pid
    # returns once the socket is there; systemd-socket-activate has no SocketMode= (it makes the
    # socket 0644; the 0700 directory keeps others out meanwhile)
    for _ in $(seq 1 100); do
        if [ -S /run/vpc-ha/agent.sock ]; then
            chmod 600 /run/vpc-ha/agent.sock
            exit 0
        fi
        sleep 0.1
    done
    echo "activator: no socket /run/vpc-ha/agent.sock after 10 s"
    exit 1
fi
# standard input (and output) is the listening socket; the service gets it as its standard input only
umask 077
exec 3<&0 1>&2 0</dev/null
py=/usr/bin/python3
[ -x "$py" ] || py=python3
while :; do
    # as systemd: start the service once a connection waits in the listener's queue
    "$py" -c 'import select; select.select([0], [], [])' <&3 || exit 1
    "$2" agent-serve --log-actions --inherited 600 <&3 3<&- &
    echo $! >/run/vpc-ha-agent.pid
    wait $!
    echo "activator: the service ended ($?)"
done

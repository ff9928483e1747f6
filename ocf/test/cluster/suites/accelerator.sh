# shellcheck shell=bash
# Suite accelerator (issue 20 §3, docs/accelerator.md): the resident accelerator in the 2-node cluster
# (node1, node2, no fencing) with the resources of the 2-node suite (vip-route, vip-route-tp, vip-fip),
# the agents asking /run/vpc-ha/agent.sock as the launcher does by default (no VPC_HA_ACCELERATOR in
# Pacemaker's environment).
#
# The nodes have no systemd, so each runs the service as vpc-ha-agent.socket and .service would
# (accelerator-activator.sh, from the node's boot: lib.sh's accelerated nodes, as in run.sh --accelerator):
# systemd-socket-activate (systemd's own socket activation, inetd style: the listener is the service's
# standard input, as StandardInput=socket) owns /run/vpc-ha/agent.sock (directory 0700, socket 0600),
# and starts `vpc-ha agent-serve --inherited` when a connection waits, and again after it ended; the
# listener outlives the service, so a connection made while it is dead or hung waits in its queue, as
# with systemd.
#
# Checks, each with zero fail counts and no failed action on the surviving cluster (a monitor that
# wrongly said "not running" would be one), one owner per address, and every failover timed from the
# kill until the simulator's forwarding oracle delivers every address to the survivor:
#   - warm: the services' logs show the monitors of all three resources served (and nothing refused
#     or given up), with their times;
#   - kill -9 of the whole active node with both services up;
#   - the active node's service SIGKILLed between actions (socket activation starts it again on
#     the next monitor) and during one (a VPC latency fault holds monitors 2-4 s; killed while a
#     client waits on it): the monitors fall back cold;
#   - the active node's service SIGSTOPped (hung) between actions: the launcher's watchdog (the first
#     monitor that hears nothing for its 0.5 s wait) SIGKILLs it within two monitor intervals and a
#     fresh service serves the monitors warm (before the watchdog: every monitor waited 0.5 s);
#   - hung again, then a standby move off that node (its stops run cold), timed;
#   - the active node's service SIGSTOPped in the middle of a monitor it accepted (VPC latency 2-4 s):
#     that monitor's launcher kills it within 3 s, so nothing of the stopped monitor lands late; the
#     resources moved off that node: no takeaway recorded, and the failover back onto it (kill -9 of
#     the other) is not refused;
#   - the passive node's service SIGSTOPped, then kill -9 of the active node: the failover onto the
#     node whose service hangs, timed; its monitors' watchdog replaces the service;
#   - the service absent (a stale socket file nobody listens on, and no socket at all), then kill -9
#     of the active node, timed.

ACC_SOCKET=$CT_ACCELERATOR_SOCKET

# acc_service_pid NODE: the PID (in NODE's namespace) of the running service, "" when none
acc_service_pid() {
    # shellcheck disable=SC2016 # expanded by the node's shell
    nx "$1" sh -c 'p=$(cat /run/vpc-ha-agent.pid 2>/dev/null) && kill -0 "$p" 2>/dev/null && echo "$p"' || true
}

# acc_signal NODE SIGNAL: SIGNAL to NODE's service (which must be running)
acc_signal() {
    local pid
    pid=$(acc_service_pid "$1")
    [ -n "$pid" ] || ct_fail "$1: no accelerator service running to send SIG$2"
    nx "$1" kill "-$2" "$pid"
}

# acc_between_actions NODE: waits (at most 10 s) for a moment when no launcher on NODE talks to the
# service (its socat)
acc_between_actions() {
    local _
    for _ in $(seq 1 100); do
        [ -z "$(nx "$1" pgrep -x socat || true)" ] && return 0
        sleep 0.1
    done
    ct_fail "$1: a launcher talked to the accelerator for 10 s without a pause"
}

# acc_absent NODE stale|gone: the activator and its service killed; "stale" leaves the socket file,
# which then refuses connections; "gone" removes it too
acc_absent() {
    local node=$1 how=$2 pid
    pid=$(nx "$node" cat /run/vpc-ha-activator.pid 2>/dev/null || true)
    [ -z "$pid" ] || nx "$node" kill -KILL "$pid" 2>/dev/null || true
    pid=$(acc_service_pid "$node")
    [ -z "$pid" ] || nx "$node" kill -KILL "$pid" 2>/dev/null || true
    [ "$how" != gone ] || nx "$node" rm -f "$ACC_SOCKET"
    nx "$node" test -S "$ACC_SOCKET" || [ "$how" = gone ] || ct_fail "$node: the stale socket file is gone"
}

# acc_in_flight NODE: a VPC latency fault (2-4 s a request) set, waits (at most 20 s) until a launcher
# on NODE talks to the service (a monitor held by the VPC) and 0.5 s more (accepted, inside the 2-4 s);
# sets ACC_FAULT (the fault's id) and ACC_CLIENT (the launcher's socat PID)
acc_in_flight() {
    local node=$1 fault client="" waited=0
    fault=$(ct_sim POST /faults '{"kind":"latency","latency_ms":2000,"jitter_ms":2000,"service":"vpc"}' | jq -r .id)
    [[ -n "$fault" && "$fault" != null ]] || ct_fail "the simulator refused the latency fault"
    while [ -z "$client" ] && [ "$waited" -lt 200 ]; do
        client=$(nx "$node" pgrep -x socat || true)
        waited=$((waited + 1))
        sleep 0.1
    done
    [ -n "$client" ] || ct_fail "no monitor asked the accelerator on $node within 20s"
    sleep 0.5
    ACC_FAULT=$fault ACC_CLIENT=$client
}

# acc_log NODE: the node's accelerator log
acc_log() { echo "$WORK/nodes/$1/var-log/vpc-ha-agent.log"; }

# acc_mark NODE: the log's current length in lines (what acc_since counts from)
acc_mark() { wc -l <"$(acc_log "$1")"; }

# acc_since NODE MARK REGEX: how many of the log's lines after MARK match REGEX
acc_since() {
    tail -n "+$(($2 + 1))" "$(acc_log "$1")" | grep -cE "$3" || true
}

# acc_assert_warm NODE WHAT: over two monitor intervals, NODE's service serves every resource's
# monitor, refuses and gives up nothing; records the times it took
acc_assert_warm() {
    local node=$1 what=$2 mark rsc served times
    mark=$(acc_mark "$node")
    sleep $((2 * MONITOR_INTERVAL + 1))
    for rsc in vip-route vip-route-tp $([ "$FIP" = 1 ] && echo vip-fip); do
        served=$(acc_since "$node" "$mark" "served monitor of $rsc in ")
        [ "$served" -ge 1 ] || ct_fail "$what: $node's accelerator served no monitor of $rsc in $((2 * MONITOR_INTERVAL + 1))s (log: $(tail -5 "$(acc_log "$node")" | paste -sd'|' -))"
    done
    [ "$(acc_since "$node" "$mark" "refused|gave up")" -eq 0 ] \
        || ct_fail "$what: $node's accelerator refused or gave up: $(tail -n "+$((mark + 1))" "$(acc_log "$node")" | grep -E 'refused|gave up' | head -3 | paste -sd'|' -)"
    times=$(tail -n "+$((mark + 1))" "$(acc_log "$node")" | sed -n 's/.*served monitor of .* in \([0-9]*\) ms$/\1/p' | sort -n)
    ct_pass "$what: $node's accelerator served $(wc -l <<<"$times") monitors warm in two intervals, median $(acc_median "$times") ms, nothing refused or given up"
    ct_result accelerator "$what" "warm monitors, median ms (service's view)" "$(wc -l <<<"$times") $(acc_median "$times")"
}

acc_median() { awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }' <<<"$1"; }

# acc_wait_replaced NODE PID MARK T0 WHAT [WITHIN]: NODE's service PID, hung (SIGSTOP) at T0, is killed
# by a launcher's watchdog (the first monitor that heard nothing from it for its wait) within two
# monitor intervals (or WITHIN seconds), and a fresh service that socket activation started (the
# watchdog's wake-up connection) serves a monitor warm; records both times (seconds after T0) and the
# monitors the fresh one refused as late (they queued behind the hang: their launchers ran them cold)
acc_wait_replaced() {
    local node=$1 pid=$2 mark=$3 t0=$4 what=$5 within=${6:-$((2 * MONITOR_INTERVAL + 2))} end killed="" served="" late
    end=$(($(date +%s) + within + 1))
    while [ "$(date +%s)" -lt "$end" ]; do
        if ! nx "$node" kill -0 "$pid" 2>/dev/null; then
            killed=$(ct_since "$t0")
            break
        fi
        sleep 0.1
    done
    [ -n "$killed" ] || ct_fail "$what: $node's hung service (pid $pid) still there after ${within}s: no watchdog killed it"
    awk -v k="$killed" -v w="$within" 'BEGIN { exit !(k <= w) }' || ct_fail "$what: $node's hung service killed only after ${killed}s (at most ${within}s)"
    end=$(($(date +%s) + 2 * MONITOR_INTERVAL + 5))
    while [ "$(date +%s)" -lt "$end" ]; do
        # a monitor served after the fresh service said it serves
        if tail -n "+$((mark + 1))" "$(acc_log "$node")" | sed -n '/serving on /,$p' | grep -q "served monitor of "; then
            served=$(ct_since "$t0")
            break
        fi
        sleep 0.1
    done
    [ -n "$served" ] || ct_fail "$what: no fresh service on $node served a monitor after the hung one was killed: $(tail -n "+$((mark + 1))" "$(acc_log "$node")" | head -8 | paste -sd'|' -)"
    late=$(acc_since "$node" "$mark" "refused monitor of ")
    ct_pass "$what: $node's hung service killed by a launcher's watchdog ${killed}s after it hung, a fresh one served a monitor warm ${served}s after it hung; $late monitors refused as late meanwhile"
    ct_result accelerator "$what" "killed after, first warm monitor after (s), refused as late" "$killed $served $late"
}

# acc_assert_sound OBSERVER WHAT: no fail count, no failed action, one owner per address
acc_assert_sound() {
    ct_assert_no_failures "$1" "$2"
    assert_owners "$1" >/dev/null
}

# acc_failover SCENARIO [without]: kill -9 the whole active node; timed until the VPC delivers to the
# survivor; the node is booted again, with its accelerator unless "without", and the cluster checked
acc_failover() {
    local scenario=$1 without=${2:-} a observer t0 moved fipmode
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    observer=$(other_node "$a")
    fipmode=$(fip_mode "$observer" "$a")
    t0=$(kill_active "$a" node)
    moved=$(wait_delivered "$a" "$t0" 90 "" "$fipmode")
    after_move accelerator "$scenario" "$observer" "$moved" "$a"
    ct_settle "$observer" 90
    # (the dead node's network namespace still has the VIP on lo until it boots: no owner check yet)
    ct_assert_no_failures "$observer" "$scenario (before $a is back)"
    [ "$without" != without ] || ct_accelerator_at_boot "$a" off
    ct_relaunch "$a" "$observer"
    ct_settle "$observer" 90
    acc_assert_sound "$observer" "$scenario, after $a rebooted and rejoined"
    ct_pass "$scenario: no failure; one owner ($(ct_locate "$observer" vip-route))"
}

suite_accelerator() {
    local a b t0 moved observer mark pid
    ct_log "=== accelerator: 2 nodes (node1, node2), the agents' monitors served by vpc-ha agent-serve through socket activation"
    ct_accelerator_require
    ct_sim POST /reset >/dev/null
    # read by lib.sh (ct_node_disk): every boot of these nodes, reboots too
    CT_ACCELERATOR_SUITE=1
    ct_cluster_start node1 node2
    [ "$(nx node1 stat -c %a /run/vpc-ha)" = 700 ] || ct_fail "/run/vpc-ha is not 0700"
    [ "$(nx node1 stat -c %a "$ACC_SOCKET")" = 600 ] || ct_fail "$ACC_SOCKET is not 0600"
    add_resources node1
    a=$(ct_locate node1 vip-route)
    b=$(other_node "$a")
    grep -q "serving on $ACC_SOCKET (the activator's socket)" "$(acc_log "$a")" \
        || ct_fail "$a's service did not start on the activator's socket: $(tail -3 "$(acc_log "$a")" | paste -sd'|' -)"
    acc_assert_warm "$a" "service up"

    # 1. failover with both services up
    acc_failover "kill -9 the whole active node, services up"

    # 2. the active node's service killed between actions: started again by the next connection
    a=$(ct_locate node1 vip-route)
    b=$(other_node "$a")
    mark=$(acc_mark "$a")
    pid=$(acc_service_pid "$a")
    acc_signal "$a" KILL
    sleep $((2 * MONITOR_INTERVAL + 1))
    [ "$(acc_since "$a" "$mark" "serving on $ACC_SOCKET")" -ge 1 ] || ct_fail "the killed service was not started again by a connection"
    [ "$(acc_service_pid "$a")" != "$pid" ] || ct_fail "the service's PID did not change after SIGKILL"
    acc_assert_sound "$a" "the service killed between actions"
    acc_assert_warm "$a" "after SIGKILL between actions, started again by the socket"

    # 3. killed during an action: monitors held 2-4 s by VPC latency, the service killed while a
    # launcher waits on it; that monitor runs cold
    local fault client
    acc_in_flight "$a"
    fault=$ACC_FAULT client=$ACC_CLIENT
    acc_signal "$a" KILL
    mark=$(acc_mark "$a")
    ct_log "killed $a's service while a monitor waited on it (launcher's socat: $client)"
    sleep $((2 * MONITOR_INTERVAL + 4))
    ct_sim DELETE "/faults/$fault" >/dev/null
    [ "$(acc_since "$a" "$mark" "served monitor")" -ge 1 ] || ct_fail "no monitor served after the kill during an action"
    acc_assert_sound "$a" "the service killed during an action"
    ct_pass "service SIGKILLed during a monitor (VPC latency 2-4 s): the monitor ran cold, no failure; served again after"
    ct_result accelerator "service SIGKILLed during a monitor" outcome "no failure"

    # 4. the active node's service hung between actions (SIGSTOP): the first monitor that asks it
    # waits 0.5 s, runs cold and SIGKILLs it (the launcher's watchdog, docs/accelerator.md); its
    # wake-up connection has the socket start a fresh service, which refuses what queued behind the
    # hang (those launchers ran cold) and serves the monitors after it warm. Before the watchdog, every
    # monitor on the node waited 0.5 s until someone resumed or killed the service.
    acc_between_actions "$a"
    pid=$(acc_service_pid "$a")
    mark=$(acc_mark "$a")
    t0=$(ct_now)
    acc_signal "$a" STOP
    acc_wait_replaced "$a" "$pid" "$mark" "$t0" "service SIGSTOPped between actions"
    acc_assert_sound "$a" "the active node's service hung, replaced by the watchdog"
    acc_assert_warm "$a" "after the watchdog replaced the hung service"

    # 4a. hung again, then at once a standby move off that node (its stops run cold), timed; nothing
    # asks the hung service afterwards (no resource left on its node): killed by hand
    acc_between_actions "$a"
    pid=$(acc_service_pid "$a")
    acc_signal "$a" STOP
    t0=$(ct_now)
    nx "$b" crm_standby -N "$a" -v on
    moved=$(wait_delivered "$a" "$t0" 60 "" "$(fip_mode "$b" "$a")")
    after_move accelerator "standby of the active node, its service hung" "$b" "$moved" "$a"
    ct_settle "$b"
    acc_assert_sound "$b" "standby move off the node whose service hangs"
    nx "$b" crm_standby -N "$a" -v off
    ct_settle "$b"
    nx "$a" kill -KILL "$pid" 2>/dev/null || true
    acc_assert_sound "$b" "after the hung service was killed"

    # 4b. stopped in the middle of a monitor it accepted in time (held 2-4 s by VPC latency): that
    # monitor's own launcher hears no heartbeat for 0.5 s, runs it cold and kills the service, so the
    # stopped monitor can never finish late (before the watchdog: resumed after the resources had left
    # the node, it recorded a takeaway and the split-brain guard refused the failover back, the second
    # run of this suite; then the write fence dropped its writes). The resources then move off the node
    # and back (kill -9 of the other node): no takeaway recorded, the failover back not refused
    a=$(ct_locate node1 vip-route)
    b=$(other_node "$a")
    acc_between_actions "$a"
    acc_in_flight "$a"
    fault=$ACC_FAULT client=$ACC_CLIENT
    pid=$(acc_service_pid "$a")
    mark=$(acc_mark "$a")
    nx "$a" touch /run/acc-stopped
    t0=$(ct_now)
    acc_signal "$a" STOP
    ct_sim DELETE "/faults/$fault" >/dev/null
    ct_log "stopped $a's service in the middle of a monitor (launcher's socat: $(paste -sd' ' - <<<"$client"))"
    acc_wait_replaced "$a" "$pid" "$mark" "$t0" "service SIGSTOPped during a monitor" 3
    t0=$(ct_now)
    nx "$b" crm_standby -N "$a" -v on
    moved=$(wait_delivered "$a" "$t0" 60 "" "$(fip_mode "$b" "$a")")
    after_move accelerator "standby of the active node, its service stopped mid-monitor" "$b" "$moved" "$a"
    ct_settle "$b"
    nx "$b" crm_standby -N "$a" -v off
    ct_settle "$b"
    acc_assert_sound "$b" "standby move off the node whose service stopped mid-monitor"
    # the split-brain guard's files written since the service was stopped: none may hold a takeaway (a
    # probe's "forget" would hold none); the state root is Pacemaker's HA_RSCTMP in the node's /run
    local late_takeaways
    late_takeaways=$(nx "$a" find /run -name '.split-brain-*' -newer /run/acc-stopped -exec grep -l '^takeaways=[0-9]' {} + 2>/dev/null || true)
    [ -z "$late_takeaways" ] || ct_fail "a takeaway was recorded on $a after its service was stopped mid-monitor: $late_takeaways"
    [ -n "$(nx "$a" find /run -type d -path '*/vpc-ha/vip-route' 2>/dev/null)" ] \
        || ct_fail "no state directory of vip-route below /run on $a: the late-takeaway check looks in the wrong place"
    # the failover back onto $a: a late takeaway would make its guard refuse it (b lost, no fencing)
    acc_failover "kill -9 the active node after its service was stopped mid-monitor"

    # 5. the passive node's service hung, then the active node killed: the failover onto the node
    # whose service hangs, timed; the survivor's first monitors kill it, a fresh one serves
    a=$(ct_locate node1 vip-route)
    b=$(other_node "$a")
    pid=$(acc_service_pid "$b")
    mark=$(acc_mark "$b")
    t0=$(ct_now)
    acc_signal "$b" STOP
    acc_failover "kill -9 the whole active node, the survivor's service hung"
    # (its kill is seen only after the failover was checked and the other node rebooted: no bound)
    acc_wait_replaced "$b" "$pid" "$mark" "$t0" "the survivor's service hung during a failover onto it" 120
    acc_assert_warm "$b" "after the watchdog replaced the survivor's hung service"

    # 6. the service absent: a stale socket on one node, none on the other; then a failover
    a=$(ct_locate node1 vip-route)
    b=$(other_node "$a")
    acc_absent "$a" stale
    acc_absent "$b" gone
    mark=$(acc_mark "$a")
    sleep $((2 * MONITOR_INTERVAL + 1))
    [ "$(acc_since "$a" "$mark" "served")" -eq 0 ] || ct_fail "a monitor was served with the service absent"
    acc_assert_sound "$a" "the service absent (stale socket on $a, none on $b)"
    # the rebooted node gets no accelerator either
    acc_failover "kill -9 the whole active node, no service (stale socket on the active node, none on the survivor)" without
    ct_cluster_stop
    # shellcheck disable=SC2034 # read by lib.sh
    CT_ACCELERATOR_SUITE=0
}


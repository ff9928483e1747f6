# shellcheck shell=bash
# Suite load-balancer (issue 16), sourced by run.sh: the load-balancer strategy in a real 2-node
# cluster with fencing (fence_ibm_vpc through the VPC API, the power watcher making it real), against
# the simulator's load balancer app-lb (cluster-scenario.json), whose pool health monitors really
# probe each node's address over TCP from the bridge namespace.
#
#   - the application: socat on port 8080 on every node, started with the node;
#   - lb-hc: mode=health-check, health_port 18085, pool app-pool (its tcp monitor probes 18085);
#   - lb-pm: mode=pool-member, pool weights-pool (weighted_round_robin; its monitor probes 8080),
#     credential api_key_file, colocated with lb-hc;
#   both pools' monitors: delay 2 s, timeout 1 s, max_retries 2 (docs/strategy-load-balancer.md).
#
# Checks: ocf-tester on pool-member mode (both agents, inside a node); standby move, kill -9 of the
# active node's corosync, kill -9 of the whole active node (both fenced through the API), each timed
# from the action until the simulator's health checks and its oracle send the load balancer's
# traffic to the new node and only there; after each, the fenced node rejoins and for
# LB_OBSERVE_SECONDS exactly one member receives traffic (the node Pacemaker runs the resource on);
# the listener (socket and socat process) is gone from the node that lost lb-hc; a stop after lb-hc's
# required pool parameter was removed, and a stop of both resources, leave no listener and no traffic.
# Why fencing: without it, a node whose corosync died keeps its resources, so in health-check mode
# its listener would keep answering the health monitor and the load balancer would send traffic to
# both nodes (the routes and weights of the other strategies are taken over by the new node instead).

LB_PORT=18085                # lb-hc's health_port; app-pool's monitor probes it
LB_APP_PORT=8080             # the application's port, every member's port; weights-pool's monitor probes it
LB_HEALTH="delay 2 s, timeout 1 s, max_retries 2"  # both pools' health monitors (cluster-scenario.json)
LB_OBSERVE_SECONDS=10        # after a rejoin: > 2 x delay x max_retries, so a second healthy member would show
LB_HC_PARAMS="load_balancer=app-lb pool=app-pool health_port=$LB_PORT"
LB_PM_PARAMS=""  # set by suite_load_balancer: $CLOUD exists only once the simulator runs

# lb_oracle POOL: "NODE COUNT" for the load balancer's traffic to POOL: the member it reaches and how
# many members are eligible (healthy, weighted, running); "- 0" when it is dropped
lb_oracle() {
    ct_sim GET "/oracle?load_balancer=app-lb&pool=$1" 2>/dev/null \
        | jq -r 'if .delivered then "\(.instance.name) \(.ecmp_candidates | length)" else "- 0" end' 2>/dev/null \
        || echo "? 0"
}

# lb_listening NODE: whether anything in NODE listens on LB_PORT (sockets of the node's network
# namespace; a killed node's namespace has none)
lb_listening() {
    [ -n "$(ip netns exec "$CT_NS_PREFIX-$1" ss -Hltn "sport = :$LB_PORT" 2>/dev/null)" ]
}

# lb_no_listener NODE WHAT: neither a socket on LB_PORT nor a socat process for it in NODE
lb_no_listener() {
    local node=$1 what=$2 procs
    ! lb_listening "$node" || ct_fail "$what: something still listens on $node:$LB_PORT: $(ip netns exec "$CT_NS_PREFIX-$node" ss -Hltnp "sport = :$LB_PORT")"
    procs=$(nx "$node" pgrep -a -f "TCP4-LISTEN:$LB_PORT," || true)
    [ -z "$procs" ] || ct_fail "$what: a health listener process is left on $node: $procs"
}

# lb_holders: the nodes with a listener on LB_PORT
lb_holders() {
    local node holders=""
    for node in "${CT_NODES[@]}"; do
        lb_listening "$node" && holders="$holders $node"
    done
    echo "${holders# }"
}

# lb_wait_delivered OLD T0 TIMEOUT: polls every 100 ms until the load balancer sends the traffic of
# both pools to one node that is not OLD, and to it alone; meanwhile records when Pacemaker shows lb-hc
# started there. Prints "NODE SECONDS_HC_STARTED SECONDS_HC SECONDS_PM", seconds from T0.
lb_wait_delivered() {
    local old=$1 t0=$2 timeout=$3 end t n c nhc="" npm="" thc="" tpm="" tstarted="" observer
    [ -n "$old" ] || tstarted=-
    observer=$(other_node "$old")
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        t=$(ct_since "$t0")
        if [ -z "$thc" ]; then
            read -r n c <<<"$(lb_oracle app-pool)"
            if [ "$n" != "$old" ] && [[ "$n" == node* ]] && [ "$c" = 1 ]; then thc=$t; nhc=$n; fi
        fi
        if [ -z "$tpm" ]; then
            read -r n c <<<"$(lb_oracle weights-pool)"
            if [ "$n" != "$old" ] && [[ "$n" == node* ]] && [ "$c" = 1 ]; then tpm=$t; npm=$n; fi
        fi
        if [ -z "$tstarted" ] && [ "$(ct_locate "$observer" lb-hc)" = "$observer" ]; then
            tstarted=$(ct_since "$t0")
        fi
        [ -n "$thc" ] && [ -n "$tpm" ] && [ -n "$tstarted" ] && break
        sleep 0.1
    done
    [ -n "$thc" ] && [ -n "$tpm" ] \
        || ct_fail "the load balancer's traffic did not move off ${old} within ${timeout}s: app-pool -> [$(lb_oracle app-pool)], weights-pool -> [$(lb_oracle weights-pool)]"
    [ "$nhc" = "$npm" ] || ct_fail "the pools' traffic went to different nodes: app-pool $nhc, weights-pool $npm"
    echo "$nhc ${tstarted:--} $thc $tpm"
}

# lb_assert_one OBSERVER WHAT: Pacemaker runs lb-hc and lb-pm on one node, the load balancer sends each
# pool's traffic there and to no other member, and only that node listens on LB_PORT
lb_assert_one() {
    local observer=$1 what=$2 where n c holders
    where=$(ct_locate "$observer" lb-hc)
    [ "$(wc -w <<<"$where")" -eq 1 ] || ct_fail "$what: lb-hc runs on [$where], not on exactly one node"
    [ "$(ct_locate "$observer" lb-pm)" = "$where" ] || ct_fail "$what: lb-pm runs on [$(ct_locate "$observer" lb-pm)], lb-hc on $where"
    read -r n c <<<"$(lb_oracle app-pool)"
    [ "$n $c" = "$where 1" ] || ct_fail "$what: lb-hc runs on $where but app-pool's traffic goes to [$n] of $c eligible members"
    read -r n c <<<"$(lb_oracle weights-pool)"
    [ "$n $c" = "$where 1" ] || ct_fail "$what: lb-pm runs on $where but weights-pool's traffic goes to [$n] of $c eligible members"
    holders=$(lb_holders)
    [ "$holders" = "$where" ] || ct_fail "$what: port $LB_PORT listens on [$holders], expected only $where"
    echo "$where"
}

# lb_observe_one OBSERVER WHAT: lb_assert_one every second for LB_OBSERVE_SECONDS (enough health-check
# rounds for a second member to become healthy, were there a second listener or weight)
lb_observe_one() {
    local observer=$1 what=$2 end where first=""
    end=$(($(date +%s) + LB_OBSERVE_SECONDS))
    while [ "$(date +%s)" -lt "$end" ]; do
        where=$(lb_assert_one "$observer" "$what")
        [ -z "$first" ] || [ "$where" = "$first" ] || ct_fail "$what: the resources moved from $first to $where"
        first=$where
        sleep 1
    done
    echo "$first"
}

# lb_after_move SCENARIO OBSERVER "NODE T_STARTED T_HC T_PM" OLD: Pacemaker agrees; records the numbers
lb_after_move() {
    local scenario=$1 observer=$2 new tstarted thc tpm old=$4
    read -r new tstarted thc tpm <<<"$3"
    ct_wait_located "$observer" lb-hc "$new" 30 >/dev/null
    ct_wait_located "$observer" lb-pm "$new" 30 >/dev/null
    ct_log "$scenario: $old -> $new; lb-hc started after ${tstarted}s, its traffic (health checks) on $new alone after ${thc}s; lb-pm's (weights) after ${tpm}s"
    ct_result load-balancer "$scenario" lb-hc-started "$tstarted"
    ct_result load-balancer "$scenario" lb-hc "$thc"
    ct_result load-balancer "$scenario" lb-pm "$tpm"
}

# lb_start_app NODE: the application, a service of every node that dies with it (socat on
# LB_APP_PORT, in the node's PID namespace); started with the node
lb_start_app() {
    nx "$1" setsid -f socat "TCP4-LISTEN:$LB_APP_PORT,reuseaddr,fork" /dev/null </dev/null >/dev/null 2>&1
    for _ in $(seq 1 50); do
        [ -n "$(ip netns exec "$CT_NS_PREFIX-$1" ss -Hltn "sport = :$LB_APP_PORT" 2>/dev/null)" ] && return 0
        sleep 0.1
    done
    ct_fail "the application did not listen on $1:$LB_APP_PORT"
}

# lb_wait_started OBSERVER WHAT: until lb-hc and lb-pm run on one node, the cluster settled, and the
# load balancer sends both pools' traffic there alone, without failures; prints the node
lb_wait_started() {
    local observer=$1 what=$2 where
    where=$(ct_wait_located "$observer" lb-hc any 60)
    ct_wait_located "$observer" lb-pm "$where" 60 >/dev/null
    ct_settle "$observer"
    lb_wait_delivered "" "$(ct_now)" 30 >/dev/null
    lb_assert_one "$observer" "$what" >/dev/null
    ct_assert_no_failures "$observer" "$what"
    echo "$where"
}

# lb_add_resources OBSERVER: lb-hc and lb-pm (colocated)
lb_add_resources() {
    local observer=$1 where
    nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive lb-hc "strategy=load-balancer $LB_HC_PARAMS")"
    nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive lb-pm "strategy=load-balancer $LB_PM_PARAMS")"
    nx "$observer" cibadmin --create -o constraints --xml-text \
        '<rsc_colocation id="pm-with-hc" rsc="lb-pm" with-rsc="lb-hc" score="INFINITY"/>'
    where=$(lb_wait_started "$observer" "after starting the load-balancer resources")
    ct_pass "lb-hc, lb-pm started on $where; the load balancer sends both pools' traffic there alone"
}

# lb_check_standby: crm_standby of the active node, timed; the listener is gone from it
lb_check_standby() {
    local a b t0 moved
    a=$(ct_locate "${CT_NODES[0]}" lb-hc)
    b=$(other_node "$a")
    t0=$(ct_now)
    nx "$b" crm_standby -N "$a" -v on
    moved=$(lb_wait_delivered "$a" "$t0" 60)
    lb_after_move "standby of the active node" "$b" "$moved" "$a"
    ct_settle "$b"
    lb_no_listener "$a" "standby of $a"
    nx "$b" crm_standby -N "$a" -v off
    ct_settle "$b"
    lb_observe_one "$b" "after $a came back from standby" >/dev/null
    ct_assert_no_failures "$b" "after the standby move"
    ct_pass "standby: moved off $a, which no longer listens on $LB_PORT; with $a back online exactly one member receives traffic for ${LB_OBSERVE_SECONDS}s"
}

# lb_check_crash corosync|node: kill -9 the active node's corosync, or the whole node; the other node
# fences it through the API and takes over; the fenced node boots again and rejoins (ct_check_crash)
lb_check_crash() {
    ct_check_crash lb-hc "$1" lb_wait_delivered lb_crash_moved lb_crash_rejoined
}

# lb_crash_moved SCENARIO OBSERVER MOVED OLD T0: the takeover recorded, and when the API took the
# fencing of OLD (stopping) and the node was off (stopped)
lb_crash_moved() {
    lb_after_move "$1" "$2" "$3" "$4"
    ct_result load-balancer "$1" fenced-stopping "$(ct_wait_power "$4" stopping "$5" 5)"
    ct_result load-balancer "$1" fenced-stopped "$(ct_wait_power "$4" stopped "$5" 5)"
}

# lb_crash_rejoined SCENARIO OBSERVER OLD: the fenced node is back, without a listener; one member
# receives the traffic
lb_crash_rejoined() {
    local scenario=$1 b=$2 a=$3 where
    lb_start_app "$a"
    ct_settle "$b" 90
    lb_no_listener "$a" "$scenario, after $a rejoined"
    where=$(lb_observe_one "$b" "after $scenario and the rejoin")
    ct_assert_no_failures "$b" "after $scenario and the fenced node's return"
    ct_pass "$scenario: $b fenced $a and took over; $a rejoined without a listener; exactly one member ($where) receives traffic for ${LB_OBSERVE_SECONDS}s"
}

# lb_check_bad_change: lb-hc's required parameter pool removed while it runs: Pacemaker stops it (with
# the new parameters or the old) and refuses its start; the stop must still end the listener, and
# succeed (with fencing on, a failed stop would power the node off)
lb_check_bad_change() {
    local observer=${CT_NODES[0]} where reason t0 node
    where=$(ct_locate "$observer" lb-hc)
    t0=$(ct_now)
    nx "$observer" crm_resource -r lb-hc --delete-parameter pool >/dev/null 2>&1
    ct_settle "$observer" 60
    [ -z "$(ct_locate "$observer" lb-hc)" ] || ct_fail "lb-hc without its pool runs on $(ct_locate "$observer" lb-hc)"
    for node in "${CT_NODES[@]}"; do
        lb_no_listener "$node" "after lb-hc's pool parameter was removed"
        [ "$(ct_power_count "$node" stopping "$t0")" = 0 ] || ct_fail "after lb-hc's pool parameter was removed, $node was fenced"
    done
    ! ct_failures "$observer" | grep -q 'op_key="lb-hc_stop_0"' || ct_fail "lb-hc's stop failed after its pool parameter was removed: $(ct_failures "$observer")"
    reason=$(nx "$observer" crm_mon -1 -r 2>&1 | grep -E "lb-hc (start|stop|monitor|probe) on .* returned" | sed -n 1p | sed -e 's/^ *\* //' -e 's/ at [A-Z][a-z][a-z] [A-Z][a-z][a-z] .*//' || true)
    [[ "$reason" == *"pool"* ]] || ct_fail "lb-hc without its pool: no exit reason naming pool: [$reason]"
    # which parameters Pacemaker gave the stop: the changed ones make the host say so in the log
    local with="the parameters it started with"
    grep -q "vpc-ha(lb-hc).*stop with a configuration that cannot work" "$WORK/nodes/$where/var-log/pacemaker/pacemaker.log" 2>/dev/null \
        && with="the changed parameters (the strategy's stop ran with the values that could be used)"
    ct_log "lb-hc's stop on $where ran with $with"
    ct_result load-balancer-checks "pool parameter removed while lb-hc runs" outcome "Pacemaker stopped it with $with: the stop succeeded and the listener is gone from $where; start refused: $reason"
    nx "$observer" crm_resource -r lb-hc --set-parameter pool --parameter-value app-pool >/dev/null 2>&1
    nx "$observer" crm_resource --cleanup >/dev/null 2>&1
    lb_wait_started "$observer" "after the configuration was repaired" >/dev/null
    ct_pass "lb-hc's pool parameter removed: stopped, no listener left on $where, nobody fenced, start refused ($reason); repaired, it runs again"
}

# lb_check_stopped: both resources stopped (target-role): no listener anywhere, no traffic
lb_check_stopped() {
    local observer=${CT_NODES[0]} rsc node end hc pm
    for rsc in lb-hc lb-pm; do
        nx "$observer" crm_resource -r "$rsc" --meta --set-parameter target-role --parameter-value Stopped >/dev/null 2>&1
    done
    ct_settle "$observer"
    for node in "${CT_NODES[@]}"; do lb_no_listener "$node" "after lb-hc was stopped"; done
    # the health monitor marks the last node faulted within delay x max_retries (+ one delay)
    end=$(($(date +%s) + 15))
    while [ "$(date +%s)" -lt "$end" ]; do
        hc=$(lb_oracle app-pool)
        pm=$(lb_oracle weights-pool)
        [ "$hc" = "- 0" ] && [ "$pm" = "- 0" ] && break
        sleep 0.5
    done
    [ "$hc" = "- 0" ] || ct_fail "lb-hc stopped, yet app-pool's traffic goes to [$hc]"
    [ "$pm" = "- 0" ] || ct_fail "lb-pm stopped, yet weights-pool's traffic goes to [$pm]"
    ct_assert_no_failures "$observer" "after stopping the load-balancer resources"
    ct_result load-balancer-checks "both resources stopped" outcome "no listener on any node, both pools drop the traffic"
    ct_pass "lb-hc and lb-pm stopped: no listener on any node, both pools drop the traffic"
}

suite_load_balancer() {
    ct_log "=== load-balancer: 2 nodes with fencing; lb-hc (health-check, port $LB_PORT), lb-pm (pool-member); pool health monitors: $LB_HEALTH"
    LB_PM_PARAMS="mode=pool-member load_balancer=app-lb pool=weights-pool $CLOUD api_key_file=$WORK/apikey monitor_grace=$GRACE"
    ct_sim POST /reset >/dev/null
    CT_FENCING=1
    ct_cluster_start node1 node2
    lb_start_app node1
    lb_start_app node2
    # pool-member mode sets weights through the API: before the resources exist, so they start clean
    ocf_tester_agents node2 load-balancer "$LB_PM_PARAMS" mode=pool-member
    ct_power_watcher_start
    add_fencing node1
    lb_add_resources node1
    ct_sim DELETE /journal >/dev/null
    lb_check_standby
    lb_check_crash corosync
    lb_check_crash node
    ct_result requests "load-balancer: standby + 2 fenced crashes + rejoins" "vpc iam metadata" "$(ct_counts)"
    lb_check_bad_change
    lb_check_stopped
    ct_power_watcher_stop
    ct_cluster_stop
    # shellcheck disable=SC2034 # read by lib.sh
    CT_FENCING=0
}

# shellcheck shell=bash
# Suite par (issue 17): the public-address-range strategy in the 3-node cross-zone cluster (node1,
# node2 in us-south-1, node3 in us-south-2). The scenario's range ha-par (150.240.80.0/30) is bound to
# us-south-1, and the internet-ingress table par-ingress routes it to node1.
#   - ocf-tester on ocf:ibm:vpc-ha strategy=public-address-range and on ocf:ibm:vpc-public-address-range
#     inside node3 (its start moves the range to us-south-2);
#   - resource par (the generic agent), then: a move to the other zone and back, a same-zone move,
#     kill -9 of the active node's corosync, kill -9 of the whole active node (Pacemaker picks the
#     survivor: so far always the other node in us-south-1), then a move to node3 and kill -9 of it,
#     whose survivors are all in us-south-1: the range changes zones after a crash. Each is timed from the
#     action until the forwarding oracle says "traffic from the internet to 150.240.80.2 reaches node X"
#     (the range bound to X's zone and the route there delivering to X); after each, Pacemaker and
#     the oracle agree on one node, and after a killed node reboots and rejoins there is still one.
# Sourced by run.sh after lib.sh; uses run.sh's ct_primitive, check_ocf_tester, kill_active, other_node.

PAR_CIDR=150.240.80.0/30
PAR_ADDRESS=150.240.80.2
PAR_LABEL="par (public-address-range, internet to $PAR_CIDR)"

# par_owner: the node internet traffic to an address of the range reaches; "-" when it is dropped
# (the range's zone and the route's differ, or there is no route)
par_owner() {
    ct_sim GET "/oracle?address=$PAR_ADDRESS&ingress=internet" 2>/dev/null \
        | jq -r 'if .delivered then .instance.name else "-" end' 2>/dev/null || echo "?"
}

# par_wait_delivered OLD T0 TIMEOUT [WANT]: polls the oracle every 100 ms until internet traffic to
# the range reaches a node that is not OLD (or is WANT); prints "NODE SECONDS", counted from T0
par_wait_delivered() {
    local old=$1 t0=$2 timeout=$3 want=${4:-} end owner
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        owner=$(par_owner)
        if [[ "$owner" == node* ]] && [ "$owner" != "$old" ] && { [ -z "$want" ] || [ "$owner" = "$want" ]; }; then
            echo "$owner $(ct_since "$t0")"
            return 0
        fi
        sleep 0.1
    done
    ct_fail "internet traffic to $PAR_ADDRESS not delivered away from ${old:-nobody} within ${timeout}s (reaches: $(par_owner))"
}

# par_assert_one_owner OBSERVER: par runs on exactly one node, and the internet reaches that node
par_assert_one_owner() {
    local observer=$1 where owner
    where=$(ct_locate "$observer" par)
    owner=$(par_owner)
    [ "$(wc -w <<<"$where")" -eq 1 ] || ct_fail "par runs on [$where], not on exactly one node"
    [ "$owner" = "$where" ] || ct_fail "par runs on $where but internet traffic to $PAR_ADDRESS reaches $owner"
    echo "$where"
}

# par_timed SCENARIO OBSERVER OLD "NODE SECONDS": Pacemaker agrees, the time is recorded
par_timed() {
    local scenario=$1 observer=$2 old=$3 new seconds
    read -r new seconds <<<"$4"
    ct_wait_located "$observer" par "$new" 30 >/dev/null
    ct_log "$scenario: $old -> $new; internet traffic to $PAR_ADDRESS reaches $new after ${seconds}s"
    ct_result failover "3-node: $scenario" "$PAR_LABEL" "$seconds"
}

par_zone() { [ "$1" = node3 ] && echo us-south-2 || echo us-south-1; }

# par_move TARGET: crm_resource --move to TARGET, timed; then --clear (stickiness keeps it there)
par_move() {
    local target=$1 a t0 scenario moved
    a=$(ct_locate "$target" par)
    [ "$a" != "$target" ] || ct_fail "par runs on $target already"
    if [ "$(par_zone "$a")" = "$(par_zone "$target")" ]; then
        scenario="move within $(par_zone "$a") (crm_resource --move)"
    else
        scenario="move from $(par_zone "$a") to $(par_zone "$target") (crm_resource --move)"
    fi
    t0=$(ct_now)
    nx "$target" crm_resource --move -r par -N "$target" >/dev/null 2>&1
    moved=$(par_wait_delivered "$a" "$t0" 60 "$target")
    par_timed "$scenario" "$target" "$a" "$moved"
    nx "$target" crm_resource --clear -r par >/dev/null 2>&1
    ct_settle "$target"
    [ "$(par_assert_one_owner "$target")" = "$target" ] || ct_fail "par left $target after --clear"
    ct_assert_no_failures "$target" "after the $scenario"
    ct_pass "par: $scenario, $a -> $target; one owner"
}

# par_crash corosync|node: kill -9 the active node's corosync, or the whole node; it reboots and
# rejoins (ct_check_crash)
par_crash() {
    ct_check_crash par "$1" par_wait_delivered par_crash_moved par_crash_rejoined
}

# par_crash_moved SCENARIO OBSERVER MOVED OLD: Pacemaker picked the survivor: the scenario says
# whether the range had to change zones
par_crash_moved() {
    local scenario=$1 new=${3%% *}
    if [ "$(par_zone "$4")" = "$(par_zone "$new")" ]; then
        scenario="$scenario (survivor in the same zone)"
    else
        scenario="$scenario (survivor in the other zone)"
    fi
    par_timed "$scenario" "$2" "$4" "$3"
}

# par_crash_rejoined SCENARIO OBSERVER OLD: one owner after the killed node rejoined
par_crash_rejoined() {
    local scenario=$1 observer=$2 a=$3 where
    ct_settle "$observer" 90
    where=$(par_assert_one_owner "$observer")
    ct_assert_no_failures "$observer" "after $scenario and the reboot"
    ct_pass "par: $scenario ($a): after $a rebooted and rejoined, exactly one owner ($where)"
}

suite_par() {
    ct_log "=== public-address-range: 3-node cluster (node1, node2 in us-south-1, node3 in us-south-2)"
    ct_sim POST /reset >/dev/null
    [ "$(par_owner)" = node1 ] || ct_fail "the scenario should deliver internet traffic to $PAR_ADDRESS to node1"
    ct_cluster_start node1 node2 node3
    check_ocf_tester node3 public-address-range
    [ "$(par_owner)" = node3 ] || ct_fail "ocf-tester's start on node3 should have brought the range there (reaches: $(par_owner))"

    local a b counts
    nx node1 cibadmin --create -o resources --xml-text "$(ct_primitive par \
        "strategy=public-address-range public_address_range=ha-par $CLOUD api_key_file=$WORK/apikey monitor_grace=$GRACE")"
    a=$(ct_wait_located node1 par any 60)
    ct_settle node1
    par_wait_delivered "" "$(ct_now)" 30 "$a" >/dev/null
    par_assert_one_owner node1 >/dev/null
    ct_assert_no_failures node1 "after par's start"
    ct_pass "par started on $a; internet traffic to $PAR_ADDRESS reaches it"

    ct_sim DELETE /journal >/dev/null
    # across zones and back, then within us-south-1
    if [ "$a" = node3 ]; then
        par_move node1
        par_move node3
        par_move node1
    else
        par_move node3
        par_move "$a"
    fi
    if [ "$(ct_locate node1 par)" = node1 ]; then b=node2; else b=node1; fi
    par_move "$b"
    par_crash corosync
    par_crash node
    # a crash that moves the range across zones: the active node in us-south-2, where no other node is
    par_move node3
    par_crash node
    counts=$(ct_counts)
    ct_result requests "3-node par: 4 moves + 3 crashes + reboots" "vpc iam metadata" "$counts"
    ct_cluster_stop
}

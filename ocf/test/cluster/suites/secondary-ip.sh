# shellcheck shell=bash
# Suite secondary-ip (issue 15), sourced by run.sh: the secondary-ip strategy in a real 2-node
# cluster without fencing, node2 and node4, whose network attachments' VNIs are both in
# subnet-us-south-1 (cluster-scenario.json; node1 has a network interface, which holds no secondary
# IP). 10.240.0.100 starts as reserved IP db-vip, a secondary IP of node4's VNI with auto_delete true.
#
#   - vip-sip: ocf:ibm:vpc-ha strategy=secondary-ip ip=10.240.0.100 (API key file), the defaults for
#     everything else: this node's VNI and its guest interface (by MAC address: lib.sh gives each
#     node's eth0 its VNI's MAC) come from the metadata service.
#
# Checks: ocf-tester on both agents inside node2 (it moves the VIP there and leaves it bound: stop
# keeps the binding); standby move, kill -9 of the active node's corosync, kill -9 of the whole active
# node (each relaunched, as fencing would), each timed from the action until the simulator's
# forwarding oracle delivers 10.240.0.100 from every zone to the new node; after each, with both
# nodes online: Pacemaker runs vip-sip on one node, the VPC delivers there, exactly one VNI holds the
# address, always the same reserved IP (never deleted by an unbind, so never re-created), and only
# that node has it on eth0; faults shorter than monitor_grace (VPC 503, IAM outage) with zero fail
# counts and no move.

SIP_VIP=10.240.0.100
SIP_PARAMS=""  # set by suite_secondary_ip: $CLOUD exists only once the simulator runs
SIP_RESERVED_ID=""

# sip_holders_vni: "VNI-NAME RESERVED-IP-ID" for each VNI holding SIP_VIP, one per line
sip_holders_vni() {
    ct_sim GET /state | jq -r --arg a "$SIP_VIP" \
        '.virtual_network_interfaces[] | . as $v | (.ips // [])[] | select(.address == $a) | "\($v.name) \(.id)"'
}

# sip_on_eth0 NODE: whether the node has SIP_VIP on eth0
sip_on_eth0() {
    [[ "$(ip netns exec "$CT_NS_PREFIX-$1" ip -4 -o addr show dev eth0)" == *" $SIP_VIP/"* ]]
}

# sip_assert_one OBSERVER WHAT: vip-sip runs on one node; the VPC delivers SIP_VIP there from every
# zone; exactly one VNI holds it, that node's, as the reserved IP it always was; only that node has it
# on eth0. Prints the node.
sip_assert_one() {
    local observer=$1 what=$2 where owner holders node on=""
    where=$(ct_locate "$observer" vip-sip)
    [ "$(wc -w <<<"$where")" -eq 1 ] || ct_fail "$what: vip-sip runs on [$where], not on exactly one node"
    owner=$(ct_vip_owner "$SIP_VIP")
    [ "$owner" = "$where" ] || ct_fail "$what: vip-sip runs on $where but the VPC delivers $SIP_VIP to $owner"
    holders=$(sip_holders_vni)
    [ "$holders" = "$where-vni $SIP_RESERVED_ID" ] \
        || ct_fail "$what: $SIP_VIP is held by [$(paste -sd, - <<<"$holders")], expected only $where-vni with reserved IP $SIP_RESERVED_ID"
    for node in "${CT_NODES[@]}"; do
        sip_on_eth0 "$node" && on="$on $node"
    done
    [ "${on# }" = "$where" ] || ct_fail "$what: $SIP_VIP is on eth0 of [${on# }], expected only $where"
    echo "$where"
}

# sip_wait_delivered OLD T0 TIMEOUT: polls the oracle every 100 ms until SIP_VIP is delivered from
# every zone to one node other than OLD; prints "NODE SECONDS" (from T0)
sip_wait_delivered() {
    local old=$1 t0=$2 timeout=$3 end owner
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        owner=$(ct_vip_owner "$SIP_VIP")
        if [ "$owner" != "$old" ] && [[ "$owner" == node* ]]; then
            echo "$owner $(ct_since "$t0")"
            return 0
        fi
        sleep 0.1
    done
    ct_fail "$SIP_VIP not delivered away from ${old:-nobody} within ${timeout}s (delivered to $(ct_vip_owner "$SIP_VIP"); held by $(sip_holders_vni | paste -sd, -))"
}

# sip_after_move SCENARIO OBSERVER "NODE SECONDS" OLD: Pacemaker agrees; records the time
sip_after_move() {
    local scenario=$1 observer=$2 new seconds old=$4
    read -r new seconds <<<"$3"
    ct_wait_located "$observer" vip-sip "$new" 30 >/dev/null
    ct_log "$scenario: $old -> $new; the VPC delivers $SIP_VIP after ${seconds}s"
    ct_result secondary-ip "$scenario" vip-sip "$seconds"
}

sip_add_resource() {
    local observer=$1 where
    nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive vip-sip "$SIP_PARAMS")"
    where=$(ct_wait_located "$observer" vip-sip any 60)
    ct_settle "$observer"
    sip_assert_one "$observer" "after start" >/dev/null
    ct_assert_no_failures "$observer" "after starting vip-sip"
    ct_pass "vip-sip started on $where: the VPC delivers $SIP_VIP there from every zone, $where-vni alone holds it, on eth0 of $where alone"
}

sip_check_standby() {
    local a b t0 moved where
    a=$(ct_locate "${CT_NODES[0]}" vip-sip)
    b=$(other_node "$a")
    t0=$(ct_now)
    nx "$b" crm_standby -N "$a" -v on
    moved=$(sip_wait_delivered "$a" "$t0" 60)
    sip_after_move "standby of the active node" "$b" "$moved" "$a"
    ct_settle "$b"
    ! sip_on_eth0 "$a" || ct_fail "standby of $a: $SIP_VIP is still on its eth0"
    nx "$b" crm_standby -N "$a" -v off
    ct_settle "$b"
    where=$(sip_assert_one "$b" "after $a came back from standby")
    ct_assert_no_failures "$b" "after the standby move"
    ct_pass "standby: moved off $a, which no longer has $SIP_VIP on eth0; with $a back online it stays on $where, one binding"
}

# sip_check_crash corosync|node: kill -9 the active node's corosync, or the whole node; the node is
# booted again (as fencing would) and rejoins (ct_check_crash)
sip_check_crash() {
    ct_check_crash vip-sip "$1" sip_wait_delivered sip_after_move sip_crash_rejoined
}

# sip_crash_rejoined SCENARIO OBSERVER OLD: one binding, the address on eth0 of the active node alone
sip_crash_rejoined() {
    local scenario=$1 b=$2 a=$3 where
    ct_settle "$b" 90
    where=$(sip_assert_one "$b" "after $scenario and the reboot")
    ct_assert_no_failures "$b" "after $scenario and the reboot"
    ct_pass "$scenario: after $a rebooted and rejoined, exactly one binding ($where-vni) and $SIP_VIP on eth0 of $where alone"
}

# sip_fault NAME JSON: the fault for FAULT_SECONDS while monitors run; it must have fired, and
# nothing may fail or move
sip_fault() {
    local name=$1 json=$2 observer=${CT_NODES[0]} where now id fired counts
    where=$(ct_locate "$observer" vip-sip)
    ct_sim DELETE /journal >/dev/null
    id=$(ct_sim POST /faults "$json" | jq -r .id)
    [[ -n "$id" && "$id" != null ]] || ct_fail "the simulator refused the fault $json"
    sleep "$FAULT_SECONDS"
    fired=$(ct_sim GET /faults | jq -r --arg id "$id" '(.faults // .)[] | select(.id == $id) | .fired')
    ct_sim DELETE "/faults/$id" >/dev/null
    counts=$(ct_counts)
    [ "${fired:-0}" -gt 0 ] || ct_fail "fault $name never fired in ${FAULT_SECONDS}s: the test did not test it"
    sleep $((MONITOR_INTERVAL + 2))   # a healthy monitor after the fault
    ct_assert_no_failures "$observer" "$name for ${FAULT_SECONDS}s"
    now=$(sip_assert_one "$observer" "$name for ${FAULT_SECONDS}s")
    [ "$now" = "$where" ] || ct_fail "$name moved vip-sip off $where to $now"
    ct_pass "$name for ${FAULT_SECONDS}s (fired on $fired requests): no failure, no move; requests vpc/iam/metadata: $counts"
    ct_result secondary-ip-faults "$name" "fired vpc iam metadata" "$fired $counts"
}

suite_secondary_ip() {
    ct_log "=== secondary-ip: 2 nodes (node2, node4: VNIs in subnet-us-south-1), vip-sip ip=$SIP_VIP"
    SIP_PARAMS="strategy=secondary-ip ip=$SIP_VIP $CLOUD api_key_file=$WORK/apikey monitor_grace=$GRACE"
    ct_sim POST /reset >/dev/null
    SIP_RESERVED_ID=$(sip_holders_vni | awk '$1 == "node4-vni" { print $2 }')
    [ -n "$SIP_RESERVED_ID" ] || ct_fail "the scenario should bind $SIP_VIP to node4-vni: [$(sip_holders_vni)]"
    ct_cluster_start node2 node4
    check_ocf_tester node2 secondary-ip
    # ocf-tester's start took the VIP from node4 (auto_delete turned off first, or the unbind would
    # have deleted it) and its stop kept the binding
    [ "$(sip_holders_vni)" = "node2-vni $SIP_RESERVED_ID" ] \
        || ct_fail "after ocf-tester in node2, $SIP_VIP is held by [$(sip_holders_vni | paste -sd, -)], expected node2-vni with reserved IP $SIP_RESERVED_ID"
    ! sip_on_eth0 node2 || ct_fail "ocf-tester's stop left $SIP_VIP on eth0 of node2"
    sip_add_resource node2
    ct_sim DELETE /journal >/dev/null
    sip_check_standby
    sip_check_crash corosync
    sip_check_crash node
    ct_result requests "secondary-ip: standby + 2 crashes + reboots" "vpc iam metadata" "$(ct_counts)"
    sip_fault "503 from the VPC API" '{"kind":"status","status":503,"service":"vpc"}'
    sip_fault "IAM outage" '{"kind":"iam_outage"}'
    ct_cluster_stop
}

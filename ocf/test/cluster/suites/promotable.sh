# shellcheck shell=bash
# Suite "promotable" (issue 18 §4): custom-route and floating-ip as promotable clones
# (promoted-max=1) on 2 nodes in us-south-1, without fencing. The passive node proves at every
# Unpromoted monitor that it could take over; readiness is then broken on it (its API key file made
# readable by others, and the metadata service off for that node through the simulator's faults):
# "not ready" must show (crm_mon -A) within one readiness interval, with no failed action and no fail
# count, and the ready node must stay promoted. The ready node is then killed: the unready node, now the last one
# standing, is promoted and tries (its promote fails for the reason readiness gave). Restored, it
# takes the VIPs over, and the killed node, rebooted, is ready again as the passive one.
# Then promotable vs primitive on the same 2 nodes (custom-route alone, CT_PR_ROUNDS=3 failovers of
# each, alternating): the clone pr-route-clone and run.sh's primitive vip-route take turns on the
# DC's node, which is killed (kill -9 of its PID 1); each failover is timed until the VPC delivers
# 10.0.0.100 to the survivor, and the survivor's log says where the time went (report.sh's table).
# Sourced by run.sh after lib.sh; uses run.sh's CLOUD, GRACE, MONITOR_INTERVAL, FIP, PROVIDER, ROUTE_PARAMS,
# ct_primitive, kill_active, other_node.

# Each node reads the API key from its own /run (a tmpfs per node), so one node's key file can be
# broken alone; a reboot empties /run, as on a real instance.
PR_KEY=/run/ct-key/apikey
PR_UNPROMOTED_INTERVAL=$((MONITOR_INTERVAL + 1))   # s; role monitors need intervals of their own
PR_PROMOTE_WITHIN=60   # s from the kill of the promoted DC to the survivor's promote (no stalled cancel)
PR_ROUNDS=${CT_PR_ROUNDS:-3}   # failovers of each kind, promotable and primitive, alternating
# the Unpromoted monitor's op attributes besides id, name, role and interval (timeout="30s" by default),
# to measure their effect on a promotion, e.g. CT_PR_UNPROMOTED_OP='record-pending="false" timeout="30s"'
PR_UNPROMOTED_OP=${CT_PR_UNPROMOTED_OP:-}

# pr_key NODE: the scenario's key into NODE's own key file (mode 600)
pr_key() {
    nx "$1" sh -c "install -d -m 700 ${PR_KEY%/*} && install -m 600 /dev/null $PR_KEY && cat >$PR_KEY" <"$WORK/apikey"
}

# pr_clone ID "name=value ...": a promotable clone ID-clone of ocf:PROVIDER:vpc-ha, run.sh's
# primitive with role monitors instead of its single monitor
pr_clone() {
    local id=$1 ops
    ops="<op id=\"$id-promote\" name=\"promote\" interval=\"0s\" timeout=\"60s\"/>
    <op id=\"$id-demote\" name=\"demote\" interval=\"0s\" timeout=\"30s\"/>
    <op id=\"$id-monitor-promoted\" name=\"monitor\" role=\"Promoted\" interval=\"${MONITOR_INTERVAL}s\" timeout=\"30s\"/>
    <op id=\"$id-monitor-unpromoted\" name=\"monitor\" role=\"Unpromoted\" interval=\"${PR_UNPROMOTED_INTERVAL}s\" ${PR_UNPROMOTED_OP:-timeout=\"30s\"}/>
  </operations>"
    echo "<clone id=\"$id-clone\">
  <meta_attributes id=\"$id-clone-meta\">
    <nvpair id=\"$id-clone-promotable\" name=\"promotable\" value=\"true\"/>
    <nvpair id=\"$id-clone-promoted-max\" name=\"promoted-max\" value=\"1\"/>
  </meta_attributes>
$(ct_primitive "$id" "$2" | sed -e "/id=\"$id-monitor\"/d" -e "s#</operations>#${ops//$'\n'/\\n}#")
</clone>"
}

# pr_promoted OBSERVER CLONE: the node where CLONE is promoted ("" when none)
pr_promoted() {
    nx "$1" crm_mon -1 --output-as=xml 2>/dev/null \
        | xmllint --xpath "//clone[@id='$2']/resource[@role='Promoted']/node/@name" - 2>/dev/null \
        | sed 's/ name="\([^"]*\)"/\1\n/g' | sed '/^$/d' | paste -sd' ' - || true
}

# pr_wait_promoted OBSERVER CLONE NODE|any TIMEOUT: until CLONE is promoted on NODE (or on one node)
pr_wait_promoted() {
    local observer=$1 clone=$2 want=$3 end where
    end=$(($(date +%s) + $4))
    while [ "$(date +%s)" -lt "$end" ]; do
        where=$(pr_promoted "$observer" "$clone")
        if [ -n "$where" ] && [ "$(wc -w <<<"$where")" -eq 1 ] && { [ "$want" = any ] || [ "$where" = "$want" ]; }; then
            echo "$where"
            return 0
        fi
        sleep 0.2
    done
    nx "$observer" crm_mon -1 -r >&2
    ct_fail "$clone not promoted on $want after $4s (promoted on [$where])"
}

# pr_readiness OBSERVER NODE RSC: NODE's readiness attribute of RSC ("ready", "not ready: ..." or "")
pr_readiness() {
    nx "$1" crm_attribute -N "$2" -n "vpc-ha-readiness-$3" -l reboot -G -q 2>/dev/null || true
}

# pr_wait_readiness OBSERVER NODE RSC PATTERN TIMEOUT: until the attribute matches PATTERN (a glob);
# prints the seconds it took
pr_wait_readiness() {
    local observer=$1 node=$2 rsc=$3 pattern=$4 t0 end value
    t0=$(ct_now)
    end=$(($(date +%s) + $5))
    while [ "$(date +%s)" -lt "$end" ]; do
        value=$(pr_readiness "$observer" "$node" "$rsc")
        # shellcheck disable=SC2053 # PATTERN is a glob
        if [[ "$value" == $pattern ]]; then
            ct_since "$t0"
            return 0
        fi
        sleep 0.2
    done
    ct_fail "$rsc on $node: readiness [$value], not [$pattern], after $5s"
}

# pr_failed_op OBSERVER NODE OP: whether Pacemaker lists a failed OP (interval 0) on NODE
pr_failed_op() {
    ct_failures "$1" | grep "node=\"$2\"" | grep -q "_${3}_0\""
}


# ------------------------------------------------------------------ promotable vs primitive

# pr_target_role OBSERVER RSC ROLE: RSC's target-role meta attribute (a clone's on the clone)
pr_target_role() {
    nx "$1" crm_resource -r "$2" --meta -p target-role -v "$3" >/dev/null 2>&1 \
        || ct_fail "could not set target-role=$3 on $2"
}

# pr_dc OBSERVER: the node that is the DC ("" when none)
pr_dc() {
    nx "$1" crm_mon -1 --output-as=xml 2>/dev/null | xmllint --xpath 'string(//current_dc/@name)' - 2>/dev/null || true
}

# pr_wait_monitored OBSERVER NODE RSC TIMEOUT: until NODE's Unpromoted monitor of RSC has completed
# once since RSC started there (Pacemaker records a recurring monitor at its first result, and a stop
# removes the record): the warm standby a promote relies on is in place
pr_wait_monitored() {
    local observer=$1 node=$2 rsc=$3 end xpath
    xpath="//node_state[@uname='$node']//lrm_resource[@id='$rsc' or starts-with(@id,'$rsc:')]/lrm_rsc_op[@operation='monitor' and @interval='${PR_UNPROMOTED_INTERVAL}000' and @op-status='0' and @rc-code='0']"
    end=$(($(date +%s) + $4))
    while [ "$(date +%s)" -lt "$end" ]; do
        nx "$observer" cibadmin -Q -o status 2>/dev/null | xmllint --xpath "$xpath" - >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    ct_fail "$rsc's Unpromoted monitor on $node recorded no result within $4s"
}

# pr_activate KIND OBSERVER: only KIND's resource for 10.0.0.100 runs (promotable: the clone
# pr-route-clone, promoted; primitive: vip-route, run.sh's primitive), on the DC's node, so that
# every failover includes a new DC's election as the first one did; prints that node. A
# temporary location constraint puts it there; with the constraint gone, stickiness (a primitive's
# resource-stickiness, the promoted instance's higher promotion score) keeps it there.
pr_activate() {
    local kind=$1 observer=$2 dc other rsc location
    dc=$(pr_dc "$observer")
    [ -n "$dc" ] || ct_fail "no DC to put $kind on"
    other=$(other_node "$dc")
    if [ "$kind" = promotable ]; then
        rsc=pr-route-clone
        location="<rsc_location id=\"pr-at-dc\" rsc=\"$rsc\" role=\"Promoted\" node=\"$dc\" score=\"INFINITY\"/>"
        pr_target_role "$observer" vip-route Stopped
    else
        rsc=vip-route
        location="<rsc_location id=\"pr-at-dc\" rsc=\"$rsc\" node=\"$dc\" score=\"INFINITY\"/>"
        pr_target_role "$observer" pr-route-clone Stopped
    fi
    ct_settle "$observer"
    nx "$observer" cibadmin --create -o constraints --xml-text "$location"
    if [ "$kind" = promotable ]; then
        pr_target_role "$observer" pr-route-clone Started
        pr_wait_promoted "$observer" pr-route-clone "$dc" 60 >/dev/null
    else
        # the passive node of a primitive has run nothing: no token in its cache (the clone's
        # readiness checks, with the same key, left one there; tokens are cached per key and node)
        nx "$other" sh -c 'rm -f /run/vpc-ha/token-*'
        pr_target_role "$observer" vip-route Started
        ct_wait_located "$observer" vip-route "$dc" 60 >/dev/null
    fi
    ct_settle "$observer"
    nx "$observer" cibadmin --delete -o constraints --xml-text '<rsc_location id="pr-at-dc"/>'
    ct_settle "$observer"
    if [ "$kind" = promotable ]; then
        [ "$(pr_promoted "$observer" "$rsc")" = "$dc" ] || ct_fail "$rsc left $dc when its constraint went"
        pr_wait_monitored "$observer" "$other" pr-route $((PR_UNPROMOTED_INTERVAL + 30))
        [ "$(pr_readiness "$observer" "$other" pr-route)" = ready ] \
            || ct_fail "$other is not ready for pr-route: [$(pr_readiness "$observer" "$other" pr-route)]"
    else
        [ "$(ct_locate "$observer" vip-route)" = "$dc" ] || ct_fail "vip-route left $dc when its constraint went"
    fi
    pr_wait_vip "$dc" "$(ct_now)" 30 >/dev/null
    [ "$(pr_dc "$observer")" = "$dc" ] || ct_fail "the DC moved from $dc to $(pr_dc "$observer")"
    ct_assert_no_failures "$observer" "after putting $kind on $dc"
    echo "$dc"
}

# pr_wait_vip NODE T0 TIMEOUT: polls the oracle as wait_delivered does until 10.0.0.100 is delivered
# to NODE from every zone and through the ingress table; prints the seconds since T0
pr_wait_vip() {
    local want=$1 t0=$2 end t
    end=$(($(date +%s) + $3))
    while [ "$(date +%s)" -lt "$end" ]; do
        t=$(ct_since "$t0")
        if [ "$(ct_oracle 10.0.0.100 us-south-1)" = "$want" ] && [ "$(ct_vip_owner 10.0.0.100)" = "$want" ]; then
            echo "$t"
            return 0
        fi
        sleep 0.1
    done
    ct_fail "10.0.0.100 not delivered to $want within $3s (delivered to $(ct_vip_owner 10.0.0.100))"
}

# pr_phase NODE T0 REGEX: seconds from T0 to the first line of NODE's pacemaker.log after T0
# matching REGEX ("-" when none)
pr_phase() {
    local seconds
    seconds=$(ct_pacemaker_log_line "$1" "$2" "$3" | cut -d' ' -f1)
    echo "${seconds:--}"
}

# pr_round KIND ROUND: KIND (promotable or primitive) on the DC's node, which is killed (kill -9 of
# its PID 1); timed until the VPC delivers 10.0.0.100 to the survivor. Where the time went, from the
# survivor's log: the killed node seen lost, the survivor DC, the cancel of its Unpromoted monitor
# (promotable), the promote or start initiated, and its result. The killed node reboots and rejoins.
pr_round() {
    local kind=$1 round=$2 a b t0 seconds load action rsc lost dc cancel initiated result
    a=$(pr_activate "$kind" "${CT_NODES[0]}")
    b=$(other_node "$a")
    action=start rsc=vip-route
    [ "$kind" = promotable ] && action=promote rsc=pr-route
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(kill_active "$a" node)
    seconds=$(pr_wait_vip "$b" "$t0" "$PR_PROMOTE_WITHIN")
    if [ "$kind" = promotable ]; then
        pr_wait_promoted "$b" pr-route-clone "$b" 30 >/dev/null
    else
        ct_wait_located "$b" vip-route "$b" 30 >/dev/null
    fi
    lost=$(pr_phase "$b" "$t0" "Node $a state is now lost")
    dc=$(pr_phase "$b" "$t0" "State transition S_ELECTION -> S_INTEGRATION")
    cancel=-
    [ "$kind" = primitive ] || cancel=$(pr_phase "$b" "$t0" "Initiating cancel operation ${rsc}(:[0-9]+)?_monitor_${PR_UNPROMOTED_INTERVAL}000 ")
    initiated=$(pr_phase "$b" "$t0" "Initiating $action operation ${rsc}(:[0-9]+)?_${action}_0 ")
    result=$(pr_phase "$b" "$t0" "Result of $action operation for ${rsc}(:[0-9]+)? on $b: ")
    ct_log "$kind round $round: $a (DC) killed at $(date -d "@$t0" +%T.%N | cut -c1-12), load $load: 10.0.0.100 delivered to $b after ${seconds}s; from $b's log: lost ${lost}s, DC ${dc}s, cancel ${cancel}s, $action initiated ${initiated}s, its result ${result}s"
    ct_result promotable-failover "$kind" seconds "$seconds"
    ct_result promotable-failover "$kind" load "$load"
    ct_result promotable-failover "$kind" "lost dc cancel initiated result" "$lost $dc $cancel $initiated $result"
    ct_relaunch "$a" "$b"
    pr_key "$a"
    ct_settle "$b" 90
    ct_assert_no_failures "$b" "after the $kind failover and $a's reboot"
}

suite_promotable() {
    local clones=(pr-route-clone) rsc=(pr-route) p u t0 seconds fault clone r i end line
    ct_log "=== promotable clones on 2 nodes (readiness every ${PR_UNPROMOTED_INTERVAL}s on the passive node)"
    ct_sim POST /reset >/dev/null
    ct_cluster_start node1 node2
    pr_key node1
    pr_key node2
    nx node1 cibadmin --create -o resources --xml-text \
        "$(pr_clone pr-route "strategy=custom-route vip=10.0.0.100 $CLOUD api_key_file=$PR_KEY monitor_grace=$GRACE")"
    if [ "$FIP" = 1 ]; then
        nx node1 cibadmin --create -o resources --xml-text \
            "$(pr_clone pr-fip "strategy=floating-ip floating_ip=vip-fip $CLOUD api_key_file=$PR_KEY monitor_grace=$GRACE")"
        nx node1 cibadmin --create -o constraints --xml-text \
            '<rsc_colocation id="pr-fip-with-route" rsc="pr-fip-clone" rsc-role="Promoted" with-rsc="pr-route-clone" with-rsc-role="Promoted" score="INFINITY"/>'
        clones+=(pr-fip-clone)
        rsc+=(pr-fip)
    fi

    p=$(pr_wait_promoted node1 pr-route-clone any 90)
    u=$(other_node "$p")
    for clone in "${clones[@]}"; do pr_wait_promoted node1 "$clone" "$p" 60 >/dev/null; done
    for r in "${rsc[@]}"; do pr_wait_readiness node1 "$u" "$r" ready 30 >/dev/null; done
    ct_settle node1
    [ "$(ct_vip_owner 10.0.0.100)" = "$p" ] || ct_fail "promoted on $p but the VPC delivers 10.0.0.100 to $(ct_vip_owner 10.0.0.100)"
    [ "$FIP" = 0 ] || [ "$(ct_oracle "$FIP_ADDRESS" us-south-1)" = "$p" ] || ct_fail "the floating IP is not delivered to $p"
    ct_assert_no_failures node1 "after the promotable clones started"
    ct_pass "promoted on $p, the VPC delivers there; $u is Unpromoted and ready for ${rsc[*]}"

    # break readiness on the passive node: its key file, and the metadata service for it
    t0=$(ct_now)
    nx "$u" chmod 644 "$PR_KEY"
    fault=$(ct_sim POST /faults "{\"kind\":\"metadata_outage\",\"instance\":\"$u\"}" | jq -r .id)
    if [ -z "$fault" ] || [ "$fault" = null ]; then ct_fail "the simulator refused the metadata outage for $u"; fi
    for r in "${rsc[@]}"; do
        pr_wait_readiness node1 "$u" "$r" "not ready: *" $((PR_UNPROMOTED_INTERVAL + 20)) >/dev/null
        seconds=$(ct_since "$t0")
        # one interval, plus the monitor's own run (a JVM start and its requests)
        awk -v s="$seconds" -v max=$((PR_UNPROMOTED_INTERVAL + 5)) 'BEGIN { exit !(s <= max) }' \
            || ct_fail "$r: 'not ready' on $u after ${seconds}s, more than one readiness interval (${PR_UNPROMOTED_INTERVAL}s)"
        ct_log "$r on $u: $(pr_readiness node1 "$u" "$r") (after ${seconds}s)"
        ct_result promotable "not ready shown after breaking the passive node" "$r" "$seconds"
    done
    # two more readiness intervals: shown, never failed, never promoted
    sleep $((2 * PR_UNPROMOTED_INTERVAL))
    for clone in "${clones[@]}"; do
        [ "$(pr_promoted node1 "$clone")" = "$p" ] || ct_fail "$clone left the ready node $p: promoted on [$(pr_promoted node1 "$clone")]"
    done
    # not ready is no failure: the Unpromoted monitor succeeds (a failed one is recorded only as a
    # last_failure, and its cancel at a promotion by a new DC then stalls the promotion)
    ct_assert_no_failures node1 "while $u was not ready"
    nx node1 crm_mon -1 -A | grep -Eq "vpc-ha-readiness-pr-route[[:space:]]*: not ready: credentials: " \
        || { nx node1 crm_mon -1 -A >&2; ct_fail "crm_mon -A does not show $u's 'not ready' and its reason"; }
    if [ -d "$WORK/nodes/$u/node-exporter" ]; then
        grep -qx 'vpc_ha_ready{resource="pr-route"} 0' "$WORK/nodes/$u/node-exporter/vpc-ha-pr-route.prom" \
            || ct_fail "$u's metrics do not say pr-route is not ready"
    fi
    ct_pass "$u not ready for ${rsc[*]} within one interval, no failure, still promoted on $p"

    # kill the ready node: the unready one is the last one standing, promoted, and tries
    # with a failed (OCF_DEGRADED) Unpromoted monitor, Pacemaker 2.1.5 took 93 s and more here: the new
    # DC's cancel of it came back as a foreign event and the transition waited out the cancel's timeout
    # and cluster-delay; a successful monitor's cancel is confirmed at once
    t0=$(kill_active "$p" node)
    end=$(($(date +%s) + PR_PROMOTE_WITHIN))
    until pr_failed_op "$u" "$u" promote; do
        [ "$(date +%s)" -lt "$end" ] || { nx "$u" crm_mon -1 -rf >&2; ct_fail "$u was not promoted after $p was killed"; }
        sleep 0.5
    done
    ct_pass "$p killed: $u, not ready, was promoted and tried after $(ct_since "$t0")s (the promote failed as readiness said)"
    # when the new DC cancelled the survivor's Unpromoted monitor (the promote follows at once)
    for r in "${rsc[@]}"; do
        line=$(ct_pacemaker_log_line "$u" "$t0" "Initiating cancel operation ${r}_monitor_")
        [ -z "$line" ] || ct_log "$u's log, s after the kill: $line"
    done
    line=$(ct_pacemaker_log_line "$u" "$t0" "did not send cancel result")
    [ -z "$line" ] || ct_fail "a cancel stalled the promotion again: $line"
    ct_result promotable "promote of the unready last node tried after" pr-route "$(ct_since "$t0")"

    # restore, and clear the failed promotes as an administrator would (a refused key file is a
    # configuration error, which Pacemaker does not retry by itself): the VIPs move to it
    nx "$u" chmod 600 "$PR_KEY"
    ct_sim DELETE "/faults/$fault" >/dev/null
    t0=$(ct_now)
    nx "$u" crm_resource --cleanup >/dev/null 2>&1
    for clone in "${clones[@]}"; do pr_wait_promoted "$u" "$clone" "$u" 120 >/dev/null; done
    end=$(($(date +%s) + 60))
    until [ "$(ct_vip_owner 10.0.0.100)" = "$u" ]; do
        [ "$(date +%s)" -lt "$end" ] || ct_fail "10.0.0.100 not delivered to $u after the restore"
        sleep 0.2
    done
    [ "$FIP" = 0 ] || [ "$(ct_oracle "$FIP_ADDRESS" us-south-1)" = "$u" ] || ct_fail "the floating IP is not delivered to $u"
    ct_pass "restored: $u promoted, the VPC delivers to it $(ct_since "$t0")s after the restore"

    # the killed node reboots (its /run is new: the key goes in again) and is the ready passive node
    ct_relaunch "$p" "$u"
    pr_key "$p"
    for r in "${rsc[@]}"; do
        seconds=$(pr_wait_readiness "$u" "$p" "$r" ready 60)
        ct_log "$r on $p: ready $seconds s after its key was back"
    done
    ct_settle "$u"
    for i in "${!clones[@]}"; do
        [ "$(pr_promoted "$u" "${clones[$i]}")" = "$u" ] || ct_fail "${clones[$i]} moved back to $p"
    done
    # its first readiness, before its key was back, said "not ready"; nothing failed
    ct_assert_no_failures "$u" "after $p came back"
    ct_pass "$p rebooted: ready again as the passive node; $u stays promoted"

    # promotable vs primitive, side by side on these 2 nodes: custom-route alone, each failover timed
    # as run.sh times the primitive's (kill -9 of the whole active node, also the DC, until the VPC
    # delivers the VIP to the other one), alternating
    [ "$FIP" = 0 ] || pr_target_role "$u" pr-fip-clone Stopped
    # run.sh's primitive of the 2-node suite for the same VIP, created stopped
    nx "$u" cibadmin --create -o resources --xml-text "$(ct_primitive vip-route "$ROUTE_PARAMS" \
        | sed 's#</instance_attributes>#&<meta_attributes id="vip-route-role"><nvpair id="vip-route-target-role" name="target-role" value="Stopped"/></meta_attributes>#')"
    ct_settle "$u"
    [ -z "$(ct_locate "$u" vip-route)" ] || ct_fail "vip-route, created stopped, runs on $(ct_locate "$u" vip-route)"
    for i in $(seq 1 "$PR_ROUNDS"); do
        pr_round promotable "$i"
        pr_round primitive "$i"
    done
    [ -z "$PR_UNPROMOTED_OP" ] || ct_result promotable-failover "Unpromoted monitor" "op attributes" "$PR_UNPROMOTED_OP"
    # the nodes' logs stay for a look at where the time went (the run's folder is removed)
    mkdir -p "$OUT/promotable"
    for r in node1 node2; do cp "$WORK/nodes/$r/var-log/pacemaker/pacemaker.log" "$OUT/promotable/$r.pacemaker.log"; done
    ct_cluster_stop
}

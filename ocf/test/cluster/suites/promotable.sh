# shellcheck shell=bash
# Suite "promotable" (issue 18 §4): custom-route and floating-ip as promotable clones
# (promoted-max=1) on 2 nodes in us-south-1, without fencing. The passive node proves at every
# Unpromoted monitor that it could take over; readiness is then broken on it (its API key file made
# readable by others, and the metadata service off for that node through the simulator's faults):
# "not ready" must show (crm_mon -A) within one readiness interval, with no failed action and no fail
# count, and the ready node must stay promoted. The ready node is then killed: the unready node, now the last one
# standing, is promoted and tries (its promote fails for the reason readiness gave). Restored, it
# takes the VIPs over, and the killed node, rebooted, is ready again as the passive one.
# Sourced by run.sh after lib.sh; uses run.sh's CLOUD, GRACE, MONITOR_INTERVAL, FIP, PROVIDER.

# Each node reads the API key from its own /run (a tmpfs per node), so one node's key file can be
# broken alone; a reboot empties /run, as on a real instance.
PR_KEY=/run/ct-key/apikey
PR_UNPROMOTED_INTERVAL=$((MONITOR_INTERVAL + 1))   # s; role monitors need intervals of their own
PR_PROMOTE_WITHIN=60   # s from the kill of the promoted DC to the survivor's promote (no stalled cancel)

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
    <op id=\"$id-monitor-unpromoted\" name=\"monitor\" role=\"Unpromoted\" interval=\"${PR_UNPROMOTED_INTERVAL}s\" timeout=\"30s\"/>
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

    # a failover to a ready passive node, timed as run.sh times the primitive's (kill -9 of the whole
    # active node until the VPC delivers the VIP to the other one)
    t0=$(kill_active "$u" node)
    end=$(($(date +%s) + PR_PROMOTE_WITHIN))
    until [ "$(ct_vip_owner 10.0.0.100)" = "$p" ]; do
        [ "$(date +%s)" -lt "$end" ] || { nx "$p" crm_mon -1 -rf >&2; ct_fail "10.0.0.100 not delivered to $p within ${PR_PROMOTE_WITHIN}s of $u's kill"; }
        sleep 0.2
    done
    seconds=$(ct_since "$t0")
    ct_result promotable "kill -9 the whole promoted node (ready passive)" vip-route "$seconds"
    ct_pass "$u killed: the ready $p promoted, the VPC delivers 10.0.0.100 there after ${seconds}s"
    ct_cluster_stop
}

#!/bin/bash
# End-to-end tests of the installed vpc-ha distribution in real Pacemaker clusters (issue 7).
#
#   ocf/test/cluster/run.sh [--tarball FILE] [--simulator-jar FILE] [--out DIR]
#                           [--suites 2,3,fence,partition,qdevice,...] [--accelerator] [--update-docs]
#
# As root on Debian 12 with pacemaker, corosync, resource-agents, pacemaker-cli-utils, iproute2,
# curl, jq, libxml2-utils (scripts/install-test-deps.sh). Builds nothing: give it the reactor's
# tarball and the simulator's standalone jar (the defaults are the build's target folders).
#
# What it does (each step asserts, and any failed check fails the run):
#   - network namespaces for a VPC fabric and up to three nodes (topology in lib.sh), the VPC
#     simulator inside it (HTTPS API, metadata on 169.254.169.254 identifying nodes by address);
#   - installs the tarball with its install.sh (prefix in a temp folder, agents ocf:ibm:*);
#   - 2-node suite: ocf-tester on every shipped strategy's agent inside a node; bad configurations
#     refused with a reason and no flapping; resources vip-route (custom-route, API key file),
#     vip-route-tp (custom-route, trusted profile) and vip-fip (floating-ip, API key file),
#     colocated; standby move, kill -9 of the active node's corosync, kill -9 of the whole active
#     node, each timed from the action until the simulator's forwarding oracle delivers the VIPs and
#     the floating IP to the survivor; reboot and rejoin with one owner; faults shorter than
#     monitor_grace (429, 5xx, IAM outage, metadata outage, latency) with zero fail counts; an API
#     outage longer than the grace (degraded, never a second owner);
#   - 3-node suite (node3 in another zone): a move across zones and the same failovers;
#   - fence: 2 nodes with stonith-enabled=true and a fence_ibm_vpc device per node (unmodified, from
#     fence-agents, reaching the simulator through the IBM host names); a watcher of the simulator's
#     instance events powers the namespace nodes off and on; kill -9 corosync, kill -9 the node, the
#     fence device failing (API refuses), a partition; the fenced node rejoins each time;
#   - partition: 2 nodes without fencing, corosync cut for 90 s: owner changes and API writes (the
#     split-brain guard keeps it to one takeover);
#   - qdevice: 2 nodes and corosync-qnetd in a third namespace, with fencing: partitions decided by
#     the quorum device's vote, then the quorum device lost;
#   - suites/<name>.sh: a suite per strategy plugin (its header says what it checks). Without
#     --suites, every suite runs.
# --accelerator (or CT_ACCELERATOR=1): every suite with the resident accelerator (docs/accelerator.md)
# up on every node from its boot, socket-activated as the packages' systemd units would, and the agents
# asking it by the launcher's default; each suite's count of monitors served warm, refused and given
# up, and of services SIGKILLed, goes into the results (a suite whose nodes served none fails), its
# services' logs to OUT/accelerator/. Not with --update-docs: the docs' tables are the cold path's.
# CT_PROVIDER=name installs the agents as ocf:name:* instead of ocf:ibm:*; CT_FLOATING_IP=0 leaves
# floating-ip out; CT_PCMK_DEBUG=pacemaker-controld (Pacemaker's PCMK_debug) adds those daemons'
# debug messages to the nodes' pacemaker.log, to see where a failover's time goes (slower: not for
# the numbers in the docs).
# Results (seconds, faults, requests) go to OUT/results.tsv and OUT/results.md; --update-docs
# writes them into docs/performance.md and docs/reliability.md.
#
# Leaves nothing behind: every namespace and process is recorded and removed by the EXIT trap, also
# on failure; the temp folder, which holds the installation and its agents, is deleted (logs stay in
# OUT). Nothing is installed into this machine's /usr/lib/ocf: the nodes see the agents there.
{ # the whole script is read before it runs: editing it during a run cannot change that run
set -eEuo pipefail
trap 'echo "run.sh: command failed at line $LINENO: $BASH_COMMAND" >&2' ERR
CT_HERE=$(cd "$(dirname "$0")" && pwd -P)
PROJECT=$(cd "$CT_HERE/../../.." && pwd -P)

TARBALL=$PROJECT/distribution/target/vpc-ha-0.1.0-SNAPSHOT.tar.gz
SIMULATOR_JAR=$PROJECT/simulator/target/vpc-ha-simulator-0.1.0-SNAPSHOT-standalone.jar
OUT=$PROJECT/ocf/target/cluster
SUITES=""  # empty: every suite, the built-in ones and suites/*.sh
UPDATE_DOCS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --tarball) TARBALL=$2; shift 2 ;;
        --simulator-jar) SIMULATOR_JAR=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --suites) SUITES=$2; shift 2 ;;
        --update-docs) UPDATE_DOCS=1; shift ;;
        --accelerator) CT_ACCELERATOR=1; shift ;;
        -h|--help) awk 'NR > 1 && /^\{ #/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# Timing knobs (documented with the results)
MONITOR_INTERVAL=5      # s, every resource's monitor
GRACE=30                # s, monitor_grace of every resource
FAULT_SECONDS=15        # s, each fault shorter than the grace
LONG_OUTAGE_SECONDS=50  # s, an outage longer than the grace
export CT_TOKEN_LIFETIME=20  # s, IAM token lifetime: refreshed every ~10 s, so IAM/metadata outages bite
# Fencing (suites fence, qdevice): the values the admin guide gives
CT_PRIORITY_FENCING_DELAY=10s  # cluster property: the node running vip-route wins a fence race
RESOURCE_PRIORITY=10           # vip-route's priority meta attribute
FENCE_DELAY_MAX=2              # s, pcmk_delay_max of each fence device: a race of equal priorities
FENCE_FAULT_SECONDS=30         # s, the VPC API refuses instance actions (fence device failing)
PARTITION_SECONDS=${CT_PARTITION_SECONDS:-90}  # s, the partition without fencing (route war)
PROVIDER=${CT_PROVIDER:-ibm}
CT_ACCELERATOR=${CT_ACCELERATOR:-0}
if [ "$CT_ACCELERATOR" = 1 ] && [ "$UPDATE_DOCS" = 1 ]; then
    echo "run.sh: --accelerator with --update-docs: the docs' failover tables are the cold path's" >&2
    exit 2
fi

[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (namespaces, Pacemaker)" >&2; exit 2; }
# One run at a time on a machine: the namespaces have fixed names. The lock lives in /run (root's
# only, never a world-writable folder) and is held by this shell and everything it starts, so it is
# free exactly when no run and none of its processes is left. Free lock + vhct-* namespaces = a run
# killed before its EXIT trap (SIGKILL, a CI job cancelled): those are removed, not reported as a
# failure of this run.
exec 9>>/run/vpcha-cluster-test.lock
if ! flock -w "${CT_LOCK_WAIT:-0}" 9; then
    echo "run.sh: another cluster test run is going on this machine (it holds /run/vpcha-cluster-test.lock)" >&2
    exit 2
fi
for ns in $(ip netns list | awk '{print $1}' | grep '^vhct-' || true); do
    echo "run.sh: removing namespace $ns left by a killed run" >&2
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns"
done
for tool in corosync pacemakerd crm_mon crm_resource cibadmin ocf-tester ip nsenter unshare setpriv curl jq xmllint java; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (scripts/install-test-deps.sh)" >&2; exit 2; }
done
# A strategy's suite lives in suites/<name>.sh, which defines suite_<name> (read with lib.sh below):
# one file per suite, so adding one touches no other suite's lines.
BUILTIN_SUITES="2 3 fence partition qdevice"
ALL_SUITES=$BUILTIN_SUITES
for f in "$CT_HERE"/suites/*.sh; do
    [ -f "$f" ] || continue
    f=${f##*/}
    ALL_SUITES+=" ${f%.sh}"
done
[ -n "$SUITES" ] || SUITES=$ALL_SUITES
for suite in ${SUITES//,/ }; do
    [[ " $ALL_SUITES " == *" $suite "* ]] || { echo "run.sh: unknown suite $suite (suites: $ALL_SUITES)" >&2; exit 2; }
done
if [[ " ${SUITES//,/ } " == *" fence "* || " ${SUITES//,/ } " == *" qdevice "* ]]; then
    for tool in fence_ibm_vpc nft; do
        command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (scripts/install-test-deps.sh)" >&2; exit 2; }
    done
fi
if [[ " ${SUITES//,/ } " == *" partition "* ]]; then
    command -v nft >/dev/null || { echo "run.sh: nft missing (scripts/install-test-deps.sh)" >&2; exit 2; }
fi
if [[ " ${SUITES//,/ } " == *" qdevice "* ]]; then
    for tool in corosync-qnetd corosync-qdevice; do
        command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (scripts/install-test-deps.sh)" >&2; exit 2; }
    done
fi
[ -f "$TARBALL" ] || { echo "run.sh: no tarball $TARBALL (build the project first)" >&2; exit 2; }
[ -f "$SIMULATOR_JAR" ] || { echo "run.sh: no simulator jar $SIMULATOR_JAR" >&2; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/*.console "$OUT/results.tsv" "$OUT/results.md" "$OUT/simulator.out"
# Not under /tmp: every node has a private /tmp. Readable by all: ocf-tester asks meta-data as nobody.
WORK=$(mktemp -d /var/tmp/vpcha-cluster.XXXXXX)
chmod 755 "$WORK"
# The agents go to an OCF root of the run's own, which each node mounts over Pacemaker's
# /usr/lib/ocf/resource.d/$PROVIDER (ct_node_disk, node-init.sh): this machine's /usr/lib/ocf is never
# written, so a run killed with SIGKILL leaves no agent behind, and a real ocf:ibm installation is safe.
AGENTS=$WORK/ocf/resource.d/$PROVIDER
CT_NODES=()
# shellcheck source=lib.sh
. "$CT_HERE/lib.sh"
for f in "$CT_HERE"/suites/*.sh; do
    # shellcheck source=/dev/null
    [ -f "$f" ] && . "$f"
done

finish() {
    local rc=$?
    trap - ERR
    set +e
    if [ $rc -ne 0 ]; then
        ct_log "FAILED (exit $rc); logs in $OUT"
        for node in "${CT_NODES[@]}"; do
            [ -f "$WORK/$node.init.pid" ] && kill -0 "$(cat "$WORK/$node.init.pid")" 2>/dev/null || continue
            echo "--- crm_mon on $node"; nx "$node" crm_mon -1 -rf 2>&1 | sed -n 1,60p
            mkdir -p "$OUT/logs/$node"; cp -r "$WORK/nodes/$node/var-log/." "$OUT/logs/$node/" 2>/dev/null
        done
    fi
    ct_cleanup
    rm -rf "$WORK"
    local left
    left=$(ip netns list | awk '{print $1}' | grep "^$CT_NS_PREFIX-" || true)
    [ -z "$left" ] || echo "run.sh: namespaces left behind: $left" >&2
    exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ install

ct_log "installing $(basename "$TARBALL") (agents in $AGENTS)"
mkdir -p "$WORK/unpacked"
tar -xzf "$TARBALL" -C "$WORK/unpacked"
installer=$(find "$WORK/unpacked" -mindepth 2 -maxdepth 2 -name install.sh)
"$installer" --prefix "$WORK/vpc-ha" --ocf-root "$WORK/ocf" --provider "$PROVIDER" \
    --bin-dir none >"$OUT/install.out"
PLUGINS=$("$WORK/vpc-ha/bin/vpc-ha" plugins --format json)
STRATEGIES=$(jq -r '.plugins[] | select(.status == "loaded") | .name' <<<"$PLUGINS" | sort | paste -sd' ' -)
ct_log "strategies loaded: $STRATEGIES"
grep -qw custom-route <<<"$STRATEGIES" || ct_fail "custom-route is not loaded: $PLUGINS"
# floating-ip is tested whenever the tarball has it (CT_FLOATING_IP=0 leaves it out)
FIP=0
[ "${CT_FLOATING_IP:-1}" = 1 ] && grep -qw floating-ip <<<"$STRATEGIES" && FIP=1
ct_log "floating-ip in the cluster tests: $([ $FIP = 1 ] && echo yes || echo no)"

# The scenario's API key, in a root-owned 0600 file; never on a command line or in output
install -m 600 /dev/null "$WORK/apikey"
jq -r '.api_keys[] | select(.name == "ha-key") | .key' "$CT_HERE/cluster-scenario.json" >"$WORK/apikey"

# ------------------------------------------------------------------ fabric and simulator

ct_network_up
ct_simulator_start "$CT_HERE/cluster-scenario.json"
ct_log "simulator up: VPC and IAM https://$CT_API_ADDRESS, metadata http://$CT_METADATA_ADDRESS"
[ "$(ct_vip_owner 10.0.0.100)" = node1 ] || ct_fail "the scenario should route 10.0.0.100 to node1"

CLOUD="vpc_url=https://$CT_API_ADDRESS/v1 iam_url=https://$CT_API_ADDRESS ca_file=$WORK/ca.pem"

# ct_priority_meta ID: vip-route's priority (priority-fencing-delay favours the node running it
# in a fence race; it changes nothing without fencing)
ct_priority_meta() {
    [ "$1" = vip-route ] || return 0
    echo "
  <meta_attributes id=\"$1-meta\"><nvpair id=\"$1-priority\" name=\"priority\" value=\"$RESOURCE_PRIORITY\"/></meta_attributes>"
}

# ct_primitive ID "name=value ...": a primitive of ocf:ibm:vpc-ha with the test's operations
ct_primitive() {
    local id=$1 params=$2 nv="" p i=0
    for p in $params; do
        i=$((i + 1))
        nv="$nv<nvpair id=\"$id-p$i\" name=\"${p%%=*}\" value=\"${p#*=}\"/>"
    done
    echo "<primitive id=\"$id\" class=\"ocf\" provider=\"$PROVIDER\" type=\"vpc-ha\">
  <instance_attributes id=\"$id-ia\">$nv</instance_attributes>$(ct_priority_meta "$id")
  <operations>
    <op id=\"$id-start\" name=\"start\" interval=\"0s\" timeout=\"60s\"/>
    <op id=\"$id-stop\" name=\"stop\" interval=\"0s\" timeout=\"30s\"/>
    <op id=\"$id-monitor\" name=\"monitor\" interval=\"${MONITOR_INTERVAL}s\" timeout=\"30s\"/>
  </operations>
</primitive>"
}

ROUTE_PARAMS="strategy=custom-route vip=10.0.0.100 $CLOUD api_key_file=$WORK/apikey monitor_grace=$GRACE"
ROUTE_TP_PARAMS="strategy=custom-route vip=10.0.0.101 $CLOUD monitor_grace=$GRACE"
FIP_PARAMS="strategy=floating-ip floating_ip=vip-fip $CLOUD api_key_file=$WORK/apikey monitor_grace=$GRACE"
FIP_ADDRESS=169.59.10.20

# ------------------------------------------------------------------ checks

# ocf_tester_agents NODE STRATEGY "ARGS" [LABEL]: ocf-tester on the generic and the per-strategy
# agent with the resource's parameters ARGS, inside NODE (its address, its /run); LABEL (e.g. a mode)
# goes into the result's name
ocf_tester_agents() {
    local node=$1 strategy=$2 args=$3 label=${4:+ $4} agent out p
    for agent in vpc-ha "vpc-$strategy"; do
        local opts=(-n "ct-${strategy}")
        [ "$agent" = vpc-ha ] && opts+=(-o "strategy=$strategy")
        for p in $args; do opts+=(-o "$p"); done
        out=$(nx "$node" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C ocf-tester "${opts[@]}" "$AGENTS/$agent" 2>&1) \
            || { echo "$out"; ct_fail "ocf-tester on $agent ($strategy$label) in $node"; }
        grep -q "$agent passed all tests" <<<"$out" || { echo "$out"; ct_fail "ocf-tester on $agent: no pass line"; }
        ct_pass "ocf-tester: $agent strategy=$strategy$label passed all tests (in $node, against the simulator)"
        ct_result ocf-tester "$agent strategy=$strategy$label" passed 1
    done
}

# ocf-tester on the generic and the per-strategy agent, inside NODE (its address, its /run); of every
# loaded strategy, or of those named (e.g. a strategy's own suite)
check_ocf_tester() {
    local node=$1 strategy args
    for strategy in ${2:-$STRATEGIES}; do
        case "$strategy" in
            custom-route) args="vip=10.0.0.100 $CLOUD api_key_file=$WORK/apikey" ;;
            floating-ip) [ "$FIP" = 1 ] || continue; args="floating_ip=vip-fip $CLOUD api_key_file=$WORK/apikey" ;;
            # health-check mode: no cloud call; the listener opens and closes inside the node
            load-balancer) args="load_balancer=app-lb pool=app-pool health_port=18085" ;;
            # suites/par.sh: on node3 (us-south-2), its start moves the range across zones
            public-address-range) args="public_address_range=ha-par $CLOUD api_key_file=$WORK/apikey" ;;
            # suites/secondary-ip.sh: on node2 (its VNI in the address's subnet), it takes it from node4
            secondary-ip) args="ip=10.240.0.100 $CLOUD api_key_file=$WORK/apikey" ;;
            *) continue ;;
        esac
        ocf_tester_agents "$node" "$strategy" "$args"
    done
    # ocf-tester's start moved the routes to this node and its stop left them (stop never moves
    # routes): the VPC now delivers to the node the tester ran in; the agent left no VIP on lo
    ! ct_vip_on_lo "$node" 10.0.0.100 || ct_fail "ocf-tester's stop left 10.0.0.100 on lo of $node"
}

# Bad configurations: start refused with a readable reason in crm_mon -r, no flapping
check_bad_configurations() {
    local observer=$1 id reason ids=() status before after
    install -m 644 /dev/null "$WORK/apikey-readable"
    cat "$WORK/apikey" >"$WORK/apikey-readable"
    declare -A params=(
        [bad-novip]="strategy=custom-route $CLOUD api_key_file=$WORK/apikey"
        [bad-strategy]="strategy=custom-rout vip=10.0.0.100 $CLOUD"
        [bad-keyfile]="strategy=custom-route vip=10.0.0.100 $CLOUD api_key_file=$WORK/no-such-key"
        [bad-keymode]="strategy=custom-route vip=10.0.0.100 $CLOUD api_key_file=$WORK/apikey-readable"
    )
    declare -A reasons=(
        [bad-novip]="vip: required"
        [bad-strategy]="custom-rout"
        [bad-keyfile]="no-such-key"
        [bad-keymode]="apikey-readable"
    )
    if [ "$FIP" = 1 ]; then
        params[bad-zone]="strategy=floating-ip floating_ip=fip-zone2 $CLOUD api_key_file=$WORK/apikey"
        reasons[bad-zone]="zone"
    fi
    for id in "${!params[@]}"; do
        ids+=("$id")
        nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive "$id" "${params[$id]}")"
    done
    ct_settle "$observer" 90
    status=$(nx "$observer" crm_mon -1 -r 2>&1)
    echo "$status" >"$OUT/bad-configurations.crm_mon.txt"
    for id in "${ids[@]}"; do
        reason=$(grep -E "^ +\* $id (start|stop|probe|monitor) on .* returned" <<<"$status" | sed -n 1p | sed 's/^ *\* //' || true)
        if [ -z "$reason" ] && grep -qE "^ +\* $id\s.*Stopped \(not installed\)" <<<"$status"; then
            # exit 5 on the probes: Pacemaker lists no failed action, only "(not installed)"; the
            # agent's reason is in the operation history
            reason="Stopped (not installed): $(nx "$observer" cibadmin -Q -o status \
                | xmllint --xpath "string((//lrm_resource[@id='$id']/lrm_rsc_op[@exit-reason!=''])[1]/@exit-reason)" - 2>/dev/null || true)"
        fi
        grep -qF "${reasons[$id]}" <<<"$reason" \
            || { echo "$status"; ct_fail "crm_mon -r does not show why $id was refused (expected '${reasons[$id]}')"; }
        # stopped everywhere; in particular not FAILED (blocked) after a failed stop, which with
        # fencing on would fence the nodes (seen in the first runs, when stop answered 6 as well)
        [ -z "$(ct_locate "$observer" "$id")" ] \
            || ct_fail "$id (bad configuration) is not stopped: $(grep -E "^ +\* $id\s" <<<"$status")"
        reason=$(sed -e "s# at [A-Z][a-z][a-z] [A-Z][a-z][a-z] .*##" -e "s#$WORK#\$WORK#g" <<<"$reason")
        ct_pass "$id refused: $reason"
        ct_result bad-config "$id" reason "$reason"
    done
    # no flapping: nothing retries, the failures stay as they are for two monitor intervals
    before=$(ct_fail_counts "$observer")
    sleep $((2 * MONITOR_INTERVAL))
    after=$(ct_fail_counts "$observer")
    [ "$before" = "$after" ] || ct_fail "bad configurations are retried: fail counts [$before] became [$after]"
    status=$(nx "$observer" crm_mon -1 -r 2>&1)
    for id in "${ids[@]}"; do
        grep -qE "^ +\* $id\s.*(Started|Starting)" <<<"$status" && ct_fail "$id started after all"
    done
    ct_pass "bad configurations stay stopped, no retries in $((2 * MONITOR_INTERVAL))s"
    for id in "${ids[@]}"; do
        nx "$observer" cibadmin --delete -o resources --xml-text "<primitive id=\"$id\"/>"
    done
    nx "$observer" crm_resource --cleanup >/dev/null
    ct_settle "$observer"
    ct_assert_no_failures "$observer" "after removing the bad configurations"
    rm -f "$WORK/apikey-readable"
}

add_resources() {
    local observer=$1
    nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive vip-route "$ROUTE_PARAMS")"
    nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive vip-route-tp "$ROUTE_TP_PARAMS")"
    nx "$observer" cibadmin --create -o constraints --xml-text \
        '<rsc_colocation id="tp-with-route" rsc="vip-route-tp" with-rsc="vip-route" score="INFINITY"/>'
    if [ "$FIP" = 1 ]; then
        nx "$observer" cibadmin --create -o resources --xml-text "$(ct_primitive vip-fip "$FIP_PARAMS")"
        # a floating IP binds only in its own zone (us-south-1): never on node3. With node3 in the
        # cluster the colocation is advisory, else the floating IP's ban would keep the VIPs from
        # node3 too (Pacemaker applies a mandatory dependent's bans to the primary)
        local score=INFINITY
        [[ " ${CT_NODES[*]} " == *" node3 "* ]] && score=1000
        nx "$observer" cibadmin --create -o constraints --xml-text \
            "<rsc_colocation id=\"fip-with-route\" rsc=\"vip-fip\" with-rsc=\"vip-route\" score=\"$score\"/>"
        if [[ " ${CT_NODES[*]} " == *" node3 "* ]]; then
            nx "$observer" cibadmin --create -o constraints --xml-text \
                '<rsc_location id="fip-not-in-us-south-2" rsc="vip-fip" node="node3" score="-INFINITY"/>'
        fi
    fi
    local where
    where=$(ct_wait_located "$observer" vip-route any 60)
    ct_wait_located "$observer" vip-route-tp "$where" 60 >/dev/null
    [ "$FIP" = 1 ] && ct_wait_located "$observer" vip-fip "$where" 60 >/dev/null
    ct_settle "$observer"
    wait_delivered "" "$(ct_now)" 30 "$where" >/dev/null
    assert_owners "$observer"
    ct_assert_no_failures "$observer" "after start"
    ct_pass "vip-route, vip-route-tp$([ "$FIP" = 1 ] && echo ", vip-fip") started on $where; the VPC delivers there"
}

# assert_owners OBSERVER: each resource on one node, the VPC agrees, all together (the floating IP
# apart only when the VIPs are on node3, outside its zone)
assert_owners() {
    local observer=$1 where fip_where fip_owner
    where=$(ct_assert_single_owner "$observer" vip-route 10.0.0.100)
    ct_assert_single_owner "$observer" vip-route-tp 10.0.0.101 >/dev/null
    [ "$FIP" = 1 ] || return 0
    fip_where=$(ct_locate "$observer" vip-fip)
    fip_owner=$(ct_oracle "$FIP_ADDRESS" us-south-1)
    [ "$(wc -w <<<"$fip_where")" -eq 1 ] || ct_fail "vip-fip runs on [$fip_where], not on exactly one node"
    [ "$fip_owner" = "$fip_where" ] || ct_fail "vip-fip runs on $fip_where but the VPC delivers $FIP_ADDRESS to $fip_owner"
    if [ "$where" = node3 ]; then
        [ "$fip_where" != node3 ] || ct_fail "vip-fip runs on node3, outside its zone"
    else
        [ "$fip_where" = "$where" ] || ct_fail "vip-fip runs on $fip_where, apart from vip-route on $where"
    fi
}

# wait_delivered OLD T0 TIMEOUT [WANT [nofip]]: polls the oracle every 100 ms until both VIPs are
# delivered (from every zone, and through the ingress table) to one node that is not OLD (or is
# WANT), and the floating IP too (unless nofip or no floating-ip). Prints "NODE SECONDS_VIP
# SECONDS_VIP2 SECONDS_FIP" (FIP "-" when not waited for), the seconds counted from T0.
wait_delivered() {
    local old=$1 t0=$2 timeout=$3 want=${4:-} end t a n1="" n2="" n3="" t1="" t2="" t3="-"
    if [ "$FIP" = 1 ] && [ "${5:-}" != nofip ]; then t3=""; fi
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        t=$(ct_since "$t0")
        if [ -z "$t1" ]; then
            a=$(ct_oracle 10.0.0.100 us-south-1)
            if [ "$a" != "$old" ] && [[ "$a" == node* ]] && { [ -z "$want" ] || [ "$a" = "$want" ]; } \
                && [ "$(ct_vip_owner 10.0.0.100)" = "$a" ]; then
                t1=$t; n1=$a
            fi
        fi
        if [ -z "$t2" ]; then
            a=$(ct_oracle 10.0.0.101 us-south-1)
            if [ "$a" != "$old" ] && [[ "$a" == node* ]] && { [ -z "$want" ] || [ "$a" = "$want" ]; } \
                && [ "$(ct_vip_owner 10.0.0.101)" = "$a" ]; then
                t2=$t; n2=$a
            fi
        fi
        if [ -z "$t3" ]; then
            a=$(ct_oracle "$FIP_ADDRESS" us-south-1)
            if [ "$a" != "$old" ] && [[ "$a" == node* ]]; then
                t3=$t; n3=$a
            fi
        fi
        [ -n "$t1" ] && [ -n "$t2" ] && [ -n "$t3" ] && break
        sleep 0.1
    done
    [ -n "$t1" ] && [ -n "$t2" ] && [ -n "$t3" ] \
        || ct_fail "not delivered away from ${old:-nobody} within ${timeout}s: 10.0.0.100 -> $(ct_vip_owner 10.0.0.100), 10.0.0.101 -> $(ct_vip_owner 10.0.0.101), $FIP_ADDRESS -> $(ct_oracle "$FIP_ADDRESS" us-south-1)"
    [ "$n1" = "$n2" ] || ct_fail "the VIPs went to different nodes: $n1 and $n2"
    [ "$t3" = - ] || [ "$n3" = "$n1" ] || [ "$n1" = node3 ] || ct_fail "the floating IP went to $n3, the VIPs to $n1"
    echo "$n1 $t1 $t2 $t3 $n3"
}

# fip_mode OBSERVER NODE: "fip" when vip-fip runs on NODE (its move is timed), else "nofip"
fip_mode() {
    if [ "$FIP" = 1 ] && [ "$(ct_locate "$1" vip-fip)" = "$2" ]; then echo fip; else echo nofip; fi
}

# other_node NODE: an online node other than NODE
other_node() {
    local node
    for node in "${CT_NODES[@]}"; do [ "$node" != "$1" ] && { echo "$node"; return; }; done
}

# after_move SUITE SCENARIO OBSERVER "NODE T1 T2" OLD: checks Pacemaker agrees, records the numbers
after_move() {
    local suite=$1 scenario=$2 observer=$3 new t1 t2 t3 n3 old=$5
    read -r new t1 t2 t3 n3 <<<"$4"
    ct_wait_located "$observer" vip-route "$new" 30 >/dev/null
    ct_wait_located "$observer" vip-route-tp "$new" 30 >/dev/null
    if [ "$t3" != - ]; then ct_wait_located "$observer" vip-fip "$n3" 30 >/dev/null; fi
    ct_log "$scenario: $old -> $new; VPC delivers 10.0.0.100 after ${t1}s, 10.0.0.101 after ${t2}s, $FIP_ADDRESS $([ "$t3" = - ] && echo "not moved" || echo "after ${t3}s on $n3")"
    ct_result "$suite" "$scenario" vip-route "$t1"
    ct_result "$suite" "$scenario" vip-route-tp "$t2"
    ct_result "$suite" "$scenario" vip-fip "$t3"
}

check_standby() {
    local suite=$1 observer a b t0 moved fipmode
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    b=$(other_node "$a"); observer=$b
    fipmode=$(fip_mode "$observer" "$a")
    t0=$(ct_now)
    nx "$observer" crm_standby -N "$a" -v on
    moved=$(wait_delivered "$a" "$t0" 60 "" "$fipmode")
    after_move "$suite" "standby of the active node" "$observer" "$moved" "$a"
    ct_settle "$observer"
    nx "$observer" crm_standby -N "$a" -v off
    ct_settle "$observer"
    local where
    assert_owners "$observer"
    where=$(ct_locate "$observer" vip-route)
    ct_assert_no_failures "$observer" "after the standby move"
    ct_pass "standby: moved off $a; after $a is back online the VIPs stay on $where (stickiness), one owner"
}

# kill_active NODE corosync|node: kill -9 NODE's corosync, or its PID 1 (the whole node at once);
# prints the time of the kill
kill_active() {
    local node=$1 what=$2 pid t0
    if [ "$what" = corosync ]; then
        pid=$(ct_node_pid "$node" corosync)
        [ -n "$pid" ] || ct_fail "no corosync process on $node"
    else
        pid=$(cat "$WORK/$node.init.pid")
    fi
    t0=$(ct_now)
    kill -KILL "$pid"
    echo "$t0"
}

# check_crash SUITE corosync|node: kill -9 the active node's corosync, or the whole node
check_crash() {
    local suite=$1 what=$2 a observer t0 moved pid scenario fipmode
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    observer=$(other_node "$a")
    fipmode=$(fip_mode "$observer" "$a")
    scenario="kill -9 the whole active node"
    [ "$what" = corosync ] && scenario="kill -9 corosync of the active node"
    t0=$(kill_active "$a" "$what")
    moved=$(wait_delivered "$a" "$t0" 90 "" "$fipmode")
    after_move "$suite" "$scenario" "$observer" "$moved" "$a"
    ct_relaunch "$a" "$observer"
    ct_settle "$observer" 90
    local where
    assert_owners "$observer"
    where=$(ct_locate "$observer" vip-route)
    ct_assert_no_failures "$observer" "after $scenario and the reboot"
    ct_pass "$scenario: after $a rebooted and rejoined, exactly one owner ($where) for each VIP"
}

# check_move_to SUITE NODE: crm_resource --move to NODE (e.g. across zones), timed
check_move_to() {
    local suite=$1 target=$2 a t0 moved
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    [ "$a" != "$target" ] || return 0
    t0=$(ct_now)
    nx "$target" crm_resource --move -r vip-route -N "$target" >/dev/null 2>&1
    # node3 is in another zone: the floating IP cannot follow and stays where it is
    moved=$(wait_delivered "$a" "$t0" 60 "$target" nofip)
    after_move "$suite" "move $a -> $target across zones (crm_resource --move)" "$target" "$moved" "$a"
    nx "$target" crm_resource --clear -r vip-route >/dev/null 2>&1
    ct_settle "$target"
    assert_owners "$target"
    if [ "$FIP" = 1 ]; then
        [ "$(ct_locate "$target" vip-fip)" = "$a" ] || ct_fail "vip-fip left $a when the VIPs moved to $target"
    fi
    ct_assert_no_failures "$target" "after the move to $target"
}

# ------------------------------------------------------------------ faults

# fault NAME JSON: the fault for FAULT_SECONDS while monitors run; it must have fired, and nothing
# may fail or move
fault() {
    local name=$1 json=$2 observer=${CT_NODES[0]} where id fired counts
    where=$(ct_locate "$observer" vip-route)
    ct_sim DELETE /journal >/dev/null
    id=$(ct_sim POST /faults "$json" | jq -r .id)
    [ -n "$id" ] && [ "$id" != null ] || ct_fail "the simulator refused the fault $json"
    sleep "$FAULT_SECONDS"
    fired=$(ct_sim GET /faults | jq -r --arg id "$id" '(.faults // .)[] | select(.id == $id) | .fired')
    ct_sim DELETE "/faults/$id" >/dev/null
    counts=$(ct_counts)
    [ "${fired:-0}" -gt 0 ] || ct_fail "fault $name never fired in ${FAULT_SECONDS}s: the test did not test it"
    sleep $((MONITOR_INTERVAL + 2))   # a healthy monitor after the fault
    ct_assert_no_failures "$observer" "$name for ${FAULT_SECONDS}s"
    [ "$(ct_locate "$observer" vip-route)" = "$where" ] || ct_fail "$name moved vip-route off $where"
    [ "$(ct_locate "$observer" vip-route-tp)" = "$where" ] || ct_fail "$name moved vip-route-tp off $where"
    assert_owners "$observer"
    ct_pass "$name for ${FAULT_SECONDS}s (fired on $fired requests): no failure, no move; requests vpc/iam/metadata: $counts"
    ct_result faults "$name" "fired vpc iam metadata" "$fired $counts"
}

check_faults() {
    fault "429 burst on the VPC API" '{"kind":"status","status":429,"service":"vpc","retry_after_seconds":1}'
    fault "503 from the VPC API" '{"kind":"status","status":503,"service":"vpc"}'
    fault "IAM outage" '{"kind":"iam_outage"}'
    fault "metadata outage" '{"kind":"metadata_outage"}'
    fault "latency spikes 2-4 s on the VPC API" '{"kind":"latency","latency_ms":2000,"jitter_ms":2000,"service":"vpc"}'
}

# An outage longer than the grace: monitors say degraded (190) after monitor_grace, never "not
# running" or failed; Pacemaker keeps the resources where they are; at no moment two owners.
check_long_outage() {
    local observer=${CT_NODES[0]} where id end owners rc degraded=0 status
    where=$(ct_locate "$observer" vip-route)
    id=$(ct_sim POST /faults '{"kind":"status","status":503,"service":"vpc"}' | jq -r .id)
    end=$(($(date +%s) + LONG_OUTAGE_SECONDS))
    while [ "$(date +%s)" -lt "$end" ]; do
        owners=$(ct_locate "$observer" vip-route)
        [ "$owners" = "$where" ] || ct_fail "during a ${LONG_OUTAGE_SECONDS}s outage vip-route ran on [$owners]"
        holders=""
        for node in "${CT_NODES[@]}"; do ct_vip_on_lo "$node" 10.0.0.100 && holders="$holders $node"; done
        [ "${holders# }" = "$where" ] || ct_fail "during the outage 10.0.0.100 was on lo of [$holders]"
        if [ "$FIP" = 1 ]; then
            [ "$(ct_locate "$observer" vip-fip)" = "$where" ] || ct_fail "during the outage vip-fip ran on [$(ct_locate "$observer" vip-fip)]"
            [ "$(ct_oracle "$FIP_ADDRESS" us-south-1)" = "$where" ] || ct_fail "during the outage $FIP_ADDRESS left $where"
        fi
        status=$(nx "$observer" crm_mon -1 -r 2>&1)
        grep -qi degraded <<<"$status" && degraded=1
        sleep 1
    done
    # the agent itself, as Pacemaker calls it, during the outage
    rc=0
    # shellcheck disable=SC2046 # one OCF_RESKEY_name=value word per parameter, as Pacemaker sets them
    nx "$where" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=vip-route \
        $(for p in $ROUTE_PARAMS; do printf 'OCF_RESKEY_%s ' "$p"; done) OCF_RESKEY_CRM_meta_interval=5000 \
        "$AGENTS/vpc-ha" monitor >"$OUT/long-outage-monitor.txt" 2>&1 || rc=$?
    ct_sim DELETE "/faults/$id" >/dev/null
    echo "$status" >"$OUT/long-outage.crm_mon.txt"
    [ "$rc" = 190 ] || ct_fail "a monitor ${LONG_OUTAGE_SECONDS}s into an outage (grace ${GRACE}s) returned $rc, expected 190 (degraded): $(cat "$OUT/long-outage-monitor.txt")"
    ct_pass "outage of ${LONG_OUTAGE_SECONDS}s > grace ${GRACE}s: monitor says degraded (190), resources stay on $where, one owner throughout; crm_mon showed degraded: $degraded"
    ct_result outage "503 on every VPC API call for ${LONG_OUTAGE_SECONDS} s (grace ${GRACE} s)" "monitor rc" "$rc"
    sleep $((MONITOR_INTERVAL * 2 + 2))
    # degraded is no failure: no fail count, nothing recovered; Pacemaker 2.1 lists the last degraded
    # monitor under "Failed Resource Actions" until a cleanup
    [ -z "$(ct_fail_counts "$observer")" ] || ct_fail "the long outage left fail counts: $(ct_fail_counts "$observer")"
    nx "$observer" crm_resource --cleanup >/dev/null 2>&1
    ct_settle "$observer"
    assert_owners "$observer"
    [ "$(ct_locate "$observer" vip-route)" = "$where" ] || ct_fail "after the outage vip-route moved"
    ct_assert_no_failures "$observer" "after the long outage ended"
}

# ------------------------------------------------------------------ fencing

# add_fencing OBSERVER: one fence_ibm_vpc device per node (pcmk_host_map node:instance id, a random
# delay against races of equal priority), kept off the node it fences. fence_ibm_vpc takes its API
# key only as a parameter: it is a CIB secret (Pacemaker's cibsecrets: the CIB holds lrm://, each
# node's /var/lib/pacemaker/lrm/secrets/DEVICE/apikey the key, apikey.sign its MD5, as cibsecret
# writes them), so it is in neither the CIB nor Pacemaker's log of CIB changes.
add_fencing() {
    local observer=$1 node id device secrets holder
    for node in "${CT_NODES[@]}"; do
        device=fence-$node
        for holder in "${CT_NODES[@]}"; do
            secrets=$WORK/nodes/$holder/var-lib-pacemaker/lrm/secrets/$device
            install -d -m 700 "$secrets"
            install -m 600 /dev/null "$secrets/apikey"
            cat "$WORK/apikey" >"$secrets/apikey"
            tr -d '\n' <"$WORK/apikey" | md5sum | awk '{print $1}' >"$secrets/apikey.sign"
        done
        id=$(ct_instance_id "$node")
        [ -n "$id" ] || ct_fail "no instance $node in the simulator"
        nx "$observer" cibadmin --create -o resources --xml-text "<primitive id=\"$device\" class=\"stonith\" type=\"fence_ibm_vpc\">
  <instance_attributes id=\"$device-ia\">
    <nvpair id=\"$device-apikey\" name=\"apikey\" value=\"lrm://\"/>
    <nvpair id=\"$device-region\" name=\"region\" value=\"us-south\"/>
    <nvpair id=\"$device-map\" name=\"pcmk_host_map\" value=\"$node:$id\"/>
    <nvpair id=\"$device-delay\" name=\"pcmk_delay_max\" value=\"${FENCE_DELAY_MAX}s\"/>
  </instance_attributes>
  <operations>
    <op id=\"$device-monitor\" name=\"monitor\" interval=\"60s\" timeout=\"40s\"/>
  </operations>
</primitive>"
        nx "$observer" cibadmin --create -o constraints --xml-text \
            "<rsc_location id=\"$device-avoids-$node\" rsc=\"$device\" node=\"$node\" score=\"-INFINITY\"/>"
    done
    for node in "${CT_NODES[@]}"; do
        ct_wait_located "$observer" "fence-$node" "$(other_node "$node")" 60 >/dev/null
    done
    ct_settle "$observer"
    ct_assert_no_failures "$observer" "after adding the fence devices"
    # the devices' start and monitor ran fence_ibm_vpc against the simulator through the IBM names
    local listed
    listed=$(ct_sim GET /counters | jq -r '[to_entries[] | select(.key | test("^GET /v1/instances$")) | .value.calls] | add // 0')
    [ "$listed" -gt 0 ] || ct_fail "fence_ibm_vpc never listed the instances (no GET /v1/instances)"
    ct_pass "fence devices fence-node1, fence-node2 (fence_ibm_vpc) started, each on the other node; it listed the instances $listed times"
}

# no_guard_errors NODE...: the split-brain guard said nothing on these nodes (a real node loss must
# never look like a split brain to it)
no_guard_errors() {
    local node log
    for node in "$@"; do
        log=$WORK/nodes/$node/var-log/pacemaker/pacemaker.log
        [ -f "$log" ] || continue
        if grep -q "split brain" "$log"; then
            grep "split brain" "$log" | tail -3 >&2
            ct_fail "the split-brain guard spoke on $node after a real node loss"
        fi
    done
}

# check_fenced_crash SUITE corosync|node: the active node's corosync or the whole node killed; the
# other node fences it through fence_ibm_vpc (the power watcher cuts its power when the simulator
# says stopping), takes the VIPs, and the fenced node boots again (fencing's reboot) and rejoins
check_fenced_crash() {
    local suite=$1 what=$2 a b t0 moved fipmode scenario t_stopping t_stopped t_back n1 t1 t2 t3 n3
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    b=$(other_node "$a")
    fipmode=$(fip_mode "$b" "$a")
    scenario="kill -9 the whole active node (fenced)"
    [ "$what" = corosync ] && scenario="kill -9 corosync of the active node (fenced)"
    t0=$(kill_active "$a" "$what")
    moved=$(wait_delivered "$a" "$t0" 120 "" "$fipmode")
    t_stopping=$(ct_wait_power "$a" stopping "$t0" 5)
    t_stopped=$(ct_wait_power "$a" stopped "$t0" 5)
    after_move "$suite" "$scenario" "$b" "$moved" "$a"
    read -r n1 t1 t2 t3 n3 <<<"$moved"
    # from the survivor's log: when its controller asked for the fencing, and the delay fenced applied
    local t_requested delay
    t_requested=$(ct_pacemaker_log_line "$b" "$t0" "Requesting fencing \\(reboot\\) of node $a" | cut -d' ' -f1)
    delay=$(ct_pacemaker_log_line "$b" "$t0" "Delaying '[a-z]+' action targeting $a " \
        | sed -n 's/.* for \([0-9.]*\)s .*/\1/p')
    ct_result "$suite-phases" "$scenario" "requested delay stopping stopped delivered" \
        "${t_requested:--} ${delay:--} $t_stopping $t_stopped $t1"
    [ "$(ct_power_count "$b" stopping "$t0")" = 0 ] || ct_fail "$scenario: the survivor $b was powered off too"
    t_back=$(ct_wait_power "$a" starting "$t0" 60)
    ct_wait_online "$b" "${CT_NODES[*]}" 120
    ct_settle "$b" 90
    assert_owners "$b"
    ct_assert_no_failures "$b" "after $scenario and the fenced node's return"
    no_guard_errors "$b"
    ct_log "$scenario: $a fenced (stopping after ${t_stopping}s, stopped after ${t_stopped}s), VIPs on $n1 after ${t1}s; $a powered on after ${t_back}s and rejoined"
    ct_pass "$scenario: $b fenced $a through the VPC API and took over; $a rejoined, one owner ($(ct_locate "$b" vip-route))"
}

# check_fence_failure SUITE: the API refuses instance actions while the active node's corosync is
# killed: fencing fails, and until it succeeds the VIPs stay where they are (no route or floating IP
# write, no VIP on the other node); then the API accepts, fencing succeeds, the VIPs move
check_fence_failure() {
    local suite=$1 a b t0 id end fired writes moved fipmode pid t_fault_end n1 t1 t2 t3 n3
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    b=$(other_node "$a")
    fipmode=$(fip_mode "$b" "$a")
    id=$(ct_sim POST /faults '{"kind":"status","status":403,"code":"not_authorized","service":"vpc","method":"POST","path":"/v1/instances/*/actions"}' | jq -r .id)
    [ -n "$id" ] && [ "$id" != null ] || ct_fail "the simulator refused the fault"
    ct_sim DELETE /journal >/dev/null
    t0=$(kill_active "$a" corosync)
    end=$(($(date +%s) + FENCE_FAULT_SECONDS))
    while [ "$(date +%s)" -lt "$end" ]; do
        [ "$(ct_oracle 10.0.0.100 us-south-1)" = "$a" ] || ct_fail "while fencing $a failed, 10.0.0.100 went to $(ct_oracle 10.0.0.100 us-south-1)"
        ! ct_vip_on_lo "$b" 10.0.0.100 || ct_fail "while fencing $a failed, $b added 10.0.0.100 on lo"
        [ "$(ct_locate "$b" vip-route)" != "$b" ] || ct_fail "while fencing $a failed, $b started vip-route"
        sleep 1
    done
    fired=$(ct_sim GET /faults | jq -r --arg id "$id" '(.faults // .)[] | select(.id == $id) | .fired')
    writes=$(ct_sim GET /counters | jq -r '[to_entries[] | select(.key | test("^(PATCH|POST|DELETE) /v1/(vpcs|floating_ips)")) | .value.calls] | add // 0')
    [ "${fired:-0}" -gt 0 ] || ct_fail "no fence attempt reached the API in ${FENCE_FAULT_SECONDS}s: the test did not test a failing fence device"
    [ "$writes" = 0 ] || ct_fail "while fencing $a failed, $writes route or floating-IP writes were made"
    [ "$(ct_power_count "$a" stopping "$t0")" = 0 ] || ct_fail "$a was powered off although the API refused"
    ct_sim DELETE "/faults/$id" >/dev/null
    t_fault_end=$(ct_since "$t0")
    ct_pass "fence device failing for ${FENCE_FAULT_SECONDS}s: $fired stop requests refused (403); the VIPs stayed on $a, no route or floating-IP write, nothing started on $b"
    moved=$(wait_delivered "$a" "$t0" 120 "" "$fipmode")
    after_move "$suite" "fence device failing ${FENCE_FAULT_SECONDS} s, then fencing succeeds" "$b" "$moved" "$a"
    read -r n1 t1 t2 t3 n3 <<<"$moved"
    ct_result "$suite-fence-failure" "refused stops, seconds after the API accepted" "refused after" "$fired $(awk -v a="$t1" -v b="$t_fault_end" 'BEGIN { printf "%.1f", a - b }')"
    ct_wait_power "$a" starting "$t0" 60 >/dev/null
    ct_wait_online "$b" "${CT_NODES[*]}" 120
    ct_settle "$b" 90
    assert_owners "$b"
    # the refused fencing left its failed attempts in the fencing history, nothing on resources
    ct_assert_no_failures "$b" "after the fence device recovered"
    no_guard_errors "$b"
    ct_pass "fence device recovered: $a fenced, VIPs on $n1 ${t1}s after the kill ($(awk -v a="$t1" -v b="$t_fault_end" 'BEGIN { printf "%.1f", a - b }')s after the API accepted again); $a rejoined"
}

# both_hold VIP: "node1 node2" when the VIP is on lo of both nodes, else ""
holders_of() {
    local node holders=""
    for node in "${CT_NODES[@]}"; do
        [ -f "$WORK/$node.init.pid" ] && ct_vip_on_lo "$node" "$1" && holders="$holders $node"
    done
    echo "${holders# }"
}

# wait_one_fenced A B T0 WHAT: until A or B is powered off through the API after T0 (at most 90 s);
# meanwhile never both may have 10.0.0.100 on lo (checked every 0.2 s). Prints the fenced node.
wait_one_fenced() {
    local a=$1 b=$2 t0=$3 what=$4 end owners
    end=$(($(date +%s) + 90))
    while [ "$(date +%s)" -lt "$end" ]; do
        owners=$(holders_of 10.0.0.100)
        [ "$(wc -w <<<"$owners")" -le 1 ] || ct_fail "$what: 10.0.0.100 on lo of [$owners]"
        if [ "$(ct_power_count "$a" stopping "$t0")" != 0 ]; then echo "$a"; return; fi
        if [ "$(ct_power_count "$b" stopping "$t0")" != 0 ]; then echo "$b"; return; fi
        sleep 0.2
    done
    ct_fail "$what: nobody was fenced within 90s"
}

# check_fenced_partition SUITE: corosync traffic between the nodes dropped, both alive and reaching
# the API. Exactly one node survives (priority-fencing-delay favours the one running vip-route), the
# other is powered off through the API; never both hold a VIP. Healed after the loser rebooted (it
# waits for its peer: wait_for_all), it rejoins.
check_fenced_partition() {
    local suite=$1 a b t0 end loser survivor t_off moved owners scenario rsc
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    b=$(other_node "$a")
    t0=$(ct_now)
    ct_partition "$a" "$b"
    ct_partition "$b" "$a"
    loser=$(wait_one_fenced "$a" "$b" "$t0" "partition")
    survivor=$(other_node "$loser")
    t_off=$(ct_wait_power "$loser" stopping "$t0" 1)
    scenario="partition between the nodes (the loser fenced)"
    if [ "$survivor" = "$a" ]; then
        # the node running the VIPs won the fence race: nothing moves
        [ "$(ct_vip_owner 10.0.0.100)" = "$a" ] || ct_fail "partition: $a survived but 10.0.0.100 goes to $(ct_vip_owner 10.0.0.100)"
        for rsc in vip-route vip-route-tp vip-fip; do ct_result "$suite" "$scenario" "$rsc" kept; done
    else
        moved=$(wait_delivered "$loser" "$t0" 90 "$survivor" "$(fip_mode "$survivor" "$loser")")
        after_move "$suite" "$scenario" "$survivor" "$moved" "$loser"
    fi
    ct_result "$suite-partition" "$scenario" "survivor loser fenced-after" "$survivor $loser $t_off"
    # the loser boots again, still cut off: it must stay out (wait_for_all) and fence nobody
    ct_wait_power "$loser" starting "$t0" 60 >/dev/null
    sleep 10
    [ "$(ct_power_count "$survivor" stopping "$t0")" = 0 ] || ct_fail "partition: the survivor $survivor was fenced too"
    [ "$(ct_locate "$survivor" vip-route)" = "$survivor" ] || ct_fail "partition: vip-route left $survivor"
    owners=$(holders_of 10.0.0.100)
    [ "$owners" = "$survivor" ] || ct_fail "partition: 10.0.0.100 on lo of [$owners] after the loser rebooted"
    ct_heal "$a"
    ct_heal "$b"
    ct_wait_online "$survivor" "${CT_NODES[*]}" 120
    ct_settle "$survivor" 90
    assert_owners "$survivor"
    ct_assert_no_failures "$survivor" "after the partition healed"
    ct_pass "partition: $survivor $([ "$survivor" = "$a" ] && echo "kept the VIPs" || echo "took the VIPs"), $loser powered off through the API after ${t_off}s (never both holding a VIP); after the heal $loser rejoined, one owner"
}

# ------------------------------------------------------------------ partition without fencing

# api_writes: route and floating-IP writes the simulator counted since the journal was cleared
api_writes() {
    ct_sim GET /counters | jq -r '[to_entries[] | select(.key | test("^(PATCH|POST|DELETE) /v1/(vpcs|floating_ips)")) | .value.calls] | add // 0'
}

# check_unfenced_partition SUITE: the measured route war: corosync cut for PARTITION_SECONDS in a
# 2-node cluster without fencing, both nodes alive and reaching the API. Samples every second who
# the VPC delivers the VIPs to, who has them on lo; counts owner changes and API writes.
check_unfenced_partition() {
    local suite=$1 a b t0 end owner last="" fip fiplast="" changes=0 fipchanges=0 split=0 both=0 samples=0
    local writes seconds guard_lines reasons
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    b=$(other_node "$a")
    ct_sim DELETE /journal >/dev/null
    t0=$(ct_now)
    ct_partition "$a" "$b"
    ct_partition "$b" "$a"
    end=$(($(date +%s) + PARTITION_SECONDS))
    last=$(ct_vip_owner 10.0.0.100)
    [ "$FIP" = 1 ] && fiplast=$(ct_oracle "$FIP_ADDRESS" us-south-1)
    while [ "$(date +%s)" -lt "$end" ]; do
        owner=$(ct_vip_owner 10.0.0.100)
        samples=$((samples + 1))
        [[ "$owner" == split:* ]] && split=$((split + 1))
        [ "$owner" != "$last" ] && changes=$((changes + 1))
        last=$owner
        if [ "$FIP" = 1 ]; then
            fip=$(ct_oracle "$FIP_ADDRESS" us-south-1)
            [ "$fip" != "$fiplast" ] && fipchanges=$((fipchanges + 1))
            fiplast=$fip
        fi
        [ "$(wc -w <<<"$(holders_of 10.0.0.100)")" -ge 2 ] && both=$((both + 1))
        sleep 1
    done
    writes=$(api_writes)
    seconds=$(ct_since "$t0")
    # what each side shows before the heal: the exit reasons of vpc-ha's resources
    reasons=$(for node in "$a" "$b"; do nx "$node" crm_mon -1 -r 2>&1; done \
        | grep -E "vip-(route|route-tp|fip) .*(monitor|start) on .* returned" | sed -e 's/^ *\* //' -e 's/ at [A-Z][a-z][a-z] [A-Z][a-z][a-z] .*//' \
        | sort -u | head -6 | paste -sd'|' - || true)
    ct_heal "$a"
    ct_heal "$b"
    guard_lines=$(grep -h "ERROR: .*split brain? configure fencing" "$WORK"/nodes/*/var-log/pacemaker/pacemaker.log 2>/dev/null \
        | grep -c "vpc-ha(" || true)
    grep -H "split brain" "$WORK"/nodes/*/var-log/pacemaker/pacemaker.log 2>/dev/null \
        | sed "s#$WORK/nodes/##" >"$OUT/split-brain-guard.log" || true
    ct_log "partition ${PARTITION_SECONDS}s without fencing: 10.0.0.100 changed owner $changes times, $FIP_ADDRESS $fipchanges times; split across zones in $split of $samples samples; on lo of both nodes in $both; $writes API writes ($(awk -v w="$writes" -v s="$seconds" 'BEGIN { printf "%.1f", w * 60 / s }') per minute); split-brain ERROR lines: $guard_lines"
    ct_result "$suite" "partition ${PARTITION_SECONDS} s without fencing" "changes fipchanges split both samples writes seconds guard" \
        "$changes $fipchanges $split $both $samples $writes $seconds $guard_lines"
    [ -z "$reasons" ] || ct_result "$suite" "exit reason during the partition" reason "$reasons"
    ct_wait_online "$a" "${CT_NODES[*]}" 120
    ct_settle "$a" 120
    local counts
    counts=$(ct_fail_counts "$a" | wc -l)
    ct_result "$suite" "fail counts after the heal" count "$counts"
    if [ "${CT_EXPECT_WAR:-0}" != 1 ]; then
        # the guard: one takeover, then no war
        [ "$changes" -le 2 ] || ct_fail "partition without fencing: 10.0.0.100 changed owner $changes times (a route war)"
        [ "$fipchanges" -le 2 ] || ct_fail "partition without fencing: $FIP_ADDRESS changed owner $fipchanges times"
        [ "$split" -le 2 ] || ct_fail "partition without fencing: traffic split across zones in $split samples"
        [ "$guard_lines" -ge 1 ] || ct_fail "partition without fencing: no 'split brain? configure fencing' ERROR in the logs"
        grep -qE "not taking it back from node[12] \(offline to node[12]\): split brain\? configure fencing" <<<"$reasons" \
            || ct_fail "partition without fencing: no exit reason naming the other node: [$reasons]"
        # writes: the one takeover (3 egress PATCHes + create/delete/rename of the ingress route
        # for vip-route, 3 for vip-route-tp, 1 for the floating IP), nothing more during the partition
        [ "$writes" -le 12 ] || ct_fail "partition without fencing: $writes API writes in ${PARTITION_SECONDS}s"
    fi
    nx "$a" crm_resource --cleanup >/dev/null 2>&1
    ct_settle "$a" 120
    assert_owners "$a"
    ct_assert_no_failures "$a" "after the partition healed and a cleanup"
    ct_pass "partition ${PARTITION_SECONDS}s without fencing: $changes owner changes, $writes API writes, split in $split of $samples samples, on lo of both nodes in $both; after the heal one owner"
}

# ------------------------------------------------------------------ quorum device

# check_qdevice_votes OBSERVER: the quorum device's vote counts (3 votes expected)
check_qdevice_votes() {
    local observer=$1 end out
    end=$(($(date +%s) + 60))
    while [ "$(date +%s)" -lt "$end" ]; do
        out=$(nx "$observer" corosync-quorumtool -s 2>/dev/null || true)
        grep -qE "Total votes: +3" <<<"$out" && grep -q "Qdevice" <<<"$out" && return 0
        sleep 0.5
    done
    echo "$out" >&2
    ct_fail "the quorum device's vote did not count on $observer within 60s"
}

# check_qdevice_partition SUITE HOW: HOW=isolate (the active node cut from its peer and the quorum
# device) or split (the nodes cut from each other, both reach the quorum device). The side with the
# quorum device's vote fences the other and runs the resources; the other stops them; never both.
check_qdevice_partition() {
    local suite=$1 how=$2 a b t0 end loser survivor t_off moved owners scenario
    a=$(ct_locate "${CT_NODES[0]}" vip-route)
    b=$(other_node "$a")
    t0=$(ct_now)
    if [ "$how" = isolate ]; then
        scenario="active node cut from its peer and the quorum device"
        ct_partition "$a" "$b" qnetd
        ct_partition "$b" "$a"
    else
        scenario="nodes cut from each other, both reach the quorum device"
        ct_partition "$a" "$b"
        ct_partition "$b" "$a"
    fi
    loser=$(wait_one_fenced "$a" "$b" "$t0" "$scenario")
    survivor=$(other_node "$loser")
    [ "$how" != isolate ] || [ "$survivor" = "$b" ] || ct_fail "$scenario: $survivor kept quorum, not $b, which had the quorum device's vote"
    t_off=$(ct_wait_power "$loser" stopping "$t0" 1)
    moved=$(wait_delivered "$loser" "$t0" 90 "$survivor" "$(fip_mode "$survivor" "$loser")")
    after_move "$suite" "$scenario" "$survivor" "$moved" "$loser"
    ct_result "$suite-partition" "$scenario" "survivor loser fenced-after" "$survivor $loser $t_off"
    ct_wait_power "$loser" starting "$t0" 60 >/dev/null
    sleep 5
    [ "$(ct_power_count "$survivor" stopping "$t0")" = 0 ] || ct_fail "$scenario: the survivor $survivor was fenced too"
    ct_heal "$a"
    ct_heal "$b"
    ct_wait_online "$survivor" "${CT_NODES[*]}" 120
    ct_settle "$survivor" 90
    assert_owners "$survivor"
    ct_assert_no_failures "$survivor" "after $scenario healed"
    check_qdevice_votes "$survivor"
    ct_pass "qdevice, $scenario: $survivor had the quorum device's vote and runs the VIPs; $loser fenced after ${t_off}s; rejoined, one owner"
}

# check_qdevice_lost SUITE: the quorum device dies; both nodes keep quorum (2 of 3 votes), nothing
# moves, nobody is fenced; it comes back and votes again
check_qdevice_lost() {
    local suite=$1 observer where t0 end
    observer=${CT_NODES[0]}
    where=$(ct_locate "$observer" vip-route)
    t0=$(ct_now)
    ct_qnetd_stop
    end=$(($(date +%s) + 20))
    while [ "$(date +%s)" -lt "$end" ]; do
        [ "$(ct_locate "$observer" vip-route)" = "$where" ] || ct_fail "quorum device lost: vip-route moved off $where"
        sleep 1
    done
    nx "$observer" corosync-quorumtool -s 2>/dev/null | grep -q "Quorate: *Yes" || ct_fail "quorum device lost: the cluster lost quorum"
    for node in "${CT_NODES[@]}"; do
        [ "$(ct_power_count "$node" stopping "$t0")" = 0 ] || ct_fail "quorum device lost: $node was fenced"
    done
    assert_owners "$observer"
    ct_assert_no_failures "$observer" "with the quorum device lost"
    ct_qnetd_start
    check_qdevice_votes "$observer"
    ct_result "$suite" "quorum device lost for 20 s" outcome "quorate, nothing moved, nobody fenced"
    ct_pass "quorum device lost for 20s: still quorate (2 of 3 votes), VIPs stayed on $where, nobody fenced; it came back and votes again"
}

# ------------------------------------------------------------------ suites

suite_two_nodes() {
    ct_log "=== 2-node cluster (node1, node2 in us-south-1; corosync token ${CT_TOKEN_MS} ms)"
    ct_cluster_start node1 node2
    check_ocf_tester node2
    check_bad_configurations node1
    add_resources node1
    local counts
    ct_sim DELETE /journal >/dev/null
    check_standby 2-node
    check_crash 2-node corosync
    check_crash 2-node node
    counts=$(ct_counts)
    ct_result requests "2-node: standby + 2 crashes + reboots" "vpc iam metadata" "$counts"
    check_faults
    check_long_outage
    ct_cluster_stop
}

suite_three_nodes() {
    ct_log "=== 3-node cluster (node1, node2 in us-south-1, node3 in us-south-2)"
    ct_sim POST /reset >/dev/null
    ct_cluster_start node1 node2 node3
    add_resources node1
    check_move_to 3-node node3
    check_standby 3-node
    check_crash 3-node corosync
    check_crash 3-node node
    ct_cluster_stop
}

suite_fencing() {
    ct_log "=== 2-node cluster with fencing (fence_ibm_vpc through the VPC API; priority-fencing-delay $CT_PRIORITY_FENCING_DELAY)"
    ct_sim POST /reset >/dev/null
    CT_FENCING=1
    ct_cluster_start node1 node2
    ct_power_watcher_start
    add_fencing node1
    add_resources node1
    check_fenced_crash fence corosync
    check_fenced_crash fence node
    check_fence_failure fence
    check_fenced_partition fence
    ct_power_watcher_stop
    # the fence devices' API key is a CIB secret: it must be in no log (Pacemaker logs CIB changes)
    if grep -rqF "$(cat "$WORK/apikey")" "$WORK"/nodes/*/var-log 2>/dev/null; then
        ct_fail "the API key appears in a node's logs: $(grep -rlF "$(cat "$WORK/apikey")" "$WORK"/nodes/*/var-log | sed "s#$WORK/##" | paste -sd' ' -)"
    fi
    ct_cluster_stop
    CT_FENCING=0
}

suite_partition() {
    ct_log "=== 2-node cluster without fencing: a ${PARTITION_SECONDS}s partition"
    ct_sim POST /reset >/dev/null
    ct_cluster_start node1 node2
    add_resources node1
    check_unfenced_partition partition
    ct_cluster_stop
}

suite_qdevice() {
    ct_log "=== 2 nodes and a quorum device in a third zone (corosync-qnetd, ffsplit), with fencing"
    ct_sim POST /reset >/dev/null
    CT_FENCING=1
    CT_QDEVICE=1
    ct_qnetd_start
    ct_cluster_start node1 node2
    check_qdevice_votes node1
    ct_power_watcher_start
    add_fencing node1
    add_resources node1
    check_qdevice_partition qdevice isolate
    check_qdevice_partition qdevice split
    check_qdevice_lost qdevice
    ct_power_watcher_stop
    ct_cluster_stop
    ct_qnetd_stop
    # shellcheck disable=SC2034 # both are read by lib.sh
    CT_FENCING=0 CT_QDEVICE=0
}

main() {
T_START=$(ct_now)
if [ "$CT_ACCELERATOR" = 1 ]; then
    ct_accelerator_require
    ct_log "accelerated run: every node runs the resident accelerator (socket $CT_ACCELERATOR_SOCKET) from its boot"
    ct_result run accelerator socket "$CT_ACCELERATOR_SOCKET"
fi
for suite in ${SUITES//,/ }; do
    local t_suite
    t_suite=$(ct_now)
    case "$suite" in
        2) suite_two_nodes ;;
        3) suite_three_nodes ;;
        fence) suite_fencing ;;
        partition) suite_partition ;;
        qdevice) suite_qdevice ;;
        *) "suite_${suite//-/_}" ;;
    esac
    ct_result suite-seconds "$suite" seconds "$(ct_since "$t_suite")"
    [ "$CT_ACCELERATOR" != 1 ] || ct_accelerator_tally "$suite"
done
ct_result total "cluster tests" seconds "$(ct_since "$T_START")"
"$CT_HERE/report.sh" "$OUT/results.tsv" >"$OUT/results.md"
[ "$UPDATE_DOCS" = 1 ] && "$CT_HERE/report.sh" --update-docs "$PROJECT/docs" "$OUT/results.tsv"
ct_log "ALL PASSED in $(ct_since "$T_START")s$([ "$CT_ACCELERATOR" != 1 ] || echo ", accelerated")"
}

main
exit
}

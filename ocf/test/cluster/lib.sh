# shellcheck shell=bash
# Functions of the cluster tests (sourced by run.sh): network namespaces, the simulator, cluster
# nodes, waits with timeouts, assertions and results. Every namespace and process made here is
# recorded (in $WORK) and removed by ct_cleanup, which run.sh calls from its EXIT trap.
#
# Topology (all inside namespaces made here; nothing reaches the host's network):
#
#   netns vhct-br: bridge br0 = the VPC "fabric"
#     10.240.0.1/24, 10.240.64.1/24, 10.240.128.1/24   subnet gateways (us-south-1, -2, -3)
#     10.250.0.10/32   VPC API + IAM + simulator admin, HTTPS :443 (certificate names 10.250.0.10)
#     169.254.169.254/32   instance metadata service, HTTP :80 (the default metadata_url)
#   netns vhct-nodeN: eth0 (veth into br0)
#     instance address of scenario instance nodeN (node1 10.240.0.4, node2 10.240.0.5 in us-south-1,
#     node3 10.240.64.4 in us-south-2, node4 10.240.0.6 in us-south-1) with a default route via its subnet gateway and that address
#     as source: the metadata service and IAM identify the node by it;
#     10.99.0.N/24: Corosync's ring (knet), on the same link.
#   netns vhct-qnetd (qdevice suite): the quorum device's host in a third zone, 10.240.128.4/24
#     (us-south-3) and 10.99.0.9/24 on the ring's link; corosync-qnetd listens on 10.99.0.9:5403.
#   The simulator runs in vhct-br; each node is also its own mount/uts/ipc/pid namespace (node-init.sh).
#   The simulator's certificate also names us-south.iaas.cloud.ibm.com and iam.cloud.ibm.com, which
#   every node's private /etc/hosts maps to 10.250.0.10, and every node trusts the simulator's CA in
#   its private /etc/ssl/certs/ca-certificates.crt: fence_ibm_vpc, unmodified, reaches the simulator.

CT_NS_PREFIX=vhct
CT_API_ADDRESS=10.250.0.10
CT_METADATA_ADDRESS=169.254.169.254
CT_TOKEN_MS=${CT_TOKEN_MS:-1000}
CT_QNETD_ADDRESS=10.99.0.9
CT_IBM_NAMES="us-south.iaas.cloud.ibm.com iam.cloud.ibm.com"
# Per suite: fencing on (stonith-enabled, wait_for_all, fence devices) and a quorum device
CT_FENCING=0
CT_QDEVICE=0
# Per suite: NAME=VALUE words added to Pacemaker's environment on every node (what /etc/default/pacemaker
# or /etc/sysconfig/pacemaker gives the agents on a real node), e.g. VPC_HA_ACCELERATOR_WAIT=1
CT_PACEMAKER_ENV=""
# The resident accelerator (docs/accelerator.md) on the nodes: for the whole run (run.sh --accelerator,
# or CT_ACCELERATOR=1) or per suite (CT_ACCELERATOR_SUITE=1, suite accelerator). Its nodes start the
# service's socket at boot, as systemd would where vpc-ha-agent.socket is enabled (ct_node_disk,
# node-init.sh, accelerator-activator.sh); the agents find it as installed agents do, through the
# launcher's default (ACCELERATOR_SOCKET, docs/accelerator.md "The switch"): Pacemaker gives them no
# VPC_HA_ACCELERATOR. CT_ACCELERATOR_SOCKET is that default.
CT_ACCELERATOR=${CT_ACCELERATOR:-0}
CT_ACCELERATOR_SUITE=0
# shellcheck disable=SC2034 # read by run.sh and the suites
CT_ACCELERATOR_SOCKET=/run/vpc-ha/agent.sock

declare -A CT_NODE_ADDRESS=([node1]=10.240.0.4 [node2]=10.240.0.5 [node3]=10.240.64.4 [node4]=10.240.0.6)
declare -A CT_NODE_GATEWAY=([node1]=10.240.0.1 [node2]=10.240.0.1 [node3]=10.240.64.1 [node4]=10.240.0.1)
declare -A CT_NODE_RING=([node1]=10.99.0.1 [node2]=10.99.0.2 [node3]=10.99.0.3 [node4]=10.99.0.4)
# eth0's MAC address where the scenario gives the node's VNI one (secondary-ip finds the interface by it)
declare -A CT_NODE_MAC=([node2]=02:00:0a:f0:00:05 [node4]=02:00:0a:f0:00:06)

CT_T0=$(date +%s.%N)

# ------------------------------------------------------------------ output and assertions

ct_now() { date +%s.%N; }
ct_since() { awk -v a="$1" -v b="$(ct_now)" 'BEGIN { printf "%.2f", b - a }'; }
ct_log() { printf '[%7ss] %s\n' "$(ct_since "$CT_T0")" "$*"; }
ct_fail() {
    ct_log "FAIL: $*" >&2
    echo "FAIL: $*" >>"$WORK/failures"
    exit 1
}
ct_pass() { ct_log "ok: $*"; }

# ct_result SUITE SCENARIO METRIC VALUE: one measured number for the docs
ct_result() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$OUT/results.tsv"; }

# ------------------------------------------------------------------ network

ct_netns_add() {
    local ns=$1
    # (no "| grep -q" under pipefail: grep quitting early can fail the writer with SIGPIPE)
    if [[ " $(ip netns list | awk '{print $1}' | paste -sd' ' -) " == *" $ns "* ]]; then
        ct_fail "network namespace $ns exists already (a run still going, or left by a killed one: ip netns del $ns)"
    fi
    ip netns add "$ns"
    echo "$ns" >>"$WORK/netns.list"
}

ct_network_up() {
    local br=$CT_NS_PREFIX-br
    ct_netns_add "$br"
    ip netns exec "$br" ip link set lo up
    ip netns exec "$br" ip link add br0 type bridge
    ip netns exec "$br" ip link set br0 up
    for address in 10.240.0.1/24 10.240.64.1/24 10.240.128.1/24 $CT_API_ADDRESS/32 $CT_METADATA_ADDRESS/32; do
        ip netns exec "$br" ip addr add "$address" dev br0
    done
}

# ct_node_network NODE: the node's namespace and its link into the bridge
ct_node_network() {
    local node=$1 ns=$CT_NS_PREFIX-$1 br=$CT_NS_PREFIX-br
    local veth=v-$1
    ct_netns_add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" netns "$br"
    ip netns exec "$br" ip link set "$veth" master br0
    ip netns exec "$br" ip link set "$veth" up
    ip netns exec "$ns" ip link set lo up
    [ -z "${CT_NODE_MAC[$node]:-}" ] || ip netns exec "$ns" ip link set eth0 address "${CT_NODE_MAC[$node]}"
    ip netns exec "$ns" ip addr add "${CT_NODE_ADDRESS[$node]}/24" dev eth0
    ip netns exec "$ns" ip addr add "${CT_NODE_RING[$node]}/24" dev eth0
    ip netns exec "$ns" ip link set eth0 up
    ip netns exec "$ns" ip route add default via "${CT_NODE_GATEWAY[$node]}" src "${CT_NODE_ADDRESS[$node]}"
}

# ------------------------------------------------------------------ simulator

# ct_simulator_start SCENARIO: the simulator in the bridge namespace, HTTPS for VPC/IAM, plain HTTP
# metadata on 169.254.169.254:80, tokens of CT_TOKEN_LIFETIME seconds.
ct_simulator_start() {
    local scenario=$1 name names=()
    for name in $CT_IBM_NAMES; do names+=(--tls-name "$name"); done
    # setpriv: the kernel kills the simulator if run.sh dies without its EXIT trap (kill -9)
    setpriv --pdeathsig KILL -- ip netns exec "$CT_NS_PREFIX-br" setsid java -Xmx256m -jar "$SIMULATOR_JAR" --scenario "$scenario" \
        --listen "$CT_API_ADDRESS:443" --ca-out "$WORK/ca.pem" \
        "${names[@]}" \
        --metadata-listen "$CT_METADATA_ADDRESS:80" --no-instance-metadata \
        --token-lifetime "${CT_TOKEN_LIFETIME:-20}" >"$OUT/simulator.out" 2>&1 </dev/null &
    echo $! >"$WORK/simulator.pid"
    local i
    for i in $(seq 1 300); do
        grep -q '^ADMIN_URL=' "$OUT/simulator.out" 2>/dev/null && break
        kill -0 "$(cat "$WORK/simulator.pid")" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^ADMIN_URL=' "$OUT/simulator.out" || { cat "$OUT/simulator.out"; ct_fail "the simulator did not start"; }
    [ -s "$WORK/ca.pem" ] || ct_fail "the simulator wrote no CA certificate"
    chmod 644 "$WORK/ca.pem"
    # the CA bundle the nodes see (system CAs and the simulator's): libcurl, so fence_ibm_vpc's
    # pycurl, trusts the simulator's certificate for the IBM names
    cat /etc/ssl/certs/ca-certificates.crt "$WORK/ca.pem" >"$WORK/ca-certificates.crt"
    chmod 644 "$WORK/ca-certificates.crt"
}

# ct_sim METHOD PATH [BODY]: the simulator's admin API, from inside the bridge namespace
ct_sim() {
    local method=$1 path=$2 body=${3:-}
    if [ -n "$body" ]; then
        nsenter --net=/run/netns/$CT_NS_PREFIX-br curl -sS --max-time 5 --cacert "$WORK/ca.pem" -X "$method" \
            -H 'Content-Type: application/json' -d "$body" "https://$CT_API_ADDRESS/sim$path"
    else
        nsenter --net=/run/netns/$CT_NS_PREFIX-br curl -sS --max-time 5 --cacert "$WORK/ca.pem" -X "$method" \
            "https://$CT_API_ADDRESS/sim$path"
    fi
}

# ct_oracle ADDRESS ZONE [INGRESS]: the instance that gets a packet to ADDRESS entering in ZONE
# (from a subnet of ZONE, or through INGRESS, e.g. transit_gateway); "-" when it is dropped.
ct_oracle() {
    local query="address=$1&zone=$2"
    [ -n "${3:-}" ] && query="$query&ingress=$3"
    ct_sim GET "/oracle?$query" 2>/dev/null | jq -r 'if .delivered then .instance.name else "-" end' 2>/dev/null || echo "?"
}

# ct_vip_owner VIP: the one instance every VIP route delivers to, or "split:a,b" when they disagree:
# egress from every zone and, for 10.0.0.100, the transit-gateway ingress table, whose single route
# must sit in the zone of its next hop (traffic enters there), so exactly one zone delivers
ct_vip_owner() {
    local vip=$1 answers ingress
    answers=$(for zone in us-south-1 us-south-2 us-south-3; do ct_oracle "$vip" "$zone"; done)
    if [ "$vip" = 10.0.0.100 ]; then
        ingress=$(for zone in us-south-1 us-south-2 us-south-3; do ct_oracle "$vip" "$zone" transit_gateway; done \
            | grep -v '^-$' || true)
        [ "$(wc -l <<<"$ingress")" -eq 1 ] && [ -n "$ingress" ] || ingress="ingress:$(paste -sd/ - <<<"${ingress:-none}")"
        answers="$answers
$ingress"
    fi
    if [ "$(sort -u <<<"$answers" | wc -l)" -eq 1 ]; then
        head -1 <<<"$answers"
    else
        echo "split:$(sort -u <<<"$answers" | paste -sd, -)"
    fi
}

# ct_counts: "vpc iam metadata" requests counted since the journal was last cleared
ct_counts() {
    ct_sim GET /counters | jq -r '
        def calls(f): [to_entries[] | select(.key | f) | .value.calls] | add // 0;
        "\(calls(test(" /v1/"))) \(calls(. == "POST /identity/token")) \(calls((test(" /v1/") or . == "POST /identity/token") | not))"'
}

# ------------------------------------------------------------------ cluster nodes

# ct_node_disk NODE NODES...: the node's persistent state (corosync.conf, seeded CIB, logs, hosts)
ct_node_disk() {
    local node=$1; shift
    local nodes=("$@") disk=$WORK/nodes/$node n i=0 two=0 list="" hosts="127.0.0.1 localhost
$CT_API_ADDRESS $CT_IBM_NAMES" wait_for_all=0 device=""
    [ ${#nodes[@]} -eq 2 ] && two=1
    # with fencing as in production: a node that boots (after being fenced) waits until it has seen
    # the other before it is quorate, so it cannot fence the survivor from within a partition
    [ "$CT_FENCING" = 1 ] && wait_for_all=1
    if [ "$CT_QDEVICE" = 1 ]; then
        # the quorum device's vote replaces two_node (they exclude each other)
        two=0
        device="
    device {
        votes: 1
        model: net
        net {
            host: $CT_QNETD_ADDRESS
            algorithm: ffsplit
            tls: off
        }
    }"
    fi
    for n in "${nodes[@]}"; do
        i=$((i + 1))
        list="$list    node {
        name: $n
        nodeid: ${n#node}
        ring0_addr: ${CT_NODE_RING[$n]}
    }
"
        hosts="$hosts
${CT_NODE_RING[$n]} $n"
    done
    rm -rf "$disk"
    mkdir -p "$disk"/{etc-corosync,var-lib-corosync,var-log/corosync,var-log/pacemaker/bundles}
    mkdir -p "$disk"/var-lib-pacemaker/{cib,pengine,blackbox,cores}
    chown -R hacluster:haclient "$disk/var-lib-pacemaker" "$disk/var-log/pacemaker"
    # Pacemaker's agents as this node sees them (node-init.sh mounts this over /usr/lib/ocf/resource.d):
    # the machine's providers, and ocf:$PROVIDER from the run's own installation
    mkdir -p "$disk/ocf-resource.d"
    for entry in /usr/lib/ocf/resource.d/*; do
        if [ -e "$entry" ] && [ "$(basename "$entry")" != "$PROVIDER" ]; then
            ln -s "$entry" "$disk/ocf-resource.d/"
        fi
    done
    ln -s "$AGENTS" "$disk/ocf-resource.d/$PROVIDER"
    chmod 750 "$disk"/var-lib-pacemaker/{cib,pengine,blackbox,cores}
    chmod 770 "$disk/var-log/pacemaker"
    echo "$hosts" >"$disk/hosts"
    local environment=$CT_PACEMAKER_ENV
    if ct_accelerated; then
        # what node-init.sh starts the accelerator's socket with at boot: the installation's launcher,
        # and the activator itself on the node's disk (the project may live under /tmp, which the node's
        # own /tmp hides)
        echo "$WORK/vpc-ha/bin/vpc-ha" >"$disk/accelerator"
        install -m 755 "$CT_HERE/accelerator-activator.sh" "$disk/accelerator-activator.sh"
    fi
    # shellcheck disable=SC2086 # one NAME=VALUE word per line
    [ -z "${environment// /}" ] || printf '%s\n' $environment >"$disk/pacemaker.env"
    cp "$WORK/ca-certificates.crt" "$disk/ca-certificates.crt"
    cat >"$disk/etc-corosync/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: vpcha-ct
    transport: knet
    token: $CT_TOKEN_MS
    crypto_cipher: none
    crypto_hash: none
}
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
}
quorum {
    provider: corosync_votequorum
    two_node: $two
    wait_for_all: $wait_for_all$device
}
nodelist {
$list}
CONF
    local cib=$disk/var-lib-pacemaker/cib/cib.xml
    cibadmin --empty >"$cib"
    # without fencing (CT_FENCING=0) a killed node is relaunched with a fresh /run instead (see
    # ct_relaunch); with fencing, fence_ibm_vpc powers it off and on through the VPC API and the power
    # watcher (ct_power_watcher_start) makes that real. Fast DC election.
    local options="stonith-enabled=false no-quorum-policy=ignore"
    [ "$CT_FENCING" = 1 ] && options="stonith-enabled=true no-quorum-policy=stop priority-fencing-delay=$CT_PRIORITY_FENCING_DELAY"
    for kv in $options dc-deadtime=2s cluster-recheck-interval=1min; do
        CIB_file=$cib crm_attribute --type crm_config --name "${kv%%=*}" --update "${kv#*=}" >/dev/null
    done
    CIB_file=$cib cibadmin -C -o configuration -X '<rsc_defaults><meta_attributes id="rsc-options">
        <nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="100"/>
        </meta_attributes></rsc_defaults>' >/dev/null
    chown hacluster:haclient "$cib"
    chmod 600 "$cib"
}

# ct_launch NODE: boot the node (its PID 1 is node-init.sh); records the host PIDs
ct_launch() {
    local node=$1 unshare_pid init_pid="" i
    # If run.sh dies without its EXIT trap (kill -9), the kernel kills unshare (setpriv --pdeathsig),
    # and unshare's death kills the node's PID 1 (--kill-child), which ends the whole node.
    setpriv --pdeathsig KILL -- setsid ip netns exec "$CT_NS_PREFIX-$node" \
        unshare --mount --uts --ipc --pid --fork --kill-child --mount-proc \
        "$CT_HERE/node-init.sh" "$node" "$WORK/nodes/$node" >>"$OUT/$node.console" 2>&1 </dev/null &
    unshare_pid=$!
    echo "$unshare_pid" >"$WORK/$node.unshare.pid"
    for i in $(seq 1 100); do
        init_pid=$(awk '{print $1}' "/proc/$unshare_pid/task/$unshare_pid/children" 2>/dev/null)
        [ -n "$init_pid" ] && break
        sleep 0.05
    done
    [ -n "$init_pid" ] || ct_fail "$node did not start (see $OUT/$node.console)"
    echo "$init_pid" >"$WORK/$node.init.pid"
}

# ct_kill_node NODE: SIGKILL to the node's PID 1 (the whole PID namespace dies: power cut)
ct_kill_node() {
    local node=$1 init unshare_pid i
    init=$(cat "$WORK/$node.init.pid" 2>/dev/null) || return 0
    unshare_pid=$(cat "$WORK/$node.unshare.pid" 2>/dev/null) || true
    kill -KILL "$init" 2>/dev/null || true
    for i in $(seq 1 100); do
        kill -0 "$init" 2>/dev/null || { [ -n "$unshare_pid" ] && kill -0 "$unshare_pid" 2>/dev/null; } || break
        sleep 0.05
    done
    rm -f "$WORK/$node.init.pid" "$WORK/$node.unshare.pid"
}

# ct_node_pid NODE COMMAND: host PID of the node's process COMMAND (a child of its PID 1)
ct_node_pid() {
    ps -o pid=,comm= --ppid "$(cat "$WORK/$1.init.pid")" | awk -v c="$2" '$2 == c { print $1 }'
}

# nx NODE COMMAND...: run a command inside a node (its network, mounts, PIDs)
nx() {
    local node=$1; shift
    nsenter -t "$(cat "$WORK/$node.init.pid")" -m -u -i -n -p -- "$@"
}

# ct_online OBSERVER: the online node names as OBSERVER's cluster sees them
ct_online() {
    nx "$1" crm_mon -1 --output-as=xml 2>/dev/null | xmllint --xpath '//nodes/node[@online="true"]/@name' - 2>/dev/null \
        | sed 's/ name="\([^"]*\)"/\1\n/g' | sed '/^$/d' | sort | paste -sd' ' - || true
}

# ct_wait_online OBSERVER "NODES" TIMEOUT: until OBSERVER sees exactly these nodes online, with a DC
ct_wait_online() {
    local observer=$1 want=$2 timeout=$3 end
    want=$(tr ' ' '\n' <<<"$want" | sort | paste -sd' ' -)
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        if [ "$(ct_online "$observer")" = "$want" ] \
            && [[ "$(nx "$observer" crm_mon -1 --output-as=xml 2>/dev/null)" == *'<current_dc present="true"'* ]]; then
            return 0
        fi
        sleep 0.2
    done
    ct_fail "$observer does not see [$want] online after ${timeout}s (sees [$(ct_online "$observer")])"
}

# ct_cluster_start NODES...: disks, namespaces, boot, wait until all are online
ct_cluster_start() {
    local nodes=("$@") node t0
    for node in "${nodes[@]}"; do
        ct_node_disk "$node" "${nodes[@]}"
        ct_node_network "$node"
    done
    t0=$(ct_now)
    for node in "${nodes[@]}"; do ct_launch "$node"; done
    ct_wait_online "${nodes[0]}" "${nodes[*]}" 90
    CT_NODES=("${nodes[@]}")
    ct_log "cluster of ${#nodes[@]} nodes online after $(ct_since "$t0")s"
}

# ct_cluster_stop: kill every node, delete the node namespaces
ct_cluster_stop() {
    local node
    for node in "${CT_NODES[@]}"; do ct_kill_node "$node"; done
    for node in "${CT_NODES[@]}"; do
        ip netns del "$CT_NS_PREFIX-$node" 2>/dev/null
        sed -i "/^$CT_NS_PREFIX-$node\$/d" "$WORK/netns.list"
    done
    CT_NODES=()
}

# ct_relaunch NODE: boot a killed node again and wait until the cluster has it back. Without fencing
# a node whose corosync died still believes it runs its resources; a fresh boot (new /run, VIP gone
# from lo) is what fencing would have done.
ct_relaunch() {
    local node=$1 observer=$2 t0
    ct_kill_node "$node"
    t0=$(ct_now)
    ct_launch "$node"
    ct_wait_online "$observer" "${CT_NODES[*]}" 90
    ct_log "$node rebooted and rejoined after $(ct_since "$t0")s"
}

# ------------------------------------------------------------------ resources

# ct_locate OBSERVER RSC: nodes where RSC runs, space separated ("" when stopped)
ct_locate() {
    { nx "$1" crm_resource --locate -r "$2" -Q 2>/dev/null || true; } | sort | paste -sd' ' -
}

# ct_wait_located OBSERVER RSC NODE|any TIMEOUT: until RSC runs on exactly NODE (or on one node)
ct_wait_located() {
    local observer=$1 rsc=$2 want=$3 timeout=$4 end where
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        where=$(ct_locate "$observer" "$rsc")
        if [ "$want" = any ]; then
            [ -n "$where" ] && [ "$(wc -w <<<"$where")" -eq 1 ] && { echo "$where"; return 0; }
        elif [ "$where" = "$want" ]; then
            echo "$where"; return 0
        fi
        sleep 0.2
    done
    nx "$observer" crm_mon -1 -r >&2
    ct_fail "$rsc not on ${want} after ${timeout}s (on [$where])"
}

# ct_settle OBSERVER: until the cluster has no pending actions
ct_settle() {
    nx "$1" crm_resource --wait --timeout="${2:-60}" >/dev/null 2>&1 || ct_fail "the cluster did not settle within ${2:-60}s"
}

# ct_fail_counts OBSERVER: "node rsc op count" lines for every non-zero fail count
ct_fail_counts() {
    nx "$1" crm_mon -1 --output-as=xml --include=failcounts 2>/dev/null \
        | xmllint --xpath '//node_history/node/resource_history[@fail-count]' - 2>/dev/null \
        | grep -o 'id="[^"]*"[^>]*fail-count="[^"]*"' || true
}

# ct_failures OBSERVER: the failed actions Pacemaker lists (one line each)
ct_failures() {
    nx "$1" crm_mon -1 --output-as=xml 2>/dev/null | xmllint --xpath '//failures/failure' - 2>/dev/null \
        | sed 's/<failure /\n<failure /g' | sed '/^$/d' || true
}

# ct_assert_no_failures OBSERVER WHAT
ct_assert_no_failures() {
    local counts failures
    counts=$(ct_fail_counts "$1")
    failures=$(ct_failures "$1")
    if [ -n "$counts$failures" ]; then
        nx "$1" crm_mon -1 -rf >&2
        ct_fail "$2: fail counts [$counts] failures [$failures]"
    fi
}

# ct_vip_on_lo NODE VIP: whether the VIP is an address of the node's lo
ct_vip_on_lo() {
    [[ "$(ip netns exec "$CT_NS_PREFIX-$1" ip -4 -o addr show dev lo)" == *" $2/32 "* ]]
}

# ct_assert_single_owner OBSERVER RSC VIP: Pacemaker, the oracle and the nodes' lo agree on one node
ct_assert_single_owner() {
    local observer=$1 rsc=$2 vip=$3 where oracle node holders=""
    where=$(ct_locate "$observer" "$rsc")
    oracle=$(ct_vip_owner "$vip")
    for node in "${CT_NODES[@]}"; do
        ct_vip_on_lo "$node" "$vip" && holders="$holders $node"
    done
    holders=${holders# }
    [ "$(wc -w <<<"$where")" -eq 1 ] || ct_fail "$rsc runs on [$where], not on exactly one node"
    [ "$oracle" = "$where" ] || ct_fail "$rsc runs on $where but the VPC delivers $vip to $oracle"
    [ "$holders" = "$where" ] || ct_fail "$vip is on lo of [$holders], expected only $where"
    echo "$where"
}

# ct_check_crash RSC corosync|node WAIT RECORD CHECK: a strategy suite's crash of the active node:
# kill -9 the corosync, or the whole node (its PID 1), of the node running RSC (as CT_NODES[0] sees
# it), then the node comes back as in production: with fencing (CT_FENCING=1) the survivor fences it
# through the API and the power watcher boots it when the API starts it again; without, the test
# boots it again, as fencing would. The scenario is "kill -9 corosync of the active node" or "kill -9
# the whole active node", " (fenced)" added with fencing. The suite's own parts are functions:
#   WAIT OLD T0 TIMEOUT            its oracle: once RSC's traffic reaches a node that is not OLD,
#                                  prints "NODE SECONDS..." (seconds since T0)
#   RECORD SCENARIO OBSERVER MOVED OLD T0   MOVED is WAIT's line: Pacemaker agrees, times recorded
#   CHECK SCENARIO OBSERVER OLD    after the rejoin: settled, one owner, no failure
# (kill_active and other_node are run.sh's)
ct_check_crash() {
    local rsc=$1 what=$2 wait=$3 record=$4 check=$5 old observer t0 moved scenario timeout=90
    old=$(ct_locate "${CT_NODES[0]}" "$rsc")
    [ "$(wc -w <<<"$old")" -eq 1 ] || ct_fail "$rsc runs on [$old], not on exactly one node"
    observer=$(other_node "$old")
    scenario="kill -9 the whole active node"
    [ "$what" = corosync ] && scenario="kill -9 corosync of the active node"
    if [ "$CT_FENCING" = 1 ]; then scenario="$scenario (fenced)" timeout=120; fi
    t0=$(kill_active "$old" "$what")
    moved=$("$wait" "$old" "$t0" "$timeout")
    "$record" "$scenario" "$observer" "$moved" "$old" "$t0"
    if [ "$CT_FENCING" = 1 ]; then
        ct_wait_power "$old" starting "$t0" 60 >/dev/null
        ct_wait_online "$observer" "${CT_NODES[*]}" 120
    else
        ct_relaunch "$old" "$observer"
    fi
    "$check" "$scenario" "$observer" "$old"
}

# ------------------------------------------------------------------ the resident accelerator

# ct_accelerated: whether the nodes booted from here on run the accelerator
ct_accelerated() { [ "$CT_ACCELERATOR" = 1 ] || [ "$CT_ACCELERATOR_SUITE" = 1 ]; }

# ct_accelerator_require: the tools the nodes' socket activation needs (accelerator-activator.sh)
ct_accelerator_require() {
    command -v systemd-socket-activate >/dev/null || ct_fail "systemd-socket-activate missing (Debian package systemd; scripts/install-test-deps.sh)"
    command -v python3 >/dev/null || ct_fail "python3 missing (scripts/install-test-deps.sh)"
}

# ct_accelerator_at_boot NODE off: NODE's next boots start no accelerator (its disk no longer says so;
# Pacemaker still names the socket, which is then absent)
ct_accelerator_at_boot() {
    [ "$2" = off ] || ct_fail "ct_accelerator_at_boot: $2"
    rm -f "$WORK/nodes/$1/accelerator"
}

# ct_accelerator_tally SUITE: what the accelerators of the nodes SUITE ran did, from their logs (the
# nodes are down): monitors served warm, refused and given up, services SIGKILLed (by the launcher's
# watchdog, or a suite's fault: the activator saw them end with 137), recorded; the logs are kept in
# OUT/accelerator/ and start empty for the next suite. A suite run accelerated whose nodes served no
# monitor warm did not test what it says it did: that fails.
ct_accelerator_tally() {
    local suite=$1 log node served=0 refused=0 gaveup=0 killed=0 n
    mkdir -p "$OUT/accelerator"
    for log in "$WORK"/nodes/*/var-log/vpc-ha-agent.log; do
        [ -f "$log" ] || continue
        node=${log#"$WORK"/nodes/}
        node=${node%%/*}
        n=$(grep -c "served monitor of " "$log" || true); served=$((served + n))
        n=$(grep -c "refused monitor of " "$log" || true); refused=$((refused + n))
        n=$(grep -c "gave up monitor of " "$log" || true); gaveup=$((gaveup + n))
        n=$(grep -c "activator: the service ended (137)" "$log" || true); killed=$((killed + n))
        mv "$log" "$OUT/accelerator/$suite-$node.log"
    done
    ct_result accelerator-run "$suite" "served refused gave-up killed" "$served $refused $gaveup $killed"
    ct_log "suite $suite, accelerated: $served monitors served warm, $refused refused, $gaveup given up; $killed services SIGKILLed (logs in $OUT/accelerator)"
    [ "$served" -ge 1 ] || ct_fail "suite $suite ran accelerated, but no node's accelerator served a monitor"
}

# ------------------------------------------------------------------ power: fencing made real

# ct_instance_id NAME: the simulator's instance id of the node NAME
ct_instance_id() {
    ct_sim GET /state | jq -r --arg n "$1" '.instances[] | select(.name == $n) | .id'
}

# ct_power_watcher_start: follows the simulator's instance status events with a long poll and makes
# them real at once: an instance that is stopping (or stopped, or restarting) loses its node (SIGKILL
# to its PID 1, a power cut); one that is starting boots it again (fresh /run, /tmp; node-init.sh).
# Every event is logged with the host's time to $WORK/power.events ("EPOCH NODE STATUS CAUSE").
ct_power_watcher_start() {
    local members=" ${CT_NODES[*]} "
    : >>"$WORK/power.events"
    (
        trap - ERR EXIT INT TERM
        set +eE
        local last r node status cause now
        last=$(ct_sim GET "/events?type=instance_status" | jq -r '.last_sequence // 0')
        while :; do
            r=$(nsenter --net=/run/netns/$CT_NS_PREFIX-br curl -sS --max-time 40 --cacert "$WORK/ca.pem" \
                "https://$CT_API_ADDRESS/sim/events?type=instance_status&wait=30&since=$last" 2>/dev/null)
            if [ -z "$r" ] || ! jq -e .last_sequence >/dev/null 2>&1 <<<"$r"; then
                sleep 0.2
                continue
            fi
            while read -r node status cause; do
                [ -n "$node" ] || continue
                now=$(ct_now)
                echo "$now $node $status $cause" >>"$WORK/power.events"
                [[ "$members" == *" $node "* ]] || continue
                case "$status" in
                    stopping|stopped|restarting)
                        if [ -f "$WORK/$node.init.pid" ]; then
                            ct_kill_node "$node"
                            ct_log "power: $node off ($status, $cause)" >>"$OUT/power.log"
                        fi
                        ;;
                    starting|running)
                        if [ ! -f "$WORK/$node.init.pid" ]; then
                            ct_launch "$node"
                            ct_log "power: $node on ($status, $cause)" >>"$OUT/power.log"
                        fi
                        ;;
                esac
            done < <(jq -r '.events[] | "\(.instance.name) \(.status) \(.cause | gsub(" "; "_"))"' <<<"$r")
            last=$(jq -r .last_sequence <<<"$r")
        done
    ) &
    echo $! >"$WORK/watcher.pid"
}

# ct_power_watcher_stop: ends the watcher and its long poll
ct_power_watcher_stop() {
    local pid child
    pid=$(cat "$WORK/watcher.pid" 2>/dev/null) || return 0
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill -TERM "$child" 2>/dev/null; done
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
    rm -f "$WORK/watcher.pid"
}

# ct_power_time NODE STATUS T0: the host time of NODE's first STATUS event after T0 ("" if none)
ct_power_time() {
    awk -v n="$1" -v s="$2" -v t="$3" '$2 == n && $3 == s && $1 >= t { print $1; exit }' "$WORK/power.events"
}

# ct_wait_power NODE STATUS T0 TIMEOUT: until NODE reported STATUS after T0; prints the seconds since T0
ct_wait_power() {
    local node=$1 status=$2 t0=$3 timeout=$4 end t
    end=$(($(date +%s) + timeout))
    while [ "$(date +%s)" -lt "$end" ]; do
        t=$(ct_power_time "$node" "$status" "$t0")
        if [ -n "$t" ]; then awk -v a="$t0" -v b="$t" 'BEGIN { printf "%.2f", b - a }'; return 0; fi
        sleep 0.1
    done
    ct_fail "$node was not $status through the VPC API within ${timeout}s of the event (power events: $(tail -5 "$WORK/power.events" | paste -sd';' -))"
}

# ct_power_count NODE STATUS T0: how many STATUS events NODE had after T0
ct_power_count() {
    awk -v n="$1" -v s="$2" -v t="$3" '$2 == n && $3 == s && $1 >= t { c++ } END { print c + 0 }' "$WORK/power.events"
}

# ct_pacemaker_log_line NODE T0 REGEX: "SECONDS LINE" for the first line of NODE's pacemaker.log after
# T0 that matches REGEX, SECONDS counted from T0 (nothing when none); the log's stamps are local time
ct_pacemaker_log_line() {
    local log=$WORK/nodes/$1/var-log/pacemaker/pacemaker.log t0=$2 regex=$3 line at
    [ -f "$log" ] || return 0
    while IFS= read -r line; do
        at=$(date -d "$(cut -c1-19 <<<"$line")" +%s.%N 2>/dev/null) || continue
        if awk -v a="$at" -v b="$t0" 'BEGIN { exit !(a >= b) }'; then
            awk -v a="$t0" -v b="$at" 'BEGIN { printf "%.2f ", b - a }'
            echo "$line"
            return 0
        fi
    done < <(grep -E "$regex" "$log" || true)  # none: not a failed command (the ERR trap would say so)
}

# ------------------------------------------------------------------ partitions

# ct_partition NODE PEER...: drops every packet between NODE's namespace and the PEERs' ring
# addresses (Corosync, and the quorum device when a peer is qnetd), both ways, with nftables in
# NODE's network namespace; the VPC API, IAM and metadata stay reachable
ct_partition() {
    local node=$1 peer address in="" out=""; shift
    for peer in "$@"; do
        address=${CT_NODE_RING[$peer]:-}
        [ "$peer" = qnetd ] && address=$CT_QNETD_ADDRESS
        in="$in ip saddr $address drop;"
        out="$out ip daddr $address drop;"
    done
    ip netns exec "$CT_NS_PREFIX-$node" nft -f - <<NFT
table inet vhct_partition {
    chain input { type filter hook input priority 0; policy accept;$in }
    chain output { type filter hook output priority 0; policy accept;$out }
}
NFT
}

# ct_heal NODE: removes NODE's partition rules
ct_heal() {
    ip netns exec "$CT_NS_PREFIX-$1" nft delete table inet vhct_partition 2>/dev/null || true
}

# ------------------------------------------------------------------ quorum device

# ct_qnetd_start: corosync-qnetd in namespace vhct-qnetd (a third zone), without TLS, in a mount
# namespace of its own (its socket and lock live in a private /run)
ct_qnetd_start() {
    local ns=$CT_NS_PREFIX-qnetd br=$CT_NS_PREFIX-br
    if [ ! -e "/run/netns/$ns" ]; then
        ct_netns_add "$ns"
        ip link add v-qnetd type veth peer name eth0 netns "$ns"
        ip link set v-qnetd netns "$br"
        ip netns exec "$br" ip link set v-qnetd master br0
        ip netns exec "$br" ip link set v-qnetd up
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" ip addr add 10.240.128.4/24 dev eth0
        ip netns exec "$ns" ip addr add "$CT_QNETD_ADDRESS/24" dev eth0
        ip netns exec "$ns" ip link set eth0 up
    fi
    # started from a subshell: not a job of this shell, so killing it later prints nothing
    (
        setsid ip netns exec "$ns" unshare --mount --fork sh -c '
            mount --make-rprivate / && mount -t tmpfs -o mode=755 tmpfs /run &&
            mkdir -p /run/corosync-qnetd && chown coroqnetd:coroqnetd /run/corosync-qnetd 2>/dev/null
            exec corosync-qnetd -f -s off -l '"$CT_QNETD_ADDRESS"' -d' >>"$OUT/qnetd.console" 2>&1 </dev/null &
        echo $! >"$WORK/qnetd.unshare.pid"
    )
    local i
    for i in $(seq 1 100); do
        ip netns exec "$ns" ss -ltn 2>/dev/null | grep -q ":5403 " && return 0
        sleep 0.1
    done
    cat "$OUT/qnetd.console" >&2
    ct_fail "corosync-qnetd did not listen on $CT_QNETD_ADDRESS:5403"
}

# ct_qnetd_stop: kills corosync-qnetd (the quorum device lost)
ct_qnetd_stop() {
    local pid i
    pid=$(cat "$WORK/qnetd.unshare.pid" 2>/dev/null) || return 0
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$WORK/qnetd.unshare.pid"
}

# ------------------------------------------------------------------ cleanup

ct_cleanup() {
    set +e
    local f pid ns i
    ct_power_watcher_stop
    ct_qnetd_stop
    for f in "$WORK"/*.init.pid; do
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    done
    for f in "$WORK"/*.unshare.pid "$WORK"/*.init.pid; do
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        rm -f "$f"
    done
    if [ -f "$WORK/simulator.pid" ]; then
        pid=$(cat "$WORK/simulator.pid")
        kill -TERM "$pid" 2>/dev/null
        for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        rm -f "$WORK/simulator.pid"
    fi
    if [ -f "$WORK/netns.list" ]; then
        while read -r ns; do
            [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
        done <"$WORK/netns.list"
        rm -f "$WORK/netns.list"
    fi
}

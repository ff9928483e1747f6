#!/bin/bash
# Turns the cluster tests' results (run.sh writes OUT/results.tsv: suite, scenario, metric, value)
# into Markdown.
#   report.sh RESULTS.tsv                      the whole report on stdout
#   report.sh --update-docs DOCS RESULTS.tsv   writes the measured parts into DOCS/performance.md
#                                              and DOCS/reliability.md, between their
#                                              <!-- cluster-tests:...:begin/end --> markers: each
#                                              part only when the results have its suites (a run of
#                                              --suites load-balancer, secondary-ip or promotable leaves the other tables alone)
set -euo pipefail

update=0
docs=
if [ "${1:-}" = --update-docs ]; then update=1; docs=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: report.sh [--update-docs DOCS] RESULTS.tsv..." >&2; exit 2; }
for f in "$@"; do [ -f "$f" ] || { echo "report.sh: no results file $f" >&2; exit 2; }; done
# several runs: the failover seconds are given as the median (min-max); the rest is the last run's
all=("$@")
results=${all[$#-1]}
runs=$#

# seconds SUITE SCENARIO METRIC: "x s" for one run, "median s (min-max)" for several; "not moved" for -
seconds() {
    local values
    values=$(awk -F'\t' -v s="$1" -v c="$2" -v m="$3" '$1 == s && $2 == c && $3 == m { print $4 }' "${all[@]}" \
        | grep -v '^-$' | sort -n || true)
    if [ -z "$values" ]; then echo "not moved"; return; fi
    if ! grep -qv '^kept$' <<<"$values"; then echo "stayed (the node running it won)"; return; fi
    values=$(grep -v '^kept$' <<<"$values")
    awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (NR == 1) printf "%.1f s", m; else printf "%.1f s (%.1f–%.1f)", m, v[1], v[NR] }' <<<"$values"
}

field() { awk -F'\t' -v s="$1" -v m="$2" '$1 == s && $3 == m { print $2 "\t" $4 }' "$results"; }

# median VALUES...: the median of numbers, "-" for none
median() {
    printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# secs2 VALUES...: "MEDIAN s" to the hundredth, or "-"
secs2() {
    printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        printf "%.2f s\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# secs VALUES...: "MEDIAN s", or "-"
secs() {
    local m
    m=$(median "$@")
    [ "$m" = - ] && echo - || echo "$m s"
}

suite_label() {
    case "$1" in
        fence) echo "2-node, fencing" ;;
        qdevice) echo "2-node + quorum device, fencing" ;;
        *) echo "$1" ;;
    esac
}

# The route war before the split-brain guard, measured once (see the file)
BEFORE=$(cd "$(dirname "$0")" && pwd)/route-war-before.tsv

performance() {
    local suite scenario
    echo "Measured by \`ocf/test/cluster/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) vCPU, $(uname -r | cut -d- -f1) kernel," \
        "Pacemaker $(pacemakerd --version 2>/dev/null | head -1 | awk '{print $2}'), Corosync $(corosync -v 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*' | head -1))."
    echo "Seconds from the action until the simulator's forwarding oracle delivers the VIP to the new node"
    if [ "$runs" = 1 ]; then
        echo "from every zone (and, for 10.0.0.100, through the ingress table); one run."
    else
        echo "from every zone (and, for 10.0.0.100, through the ingress table); median (min–max) of $runs runs."
    fi
    echo
    echo "| cluster | scenario | VIP 10.0.0.100 (\`vip-route\`) | VIP 10.0.0.101 (\`vip-route-tp\`) | floating IP 169.59.10.20 (\`vip-fip\`) |"
    echo "|---|---|---|---|---|"
    for suite in 2-node 3-node fence qdevice; do
        while IFS=$'\t' read -r scenario _; do
            [ -n "$scenario" ] || continue
            echo "| $(suite_label "$suite") | $scenario | $(seconds "$suite" "$scenario" vip-route) | $(seconds "$suite" "$scenario" vip-route-tp) | $(seconds "$suite" "$scenario" vip-fip) |"
        done < <(awk -F'\t' -v s="$suite" '$1 == s && $3 == "vip-route" && !seen[$2]++ { print $2 "\t" $4 }' "${all[@]}")
    done
    # the strategy suites' resources (suites/<name>.sh): ct_result failover SCENARIO RESOURCE SECONDS
    if grep -q $'^failover\t' "${all[@]}"; then
        echo
        echo "The strategy suites' resources (\`ocf/test/cluster/suites/\`), timed the same way: from the action until"
        echo "the oracle delivers the resource's traffic to the new node."
        echo
        echo "| resource | cluster: scenario | seconds |"
        echo "|---|---|---|"
        local resource
        while IFS=$'\t' read -r scenario resource; do
            echo "| $resource | $scenario | $(seconds failover "$scenario" "$resource") |"
        done < <(awk -F'\t' '$1 == "failover" && !seen[$2 FS $3]++ { print $2 "\t" $3 }' "${all[@]}")
    fi
    if grep -q "^fence-phases" "${all[@]}"; then
        echo
        local fenced_runs
        fenced_runs=$(grep -l "^fence-phases" "${all[@]}" | wc -l)
        echo "Where the time of a fenced failover goes (2-node, fencing; seconds from the kill; $([ "$fenced_runs" = 1 ] && echo "one run" || echo "median of $fenced_runs runs")):"
        echo "*requested*: the survivor's controller asks for the fencing (its log): corosync's detection (token"
        echo "1 s plus consensus) and the scheduler; *delay*: what pacemaker-fenced waited before running the"
        echo "agent (\`priority-fencing-delay\` when the lost node ran the VIPs, plus up to \`pcmk_delay_max\`);"
        echo "\`stopping\`: the API took \`fence_ibm_vpc\`'s stop (the delay, the agent's start, its IAM token and"
        echo "status read); \`stopped\`: the simulated power-off (1 s) seen by the agent's status poll; *delivered*:"
        echo "the oracle delivers the VIP to the survivor (the fencing's confirmation, Pacemaker's transition,"
        echo "vpc-ha's start: a JVM, a token, the route writes and their read-back)."
        echo
        echo "| scenario | requested | delay | \`stopping\` | \`stopped\` | VIP 10.0.0.100 delivered | of which after \`stopped\` |"
        echo "|---|---|---|---|---|---|---|"
        local scenario
        while IFS= read -r scenario; do
            local r=() dl=() a=() b=() c=() d=() v w x y z
            while read -r v w x y z; do
                [ -n "$z" ] || { z=$x; y=$w; x=$v; v=-; w=-; }  # older results: stopping stopped delivered
                r+=("$v"); dl+=("$w"); a+=("$x"); b+=("$y"); c+=("$z")
                d+=("$(awk -v p="$y" -v q="$z" 'BEGIN { printf "%.2f", q - p }')")
            done < <(awk -F'\t' -v c="$scenario" '$1 == "fence-phases" && $2 == c { print $4 }' "${all[@]}")
            echo "| $scenario | $(secs "${r[@]}") | $(secs "${dl[@]}") | $(secs "${a[@]}") | $(secs "${b[@]}") | $(secs "${c[@]}") | $(secs "${d[@]}") |"
        done < <(awk -F'\t' '$1 == "fence-phases" && !seen[$2]++ { print $2 }' "${all[@]}")
    fi
    echo
    local what counts
    while IFS=$'\t' read -r what counts; do
        [ -n "$what" ] || continue
        read -r vpc iam md <<<"$counts"
        echo "Requests the simulator counted for $what (last run): $vpc VPC API, $iam IAM, $md metadata service."
    done < <(field requests "vpc iam metadata")
    local total
    total=$(awk -F'\t' '$1 == "total" { print $4 }' "$results")
    [ -z "$total" ] || echo "The cluster tests took $total s in all (last run; cluster start-ups, ocf-tester, bad configurations and the fault soak included)."
    local suites
    suites=$(awk -F'\t' '$1 == "suite-seconds" { printf "%s%s: %.0f s", sep, $2, $4; sep = ", " }' "$results")
    [ -z "$suites" ] || echo "Per suite: $suites."
}

reliability() {
    local name value
    if [ "$runs" = 1 ]; then
        echo "Results of a run of \`ocf/test/cluster/run.sh\` ($(date -u +%Y-%m-%d)):"
    else
        echo "Results of the last of $runs runs of \`ocf/test/cluster/run.sh\` ($(date -u +%Y-%m-%d); a run passes only"
        echo "when every check passes, and all $runs did):"
    fi
    echo
    echo "**ocf-tester** against the simulator, inside a node:"
    echo
    while IFS=$'\t' read -r name value; do
        [ -n "$name" ] && echo "- \`$name\`: passed all tests"
    done < <(field ocf-tester passed)
    echo
    echo "**Bad configurations** (start refused; the reason as \`crm_mon -r\` shows it; no retries afterwards):"
    echo
    echo "| resource | reason shown |"
    echo "|---|---|"
    while IFS=$'\t' read -r name value; do
        [ -n "$name" ] && echo "| \`$name\` | ${value//|/\\|} |"
    done < <(field bad-config reason)
    echo
    echo "**Faults** while the 2-node cluster runs (monitor every 5 s, \`monitor_grace=30\`), each for 15 s:"
    echo
    echo "| fault | requests it hit | VPC / IAM / metadata requests meanwhile | fail counts, moves |"
    echo "|---|---|---|---|"
    awk -F'\t' '$1 == "faults" { split($4, n, " "); print "| " $2 " | " n[1] " | " n[2] " / " n[3] " / " n[4] " | none |" }' "$results"
    echo
    local outage rc
    while IFS=$'\t' read -r outage rc; do
        [ -n "$outage" ] || continue
        echo "**Outage longer than the grace**: $outage: the monitor returned $rc (degraded); the"
        echo "resources stayed on their node, which alone had the VIP, checked every second; no fail count."
    done < <(field outage "monitor rc")
    fencing
    partition
    qdevice
}

fencing() {
    grep -q $'^fence\t' "$results" || return 0
    echo
    echo "**Fencing** (suite \`fence\`: 2 nodes, \`fence_ibm_vpc\` through the VPC API, the power watcher making it real):"
    echo
    echo "| scenario | outcome |"
    echo "|---|---|"
    local scenario value
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] || continue
        local t
        t=$(awk -F'\t' -v c="$scenario" '$1 == "fence" && $2 == c && $3 == "vip-route" { print $4 }' "$results")
        echo "| $scenario | the other node fenced it through the API; VIPs delivered to the survivor after $t s; the fenced node powered on again and rejoined; one owner, no fail count, no split-brain guard message |"
    done < <(awk -F'\t' '$1 == "fence-phases" { print $2 "\t" $4 }' "$results")
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] || continue
        read -r refused after <<<"$value"
        echo "| fence device failing (the API answers 403 to instance actions for 30 s after corosync of the active node is killed) | $refused stop requests refused; meanwhile the VIPs stayed on the old node (checked every second: oracle, \`lo\`, Pacemaker), no route or floating-IP write; once the API accepted, fencing succeeded and the VIPs were delivered $after s later |"
    done < <(field fence-fence-failure "refused after")
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] || continue
        read -r survivor loser after <<<"$value"
        echo "| $scenario; corosync traffic dropped both ways with nftables, both nodes reach the API | $survivor survived, $loser powered off through the API after $after s; never both holding a VIP (checked every 0.2 s); $loser rebooted still cut off and stayed out (\`wait_for_all\`) until the heal, then rejoined |"
    done < <(field fence-partition "survivor loser fenced-after")
}

# partition_row LABEL FILE: a row of the route-war table from a results file
partition_row() {
    local label=$1 file=$2 v
    v=$(awk -F'\t' '$1 == "partition" && $3 == "changes fipchanges split both samples writes seconds guard" { print $4 }' "$file")
    [ -n "$v" ] || return 0
    read -r changes fipchanges split both samples writes seconds guard <<<"$v"
    local fails
    fails=$(awk -F'\t' '$1 == "partition" && $3 == "count" { print $4 }' "$file")
    echo "| $label | $changes | $fipchanges | $split of $samples | $both of $samples | $writes ($(awk -v w="$writes" -v s="$seconds" 'BEGIN { printf "%.1f", w * 60 / s }') per minute) | ${fails:-?} | $guard |"
}

partition() {
    grep -q $'^partition\t' "$results" || return 0
    echo
    echo "**A partition without fencing** (suite \`partition\`: 2 nodes, \`stonith-enabled=false\`, corosync cut for 90 s, both"
    echo "nodes alive and reaching the API; sampled about every 1.5 s):"
    echo
    echo "| agent | owner changes of 10.0.0.100 | of the floating IP | samples split across zones | samples with the VIP on \`lo\` of both | route and floating-IP writes | fail counts after the heal | log lines with the guard's ERROR |"
    echo "|---|---|---|---|---|---|---|---|"
    [ -f "$BEFORE" ] && partition_row "before the guard (main at b42fa0f, measured once)" "$BEFORE"
    partition_row "with the split-brain guard (this run)" "$results"
    echo
    echo "An owner change is counted whenever the oracle's answer differs from the sample before, so a takeover"
    echo "caught while its routes are being written counts twice (old node, split, new node). The guard's ERROR"
    echo "is written once per resource by the agent; Pacemaker copies an agent's output into its log twice."
    local reason
    reason=$(awk -F'\t' '$1 == "partition" && $3 == "reason" { print $4 }' "$results" | tr '|' '\n' | grep "split brain" | head -1)
    [ -z "$reason" ] || echo
    [ -z "$reason" ] || echo "What \`crm_mon -r\` showed on the node that lost the VIPs: \`$reason\`"
}

qdevice() {
    grep -q $'^qdevice' "$results" || return 0
    echo
    echo "**Quorum device** (suite \`qdevice\`: 2 nodes in us-south-1, \`corosync-qnetd\` in a third namespace \"zone\","
    echo "\`corosync-qdevice\` on the nodes, algorithm \`ffsplit\`, fencing on):"
    echo
    echo "| scenario | outcome |"
    echo "|---|---|"
    local scenario value
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] || continue
        read -r survivor loser after <<<"$value"
        local t
        t=$(awk -F'\t' -v c="$scenario" '$1 == "qdevice" && $2 == c && $3 == "vip-route" { print $4 }' "$results")
        echo "| $scenario | $survivor kept the quorum device's vote and runs the VIPs (delivered after ${t:-0} s); $loser, without quorum, was fenced after $after s; rejoined after the heal; never both holding a VIP |"
    done < <(field qdevice-partition "survivor loser fenced-after")
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] || continue
        echo "| $scenario | $value |"
    done < <(field qdevice outcome)
}

# load_balancer: the load-balancer suite's failovers and checks
load_balancer() {
    local scenario value
    echo "Measured by \`ocf/test/cluster/run.sh --suites load-balancer\` on $(date -u +%Y-%m-%d) ($(nproc) vCPU, $(uname -r | cut -d- -f1) kernel,"
    echo "Pacemaker $(pacemakerd --version 2>/dev/null | head -1 | awk '{print $2}'), Corosync $(corosync -v 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*' | head -1); $([ "$runs" = 1 ] && echo "one run" || echo "median (min–max) of $runs runs"))."
    echo "Seconds from the action until the simulator's forwarding oracle sends the load balancer's traffic"
    echo "to the new node and to no other member; both pools' health monitors: delay 2 s, timeout 1 s,"
    echo "\`max_retries\` 2. *fenced*: the API took \`fence_ibm_vpc\`'s stop of the old node (\`stopping\`);"
    echo "*started*: Pacemaker shows \`lb-hc\` started on the new node; the rest of \`lb-hc\`'s time is the"
    echo "health checks finding the new node healthy (\`max_retries\` passes, \`delay\` apart)."
    echo
    echo "| scenario | fenced | \`lb-hc\` started | \`lb-hc\` (health-check) traffic on the new node alone | \`lb-pm\` (pool-member) traffic on the new node alone |"
    echo "|---|---|---|---|---|"
    local metric cells
    while IFS= read -r scenario; do
        cells=""
        for metric in fenced-stopping lb-hc-started lb-hc lb-pm; do
            value=$(seconds load-balancer "$scenario" "$metric")
            [ "$value" = "not moved" ] && value=-
            cells="$cells $value |"
        done
        echo "| $scenario |$cells"
    done < <(awk -F'\t' '$1 == "load-balancer" && $3 == "lb-hc" && !seen[$2]++ { print $2 }' "${all[@]}")
    echo
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] && echo "- $scenario: $value."
    done < <(field load-balancer-checks outcome)
    echo "- After every failover the old node rejoined, and for 10 s (checked every second) exactly one member"
    echo "  received traffic: the node Pacemaker runs the resources on, the only one listening on port 18085."
    local counts
    counts=$(awk -F'\t' '$1 == "requests" && $2 ~ /^load-balancer/ { print $4 }' "$results")
    if [ -n "$counts" ]; then
        read -r vpc iam md <<<"$counts"
        echo "- Requests the simulator counted for the standby move and the two fenced crashes with their rejoins: $vpc VPC API (\`lb-pm\`'s and \`fence_ibm_vpc\`'s; health-check mode makes none), $iam IAM, $md metadata service."
    fi
}

# secondary_ip: the secondary-ip suite's failovers and faults
secondary_ip() {
    local scenario value
    echo "Measured by \`ocf/test/cluster/run.sh --suites secondary-ip\` on $(date -u +%Y-%m-%d) ($(nproc) vCPU, $(uname -r | cut -d- -f1) kernel,"
    echo "Pacemaker $(pacemakerd --version 2>/dev/null | head -1 | awk '{print $2}'), Corosync $(corosync -v 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*' | head -1); $([ "$runs" = 1 ] && echo "one run" || echo "median (min–max) of $runs runs"))."
    echo "Seconds from the action until the simulator's forwarding oracle delivers 10.240.0.100 from every"
    echo "zone to the new node (its VNI holds the secondary IP: unbound from the old node's VNI, bound to the new one's)."
    echo
    echo "| scenario | secondary IP 10.240.0.100 (\`vip-sip\`) |"
    echo "|---|---|"
    while IFS= read -r scenario; do
        echo "| $scenario | $(seconds secondary-ip "$scenario" vip-sip) |"
    done < <(awk -F'\t' '$1 == "secondary-ip" && $3 == "vip-sip" && !seen[$2]++ { print $2 }' "${all[@]}")
    echo
    echo "- After each failover the old node rejoined; then exactly one VNI held the address, always the same"
    echo "  reserved IP (its \`auto_delete\` turned off before the first unbind), and only the active node had it on eth0."
    while IFS=$'\t' read -r scenario value; do
        [ -n "$scenario" ] || continue
        read -r fired vpc iam md <<<"$value"
        echo "- $scenario for 15 s, within \`monitor_grace\` (fired on $fired requests): no failure, no move, zero fail counts."
    done < <(field secondary-ip-faults "fired vpc iam metadata")
    local counts
    counts=$(awk -F'\t' '$1 == "requests" && $2 ~ /^secondary-ip/ { print $4 }' "$results")
    if [ -n "$counts" ]; then
        read -r vpc iam md <<<"$counts"
        echo "- Requests the simulator counted for the standby move and the two crashes with their reboots: $vpc VPC API, $iam IAM, $md metadata service."
    fi
}

# promotable: the promotable suite's failovers (the promotable clone and the primitive, taking turns on
# the same nodes in one run: ct_result promotable-failover KIND seconds|load|phases) and its readiness checks
promotable() {
    local kind label values loads phases value
    loads=$(awk -F'\t' '$1 == "promotable-failover" && $3 == "load" { print $4 }' "${all[@]}" | sort -n \
        | awk 'NR == 1 { low = $1 } { high = $1 } END { if (NR) printf "%s%s", low, (high != low ? "–" high : "") }')
    echo "Measured by \`ocf/test/cluster/run.sh --suites promotable\` on $(date -u +%Y-%m-%d) ($(nproc) vCPU, $(uname -r | cut -d- -f1) kernel,"
    echo "Pacemaker $(pacemakerd --version 2>/dev/null | head -1 | awk '{print $2}'), Corosync $(corosync -v 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*' | head -1); $([ "$runs" = 1 ] && echo "one run" || echo "$runs runs"); load average ${loads:-?} at the kills)."
    echo "The custom-route VIP 10.0.0.100 on the same 2 nodes, the promotable clone \`pr-route-clone\` and the"
    echo "primitive \`vip-route\` taking turns (the other one stopped), each failover a \`kill -9\` of the whole"
    echo "node running it, which is also the DC. *failover*: seconds from the kill until the oracle delivers"
    echo "10.0.0.100 to the survivor from every zone and through the ingress table. From the survivor's"
    echo "\`pacemaker.log\`: *lost*, *DC*: seconds after the kill until the killed node's loss was logged and the"
    echo "survivor was elected DC (medians); *DC → first action*: until its first transition's first action"
    echo "(the cancel of the Unpromoted monitor, or the start), every failover; *cancel → promote*: from the"
    echo "cancel to the promote (median); *promote / start*: the action itself, from initiated to its result (median)."
    value=$(awk -F'\t' '$1 == "promotable-failover" && $3 == "op attributes" { print $4 }' "$results")
    [ -z "$value" ] || echo "The clone's Unpromoted monitor with \`$value\` (CT_PR_UNPROMOTED_OP)."
    echo
    echo "| resource | failover, median | every failover, in order | lost | DC | DC → first action | cancel → promote | promote / start |"
    echo "|---|---|---|---|---|---|---|---|"
    for kind in promotable primitive; do
        values=$(awk -F'\t' -v k="$kind" '$1 == "promotable-failover" && $2 == k && $3 == "seconds" { print $4 }' "${all[@]}")
        [ -n "$values" ] || continue
        label="primitive \`vip-route\`: start on the passive node (no token, nothing discovered)"
        [ "$kind" = promotable ] && label="promotable \`pr-route-clone\`: promote of the ready passive instance (warm token and discovery)"
        # per failover: lost, DC, DC -> first action, cancel -> promote, the action's own time
        phases=$(awk -F'\t' -v k="$kind" '$1 == "promotable-failover" && $2 == k && $3 == "lost dc cancel initiated result" { print $4 }' "${all[@]}" \
            | awk '{ first = ($3 == "-") ? $4 : $3
                     printf "%s %s %.2f %s %.2f\n", $1, $2, first - $2, ($3 == "-") ? "-" : sprintf("%.2f", $4 - $3), $5 - $4 }')
        # shellcheck disable=SC2046,SC2086 # one number a word
        echo "| $label | $(secs $values) | $(paste -sd, - <<<"$values" | sed 's/,/, /g') | $(secs $(awk '{ print $1 }' <<<"$phases")) | $(secs $(awk '{ print $2 }' <<<"$phases")) | $(awk '{ print $3 " s" }' <<<"$phases" | paste -sd, - | sed 's/,/, /g') | $(secs2 $(awk '{ print $4 }' <<<"$phases")) | $(secs2 $(awk '{ print $5 }' <<<"$phases")) |"
    done
    # the failovers whose first transition was not held back (see "DC → first action"), by kind
    local unpaused=""
    for kind in promotable primitive; do
        values=$(awk -F'\t' -v k="$kind" '$1 == "promotable-failover" && $2 == k && $3 == "seconds" { s = $4 }
            $1 == "promotable-failover" && $2 == k && $3 == "lost dc cancel initiated result" {
                split($4, p, " "); first = (p[3] == "-") ? p[4] : p[3]; n++
                if (first - p[2] < 0.5) print s }' "${all[@]}")
        local total
        total=$(awk -F'\t' -v k="$kind" '$1 == "promotable-failover" && $2 == k && $3 == "seconds"' "${all[@]}" | wc -l)
        [ "$total" -gt 0 ] || continue
        # shellcheck disable=SC2086 # one number a word
        # (grep -c counts 0 with exit 1: none of them started that soon, e.g. every DC held its first
        # transition back for a second, is a result, not a failure of the report)
        unpaused="$unpaused${unpaused:+; }$kind $(secs2 $values) ($(grep -c . <<<"$values" || true) of $total)"
    done
    [ -z "$unpaused" ] || printf '\n%s\n' "Medians of the failovers whose first transition started within 0.5 s of the election: $unpaused."
    echo
    values=$(awk -F'\t' '$1 == "promotable" && $2 == "not ready shown after breaking the passive node" { printf "%s%s s (`%s`)", sep, $4, $3; sep = ", " }' "$results")
    [ -z "$values" ] || echo "- Readiness broken on the passive node (its key file readable by others, the metadata service off for it): \`not ready\` shown in \`crm_mon -A\` after $values, within one readiness interval (6 s) and the monitor's own run; no failed action, no fail count, the ready node stayed promoted."
    value=$(awk -F'\t' '$1 == "promotable" && $2 == "promote of the unready last node tried after" { print $4 }' "$results")
    [ -z "$value" ] || echo "- The ready node (also the DC) killed: the node that was not ready, now the last one standing, was promoted and tried after $value s (its promote failed for the reason readiness gave); restored and cleaned up, it took the VIPs, and the killed node, rebooted, was ready again as the passive one."
}

# has_suite NAME...: whether the results measured any of these suites
has_suite() {
    local suite
    for suite in "$@"; do
        awk -F'\t' -v s="$suite" '$1 == "suite-seconds" && $2 == s { found = 1 } END { exit !found }' "${all[@]}" && return 0
    done
    return 1
}

replace_block() { # FILE NAME CONTENT_FILE: the text between the NAME markers becomes CONTENT_FILE
    local file=$1 name=$2 content=$3
    grep -q "<!-- cluster-tests:$name:begin -->" "$file" || { echo "report.sh: no $name markers in $file" >&2; exit 2; }
    awk -v b="<!-- cluster-tests:$name:begin -->" -v e="<!-- cluster-tests:$name:end -->" -v c="$content" '
        $0 == b { print; while ((getline line < c) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$file" >"$file.new"
    mv "$file.new" "$file"
}

# accelerated: what a run with --accelerator says it was (nothing for a cold run)
accelerated() {
    local socket per_suite
    socket=$(awk -F'\t' '$1 == "run" && $2 == "accelerator" { print $4 }' "$results")
    [ -n "$socket" ] || return 0
    per_suite=$(awk -F'\t' '$1 == "accelerator-run" { split($4, v, " ")
        printf "%s%s %d/%d/%d/%d", sep, $2, v[1], v[2], v[3], v[4]; sep = ", " }' "$results")
    echo "**Accelerated run** (\`run.sh --accelerator\`): every node ran the resident accelerator from its boot" \
        "(socket \`$socket\`, socket-activated) and the agents asked it by the launcher's default; the times below" \
        "are with it. Per suite, monitors served warm/refused/given up and services SIGKILLed (the launcher's watchdog, or the suite's own faults): $per_suite."
    echo
}

if [ $update = 0 ]; then
    accelerated
    echo "## Failover in real clusters"; echo; performance; echo
    if has_suite load-balancer; then echo "### Strategy load-balancer"; echo; load_balancer; echo; fi
    if has_suite secondary-ip; then echo "### Strategy secondary-ip"; echo; secondary_ip; echo; fi
    if has_suite promotable; then echo "### Promotable vs primitive"; echo; promotable; echo; fi
    echo "## Reliability"; echo; reliability
    exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if has_suite 2 3 fence partition qdevice; then
    performance >"$tmp"; replace_block "$docs/performance.md" performance "$tmp"
    reliability >"$tmp"; replace_block "$docs/reliability.md" reliability "$tmp"
fi
if has_suite load-balancer; then
    load_balancer >"$tmp"; replace_block "$docs/performance.md" load-balancer "$tmp"
fi
if has_suite secondary-ip; then
    secondary_ip >"$tmp"; replace_block "$docs/performance.md" secondary-ip "$tmp"
fi
if has_suite promotable; then
    promotable >"$tmp"; replace_block "$docs/performance.md" promotable "$tmp"
fi

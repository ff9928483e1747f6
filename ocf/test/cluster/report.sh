#!/bin/bash
# Turns the cluster tests' results (run.sh writes OUT/results.tsv: suite, scenario, metric, value)
# into Markdown.
#   report.sh RESULTS.tsv                      the whole report on stdout
#   report.sh --update-docs RESULTS.tsv DOCS   writes the measured parts into DOCS/performance.md
#                                              and DOCS/reliability.md, between their
#                                              <!-- cluster-tests:...:begin/end --> markers
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
    awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (NR == 1) printf "%.1f s", m; else printf "%.1f s (%.1f–%.1f)", m, v[1], v[NR] }' <<<"$values"
}

field() { awk -F'\t' -v s="$1" -v m="$2" '$1 == s && $3 == m { print $2 "\t" $4 }' "$results"; }

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
    for suite in 2-node 3-node; do
        while IFS=$'\t' read -r scenario _; do
            [ -n "$scenario" ] || continue
            echo "| $suite | $scenario | $(seconds "$suite" "$scenario" vip-route) | $(seconds "$suite" "$scenario" vip-route-tp) | $(seconds "$suite" "$scenario" vip-fip) |"
        done < <(awk -F'\t' -v s="$suite" '$1 == s && $3 == "vip-route" && !seen[$2]++ { print $2 "\t" $4 }' "${all[@]}")
    done
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

if [ $update = 0 ]; then
    echo "## Failover in real clusters"; echo; performance; echo
    echo "## Reliability"; echo; reliability
    exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
performance >"$tmp"; replace_block "$docs/performance.md" performance "$tmp"
reliability >"$tmp"; replace_block "$docs/reliability.md" reliability "$tmp"

#!/bin/bash
# Turns the cluster tests' results (run.sh writes OUT/results.tsv: suite, scenario, metric, value)
# into Markdown.
#   report.sh RESULTS.tsv                      the whole report on stdout
#   report.sh --update-docs RESULTS.tsv DOCS   writes the measured parts into DOCS/performance.md
#                                              and DOCS/reliability.md, between their
#                                              <!-- cluster-tests:...:begin/end --> markers
set -euo pipefail

update=0
if [ "${1:-}" = --update-docs ]; then update=1; shift; fi
results=$1
docs=${2:-}
[ -f "$results" ] || { echo "report.sh: no results file $results" >&2; exit 2; }

field() { awk -F'\t' -v s="$1" -v m="$2" '$1 == s && $3 == m { print $2 "\t" $4 }' "$results"; }

performance() {
    local suite scenario seconds tp
    echo "Measured by \`ocf/test/cluster/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) vCPU, $(uname -r | cut -d- -f1) kernel," \
        "Pacemaker $(pacemakerd --version 2>/dev/null | head -1 | awk '{print $2}'), Corosync $(corosync -v 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*' | head -1))."
    echo "Seconds from the action until the simulator's forwarding oracle delivers the VIP to the new node"
    echo "from every zone (and, for 10.0.0.100, through the ingress table); one run each."
    echo
    echo "| cluster | scenario | VIP 10.0.0.100 (\`vip-route\`) | VIP 10.0.0.101 (\`vip-route-tp\`) | floating IP 169.59.10.20 (\`vip-fip\`) |"
    echo "|---|---|---|---|---|"
    local fip
    for suite in 2-node 3-node; do
        while IFS=$'\t' read -r scenario seconds; do
            [ -n "$scenario" ] || continue
            tp=$(awk -F'\t' -v s="$suite" -v c="$scenario" '$1 == s && $2 == c && $3 == "vip-route-tp" { print $4 }' "$results")
            fip=$(awk -F'\t' -v s="$suite" -v c="$scenario" '$1 == s && $2 == c && $3 == "vip-fip" { print $4 }' "$results")
            case "$fip" in
                ""|-) fip="not moved" ;;
                *) fip="$fip s" ;;
            esac
            echo "| $suite | $scenario | $seconds s | $tp s | $fip |"
        done < <(field "$suite" vip-route)
    done
    echo
    local what counts
    while IFS=$'\t' read -r what counts; do
        [ -n "$what" ] || continue
        read -r vpc iam md <<<"$counts"
        echo "Requests the simulator counted for $what: $vpc VPC API, $iam IAM, $md metadata service."
    done < <(field requests "vpc iam metadata")
    local total
    total=$(awk -F'\t' '$1 == "total" { print $4 }' "$results")
    [ -z "$total" ] || echo "The cluster tests took $total s in all (cluster start-ups, ocf-tester, bad configurations and the fault soak included)."
}

reliability() {
    local name value
    echo "Results of the last run of \`ocf/test/cluster/run.sh\` ($(date -u +%Y-%m-%d)):"
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
    echo "| fault | what happened | result |"
    echo "|---|---|---|"
    awk -F'\t' '$1 == "faults" { print "| " $2 " | " $3 " | " $4 " |" }' "$results"
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

#!/bin/sh
# Builds vpc-ha and runs a resource through the installed OCF agent exactly as Pacemaker would
# (probe, start, monitor, stop), with the example strategy built out of tree. Needs no root: it
# installs into a temporary folder.
set -eu
cd "$(dirname "$0")/.."
echo "== building vpc-ha and the example plugin"
mvn -B -q -ntp -Dstyle.color=never -DskipTests install -pl spi,host,distribution -am
mvn -B -q -ntp -Dstyle.color=never -DskipTests -f examples/state-file-strategy/pom.xml package

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf distribution/target/vpc-ha-*.tar.gz -C "$work"
cp examples/state-file-strategy/target/state-file-strategy-1.0.0.jar "$work"/vpc-ha-*/plugins/
"$work"/vpc-ha-*/install.sh --prefix "$work/prefix" --ocf-root "$work/ocf" --bin-dir none

vpcha=$work/prefix/bin/vpc-ha
agent=$work/ocf/resource.d/ibm/vpc-ha
echo
echo "== vpc-ha plugins"
"$vpcha" plugins
echo
echo "== the resource, as Pacemaker runs it (ocf:ibm:vpc-ha strategy=state-file)"
export OCF_ROOT="$work/ocf" OCF_RESOURCE_INSTANCE=demo HA_RSCTMP="$work/run" \
    OCF_RESKEY_strategy=state-file OCF_RESKEY_message="hello from vpc-ha" OCF_RESKEY_CRM_meta_timeout=20000
step() {
    label=$1; shift
    start=$(date +%s%N)
    set +e; "$@" >/dev/null 2>"$work/stderr"; code=$?; set -e
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    reason=$(sed -n 's/^ocf-exit-reason://p' "$work/stderr")
    printf '  %-28s exit %-3s %5s ms  %s\n' "$label" "$code" "$ms" "$reason"
}
step "meta-data" "$agent" meta-data
step "validate-all" "$agent" validate-all
step "probe (monitor, no interval)" "$agent" monitor
step "start" "$agent" start
OCF_RESKEY_CRM_meta_interval=10000; export OCF_RESKEY_CRM_meta_interval
step "monitor (every 10s)" "$agent" monitor
step "start again (idempotent)" "$agent" start
step "stop" "$agent" stop
step "monitor after stop" "$agent" monitor
OCF_RESKEY_strategy=custom-rout; export OCF_RESKEY_strategy
step "start, strategy misspelt" "$agent" start
echo
echo "exit codes: 0 ok, 5 not installed, 6 not configured, 7 not running (OCF)"

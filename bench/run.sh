#!/bin/sh
# Benchmarks the installed OCF agent as Pacemaker runs it (one cold JVM per action) against the
# simulator over TLS, through proxies that charge a real round-trip time (RTT) and count connections,
# with baselines, and prints a Markdown table (docs/performance.md has the last runs).
#
#   bench/run.sh [--runs N] [--rtt-ms 0,10,40] [--agent TARBALL] [--no-cds] [--label TEXT]
#                [--java PATH] [--java-opts "..."] [--strategies custom-route,floating-ip,...]
#   bench/run.sh --http-stacks [--runs N]    what each candidate HTTP client costs a cold JVM
#   bench/run.sh --cold-path [--runs N] [--other-java PATH] [--compare NAME=TARBALL]...
#                a monitor's cold path, change by change (--compare: other builds, e.g. before a change)
#   bench/run.sh --accelerated [--runs N] [--warmup N] [--rtt-ms 0,40] [--service "NAME=JVM OPTIONS"]...
#                [--compare NAME=TARBALL]...
#                warm monitors of the resident accelerator, each service's JVM options side by side
#                (--service NAME alone: the installed options; --compare: other builds' launchers asking
#                the same services, e.g. before a change)
#
# Builds what it needs (tests skipped; nothing is installed into ~/.m2), unpacks the distribution, or
# --agent TARBALL (another build, e.g. of an older commit, to compare with), into a temporary folder,
# builds its class-data-sharing archive as install.sh does (unless --no-cds), and runs there.
# MVN overrides the Maven command (e.g. MVN="mvn -o").
set -eu
cd "$(dirname "$0")/.."
agent=
cds=yes
n=$#
while [ "$n" -gt 0 ]; do
    arg=$1
    shift
    n=$((n - 1))
    case $arg in
        --agent) agent=$1; shift; n=$((n - 1)) ;;
        --no-cds) cds=no ;;
        --java) export VPC_HA_JAVA="$1"; set -- "$@" --java "$1"; shift; n=$((n - 1)) ;;
        *) set -- "$@" "$arg" ;;
    esac
done

# one reactor, packaged in place: nothing goes to ~/.m2, where other checkouts would pick it up
${MVN:-mvn} -B -q -ntp -Dstyle.color=never -DskipTests package -pl bench,distribution -am >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/current" "$work/agent"
tar -xzf distribution/target/vpc-ha-*.tar.gz -C "$work/current"
tar -xzf "${agent:-$(echo distribution/target/vpc-ha-*.tar.gz)}" -C "$work/agent"
current=$(echo "$work"/current/vpc-ha-*)
home=$(echo "$work"/agent/vpc-ha-*)
if [ "$cds" = yes ]; then
    VPC_HA_HOME=$home "$home/bin/vpc-ha-cds" >&2
fi
# the benchmark runs on this build's simulator (its proxies), its host (the switches' names, the HTTP
# client it times) and its own jar, whichever agent it measures
exec java -cp "$current/lib/demo/*:$current/lib/*:$(echo bench/target/vpc-ha-bench-*.jar)" io.vpcha.bench.BenchMain --home "$home" "$@"

#!/bin/sh
# Benchmarks the installed OCF agent as Pacemaker runs it (one cold JVM per action) against the
# simulator over TLS, with baselines, and prints a Markdown table (docs/performance.md has the last run).
#
#   bench/run.sh [--runs N] [--latency-ms MS] [--java-opts "..."] [--java JAVA] [--no-cds]
#
# Builds what it needs (tests skipped), unpacks the distribution into a temporary folder, builds its
# class-data-sharing archive with bin/vpc-ha-cds as install.sh does (--no-cds: without one, as an
# installation whose archive is missing or stale) and runs there.
set -eu
cds=yes
for argument in "$@"; do
    shift
    case $argument in
        --no-cds) cds=no ;;
        -h | --help) sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) set -- "$@" "$argument" ;;
    esac
done
cd "$(dirname "$0")/.."
# one reactor, packaged in place: nothing goes to ~/.m2, where other checkouts would pick it up
mvn -B -q -ntp -Dstyle.color=never -DskipTests package -pl bench,distribution -am >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf distribution/target/vpc-ha-*.tar.gz -C "$work"
home=$(echo "$work"/vpc-ha-*)
if [ "$cds" = yes ]; then VPC_HA_HOME=$home "$home/bin/vpc-ha-cds" >&2; fi
# the benchmark itself runs on the demo's class path (simulator and its dependencies) plus its own jar
exec java -cp "$home/lib/demo/*:bench/target/vpc-ha-bench-0.1.0-SNAPSHOT.jar" io.vpcha.bench.BenchMain --home "$home" "$@"

#!/bin/sh
# Benchmarks the installed OCF agent as Pacemaker runs it (one cold JVM per action) against the
# simulator over TLS, with baselines, and prints a Markdown table (docs/performance.md has the last run).
#
#   bench/run.sh [--runs N] [--latency-ms MS] [--java-opts "..."] [--failover-only]
#
# Builds what it needs (tests skipped), unpacks the distribution into a temporary folder and runs there.
set -eu
cd "$(dirname "$0")/.."
# one reactor, packaged in place: nothing goes to ~/.m2, where other checkouts would pick it up
mvn -B -q -ntp -Dstyle.color=never -DskipTests package -pl bench,distribution -am >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf distribution/target/vpc-ha-*.tar.gz -C "$work"
home=$(echo "$work"/vpc-ha-*)
# the benchmark itself runs on the demo's class path (simulator and its dependencies) plus its own jar
exec java -cp "$home/lib/demo/*:bench/target/vpc-ha-bench-0.1.0-SNAPSHOT.jar" io.vpcha.bench.BenchMain --home "$home" "$@"

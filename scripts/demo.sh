#!/bin/sh
# Builds vpc-ha (without tests) and runs `vpc-ha demo` from the unpacked distribution: a simulated VPC,
# two simulated nodes, and the OCF agent driven exactly as Pacemaker drives it. Needs no root.
set -eu
cd "$(dirname "$0")/.."
echo "building vpc-ha (mvn package, tests skipped) ..." >&2
mvn -B -q -ntp -Dstyle.color=never -DskipTests package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf distribution/target/vpc-ha-*.tar.gz -C "$work"
"$work"/vpc-ha-*/bin/vpc-ha plugins
"$work"/vpc-ha-*/bin/vpc-ha demo "$@"

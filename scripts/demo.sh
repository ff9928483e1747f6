#!/bin/sh
# Builds vpc-ha (without tests) and runs `vpc-ha demo` from the unpacked distribution: a simulated VPC,
# two simulated nodes, and the OCF agent driven exactly as Pacemaker drives it. Needs no root.
#
# The distribution is unpacked into distribution/target/demo (replaced on every run, removed by
# mvn clean), so the demo can replace this script: a signal or Ctrl-C reaches the demo itself, and
# nothing is left running or lying in /tmp when it ends.
set -eu
cd "$(dirname "$0")/.."
echo "building vpc-ha (mvn package, tests skipped) ..." >&2
mvn -B -q -ntp -Dstyle.color=never -DskipTests package
demo=distribution/target/demo
rm -rf "$demo"
mkdir -p "$demo"
tar -xzf distribution/target/vpc-ha-*.tar.gz -C "$demo"
home=$(echo "$demo"/vpc-ha-*)
"$home/bin/vpc-ha" plugins
exec "$home/bin/vpc-ha" demo "$@"

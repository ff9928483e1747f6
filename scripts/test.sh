#!/bin/sh
# Runs every test of vpc-ha: unit tests, the simulator's contract suite, and the integration tests
# that install the distribution and drive it with Pacemaker's own tools (these need root).
set -eu
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
exec mvn -B -ntp -Dstyle.color=never verify "$@"

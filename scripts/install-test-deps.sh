#!/bin/sh
# Installs the Debian packages the tests drive: Pacemaker's tools (crm_resource, cibadmin),
# resource-agents (ocf-tester, ra-api-1.dtd), xmllint, iproute2/util-linux for namespaces (and setpriv,
# which ties test processes to their parent); procps, curl and jq for the cluster tests
# (ocf/test/cluster: ps, the simulator's admin API); for
# packaging/: rpm (rpmbuild makes the .rpm, rpm reads it), a Java runtime package (the .deb's dependency,
# for dpkg -i) and shellcheck (checks the maintainer scripts); socat for the load-balancer strategy's health
# listener (its tests, and a dependency of the .deb); prometheus-node-exporter (MetricsIT scrapes the
# agent's metrics through its textfile collector; the test runs its own instance on loopback); systemd
# (systemd-socket-activate) and python3 for the cluster suite accelerator, whose nodes run the
# accelerator as its socket unit would, without a running systemd.
# Does nothing when they are all there. Needs root (uses sudo when run as another user).
set -eu
packages="resource-agents pacemaker pacemaker-cli-utils corosync libxml2-utils iproute2 util-linux procps curl jq"
packages="$packages rpm openjdk-17-jre-headless shellcheck socat prometheus-node-exporter"
# the cluster tests with fencing and a quorum device: fence_ibm_vpc, nftables (partitions), qdevice
packages="$packages fence-agents nftables corosync-qdevice corosync-qnetd"
packages="$packages systemd python3"
missing=
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
as_root=
[ "$(id -u)" -eq 0 ] || as_root=sudo
$as_root apt-get update -qq
# shellcheck disable=SC2086 # a list of package names
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null

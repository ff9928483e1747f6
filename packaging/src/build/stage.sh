#!/bin/sh
# stage.sh TARBALL STAGE [DOC...]: lays out the file tree of the .deb and the .rpm in STAGE, as it will
# be on the target machine, from the distribution tarball and with the tarball's own install.sh:
#
#   /usr/lib/vpc-ha/                      bin/ lib/ plugins/ ocf/ install.sh, as install.sh installs them
#   /usr/lib/ocf/resource.d/ibm/vpc-ha    the generic agent
#   /usr/lib/ocf/resource.d/ibm/vpc-S     one per-strategy agent per shipped strategy (install.sh's)
#   /usr/bin/vpc-ha                       -> ../lib/vpc-ha/bin/vpc-ha
#   /usr/share/doc/vpc-ha/                the DOC files (a folder: its *.md)
#   /usr/lib/systemd/system/              the accelerator's units: vpc-ha-agent.socket and .service,
#                                         vpc-ha-agent-rearm.timer and .service
#
# and STAGE.tar, the same tree owned by root, which the .deb is made of. Needs a Java 17 runtime
# (install.sh asks the launcher which strategies load).
set -eu

[ $# -ge 2 ] || { echo "usage: stage.sh TARBALL STAGE [DOC...]" >&2; exit 2; }
tarball=$1
stage=$2
shift 2
die() { echo "stage.sh: $*" >&2; exit 1; }
case "$stage" in /*) ;; *) die "STAGE must be an absolute path" ;; esac
case "$stage" in *'#'*|*' '*) die "STAGE must not contain '#' or blanks" ;; esac

umask 022
unpacked=$stage.unpacked
rm -rf "$stage" "$unpacked" "$stage.tar"
mkdir -p "$stage" "$unpacked"
tar -xzf "$tarball" -C "$unpacked"
distribution=
for each in "$unpacked"/*; do
    [ -z "$distribution" ] || die "$tarball holds more than one top-level folder"
    distribution=$each
done
[ -x "$distribution/install.sh" ] || die "$tarball holds no install.sh"

# What an administrator gets from install.sh, but into the staging tree, without a /usr/local link and
# without a class-data-sharing archive: an archive only fits the JVM it was made with, so the packages'
# postinst builds it on the target machine (bin/vpc-ha-cds), never the build machine.
no_cds=
grep -q -e '--no-cds' "$distribution/install.sh" && no_cds=--no-cds
# shellcheck disable=SC2086 # $no_cds is one option or nothing
"$distribution/install.sh" --prefix "$stage/usr/lib/vpc-ha" --ocf-root "$stage/usr/lib/ocf" --provider ibm \
    --bin-dir none $no_cds >/dev/null
rm -f "$stage"/usr/lib/vpc-ha/lib/*.jsa "$stage"/usr/lib/vpc-ha/lib/*.jsa.new
# install.sh's list of the files it installed: dpkg and rpm keep their own
rm -f "$stage"/usr/lib/vpc-ha/lib/vpc-ha.files
# the plugin index is made on the target machine too (by the first action, or vpc-ha-cds in postinst)
rm -f "$stage"/usr/lib/vpc-ha/plugins/.vpc-ha-plugin-index

# install.sh wrote the staging paths into the agents; the packages install to /.
agents=$stage/usr/lib/ocf/resource.d/ibm
for agent in "$agents"/*; do
    sed "s#$stage/#/#g" "$agent" > "$agent.new"
    chmod 755 "$agent.new"
    mv -f "$agent.new" "$agent"
done
cmp -s "$agents/vpc-ha" "$distribution/ocf/vpc-ha" \
    || die "the generic agent differs from the tarball's ocf/vpc-ha (its default VPC_HA_HOME is not /usr/lib/vpc-ha?)"
ls "$agents"/vpc-?* >/dev/null 2>&1 || die "install.sh made no per-strategy agent: did no strategy load?"
if grep -rlF "$stage" "$stage" >/dev/null; then
    die "a staged file still names the staging folder: $(grep -rlF "$stage" "$stage" | head -n 1)"
fi

mkdir -p "$stage/usr/bin"
ln -s ../lib/vpc-ha/bin/vpc-ha "$stage/usr/bin/vpc-ha"

# the resident accelerator's units (docs/accelerator.md, "Operations"), from src/systemd
systemd=$(cd "$(dirname "$0")/../systemd" && pwd -P)
mkdir -p "$stage/usr/lib/systemd/system"
cp "$systemd/vpc-ha-agent.socket" "$systemd/vpc-ha-agent.service" "$systemd/vpc-ha-agent-rearm.timer" \
    "$systemd/vpc-ha-agent-rearm.service" "$stage/usr/lib/systemd/system/"
chmod 644 "$stage"/usr/lib/systemd/system/*

docs=$stage/usr/share/doc/vpc-ha
mkdir -p "$docs"
for doc in "$@"; do
    if [ -d "$doc" ]; then
        cp "$doc"/*.md "$docs/"
    elif [ -f "$doc" ]; then
        cp "$doc" "$docs/"
    else
        die "no $doc"
    fi
done
chmod 644 "$docs"/*

rm -rf "$unpacked"
tar --owner=0 --group=0 --numeric-owner --sort=name -cf "$stage.tar" -C "$stage" .

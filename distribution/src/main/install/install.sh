#!/bin/sh
# Installs this vpc-ha distribution so that Pacemaker can run it.
#
#   ./install.sh [--prefix DIR] [--ocf-root DIR] [--provider NAME] [--bin-dir DIR|none] [--no-cds]
#
#   --prefix    where vpc-ha goes (default /usr/lib/vpc-ha)
#   --ocf-root  the OCF root Pacemaker uses (default /usr/lib/ocf); the agents go to
#               OCF_ROOT/resource.d/PROVIDER/
#   --provider  the OCF provider name (default ibm: ocf:ibm:vpc-ha)
#   --bin-dir   where the vpc-ha command is linked (default /usr/local/bin; none to skip)
#   --no-cds    skip building the class-data-sharing archive (bin/vpc-ha-cds; makes every action faster)
#
# Installs the generic agent vpc-ha and one agent per installed strategy (vpc-STRATEGY). Run it again
# after adding or removing a plugin jar to refresh the per-strategy agents. Starts no service.
# Touches only its own files: PREFIX/lib/vpc-ha.files lists them, a later run replaces exactly those
# and removes the ones the new version lacks, and a file in the way that is not vpc-ha's stops the
# installation before anything changes. Plugins added to PREFIX/plugins are left alone.
set -eu

prefix=/usr/lib/vpc-ha
ocf_root=/usr/lib/ocf
provider=ibm
bin_dir=/usr/local/bin
cds=yes
# the list of the files an installation of vpc-ha holds, relative to its prefix
manifest=lib/vpc-ha.files
nl='
'

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }
warn() { echo "install.sh: $*" >&2; }
# $1 as one word for sh, in single quotes: written into the agents, it is never expanded
quote() { printf "'%s'" "$(printf '%s\n' "$1" | sed "s/'/'\\\\''/g")"; }
# whether the newline-separated list $2 holds the line $1
listed() { case "$nl$2$nl" in *"$nl$1$nl"*) return 0 ;; *) return 1 ;; esac; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --ocf-root) [ $# -ge 2 ] || die "--ocf-root needs a directory"; ocf_root=$2; shift 2 ;;
        --provider) [ $# -ge 2 ] || die "--provider needs a name"; provider=$2; shift 2 ;;
        --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a directory or none"; bin_dir=$2; shift 2 ;;
        --no-cds) cds=no; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
case "$provider" in
    *[!a-z0-9_-]*|"") die "provider '$provider' must be lower case letters, digits, - and _" ;;
esac
for place in "$prefix" "$ocf_root" "$bin_dir"; do
    case "$place" in *"$nl"*) die "a directory name must not hold a line break" ;; esac
done
case "$prefix" in /*) ;; *) die "--prefix must be an absolute path" ;; esac
case "$ocf_root" in /*) ;; *) die "--ocf-root must be an absolute path" ;; esac
case "$bin_dir" in /*|none) ;; *) die "--bin-dir must be an absolute path or none" ;; esac
# the launcher puts PREFIX/lib/* on Java's class path, whose separator is ':'
case "$prefix" in *:*) die "--prefix must not hold ':' (Java's class path separator)" ;; esac

here=$(cd "$(dirname "$0")" && pwd -P)
{ [ -x "$here/bin/vpc-ha" ] && [ -d "$here/lib" ]; } || die "run install.sh from an unpacked vpc-ha distribution"

# Everything world-readable: Pacemaker runs agents as root, but meta-data may be asked as any user.
umask 022

# What this distribution installs: its files, less what an installation makes for itself.
if [ -n "$(cd "$here" && find bin lib plugins ocf -name "*$nl*")" ]; then
    die "a file of the distribution has a line break in its name"
fi
files=$(cd "$here" && find bin lib plugins ocf install.sh -type f ! -name '*.jsa' ! -name '*.jsa.new' \
    ! -path "$manifest" ! -name '*.vpc-ha-new' ! -name .vpc-ha-plugin-index | LC_ALL=C sort)

mkdir -p "$prefix"
if [ "$(cd "$prefix" && pwd -P)" != "$here" ]; then
    # the lists are split at line breaks only, and never globbed: a file name is a file name
    IFS=$nl
    set -f
    if [ -f "$prefix/$manifest" ]; then
        installed=$(cat "$prefix/$manifest")
    elif [ -f "$prefix/bin/vpc-ha" ] && grep -q '^# vpc-ha: the command line of the vpc-ha plugin host' "$prefix/bin/vpc-ha"; then
        # vpc-ha installed before installations kept their list: its files are those this one brings
        warn "no list of what the vpc-ha in $prefix installed: its files this version has are replaced, others left"
        installed=$files
    else
        installed=
    fi
    # Nothing that is not vpc-ha's is ever replaced: check it all before changing anything.
    foreign=
    for file in $files; do
        if { [ -e "$prefix/$file" ] || [ -L "$prefix/$file" ]; } && ! listed "$file" "$installed"; then
            foreign="$foreign $prefix/$file"
        fi
    done
    [ -z "$foreign" ] || die "$prefix holds files that are not vpc-ha's:$foreign; nothing was changed. Give vpc-ha a directory of its own (the default /usr/lib/vpc-ha, or /opt/vpc-ha)"

    for file in $files; do
        mkdir -p "$prefix/$(dirname "$file")"
        cp "$here/$file" "$prefix/$file.vpc-ha-new"
        case "$file" in
            bin/*|ocf/*|install.sh) chmod 755 "$prefix/$file.vpc-ha-new" ;;
            *) chmod 644 "$prefix/$file.vpc-ha-new" ;;
        esac
        mv -f "$prefix/$file.vpc-ha-new" "$prefix/$file"
    done
    # what the previous installation had and this one has not (an older plugin jar, a dependency gone)
    for file in $installed; do
        listed "$file" "$files" && continue
        rm -f "$prefix/$file"
        folder=$(dirname "$file")
        while [ "$folder" != . ] && rmdir "$prefix/$folder" 2>/dev/null; do
            folder=$(dirname "$folder")
        done
    done
    printf '%s\n' "$files" > "$prefix/$manifest.vpc-ha-new"
    chmod 644 "$prefix/$manifest.vpc-ha-new"
    mv -f "$prefix/$manifest.vpc-ha-new" "$prefix/$manifest"
    set +f
    IFS=' 	'"$nl"
fi

agents=$ocf_root/resource.d/$provider
mkdir -p "$agents"
# The generic agent, with this installation's directory written in as one quoted word.
VPC_HA_QUOTED_HOME=$(quote "$prefix") awk '
    /^vpc_ha_home=/ { print "vpc_ha_home=" ENVIRON["VPC_HA_QUOTED_HOME"]; next }
    { print }' "$prefix/ocf/vpc-ha" > "$agents/vpc-ha.new"
grep -q '^vpc_ha_home=' "$agents/vpc-ha.new" || die "$prefix/ocf/vpc-ha has no line vpc_ha_home= to write the directory in"
chmod 755 "$agents/vpc-ha.new"
mv -f "$agents/vpc-ha.new" "$agents/vpc-ha"

# One agent per usable strategy. The strategies are listed first: when listing fails, the agents
# there are left as they are.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
status=0
# --index also writes plugins/.vpc-ha-plugin-index, so that each action loads only its strategy's plugin
strategies=$(VPC_HA_HOME=$prefix "$prefix/bin/vpc-ha" plugins --names --index 2>"$errors") || status=$?
case $status in
    # 3: some plugins cannot be used (they get no agent); either way, say why there is no index
    0|3) sed 's/^vpc-ha: /install.sh: /' "$errors" >&2 ;;
    *)
        cat "$errors" >&2
        die "cannot list the strategies (vpc-ha plugins exited with $status); the per-strategy agents in $agents are left as they were"
        ;;
esac
generic=$(quote "$agents/vpc-ha")
for strategy in $strategies; do
    case "$strategy" in *[!a-z0-9-]*|"") die "vpc-ha plugins listed '$strategy', which is not a strategy name" ;; esac
    cat > "$agents/vpc-$strategy.new" <<AGENT
#!/bin/sh
# vpc-ha per-strategy agent: ocf:$provider:vpc-$strategy is ocf:$provider:vpc-ha with strategy=$strategy.
VPC_HA_STRATEGY=$strategy
export VPC_HA_STRATEGY
exec $generic "\$@"
AGENT
    chmod 755 "$agents/vpc-$strategy.new"
    mv -f "$agents/vpc-$strategy.new" "$agents/vpc-$strategy"
done
# remove the agents whose strategy is gone
for old in "$agents"/vpc-*; do
    [ -f "$old" ] || continue
    name=$(basename "$old")
    [ "$name" = vpc-ha ] && continue
    listed "${name#vpc-}" "$strategies" && continue
    if grep -q '^# vpc-ha per-strategy agent' "$old" 2>/dev/null; then
        rm -f "$old"
    fi
done

if [ "$cds" = yes ]; then
    VPC_HA_HOME=$prefix "$prefix/bin/vpc-ha-cds" || warn "no class-data-sharing archive (vpc-ha works, each action is slower)"
fi

if [ "$bin_dir" != none ]; then
    link=$bin_dir/vpc-ha
    mkdir -p "$bin_dir"
    if [ "$(readlink -f "$link" 2>/dev/null)" = "$(readlink -f "$prefix/bin/vpc-ha")" ]; then
        : # already there (or it is the launcher itself: --bin-dir PREFIX/bin)
    elif [ -L "$link" ] || [ ! -e "$link" ]; then
        ln -sf "$prefix/bin/vpc-ha" "$link"
    else
        warn "$link exists and is not a link: left as it is (the command is $prefix/bin/vpc-ha)"
        bin_dir=none
    fi
fi

echo "vpc-ha installed in $prefix"
echo "agents: ocf:$provider:vpc-ha$(for s in $strategies; do printf ', ocf:%s:vpc-%s' "$provider" "$s"; done)"
[ "$bin_dir" = none ] || echo "command: $bin_dir/vpc-ha"

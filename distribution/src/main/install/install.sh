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
set -eu

prefix=/usr/lib/vpc-ha
ocf_root=/usr/lib/ocf
provider=ibm
bin_dir=/usr/local/bin
cds=yes

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }

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
case "$prefix" in /*) ;; *) die "--prefix must be an absolute path" ;; esac

here=$(cd "$(dirname "$0")" && pwd -P)
[ -x "$here/bin/vpc-ha" ] && [ -d "$here/lib" ] || die "run install.sh from an unpacked vpc-ha distribution"

# Everything world-readable: Pacemaker runs agents as root, but meta-data may be asked as any user.
umask 022
mkdir -p "$prefix"
if [ "$(cd "$prefix" && pwd -P)" != "$here" ]; then
    for dir in bin lib plugins ocf; do
        rm -rf "${prefix:?}/$dir"
        cp -R "$here/$dir" "$prefix/$dir"
    done
    cp "$here/install.sh" "$prefix/install.sh"
fi
chmod -R u+rwX,go+rX,go-w "$prefix"
chmod 755 "$prefix" "$prefix/bin/vpc-ha" "$prefix/bin/vpc-ha-cds" "$prefix/install.sh"

agents="$ocf_root/resource.d/$provider"
mkdir -p "$agents"
# The generic agent, with this installation's directory written in.
sed "s#^: \"\${VPC_HA_HOME:=/usr/lib/vpc-ha}\"#: \"\${VPC_HA_HOME:=$prefix}\"#" "$prefix/ocf/vpc-ha" > "$agents/vpc-ha.new"
chmod 755 "$agents/vpc-ha.new"
mv -f "$agents/vpc-ha.new" "$agents/vpc-ha"

# One agent per usable strategy; remove those whose strategy is gone.
for old in "$agents"/vpc-*; do
    [ -e "$old" ] || continue
    [ "$(basename "$old")" = vpc-ha ] && continue
    grep -q '^# vpc-ha per-strategy agent' "$old" 2>/dev/null && rm -f "$old"
done
# --index also writes plugins/.vpc-ha-plugin-index, so that each action loads only its strategy's plugin
strategies=$(VPC_HA_HOME=$prefix "$prefix/bin/vpc-ha" plugins --names --index 2>/dev/null) || true
for strategy in $strategies; do
    cat > "$agents/vpc-$strategy" <<AGENT
#!/bin/sh
# vpc-ha per-strategy agent: ocf:$provider:vpc-$strategy is ocf:$provider:vpc-ha with strategy=$strategy.
VPC_HA_STRATEGY=$strategy
export VPC_HA_STRATEGY
exec "$agents/vpc-ha" "\$@"
AGENT
    chmod 755 "$agents/vpc-$strategy"
done

if [ "$cds" = yes ]; then
    VPC_HA_HOME=$prefix "$prefix/bin/vpc-ha-cds" || echo "install.sh: no class-data-sharing archive (vpc-ha works, each action is slower)" >&2
fi

if [ "$bin_dir" != none ]; then
    mkdir -p "$bin_dir"
    ln -sf "$prefix/bin/vpc-ha" "$bin_dir/vpc-ha"
fi

echo "vpc-ha installed in $prefix"
echo "agents: ocf:$provider:vpc-ha$(for s in $strategies; do printf ', ocf:%s:vpc-%s' "$provider" "$s"; done)"
[ "$bin_dir" = none ] || echo "command: $bin_dir/vpc-ha"

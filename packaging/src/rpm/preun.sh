# pre-uninstall scriptlet of vpc-ha (erase: $1 = 0; upgrade: $1 = 1, run after the new version's
# post-install): removes what this package's scripts made next to its files; never configuration.
if [ "$1" -eq 0 ]; then
    # the accelerator goes with the package, a pending re-arm first (never fatal); as %systemd_preun does
    if [ -d /run/systemd/system ]; then
        systemctl stop vpc-ha-agent-rearm.timer vpc-ha-agent-rearm.service >/dev/null 2>&1 || true
        systemctl --no-reload disable --now vpc-ha-agent.socket vpc-ha-agent.service >/dev/null 2>&1 || true
    elif command -v systemctl >/dev/null 2>&1; then
        # no running systemd (an image being built): the link a first installation made goes
        systemctl --no-reload disable vpc-ha-agent.socket >/dev/null 2>&1 || true
    fi
    # made by the post-install scriptlet (bin/vpc-ha-cds)
    rm -f /usr/lib/vpc-ha/lib/vpc-ha.jsa /usr/lib/vpc-ha/lib/vpc-ha.jsa.new
    # made by actions and install.sh; actions make it again for the plugins they find
    rm -f /usr/lib/vpc-ha/plugins/.vpc-ha-plugin-index
    # Per-strategy agents that /usr/lib/vpc-ha/install.sh made for plugins added after installation:
    # each only calls the generic agent, which goes with this package. And the command link that
    # install.sh makes unless told --bin-dir none.
    for agent in /usr/lib/ocf/resource.d/ibm/vpc-*; do
        if [ -f "$agent" ] && grep -q '^# vpc-ha per-strategy agent' "$agent" \
            && grep -qF -e "exec '/usr/lib/ocf/resource.d/ibm/vpc-ha'" -e 'exec "/usr/lib/ocf/resource.d/ibm/vpc-ha"' "$agent"; then
            rm -f "$agent"
        fi
    done
    if [ -L /usr/local/bin/vpc-ha ] && [ "$(readlink /usr/local/bin/vpc-ha)" = /usr/lib/vpc-ha/bin/vpc-ha ]; then
        rm -f /usr/local/bin/vpc-ha
    fi
fi
exit 0

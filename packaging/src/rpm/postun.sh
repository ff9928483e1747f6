# post-uninstall scriptlet of vpc-ha (erase: $1 = 0): removes what the agents made on demand, in tmpfs:
# the IAM token cache (token_cache_dir's default, /run/vpc-ha) and the resources' state
# (HA_RSCTMP/vpc-ha). Never configuration: the resources' parameters live in Pacemaker's CIB.
if [ "$1" -eq 0 ]; then
    rm -rf /run/vpc-ha /run/resource-agents/vpc-ha
fi
# The accelerator's units: systemd reads them again; after an upgrade ($1 >= 1, run once the new
# version's files are in place) a running accelerator is restarted, so that no old JVM serves the new
# plugins (it would refuse them anyway: it checks the installation's fingerprint on every request).
# As %systemd_postun_with_restart does; never fatal.
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    if [ "$1" -ge 1 ]; then
        systemctl try-restart vpc-ha-agent.service || true
    fi
fi
exit 0

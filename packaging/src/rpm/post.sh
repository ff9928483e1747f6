# post-install scriptlet of vpc-ha (install: $1 = 1, upgrade: $1 = 2): starts no service but the
# accelerator's socket when the launcher's switch names it (Pacemaker runs the agents), and uses no
# network.
#
# The class-data-sharing archive, lib/vpc-ha.jsa, fits only the JVM and options it is made with, so it
# is made here, on this machine, by bin/vpc-ha-cds when this vpc-ha has one (it trains on the bundled
# simulator, on loopback), with the java and options Pacemaker's agents get: java on the PATH, the
# launcher's default options. Without it vpc-ha works, only slower.
if [ -x /usr/lib/vpc-ha/bin/vpc-ha-cds ]; then
    (
        unset JAVA_HOME VPC_HA_JAVA VPC_HA_JAVA_OPTS VPC_HA_ARCHIVE_OUT
        VPC_HA_HOME=/usr/lib/vpc-ha
        export VPC_HA_HOME
        exec /usr/lib/vpc-ha/bin/vpc-ha-cds
    ) || echo "vpc-ha: no class-data-sharing archive (vpc-ha works, each action is slower);" \
        "/usr/lib/vpc-ha/bin/vpc-ha-cds makes it" >&2
fi
# The accelerator's units (docs/accelerator.md, "Operations"): systemd reads them again; on first
# installation the socket is enabled and started when the launcher's switch names it (an upgrade keeps the
# administrator's choice and leaves a braked socket to its pending re-arm; the post-uninstall scriptlet
# of the old version restarts a running accelerator). Never fatal. Where systemd is not running (an
# image built in a chroot, a container), a first installation only enables the socket, for the systemd
# that boots the image (enabling writes a link and needs no running systemd); nothing starts.
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    if [ "$1" -eq 1 ]; then
        # the launcher's switch decides (docs/accelerator.md, "The switch"): one line for both
        if grep -q '^ACCELERATOR_SOCKET=/' /usr/lib/vpc-ha/bin/vpc-ha; then
            systemctl enable --now vpc-ha-agent.socket || true
        fi
    fi
elif [ "$1" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
    # the launcher's switch decides (docs/accelerator.md, "The switch"): one line for both
    if grep -q '^ACCELERATOR_SOCKET=/' /usr/lib/vpc-ha/bin/vpc-ha; then
        systemctl enable vpc-ha-agent.socket || true
    fi
fi
exit 0

# post-uninstall scriptlet of vpc-ha (erase: $1 = 0): removes what the agents made on demand, in tmpfs:
# the IAM token cache (token_cache_dir's default, /run/vpc-ha) and the resources' state
# (HA_RSCTMP/vpc-ha). Never configuration: the resources' parameters live in Pacemaker's CIB.
if [ "$1" -eq 0 ]; then
    rm -rf /run/vpc-ha /run/resource-agents/vpc-ha
fi
exit 0

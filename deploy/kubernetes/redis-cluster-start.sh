#!/bin/sh
# Starts one Redis Cluster node in its pod. A node keeps its identity in /data/nodes.conf across
# restarts, but a restarted pod gets a new IP: write the new one into the node's own line before
# starting, and announce it, so the other nodes learn it from the first message it sends them.
set -eu
: "${POD_IP:?POD_IP must be set (downward API status.podIP)}"
: "${REDIS_PASSWORD:?REDIS_PASSWORD must be set}"
config="${REDIS_CONFIG:-/etc/redis/redis.conf}"
nodes="${REDIS_NODES_FILE:-/data/nodes.conf}"
if [ -f "$nodes" ]; then
    sed -i -e "/myself/ s/[0-9]\{1,3\}\.[0-9]\{1,3\}\.[0-9]\{1,3\}\.[0-9]\{1,3\}/${POD_IP}/" "$nodes"
fi
exec redis-server "$config" \
    --cluster-announce-ip "$POD_IP" \
    --requirepass "$REDIS_PASSWORD" \
    --masterauth "$REDIS_PASSWORD" \
    "$@"

#!/bin/sh
# One-shot, idempotent set-up of the Redis Cluster (run by the redis-cluster-init Job):
# - on first run, when no node knows any other: create the cluster, 3 masters and 3 replicas;
# - afterwards: introduce every node to node 0 at its current IP (CLUSTER MEET). A no-op while the
#   cluster is healthy; after every pod restarted at once (all IPs changed) it reconnects them.
# Authenticates with REDISCLI_AUTH. Prints the cluster check at the end; fails if it is not ok.
set -eu
count="${REDIS_CLUSTER_NODES:-6}"
name="${REDIS_CLUSTER_NAME:-redis-cluster}"
service="${REDIS_CLUSTER_SERVICE:-redis-cluster-headless}"
port="${REDIS_PORT:-6379}"
hosts="${REDIS_CLUSTER_HOSTS:-}"
if [ -z "$hosts" ]; then
    i=0
    while [ "$i" -lt "$count" ]; do
        hosts="$hosts $name-$i.$service"
        i=$((i + 1))
    done
fi

addresses=""
for host in $hosts; do
    until ip=$(getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }') && [ -n "$ip" ] \
        && [ "$(redis-cli -h "$ip" -p "$port" ping 2>/dev/null)" = "PONG" ]; do
        echo "waiting for $host"
        sleep 2
    done
    addresses="$addresses $ip:$port"
done
echo "nodes:$addresses"

info() { redis-cli -h "${1%:*}" -p "${1##*:}" cluster info | tr -d '\r' | awk -F: -v key="$2" '$1 == key { print $2 }'; }

clustered=""
for address in $addresses; do
    if [ "$(info "$address" cluster_known_nodes)" -gt 1 ] || [ "$(info "$address" cluster_slots_assigned)" -gt 0 ]; then
        clustered="$address"
        break
    fi
done

first="${addresses# }"
first="${first%% *}"
if [ -z "$clustered" ]; then
    echo "no node is part of a cluster yet: creating it"
    # shellcheck disable=SC2086 # one argument per node
    redis-cli --cluster create $addresses --cluster-replicas 1 --cluster-yes
else
    echo "cluster exists (seen from $clustered): introducing every node at its current address"
    for address in $addresses; do
        redis-cli -h "${clustered%:*}" -p "${clustered##*:}" cluster meet "${address%:*}" "${address##*:}" >/dev/null
    done
    first="$clustered"
fi

# Gossip takes a few seconds to settle after a create or a meet.
tries=0
until redis-cli --cluster check "$first" >/dev/null 2>&1 && [ "$(info "$first" cluster_state)" = "ok" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
        redis-cli --cluster check "$first" || true
        echo "the cluster is not ok after 2 minutes" >&2
        exit 1
    fi
    sleep 2
done
redis-cli --cluster check "$first"

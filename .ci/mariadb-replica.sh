#!/usr/bin/env bash
# Starts a MariaDB primary (127.0.0.1:3307, binary log on) and its replica (127.0.0.1:3308,
# GTID replication), both the project's own servers beside the machine's MariaDB on 3306 (whose
# binary log is off, so it cannot be the primary). For the read/write routing tests
# (tests/replicas.rs). Idempotent: servers already answering are left as they are. Run as root.
#
#   bash .ci/mariadb-replica.sh
#   export ORM_TEST_MYSQL_PRIMARY_URL=mysql://root@127.0.0.1:3307/mysql
#   export ORM_TEST_MYSQL_REPLICA_URL=mysql://root@127.0.0.1:3308/mysql
set -euo pipefail

base=/var/lib/orm-mariadb
PRIMARY_PORT=3307
REPLICA_PORT=3308

# Runs SQL on a server through its socket, as the root of this machine.
sql() {
  mariadb --no-defaults -S "$base/$1.sock" -u root -N -B -e "$2"
}

answers() {
  mariadb-admin --no-defaults -h 127.0.0.1 -P "$1" -u root status >/dev/null 2>&1
}

start() {
  local name=$1 port=$2 id=$3 extra=$4
  if answers "$port"; then
    return 0
  fi
  if [ ! -d "$base/$name/mysql" ]; then
    rm -rf "${base:?}/$name"
    mkdir -p "$base/$name"
    chown mysql:mysql "$base" "$base/$name"
    mariadb-install-db --no-defaults --user=mysql --datadir="$base/$name" \
      --auth-root-authentication-method=normal --skip-test-db >/dev/null
  fi
  # Detached from this script (setsid), as the mysql user; --no-defaults keeps the machine's
  # /etc/mysql/my.cnf (port 3306, its data directory) out of it.
  # shellcheck disable=SC2086
  setsid runuser -u mysql -- /usr/sbin/mariadbd \
    --no-defaults --datadir="$base/$name" --port="$port" --bind-address=127.0.0.1 \
    --socket="$base/$name.sock" --pid-file="$base/$name.pid" --log-error="$base/$name.err" \
    --skip-name-resolve --server-id="$id" --innodb-buffer-pool-size=64M \
    --max-connections=300 $extra </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 60); do
    answers "$port" && return 0
    # The socket answers before TCP does for a root that can only log in over the socket.
    [ -S "$base/$name.sock" ] && sql "$name" "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "mariadb-replica: $name did not start; its log:" >&2
  tail -n 30 "$base/$name.err" >&2
  return 1
}

# root over TCP from 127.0.0.1, with no password, kept out of the binary log.
allow_root_over_tcp() {
  sql "$1" "SET sql_log_bin = 0;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
}

start primary "$PRIMARY_PORT" 11 "--log-bin=$base/primary-bin --binlog-format=ROW"
allow_root_over_tcp primary
start replica "$REPLICA_PORT" 12 "--relay-log=$base/replica-relay --read-only=1"
allow_root_over_tcp replica

if [ -z "$(sql replica "SHOW SLAVE STATUS")" ]; then
  echo "mariadb-replica: replicating 127.0.0.1:${PRIMARY_PORT} on ${REPLICA_PORT}"
  sql replica "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${PRIMARY_PORT},
    MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos;"
fi
# Started, or restarted if a test run died with the applier stopped (tests pause it).
sql replica "START SLAVE"

for _ in $(seq 1 30); do
  running="$(mariadb --no-defaults -S "$base/replica.sock" -u root -e "SHOW SLAVE STATUS\G" \
    | { grep -E 'Slave_(IO|SQL)_Running:' || true; } | awk '{print $2}' | tr '\n' ' ')"
  [ "$running" = "Yes Yes " ] && break
  sleep 1
done
echo "mariadb-replica: io/sql threads running: ${running}"
[ "$running" = "Yes Yes " ]

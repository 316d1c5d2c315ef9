#!/usr/bin/env bash
# Starts a streaming replica of the local PostgreSQL server (127.0.0.1:5432) on 127.0.0.1:5433,
# for the read/write routing tests (tests/replicas.rs). Idempotent: a replica already accepting
# connections is left as it is. Run as root (CI) or as the postgres user.
#
#   bash .ci/replica.sh && export ORM_TEST_REPLICA_URL=postgres://postgres@127.0.0.1:5433/test
#
# The replica is a physical copy (pg_basebackup -R) replaying the primary's WAL through a
# replication slot, in hot-standby mode: its lag is real, and the tests pause and resume its
# replay (pg_wal_replay_pause / pg_wal_replay_resume) to show reads that have not caught up.
set -euo pipefail

PRIMARY_PORT=5432
REPLICA_PORT="${ORM_REPLICA_PORT:-5433}"
SLOT=orm_test_replica
version="$(ls /etc/postgresql | sort -V | tail -n 1)"
bin="/usr/lib/postgresql/${version}/bin"
data="/var/lib/postgresql/orm-replica-${version}"
log="/var/lib/postgresql/orm-replica-${version}.log"

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
psql_primary() {
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"
}

if pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; then
  echo "replica: already accepting connections on ${REPLICA_PORT}"
  # A test run that died while it had paused the replay left it paused.
  psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atqc "SELECT pg_wal_replay_resume()" >/dev/null
  exit 0
fi

# Replication connections need their own pg_hba line ("all" does not cover them).
hba="$(psql_primary "SHOW hba_file")"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  echo "replica: allowing replication connections from 127.0.0.1 in ${hba}"
  echo "host replication postgres 127.0.0.1/32 trust" >> "$hba"
  psql_primary "SELECT pg_reload_conf()" >/dev/null
fi

# A copy that cannot start (e.g. left half-made by an interrupted run) is made again.
if [ -f "$data/PG_VERSION" ]; then
  echo "replica: starting the existing copy in ${data}"
  if ! as_postgres "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
    echo "replica: the existing copy did not start; making a new one"
    rm -rf "$data"
  fi
fi

if [ ! -f "$data/PG_VERSION" ]; then
  if [ "$(psql_primary "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '${SLOT}'")" = 1 ]; then
    psql_primary "SELECT pg_drop_replication_slot('${SLOT}')" >/dev/null
  fi
  rm -rf "$data"
  echo "replica: copying the primary into ${data}"
  as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" \
    -R -X stream -C -S "$SLOT" --checkpoint=fast
  # Debian keeps the server's configuration in /etc, outside the copied data directory: the
  # replica gets its own. Its own port; a hot standby that answers reads.
  cat > "$data/postgresql.conf" <<EOF
port = ${REPLICA_PORT}
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
hot_standby_feedback = on
max_connections = 200
EOF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$data/pg_hba.conf"
  chown postgres:postgres "$data/postgresql.conf" "$data/pg_hba.conf" 2>/dev/null || true
  as_postgres "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null
fi

for _ in $(seq 1 60); do
  pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$REPLICA_PORT"
echo "replica: in recovery = $(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atqc 'SELECT pg_is_in_recovery()')"

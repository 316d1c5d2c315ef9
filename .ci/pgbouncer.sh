#!/usr/bin/env bash
# Starts a pgbouncer in transaction pooling mode on 127.0.0.1:6432 in front of the local
# PostgreSQL (127.0.0.1:5432), for the test suite's `pgbouncer` backend
# (ORM_TEST_PGBOUNCER_URL=postgres://postgres@127.0.0.1:6432/test). Idempotent: installs Debian's
# pgbouncer if it is missing, (re)writes its config under $ORM_PGBOUNCER_DIR (default
# /tmp/orm-pgbouncer), reloads a pgbouncer already running from that config, starts one
# otherwise, and returns once it answers a query. Needs PostgreSQL up; run as root (pgbouncer
# itself runs as `postgres`: it refuses root) or as the user that should own it.
set -euo pipefail

dir="${ORM_PGBOUNCER_DIR:-/tmp/orm-pgbouncer}"
port=6432

if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  echo "installing pgbouncer"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer
fi
pgbouncer_bin="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"

# Who runs it: `postgres` when started by root, else the caller.
run_as=()
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  run_as=(runuser -u postgres --)
fi

mkdir -p "$dir"
chown "$owner" "$dir"

# The only user the tests log in as; `trust` still wants it listed.
cat >"$dir/userlist.txt" <<'EOF'
"postgres" ""
EOF

# - `* = ...`: any database name is passed through to the server, so each test's own database
#   (created over a direct connection) is reachable through the pooler.
# - transaction mode: a server connection is lent for one transaction; a statement outside a
#   transaction is its own transaction (what the ORM's wrapping relies on, see the README).
# - a small pool per database and many clients, as in production: tests run concurrent clients
#   through it, and the server (max_connections 100) is shared with the other backends' tests.
# - sqlx sends `extra_float_digits` at startup, which pgbouncer does not track.
# - idle pools of dropped test databases go away after autodb_idle_timeout.
cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 4
reserve_pool_size = 0
server_idle_timeout = 10
autodb_idle_timeout = 30
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
chown "$owner" "$dir/userlist.txt" "$dir/pgbouncer.ini"

answers() {
  psql "postgres://postgres@127.0.0.1:$port/test" -Atqc 'SELECT 1' >/dev/null 2>&1
}

pid="$(cat "$dir/pgbouncer.pid" 2>/dev/null || true)"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  # Running from this directory: take the config as just written.
  kill -HUP "$pid"
else
  if answers; then
    # Debian's own instance of the package (its service, where an init system starts it) has
    # session pooling on the same port: stop it so that ours can listen.
    echo "port $port taken by another pgbouncer: stopping Debian's pgbouncer service"
    service pgbouncer stop >/dev/null 2>&1 || /etc/init.d/pgbouncer stop >/dev/null 2>&1 || true
    for _ in $(seq 1 25); do answers || break; sleep 0.2; done
    if answers; then
      echo "pgbouncer.sh: port $port already answers, and not from $dir" >&2
      exit 1
    fi
  fi
  echo "starting pgbouncer on 127.0.0.1:$port"
  "${run_as[@]}" "$pgbouncer_bin" -d "$dir/pgbouncer.ini"
fi

for _ in $(seq 1 50); do
  if answers; then
    echo "pgbouncer answers on 127.0.0.1:$port (transaction pooling)"
    exit 0
  fi
  sleep 0.2
done
echo "pgbouncer did not answer on 127.0.0.1:$port; its log:" >&2
tail -n 20 "$dir/pgbouncer.log" >&2 || true
exit 1

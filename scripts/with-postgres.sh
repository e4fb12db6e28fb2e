#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL cluster on a loopback port, when PostgreSQL is
# installed; the database tests then run on SQLite and PostgreSQL. Under CI=true a missing
# PostgreSQL is an error, never a quiet skip.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not installed (CI=true needs it: apt-get install -y postgresql)" >&2
    exit 1
  fi
  echo "note: PostgreSQL not installed; database tests run on SQLite only" >&2
  exec "$@"
fi

cluster=$(mktemp -d /tmp/baosong-pg.XXXXXX)
chmod 755 "$cluster"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$cluster"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$cluster/data" -U baosong --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
  -o "-h 127.0.0.1 -p $port -k $cluster -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
cleanup() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$cluster"; }
trap cleanup EXIT

export BAOSONG_TEST_POSTGRES_URL="postgresql+psycopg://baosong@127.0.0.1:$port/postgres"
"$@"

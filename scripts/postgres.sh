# Sourced by scripts/test.sh: a throwaway PostgreSQL on a free loopback port, installed from
# Debian when missing. Exports BREACHDESK_TEST_PG and defines stop_postgres.

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_postgres_installed() {
  pg_bindir >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed and this is not root: apt-get install postgresql, or set BREACHDESK_TEST_DIALECTS=sqlite" >&2
    return 1
  fi
  echo "installing PostgreSQL from Debian…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  pg_bindir >/dev/null
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start_postgres() {
  ensure_postgres_installed || return 1
  local bin run_as=()
  bin=$(pg_bindir)
  PG_TEST_DIR=$(mktemp -d /tmp/breachdesk-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root; the Debian package creates the postgres user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TEST_DIR"
    run_as=(runuser -u postgres --)
  fi
  PG_TEST_PORT=$(free_port)
  PG_RUN_AS=("${run_as[@]}")
  PG_BIN=$bin
  "${run_as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  # Durability is irrelevant for a throwaway test server; speed is not.
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_TEST_PORT -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  export BREACHDESK_TEST_PG="postgres://postgres@127.0.0.1:$PG_TEST_PORT/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_TEST_PORT" >&2
}

stop_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=
}

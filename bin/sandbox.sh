# Sourced by bin/pgvector-ops: a private PostgreSQL cluster on a free loopback port.
# sandbox_start DIR [SUITE]
#                      initdb (first time) and start; sets SANDBOX_PORT. With SUITE (sid, trixie,
#                      bullseye) the server is that Debian root's (bin/setup-debian-root), run with
#                      chroot, and its cluster lives inside the root instead of DIR.
# sandbox_load ROOT    create database vectors and load the demo's real data once
# sandbox_stop         stop the cluster

# The newest PostgreSQL's binaries under ROOT (default: this host), as ROOT sees them.
sandbox_bindir() {
  local under="${1:-}"
  ls -d "$under"/usr/lib/postgresql/*/bin 2>/dev/null | sed "s|^$under||" | sort -t/ -k5 -n | tail -n 1
}

# initdb and postgres refuse to run as root: run them as the postgres user then (the root's own
# postgres user inside a Debian root).
sandbox_as_owner() {
  if [ -n "${SANDBOX_ROOT:-}" ]; then
    chroot --userspec="$(sandbox_root_owner)" "$SANDBOX_ROOT" "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

sandbox_root_owner() {
  awk -F: '$1 == "postgres" { print $3 ":" $4 }' "$SANDBOX_ROOT/etc/passwd"
}

# A path of the cluster's folder as the server sees it.
sandbox_inner() {
  if [ -n "${SANDBOX_ROOT:-}" ]; then echo "${1#"$SANDBOX_ROOT"}"; else echo "$1"; fi
}

sandbox_free_port() {
  local p
  for p in $(seq "${1:-55432}" 55999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "sandbox: no free port in 55432-55999" >&2; return 1
}

sandbox_start() {
  local suite="${2:-}"
  SANDBOX_PSQL_BIN="$(sandbox_bindir)"
  if [ -n "$suite" ]; then
    SANDBOX_ROOT="$("$(dirname "${BASH_SOURCE[0]}")/setup-debian-root" "$suite")"
    SANDBOX_BIN="$(sandbox_bindir "$SANDBOX_ROOT")"
    SANDBOX_DIR="$SANDBOX_ROOT/var/lib/pgvector-ops-sandbox"
    mkdir -p "$SANDBOX_DIR"
    chown "$(sandbox_root_owner)" "$SANDBOX_DIR"
  else
    # absolute: the server resolves its socket directory from its data directory
    mkdir -p "$1"
    SANDBOX_DIR="$(cd "$1" && pwd)"
    SANDBOX_BIN="$SANDBOX_PSQL_BIN"
    # As root the cluster runs as postgres, which cannot enter a checkout under a private home.
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$SANDBOX_DIR/.." 2>/dev/null; then
      SANDBOX_DIR="/var/tmp/pgvector-ops-sandbox"
      echo "sandbox: the postgres user cannot reach $1; using $SANDBOX_DIR instead" >&2
      mkdir -p "$SANDBOX_DIR"
    fi
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$SANDBOX_DIR"; fi
  fi
  local inner; inner="$(sandbox_inner "$SANDBOX_DIR")"
  if [ ! -f "$SANDBOX_DIR/data/PG_VERSION" ]; then
    echo "sandbox: creating a cluster in $SANDBOX_DIR/data" >&2
    sandbox_as_owner "$SANDBOX_BIN/initdb" -D "$inner/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if sandbox_as_owner "$SANDBOX_BIN/pg_ctl" -D "$inner/data" status >/dev/null 2>&1; then
    SANDBOX_PORT="$(cat "$SANDBOX_DIR/port")"
    echo "sandbox: already running on port $SANDBOX_PORT" >&2
    SANDBOX_STARTED_HERE=0
    return
  fi
  SANDBOX_PORT="$(sandbox_free_port "$(cat "$SANDBOX_DIR/port" 2>/dev/null || echo 55432)")"
  echo "$SANDBOX_PORT" > "$SANDBOX_DIR/port"
  sandbox_as_owner "$SANDBOX_BIN/pg_ctl" -D "$inner/data" -l "$inner/server.log" -w -t 60 \
    -o "-p $SANDBOX_PORT -k $inner -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements,pg_prewarm -c shared_buffers=256MB -c maintenance_work_mem=256MB" \
    start >/dev/null
  SANDBOX_STARTED_HERE=1
}

sandbox_psql() {
  "$SANDBOX_PSQL_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SANDBOX_PORT" -U postgres "$@"
}

sandbox_load() {
  local root="$1"
  if [ "$(sandbox_psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'vectors'")" != 1 ]; then
    sandbox_psql -d postgres -c "CREATE DATABASE vectors"
  fi
  if [ "$(sandbox_psql -d vectors -Atc "SELECT to_regclass('public.documents') IS NOT NULL")" != t ]; then
    # a load cut short leaves its staging tables: start it again from nothing
    sandbox_psql -d vectors -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS sandbox_glosses, sandbox_reembedded, sandbox_questions"
    echo "sandbox: loading real embeddings of WordNet glosses (the first time on this machine the model embeds them: one to two minutes; then they come from ~/.cache/pgvector-ops)" >&2
    java -Xmx1g -cp "$("$root/bin/test-classpath")" \
      io.pgvectorops.testing.embeddings.SandboxRealData "$SANDBOX_PORT" vectors
    echo "sandbox: building the demo's tables and indexes (about a minute)" >&2
    sandbox_psql -d vectors -f "$root/sql/sandbox/real_data.sql" >/dev/null
  fi
  # the slow queries (slow_queries.sql) run after slow-queries' baseline: demo_first_runs
}

sandbox_stop() {
  if [ "${SANDBOX_STARTED_HERE:-0}" = 1 ]; then
    sandbox_as_owner "$SANDBOX_BIN/pg_ctl" -D "$(sandbox_inner "$SANDBOX_DIR")/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

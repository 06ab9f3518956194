#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for tests and prints how to reach it.
#
#   eval "$(bash scripts/ci/start-postgres.sh)"     # exports DATABASE_URL and GPDEP_PG_BASE
#   psql "$DATABASE_URL" -c 'select version()'
#   DATABASE_URL="$DATABASE_URL" npm run test:api
#   bash scripts/ci/stop-postgres.sh                # stops it and deletes its files (uses GPDEP_PG_BASE)
#
# stdout carries only `export NAME='value'` lines (for eval); progress and errors go to stderr.
# The same lines are written to $GPDEP_PG_BASE/env, and, with --env-file FILE, to FILE.
#
# The cluster lives in a fresh /tmp/gpdep-pg-XXXXXX: initdb with scram-sha-256 over TCP and trust
# on its private Unix socket, listening on 127.0.0.1 only, fsync off (data is thrown away). A
# superuser role with a random password owns a database of the same name, so the test suite can
# create and drop its own databases and roles.
#
# Run as root, the server runs as the `postgres` system user (from the Debian package), or as a
# dedicated `gpdep-pg` system user created here if that does not exist; run as anyone else, it
# runs as you.
#
# Environment:
#   PGPORT_CI      TCP port (default 55432)
#   PG_BIN         directory holding initdb/pg_ctl/postgres (default: /usr/lib/postgresql/15/bin,
#                  else `pg_config --bindir`)
#   GPDEP_PG_ROLE  role name (default gpdep); GPDEP_PG_DB database name (default gpdep)
set -euo pipefail

port="${PGPORT_CI:-55432}"
role="${GPDEP_PG_ROLE:-gpdep}"
dbname="${GPDEP_PG_DB:-gpdep}"
env_file=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --env-file) env_file="${2:?--env-file needs a path}"; shift 2 ;;
    --env-file=*) env_file="${1#--env-file=}"; shift ;;
    -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "start-postgres: unknown argument: $1" >&2; exit 2 ;;
  esac
done

log() { echo "start-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "PGPORT_CI must be a port number, got '$port'"
[[ "$role" =~ ^[a-z_][a-z0-9_]*$ ]] || die "GPDEP_PG_ROLE must be a plain lower-case identifier"
[[ "$dbname" =~ ^[a-z_][a-z0-9_]*$ ]] || die "GPDEP_PG_DB must be a plain lower-case identifier"

# --- find the PostgreSQL 15 server binaries ------------------------------------------------------
if [[ -n "${PG_BIN:-}" ]]; then
  bin="$PG_BIN"
elif [[ -x /usr/lib/postgresql/15/bin/postgres ]]; then
  bin=/usr/lib/postgresql/15/bin
elif command -v pg_config >/dev/null 2>&1; then
  bin="$(pg_config --bindir)"
else
  die "PostgreSQL 15 server not found (install the postgresql-15 package, or set PG_BIN)"
fi
for tool in initdb pg_ctl postgres pg_isready psql; do
  [[ -x "$bin/$tool" ]] || die "$bin/$tool is missing (install postgresql-15 / postgresql-client-15, or set PG_BIN)"
done
server_version="$("$bin/postgres" --version)"
[[ "$server_version" == *" 15."* ]] || log "warning: expected PostgreSQL 15, found: $server_version"

# --- the OS user the server runs as ---------------------------------------------------------------
if [[ "$(id -u)" == 0 ]]; then
  if id -u postgres >/dev/null 2>&1; then
    os_user=postgres
  else
    os_user=gpdep-pg
    if ! id -u "$os_user" >/dev/null 2>&1; then
      log "creating system user $os_user"
      useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$os_user" >&2
    fi
  fi
  as_pg() { runuser -u "$os_user" -- "$@"; }
else
  os_user="$(id -un)"
  as_pg() { "$@"; }
fi

# --- refuse a busy port ---------------------------------------------------------------------------
# pg_isready: 0 accepting, 1 rejecting (e.g. starting up), 2 no response, 3 bad parameters.
set +e
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2
ready=$?
set -e
if ((ready == 0 || ready == 1)); then
  die "a server is already listening on 127.0.0.1:$port (stop it, or pick another port with PGPORT_CI)"
fi

# --- a fresh directory: data/, the socket, the log --------------------------------------------------
base="$(mktemp -d /tmp/gpdep-pg-XXXXXX)"
data="$base/data"
logfile="$base/postgres.log"
touch "$base/.gpdep-pg" # marks the directory as ours, so stop-postgres.sh may delete it

started=0
cleanup_on_error() {
  local code=$?
  if ((code != 0)); then
    log "failed (exit $code); cleaning up $base"
    if [[ -f "$logfile" ]]; then
      log "last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
    fi
    if ((started)); then as_pg "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
    rm -rf "$base"
  fi
}
trap cleanup_on_error EXIT

# Random hex passwords: URL-safe, so they go into DATABASE_URL as they are.
random_hex() { od -vAn -N16 -tx1 /dev/urandom | tr -d ' \n'; }
password="$(random_hex)"
bootstrap_password="$(random_hex)"

chmod 700 "$base"
printf '%s\n' "$bootstrap_password" >"$base/pwfile"
chmod 600 "$base/pwfile"
if [[ "$(id -u)" == 0 ]]; then chown -R "$os_user:" "$base"; fi

# The server's cwd must be readable by its user (root's cwd often is not).
cd "$base"

log "initdb ($server_version) in $data as OS user $os_user"
as_pg "$bin/initdb" -D "$data" -U postgres --pwfile="$base/pwfile" \
  --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C --no-sync >"$base/initdb.log" 2>&1 ||
  { cat "$base/initdb.log" >&2; die "initdb failed"; }
rm -f "$base/pwfile"

# Throwaway data: no durability. Enough connections for parallel test files that each open a pool.
server_options="-p $port -k $base -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
server_options+=" -c full_page_writes=off -c max_connections=200 -c unix_socket_permissions=0700"

log "starting on 127.0.0.1:$port (socket dir $base, log $logfile)"
started=1
as_pg "$bin/pg_ctl" -D "$data" -l "$logfile" -w -t 60 -o "$server_options" start >/dev/null ||
  die "pg_ctl start failed"

for _ in $(seq 1 60); do
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; then break; fi
  sleep 1
done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 5 || die "server did not become ready on 127.0.0.1:$port"

# Over the private socket (trust, as the bootstrap superuser): the role and its database.
as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d postgres >/dev/null <<SQL
create role $role with login superuser password '$password';
create database $dbname owner $role;
SQL

database_url="postgres://$role:$password@127.0.0.1:$port/$dbname"

# Prove the URL works the way the tests will use it: TCP, password (scram-sha-256).
PGCONNECT_TIMEOUT=10 "$bin/psql" -X -q -At -d "$database_url" -c 'select 1' >/dev/null ||
  die "cannot connect with the new DATABASE_URL over TCP"

exports="export DATABASE_URL='$database_url'
export GPDEP_PG_BASE='$base'
export GPDEP_PG_PORT='$port'"
printf '%s\n' "$exports" >"$base/env"
chmod 644 "$base/env"
if [[ -n "$env_file" ]]; then printf '%s\n' "$exports" >"$env_file"; fi

log "ready: postgres://$role:***@127.0.0.1:$port/$dbname (superuser); stop with: bash scripts/ci/stop-postgres.sh $base"
printf '%s\n' "$exports"

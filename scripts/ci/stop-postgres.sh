#!/usr/bin/env bash
# Stops a cluster started by scripts/ci/start-postgres.sh and deletes its directory.
#
#   bash scripts/ci/stop-postgres.sh [BASE]       # BASE defaults to $GPDEP_PG_BASE
#
# Safe to call twice, or for a cluster that is already down. --keep leaves the files (for a look
# at postgres.log). Only directories that start-postgres.sh made (marked .gpdep-pg) are deleted.
set -uo pipefail

keep=0
base=""
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) base="$arg" ;;
  esac
done
base="${base:-${GPDEP_PG_BASE:-}}"

log() { echo "stop-postgres: $*" >&2; }

if [[ -z "$base" ]]; then log "no cluster given (argument or GPDEP_PG_BASE)"; exit 2; fi
if [[ ! -d "$base" ]]; then log "$base is gone already"; exit 0; fi
if [[ ! -f "$base/.gpdep-pg" ]]; then log "refusing: $base was not made by start-postgres.sh"; exit 2; fi

data="$base/data"
if [[ -n "${PG_BIN:-}" ]]; then
  bin="$PG_BIN"
elif [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  bin=/usr/lib/postgresql/15/bin
else
  bin="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
fi

# Run pg_ctl as the owner of the data directory (postgres refuses to be managed as root).
owner="$(stat -c %U "$data" 2>/dev/null || echo "")"
as_owner() {
  if [[ "$(id -u)" == 0 && -n "$owner" && "$owner" != root ]]; then
    (cd "$base" && runuser -u "$owner" -- "$@")
  else
    "$@"
  fi
}

status=0
if [[ -f "$data/postmaster.pid" ]]; then
  if as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
    log "stopped the cluster in $data"
  else
    log "fast shutdown failed; trying immediate"
    if as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
      log "stopped (immediate) the cluster in $data"
    else
      # Last resort: the postmaster's pid is the first line of postmaster.pid.
      pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        log "killed postmaster $pid"
      fi
      status=1
    fi
  fi
else
  log "no running cluster in $data"
fi

if ((keep)); then
  log "kept $base"
else
  rm -rf "$base"
fi
exit "$status"

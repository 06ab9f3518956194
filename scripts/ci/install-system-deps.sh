#!/usr/bin/env bash
# Installs, from the Debian apt mirrors, what the test suites need beyond npm packages:
#   - Chromium (/usr/bin/chromium) for the browser tests (driven by playwright-core);
#   - the PostgreSQL 15 server (/usr/lib/postgresql/15/bin) for the API tests on real PostgreSQL;
#   - R (Debian r-base-core, /usr/bin/Rscript): a test runs the survey export's generated R script;
#   - GNU PSPP (Debian pspp, /usr/bin/pspp): a test runs the survey export's generated SPSS syntax.
#   - HAProxy (Debian haproxy, /usr/sbin/haproxy): the several-instances tests and bench:load put it
#     in front of the servers (started by them; the package's own service is not used).
# Idempotent: installs only what is missing, and runs `apt-get update` only if something is.
# Waits for the dpkg/apt locks (another apt-get may be running) and retries apt-get a few times.
#
#   bash scripts/ci/install-system-deps.sh [chromium] [postgres] [r] [pspp] [haproxy]   # default: all five
set -uo pipefail

want=("$@")
((${#want[@]})) || want=(chromium postgres r pspp haproxy)

log() { echo "install-system-deps: $*" >&2; }

packages=()
for item in "${want[@]}"; do
  case "$item" in
    chromium)
      if [[ -x /usr/bin/chromium ]]; then log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
      else packages+=(chromium); fi
      ;;
    postgres)
      if [[ -x /usr/lib/postgresql/15/bin/postgres && -x /usr/lib/postgresql/15/bin/initdb && -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
        log "PostgreSQL 15 server present: $(/usr/lib/postgresql/15/bin/postgres --version)"
      else packages+=(postgresql-15); fi
      ;;
    r)
      if [[ -x /usr/bin/Rscript ]]; then log "R present: $(/usr/bin/Rscript --version 2>&1 | head -1)"
      else packages+=(r-base-core); fi
      ;;
    pspp)
      if [[ -x /usr/bin/pspp ]]; then log "PSPP present: $(/usr/bin/pspp --version 2>&1 | head -1)"
      else packages+=(pspp); fi
      ;;
    haproxy)
      if [[ -x /usr/sbin/haproxy ]]; then log "HAProxy present: $(/usr/sbin/haproxy -v 2>&1 | head -1)"
      else packages+=(haproxy); fi
      ;;
    *) log "unknown item: $item (expected chromium, postgres, r, pspp or haproxy)"; exit 2 ;;
  esac
done

if ((${#packages[@]} == 0)); then log "nothing to install"; exit 0; fi

if [[ "$(id -u)" != 0 ]]; then
  log "ERROR: need root to install: ${packages[*]} (run: sudo apt-get install ${packages[*]})"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Lock::Timeout makes apt wait for the dpkg frontend lock instead of failing at once.
apt_opts=(-o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)

wait_for_apt_locks() {
  local waited=0
  command -v fuser >/dev/null 2>&1 || return 0
  while fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1; do
    ((waited % 30 == 0)) && log "waiting for another apt/dpkg to finish (${waited}s)"
    sleep 5
    waited=$((waited + 5))
    ((waited >= 1200)) && { log "gave up waiting for the apt/dpkg locks after ${waited}s"; return 1; }
  done
  return 0
}

retry_apt() {
  local attempt
  for attempt in 1 2 3 4; do
    wait_for_apt_locks
    if apt-get "${apt_opts[@]}" "$@"; then return 0; fi
    log "apt-get $* failed (attempt $attempt); retrying in $((attempt * 10))s"
    sleep $((attempt * 10))
  done
  return 1
}

# Installing postgresql-15 would create and start a default "main" cluster on port 5432; CI has no
# use for it (start-postgres.sh makes its own), so on CI machines switch that off beforehand.
if [[ " ${packages[*]} " == *" postgresql-15 "* && "${CI:-}" == true ]]; then
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/gpdep-ci.conf
fi

log "installing: ${packages[*]}"
retry_apt update -q || { log "ERROR: apt-get update failed"; exit 1; }
# A half-finished earlier install (e.g. an interrupted background one) blocks new installs.
wait_for_apt_locks && dpkg --configure -a >&2 || true
retry_apt install -y -q "${packages[@]}" || { log "ERROR: apt-get install ${packages[*]} failed"; exit 1; }

status=0
for package in "${packages[@]}"; do
  case "$package" in
    chromium) [[ -x /usr/bin/chromium ]] && log "installed: $(/usr/bin/chromium --version 2>/dev/null)" || { log "ERROR: /usr/bin/chromium still missing"; status=1; } ;;
    postgresql-15) [[ -x /usr/lib/postgresql/15/bin/postgres ]] && log "installed: $(/usr/lib/postgresql/15/bin/postgres --version)" || { log "ERROR: PostgreSQL 15 server still missing"; status=1; } ;;
    haproxy) [[ -x /usr/sbin/haproxy ]] && log "installed: $(/usr/sbin/haproxy -v 2>&1 | head -1)" || { log "ERROR: /usr/sbin/haproxy still missing"; status=1; } ;;
    r-base-core) [[ -x /usr/bin/Rscript ]] && log "installed: $(/usr/bin/Rscript --version 2>&1 | head -1)" || { log "ERROR: /usr/bin/Rscript still missing"; status=1; } ;;
  esac
done
exit "$status"

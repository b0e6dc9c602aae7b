#!/usr/bin/env bash
# BottleCRM (PyPI django-crm 1.35.0) as a local REST backend for Kehu's tests.
#
#   scripts/backends/bottlecrm.sh setup         venv, migrated DB, admin + org + API token (idempotent)
#   scripts/backends/bottlecrm.sh start [PORT]  fresh DB, server on 127.0.0.1:PORT (default 8000)
#   scripts/backends/bottlecrm.sh stop          stop the server
#   scripts/backends/bottlecrm.sh status        say whether it runs, and where
#
# Everything lives in .cache/bottlecrm/ (git-ignored):
#   venv/               Python 3.12 venv with scripts/backends/bottlecrm-requirements.txt
#   migrated.sqlite3    the schema after `migrate` (slow: ~2 min), keyed by migrated.key
#   pristine.sqlite3    migrated + admin, org and tokens (scripts/backends/bottlecrm_bootstrap.py)
#   credentials.json    base URL, token, org id of pristine.sqlite3
#   db.sqlite3          the working copy, replaced from pristine.sqlite3 on every start
#   server.pid, server.out, server.log, access.log
# A cache key covers the requirements, the settings module, the bootstrap and the
# Python version: change any of them and the next setup rebuilds what depends on it.
#
# Environment: BOTTLECRM_PYTHON (a python3.12), BOTTLECRM_WORKERS (gunicorn workers, 2),
# BOTTLECRM_START_TIMEOUT (seconds to wait for the server, 60).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE="$ROOT/.cache/bottlecrm"
VENV="$CACHE/venv"
REQ="$HERE/bottlecrm-requirements.txt"
SETTINGS="$HERE/bottlecrm_settings.py"
BOOTSTRAP="$HERE/bottlecrm_bootstrap.py"
PKG_SPEC="django-crm==1.35.0"
PIDFILE="$CACHE/server.pid"
CREDS="$CACHE/credentials.json"
DEFAULT_PORT=8000

say() { printf '[bottlecrm] %s\n' "$*" >&2; }
die() { printf '[bottlecrm] error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------------------- helpers

find_python() {
  local cand
  if [ -n "${BOTTLECRM_PYTHON:-}" ]; then
    [ -x "$BOTTLECRM_PYTHON" ] || command -v "$BOTTLECRM_PYTHON" >/dev/null \
      || die "BOTTLECRM_PYTHON=$BOTTLECRM_PYTHON is not an executable"
    cand=$BOTTLECRM_PYTHON
  else
    cand=
    for p in $(ls -d "$HOME"/.pyenv/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V -r) \
             "$(command -v python3.12 2>/dev/null || true)"; do
      if [ -n "$p" ] && [ -x "$p" ]; then cand=$p; break; fi
    done
    [ -n "$cand" ] || die "no Python 3.12 found (django-crm 1.35.0 needs >=3.12; the pins are for 3.12).
  Looked in ~/.pyenv/versions/3.12.*/bin and PATH. Set BOTTLECRM_PYTHON=/path/to/python3.12."
  fi
  local ver
  ver=$("$cand" -c 'import sys; print("%d.%d" % sys.version_info[:2])') \
    || die "$cand does not run"
  [ "$ver" = "3.12" ] || die "$cand is Python $ver; need 3.12"
  printf '%s\n' "$cand"
}

sha() { sha256sum | cut -c1-16; }

# Cache keys. Python's full version goes in, so a new interpreter rebuilds the venv.
venv_key() { { cat "$REQ"; "$1" -c 'import sys; print(sys.version)'; } | sha; }
migrated_key() { { printf '%s\n' "$PKG_SPEC"; cat "$REQ" "$SETTINGS"; } | sha; }
pristine_key() { { migrated_key; cat "$BOOTSTRAP"; } | sha; }

secret_key() {
  if [ ! -s "$CACHE/secret_key" ]; then
    (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))' \
      > "$CACHE/secret_key.tmp")
    mv "$CACHE/secret_key.tmp" "$CACHE/secret_key"
  fi
  cat "$CACHE/secret_key"
}

# Runs a command in the venv with the Django environment for database file $1.
django_env() {
  local db=$1; shift
  env DJANGO_SETTINGS_MODULE=bottlecrm_settings \
      PYTHONPATH="$HERE" \
      PYTHONDONTWRITEBYTECODE=1 \
      BOTTLECRM_CACHE_DIR="$CACHE" \
      BOTTLECRM_DB="$db" \
      SECRET_KEY="$(secret_key)" \
      "$@"
}

# Folds a SQLite file's WAL back into it and leaves it in rollback-journal mode, so the
# file alone is the whole database and can be copied.
sqlite_seal() {
  "$VENV/bin/python" - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("PRAGMA journal_mode=DELETE")
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
c.close()
if ok != "ok":
    sys.exit("integrity_check: " + ok)
PY
}

rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

server_pid() {
  # Prints the pid of our running server, or nothing. A pid file whose process is gone,
  # or is no longer our gunicorn (pid reuse), counts as not running.
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  case "$pid" in ''|*[!0-9]*) return 0 ;; esac
  if kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$VENV/bin/gunicorn"; then
    printf '%s\n' "$pid"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock -w 600 9 || die "another bottlecrm.sh is still running (lock $CACHE/.lock)"
}

# ---------------------------------------------------------------------------- setup

do_setup() {
  local t0 py key
  t0=$(date +%s)
  command -v flock >/dev/null || die "flock (util-linux) is missing"
  [ -f "$REQ" ] && [ -f "$SETTINGS" ] && [ -f "$BOOTSTRAP" ] || die "missing files next to $0"
  mkdir -p "$CACHE"

  # 1. The venv.
  py=$(find_python)
  key=$(venv_key "$py")
  if [ "$(cat "$VENV/.kehu-key" 2>/dev/null || true)" != "$key" ]; then
    say "creating venv with $("$py" --version 2>&1) and installing $PKG_SPEC (about a minute)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      --require-virtualenv -r "$REQ" \
      || die "pip install failed (is PyPI reachable? see the output above)"
    "$VENV/bin/python" -m pip check >/dev/null || die "pip check: the pinned set is inconsistent"
    printf '%s\n' "$key" > "$VENV/.kehu-key"
  fi
  "$VENV/bin/python" - <<'PY' || die "the venv does not import django-crm 1.35.0; delete $VENV and retry"
import importlib.metadata as m, sys
v = m.version("django-crm")
sys.exit(0 if v == "1.35.0" else "django-crm is " + v)
PY
  secret_key >/dev/null

  # 2. The migrated schema (the slow part).
  key=$(migrated_key)
  if [ ! -s "$CACHE/migrated.sqlite3" ] || [ "$(cat "$CACHE/migrated.key" 2>/dev/null || true)" != "$key" ]; then
    say "running migrations into a new database (about 2-3 minutes, once per settings/version change)"
    rm_db "$CACHE/migrated.sqlite3.tmp"
    rm -f "$CACHE/migrated.key" "$CACHE/pristine.key"
    django_env "$CACHE/migrated.sqlite3.tmp" "$VENV/bin/django-admin" check \
      >"$CACHE/migrate.log" 2>&1 || { cat "$CACHE/migrate.log" >&2; die "django check failed"; }
    if ! django_env "$CACHE/migrated.sqlite3.tmp" "$VENV/bin/django-admin" migrate --noinput \
        >>"$CACHE/migrate.log" 2>&1; then
      tail -n 40 "$CACHE/migrate.log" >&2
      die "migrate failed (full log: $CACHE/migrate.log)"
    fi
    sqlite_seal "$CACHE/migrated.sqlite3.tmp"
    rm_db "$CACHE/migrated.sqlite3"
    mv "$CACHE/migrated.sqlite3.tmp" "$CACHE/migrated.sqlite3"
    printf '%s\n' "$key" > "$CACHE/migrated.key"
  fi

  # 3. The seeded copy every start begins from, and its credentials.
  key=$(pristine_key)
  if [ ! -s "$CACHE/pristine.sqlite3" ] || [ ! -s "$CREDS" ] \
     || [ "$(cat "$CACHE/pristine.key" 2>/dev/null || true)" != "$key" ]; then
    say "seeding admin user, organisation and API tokens"
    rm_db "$CACHE/pristine.sqlite3.tmp"
    cp "$CACHE/migrated.sqlite3" "$CACHE/pristine.sqlite3.tmp"
    (umask 077; django_env "$CACHE/pristine.sqlite3.tmp" "$VENV/bin/python" "$BOOTSTRAP" \
       "$CREDS" "http://127.0.0.1:$DEFAULT_PORT") || die "bootstrap failed"
    sqlite_seal "$CACHE/pristine.sqlite3.tmp"
    rm_db "$CACHE/pristine.sqlite3"
    mv "$CACHE/pristine.sqlite3.tmp" "$CACHE/pristine.sqlite3"
    printf '%s\n' "$key" > "$CACHE/pristine.key"
    if [ -n "$(server_pid)" ]; then
      say "note: the running server still has the old database; its tokens no longer match credentials.json until the next start"
    fi
  fi
  say "setup done in $(( $(date +%s) - t0 ))s; credentials in ${CREDS#"$ROOT"/}"
}

# ---------------------------------------------------------------------------- start/stop

do_stop() {
  local pid i
  pid=$(server_pid)
  if [ -z "$pid" ]; then
    rm -f "$PIDFILE"
    say "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid did not stop in 10s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PIDFILE" "$CACHE/server.port"
  say "stopped (pid $pid)"
}

do_start() {
  local port=${1:-$DEFAULT_PORT} workers=${BOTTLECRM_WORKERS:-2} timeout=${BOTTLECRM_START_TIMEOUT:-60}
  case "$port" in ''|*[!0-9]*) die "port must be a number, got '$port'" ;; esac
  [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "port out of range: $port"
  command -v curl >/dev/null || die "curl is missing"

  do_setup

  local running
  running=$(server_pid)
  if [ -n "$running" ] && [ "$(cat "$CACHE/server.port" 2>/dev/null || true)" = "$port" ]; then
    say "a server is already running on port $port (pid $running); restarting it on a fresh database"
    do_stop
  elif port_in_use "$port"; then
    die "127.0.0.1:$port is already in use by another process"
  elif [ -n "$running" ]; then
    say "stopping the server already running on port $(cat "$CACHE/server.port" 2>/dev/null || echo '?') (pid $running)"
    do_stop
  fi

  rm_db "$CACHE/db.sqlite3"
  cp "$CACHE/pristine.sqlite3" "$CACHE/db.sqlite3"
  mkdir -p "$CACHE/static" "$CACHE/media"
  : > "$CACHE/server.out"

  local base="http://127.0.0.1:$port"
  # nohup execs gunicorn, so $! is the gunicorn master.
  nohup env DJANGO_SETTINGS_MODULE=bottlecrm_settings PYTHONPATH="$HERE" PYTHONDONTWRITEBYTECODE=1 \
      BOTTLECRM_CACHE_DIR="$CACHE" BOTTLECRM_DB="$CACHE/db.sqlite3" BOTTLECRM_BASE_URL="$base" \
      SECRET_KEY="$(secret_key)" \
    "$VENV/bin/gunicorn" crm.wsgi:application \
      --bind "127.0.0.1:$port" --workers "$workers" --threads 4 --timeout 120 \
      --chdir "$CACHE" --no-control-socket \
      --access-logfile "$CACHE/access.log" --error-logfile "$CACHE/server.out" \
    </dev/null >>"$CACHE/server.out" 2>&1 9>&- &
  local pid=$!
  printf '%s\n' "$pid" > "$PIDFILE"
  printf '%s\n' "$port" > "$CACHE/server.port"

  local deadline=$(( $(date +%s) + timeout ))
  until curl -fsS -o /dev/null --max-time 2 "$base/healthz/" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      tail -n 30 "$CACHE/server.out" >&2
      die "the server exited during start-up (log: $CACHE/server.out)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$CACHE/server.out" >&2
      do_stop
      die "the server did not answer $base/healthz/ within ${timeout}s"
    fi
    sleep 0.2
  done

  # The token is the same on every port; record the base URL it was started on.
  "$VENV/bin/python" - "$CREDS" "$base" <<'PY'
import json, os, sys
path, base = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
c["base_url"], c["api_base"] = base, base + "/api"
with open(path + ".tmp", "w") as f:
    json.dump(c, f, indent=2)
    f.write("\n")
os.replace(path + ".tmp", path)
PY
  say "running (pid $pid, $workers workers); logs in ${CACHE#"$ROOT"/}/server.out"
  printf '%s\n' "$base"
}

do_status() {
  local pid
  pid=$(server_pid)
  if [ -n "$pid" ]; then
    say "running (pid $pid)"
    "$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$CREDS"
  else
    say "not running"
    return 1
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup)  [ $# -eq 0 ] || usage; lock; do_setup ;;
  start)  [ $# -le 1 ] || usage; lock; do_start "$@" ;;
  stop)   [ $# -eq 0 ] || usage; lock; do_stop ;;
  status) [ $# -eq 0 ] || usage; do_status ;;
  *) usage ;;
esac

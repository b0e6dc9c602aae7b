#!/usr/bin/env bash
# Serves a release build with Debian's nginx, as a real deployment would (deploy/nginx.conf:
# CSP, cache headers, wasm MIME type, gzip/brotli, SPA fallback), unprivileged on 127.0.0.1.
#   scripts/nginx.sh start <dist> <port> [subpath=/crm/] [connect-src]
#       starts nginx in the background under <dist>'s own prefix directory (.cache/nginx/<port>)
#       and prints the app's URL, e.g. http://127.0.0.1:8093/crm/
#       (<dist> must be readable by nginx's workers: user nobody when started as root)
#       The CSP's connect-src: the given sources ('self' is added), else the one derived from
#       <dist>/config.json by scripts/csp-connect-src.mjs ('self' and each profile's base_url
#       origin), else — no config.json, backends added in Settings — the tests' default,
#       'self' http://127.0.0.1:* (any local port).
#   scripts/nginx.sh stop <port>
#   scripts/nginx.sh conf <dist> <port> [subpath] [connect-src]   prints the generated config
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
NGINX=${NGINX:-/usr/sbin/nginx}
MODULE_DIR=/usr/lib/nginx/modules

prefix_of() { echo "$PWD/.cache/nginx/$1"; }

# The connect-src sources for <dist> [given sources].
connect_src() {
  if [ -n "${2:-}" ]; then
    case " $2 " in *" 'self' "*) echo "$2" ;; *) echo "'self' $2" ;; esac
  elif [ -f "$1/config.json" ]; then
    node scripts/csp-connect-src.mjs "$1/config.json"
  else
    echo "'self' http://127.0.0.1:*"
  fi
}

render() {
  local dist port subpath connect prefix modules="" brotli="" redirect=""
  dist=$(cd "$1" && pwd); port=$2; subpath=${3:-/crm/}
  connect=$(connect_src "$dist" "${4:-}")
  # Safe in sed's replacement (origins have none of these, but a hand-given list might).
  connect=$(printf '%s' "$connect" | sed -e 's/[\\&#]/\\&/g')
  prefix=$(prefix_of "$port")
  case "$subpath" in /*/) ;; /) ;; *) echo "nginx.sh: subpath must start and end with /: $subpath" >&2; exit 2 ;; esac
  if [ -f "$MODULE_DIR/ngx_http_brotli_filter_module.so" ]; then
    modules="load_module $MODULE_DIR/ngx_http_brotli_filter_module.so;"
    brotli="brotli on; brotli_comp_level 5; brotli_min_length 512; brotli_types text/css text/javascript application/javascript application/json application/wasm application/manifest+json image/svg+xml;"
    if [ -f "$MODULE_DIR/ngx_http_brotli_static_module.so" ]; then
      modules="$modules load_module $MODULE_DIR/ngx_http_brotli_static_module.so;"
      brotli="$brotli brotli_static on;"
    fi
  fi
  [ "$subpath" != "/" ] && redirect="location = ${subpath%/} { return 301 $subpath; }"
  # The app directory is <root><subpath>: a link to dist inside the prefix.
  mkdir -p "$prefix/tmp" "$prefix/www"
  local appdir="$prefix/www${subpath%/}"
  if [ "$subpath" = "/" ]; then root="$dist"; else mkdir -p "$(dirname "$appdir")"; ln -sfn "$dist" "$appdir"; root="$prefix/www"; fi
  sed -e "s#@LISTEN@#127.0.0.1:$port#g" -e "s#@ROOT@#$root#g" -e "s#@SUBPATH_REDIRECT@#$redirect#g" \
      -e "s#@SUBPATH@#$subpath#g" -e "s#@CONNECT_SRC@#$connect#g" -e "s#@PREFIX@#$prefix#g" \
      -e "s#@MODULES@#$modules#g" -e "s#@BROTLI@#$brotli#g" deploy/nginx.conf
}

case "$cmd" in
  conf) shift; render "$@" ;;
  start)
    [ $# -ge 3 ] || { echo "usage: scripts/nginx.sh start <dist> <port> [subpath] [connect-src]" >&2; exit 2; }
    port=$3; subpath=${4:-/crm/}; prefix=$(prefix_of "$port")
    "$0" stop "$port" 2>/dev/null || true
    mkdir -p "$prefix"
    render "$2" "$port" "$subpath" "${5:-}" > "$prefix/nginx.conf"
    "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" -t -q
    "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log"
    for _ in $(seq 50); do
      curl -fsS -o /dev/null "http://127.0.0.1:$port$subpath" 2>/dev/null && { echo "http://127.0.0.1:$port$subpath"; exit 0; }
      sleep 0.1
    done
    echo "nginx.sh: nginx did not answer on port $port; see $prefix/error.log" >&2; tail -n 20 "$prefix/error.log" >&2
    "$0" stop "$port"; exit 1 ;;
  stop)
    port=${2:?usage: scripts/nginx.sh stop <port>}; prefix=$(prefix_of "$port")
    if [ -f "$prefix/nginx.pid" ]; then
      pid=$(cat "$prefix/nginx.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$prefix/nginx.pid"
    fi ;;
  *) echo "usage: scripts/nginx.sh start <dist> <port> [subpath] [connect-src] | stop <port> | conf …" >&2; exit 2 ;;
esac

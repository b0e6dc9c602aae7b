#!/usr/bin/env bash
# Smoke test of a running local BottleCRM (scripts/backends/bottlecrm.sh start [PORT]):
# the plain curl calls Kehu makes, each checked for its status code.
#   scripts/backends/bottlecrm-smoke.sh
# Creates records with fixed names, so run it on a freshly started server.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CREDS="$ROOT/.cache/bottlecrm/credentials.json"
PY="$ROOT/.cache/bottlecrm/venv/bin/python"
[ -s "$CREDS" ] || { echo "smoke: no $CREDS; run scripts/backends/bottlecrm.sh start" >&2; exit 1; }
field() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])' "$CREDS" "$1"; }

BASE=$(field base_url)
TOKEN=$(field token)
AUTH="Authorization: Bearer $TOKEN"
JSON="Content-Type: application/json"
body=$(mktemp); trap 'rm -f "$body"' EXIT
fails=0 passes=0

# check EXPECTED_STATUS curl-args...   (prints the status line and a trimmed body)
check() {
  local want=$1; shift
  local got
  got=$(curl -sS -o "$body" -w '%{http_code}' "$@")
  if [ "$got" = "$want" ]; then passes=$((passes + 1)); printf 'ok   %s' "$got"
  else fails=$((fails + 1)); printf 'FAIL %s (want %s)' "$got" "$want"; fi
  printf '  %s\n       %s\n' "$*" "$(head -c 200 "$body" | tr '\n' ' ')" | sed "s/$TOKEN/<token>/g"
}
json_id() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$body"; }

echo "BottleCRM at $BASE"
check 200 "$BASE/healthz/"
check 403 "$BASE/api/accounts/"                                    # no credentials
check 403 -H "Authorization: Bearer bcrm_pat_nope" "$BASE/api/accounts/"
check 301 -H "$AUTH" "$BASE/api/accounts"                          # no trailing slash
check 200 -H "$AUTH" "$BASE/api/accounts/?limit=10&offset=0"
check 200 -H "Token: $TOKEN" "$BASE/api/accounts/?limit=1"          # the PAT in the Token header works too

check 200 -X POST -H "$AUTH" -H "$JSON" -d '{"name":"Smoke Gear Works","industry":"MANUFACTURING","country":"CN"}' \
  "$BASE/api/accounts/"
ACC=$(json_id)
check 400 -X POST -H "$AUTH" -H "$JSON" -d '{"name":"smoke gear works"}' "$BASE/api/accounts/"   # duplicate name
check 200 -H "$AUTH" "$BASE/api/accounts/$ACC/"
check 200 -X PATCH -H "$AUTH" -H "$JSON" -d '{"city":"Suzhou"}' "$BASE/api/accounts/$ACC/"
check 200 -X PUT -H "$AUTH" -H "$JSON" -d '{"name":"Smoke Gear Works Ltd","city":"Suzhou"}' "$BASE/api/accounts/$ACC/"

check 200 -X POST -H "$AUTH" -H "$JSON" -d "{\"first_name\":\"Lan\",\"last_name\":\"Zhou\",\"email\":\"lan.zhou@smoke.example\",\"account\":\"$ACC\"}" \
  "$BASE/api/contacts/"
CON=$(json_id)
check 200 -H "$AUTH" "$BASE/api/contacts/?limit=10&offset=0"
check 200 -H "$AUTH" "$BASE/api/contacts/$CON/"
check 200 -X PATCH -H "$AUTH" -H "$JSON" -d '{"title":"QA Lead"}' "$BASE/api/contacts/$CON/"

check 200 -X POST -H "$AUTH" -H "$JSON" \
  -d "{\"name\":\"Smoke ticket\",\"status\":\"New\",\"priority\":\"Normal\",\"case_type\":\"Question\",\"account\":\"$ACC\",\"contacts\":[\"$CON\"]}" \
  "$BASE/api/cases/"
CASE=$(json_id)
check 200 -H "$AUTH" "$BASE/api/cases/?limit=10&offset=0&slim=true"
check 200 -H "$AUTH" "$BASE/api/cases/$CASE/"
check 200 -X PATCH -H "$AUTH" -H "$JSON" -d '{"status":"Closed"}' "$BASE/api/cases/$CASE/"

check 200 -X DELETE -H "$AUTH" "$BASE/api/cases/$CASE/"
check 404 -H "$AUTH" "$BASE/api/cases/$CASE/"
check 200 -X DELETE -H "$AUTH" "$BASE/api/contacts/$CON/"
check 200 -X DELETE -H "$AUTH" "$BASE/api/accounts/$ACC/"
check 200 -X OPTIONS -H "Origin: http://127.0.0.1:8080" -H "Access-Control-Request-Method: PUT" \
  -H "Access-Control-Request-Headers: authorization,content-type" "$BASE/api/accounts/"

echo "smoke: $passes passed, $fails failed"
[ "$fails" -eq 0 ]

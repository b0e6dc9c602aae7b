"""Capture real BottleCRM request/response pairs for Kehu's parser tests.

Run against a freshly started server (scripts/backends/bottlecrm.sh start):

    python3 scripts/backends/bottlecrm_capture.py [CREDENTIALS_JSON] [OUT_DIR]

defaults .cache/bottlecrm/credentials.json and tests/fixtures/bottlecrm. Only the
standard library; the server must be on a fresh (pristine) database, because the
scenario creates records with fixed names and the API refuses duplicate names.

Writes, for each step, OUT_DIR/<name>.json holding the response body exactly as
parsed JSON (or {"_non_json_body": "..."} for the HTML/empty bodies), and
OUT_DIR/exchanges.json: every request in order with method, path, request headers
(token redacted), request body, status, the relevant response headers and the name
of the body file. docs/backends/bottlecrm.md quotes from these.

Exits non-zero if any step answers a status other than the one expected, so it
doubles as an end-to-end check of the backend.
"""

import json
import os
import sys
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CREDS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, ".cache", "bottlecrm", "credentials.json"
)
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    ROOT, "tests", "fixtures", "bottlecrm"
)

KEEP_HEADERS = (
    "content-type",
    "location",
    "allow",
    "vary",
    "etag",
    "last-modified",
    "access-control-allow-origin",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-expose-headers",
    "access-control-max-age",
    "www-authenticate",
)

with open(CREDS) as f:
    creds = json.load(f)
BASE = creds["base_url"].rstrip("/")
TOKEN = creds["token"]
USER_TOKEN = creds["user"]["token"]
ORG_KEY = creds["org_api_key"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)
exchanges = []
failures = []


def redact(value):
    for secret, label in (
        (TOKEN, "<admin PAT>"),
        (USER_TOKEN, "<member PAT>"),
        (ORG_KEY, "<org api_key>"),
    ):
        value = value.replace(secret, label)
    return value


def call(name, method, path, body=None, headers=None, auth="admin", expect=200):
    hdrs = {"Accept": "application/json"}
    if auth == "admin":
        hdrs["Authorization"] = "Bearer " + TOKEN
    elif auth == "member":
        hdrs["Authorization"] = "Bearer " + USER_TOKEN
    elif auth == "orgkey":
        hdrs["Token"] = ORG_KEY
    elif auth == "bad":
        hdrs["Authorization"] = "Bearer bcrm_pat_thisIsNotAValidToken000000000000000000000"
    hdrs.update(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=hdrs)
    try:
        resp = opener.open(req, timeout=30)
        status, rh, raw = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, rh, raw = e.code, e.headers, e.read()
    text = raw.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text else {"_non_json_body": ""}
    except ValueError:
        parsed = {"_non_json_body": text}
    if name:
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(parsed, f, indent=2, ensure_ascii=False)
            f.write("\n")
    exchanges.append(
        {
            "name": name,
            "request": {
                "method": method,
                "path": path,
                "headers": {k: redact(v) for k, v in hdrs.items()},
                "body": body,
            },
            "response": {
                "status": status,
                "headers": {
                    k.lower(): v for k, v in rh.items() if k.lower() in KEEP_HEADERS
                },
                "body_file": (name + ".json") if name else None,
            },
        }
    )
    mark = "ok " if status == expect else "BAD"
    print(f"{mark} {status} {method} {path}" + (f"  -> {name}.json" if name else ""))
    if status != expect:
        failures.append(f"{method} {path}: expected {expect}, got {status}: {text[:300]}")
    return parsed


def main():
    os.makedirs(OUT, exist_ok=True)
    admin_profile = creds["admin"]["profile_id"]
    member_profile = creds["user"]["profile_id"]

    # --- auth -------------------------------------------------------------------
    call("error_no_auth", "GET", "/api/accounts/", auth=None, expect=403)
    call("error_bad_token", "GET", "/api/accounts/", auth="bad", expect=403)
    call(
        None,
        "GET",
        "/api/accounts/",
        auth=None,
        headers={"org": creds["org_id"]},
        expect=403,
    )
    call(None, "GET", "/api/accounts/", auth="orgkey", expect=200)
    call(
        "error_orgkey_write",
        "POST",
        "/api/accounts/",
        {"name": "Via org key"},
        auth="orgkey",
        expect=403,
    )
    call("empty_accounts_list", "GET", "/api/accounts/", expect=200)

    # --- accounts -----------------------------------------------------------------
    acme = call(
        "account_create",
        "POST",
        "/api/accounts/",
        {
            "name": "Acme Precision Gears",
            "email": "sales@acme-gears.example",
            "phone": "+86 574 8765 4321",
            "website": "https://acme-gears.example",
            "industry": "MANUFACTURING",
            "number_of_employees": 420,
            "annual_revenue": "125000000.00",
            "currency": "CNY",
            "address_line": "88 Harbour Road",
            "city": "Ningbo",
            "state": "Zhejiang",
            "postcode": "315000",
            "country": "CN",
            "description": "Gearboxes for port cranes.",
            "assigned_to": [admin_profile],
        },
    )["id"]
    beta = call(
        None, "POST", "/api/accounts/", {"name": "Beta Logistics", "city": "Shenzhen"}
    )["id"]
    gamma = call(
        None, "POST", "/api/accounts/", {"name": "Gamma Aero Parts", "country": "TW"}
    )["id"]
    call(
        None,
        "POST",
        "/api/accounts/",
        {"name": "Delta Exports (dormant)", "is_active": False},
    )
    call(
        "account_create_error_missing_name",
        "POST",
        "/api/accounts/",
        {"city": "Nowhere"},
        expect=400,
    )
    call(
        "account_create_error_duplicate",
        "POST",
        "/api/accounts/",
        {"name": "acme precision gears"},
        expect=400,
    )
    call(
        "account_create_error_choices",
        "POST",
        "/api/accounts/",
        {"name": "Bad Choices", "industry": "Gears", "country": "China", "email": "x"},
        expect=400,
    )
    call("accounts_list_page1", "GET", "/api/accounts/?limit=2&offset=0")
    call("accounts_list_page2", "GET", "/api/accounts/?limit=2&offset=2")
    call("accounts_list_search", "GET", "/api/accounts/?name=acme")
    call("account_detail", "GET", f"/api/accounts/{acme}/")
    call(
        "account_patch",
        "PATCH",
        f"/api/accounts/{acme}/",
        {"city": "Ningbo Beilun", "number_of_employees": 450},
    )
    # PUT: `name` is required; other scalar fields that are absent are kept, but the
    # relation lists (assigned_to, contacts, tags, teams) absent from the body are
    # emptied.
    call(
        "account_put",
        "PUT",
        f"/api/accounts/{beta}/",
        {"name": "Beta Logistics Co.", "city": "Shenzhen", "industry": "TRANSPORTATION"},
    )
    call(
        "account_put_error_missing_name",
        "PUT",
        f"/api/accounts/{beta}/",
        {"city": "Guangzhou"},
        expect=400,
    )
    # Stale write: If-Match is ignored, the last write wins.
    call(
        "account_put_stale_if_match",
        "PUT",
        f"/api/accounts/{gamma}/",
        {"name": "Gamma Aero Parts", "country": "TW", "city": "Taichung"},
        headers={"If-Match": '"stale-version-1"', "If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
    )
    call("account_detail_after_put", "GET", f"/api/accounts/{beta}/")
    call(
        "error_account_not_found",
        "GET",
        "/api/accounts/00000000-0000-4000-8000-000000000000/",
        expect=404,
    )
    call("error_account_bad_id", "GET", "/api/accounts/not-a-uuid/", expect=404)
    # Trailing slash: 301 to the slashed URL, for every method.
    call("error_no_trailing_slash_get", "GET", "/api/accounts", expect=301)
    call(
        "error_no_trailing_slash_post",
        "POST",
        "/api/accounts",
        {"name": "No slash"},
        expect=301,
    )
    call(
        "error_no_trailing_slash_patch",
        "PATCH",
        f"/api/accounts/{acme}",
        {"city": "x"},
        expect=301,
    )
    # A member (role USER) may not delete an account an admin created.
    call(
        "error_member_delete_account",
        "DELETE",
        f"/api/accounts/{gamma}/",
        auth="member",
        expect=404,
    )

    # --- contacts -----------------------------------------------------------------
    li = call(
        "contact_create",
        "POST",
        "/api/contacts/",
        {
            "first_name": "Wei",
            "last_name": "Li",
            "email": "li.wei@acme-gears.example",
            "phone": "+86 138 0000 1234",
            "title": "Purchasing Manager",
            "department": "Procurement",
            "organization": "Acme Precision Gears",
            "city": "Ningbo",
            "country": "CN",
            "account": acme,
            "description": "Prefers WeChat.",
        },
    )["id"]
    chen = call(
        None,
        "POST",
        "/api/contacts/",
        {"first_name": "Mei", "last_name": "Chen", "email": "mei.chen@beta.example"},
    )["id"]
    call(
        None,
        "POST",
        "/api/contacts/",
        {"first_name": "Hao", "last_name": "Wang", "account": gamma},
    )
    call(
        None,
        "POST",
        "/api/contacts/",
        {"first_name": "Former", "last_name": "Employee", "is_active": False},
    )
    call(
        "contact_create_error_missing",
        "POST",
        "/api/contacts/",
        {"email": "someone@example.com"},
        expect=400,
    )
    call(
        "contact_create_error_duplicate_email",
        "POST",
        "/api/contacts/",
        {"first_name": "Other", "last_name": "Li", "email": "LI.WEI@acme-gears.example"},
        expect=400,
    )
    call("contacts_list_page1", "GET", "/api/contacts/?limit=2&offset=0")
    call("contacts_list_page2", "GET", "/api/contacts/?limit=2&offset=2")
    call("contact_detail", "GET", f"/api/contacts/{li}/")
    call(
        "contact_patch",
        "PATCH",
        f"/api/contacts/{li}/",
        {"title": "Head of Purchasing", "phone": "+86 138 0000 9999"},
    )
    call(
        "contact_put",
        "PUT",
        f"/api/contacts/{chen}/",
        {"first_name": "Mei", "last_name": "Chen-Zhang", "account": beta},
    )
    call(
        "contact_put_error_missing",
        "PUT",
        f"/api/contacts/{chen}/",
        {"title": "CFO"},
        expect=400,
    )
    call("contact_detail_after_put", "GET", f"/api/contacts/{chen}/")

    # --- cases (tickets) ------------------------------------------------------------
    case1 = call(
        "case_create",
        "POST",
        "/api/cases/",
        {
            "name": "Gearbox noise on crane 7",
            "status": "New",
            "priority": "High",
            "case_type": "Incident",
            "account": acme,
            "contacts": [li],
            "description": "Grinding noise above 40% load.",
            "assigned_to": [admin_profile],
        },
    )["id"]
    case2 = call(
        None,
        "POST",
        "/api/cases/",
        {
            "name": "Invoice copy request",
            "status": "Pending",
            "priority": "Low",
            "case_type": "Question",
            "account": beta,
        },
    )["id"]
    call(
        None,
        "POST",
        "/api/cases/",
        {
            "name": "Certificate of conformity missing",
            "status": "Assigned",
            "priority": "Urgent",
            "case_type": "Problem",
            "account": gamma,
            "assigned_to": [member_profile],
        },
    )
    call(
        "case_create_error_missing",
        "POST",
        "/api/cases/",
        {"name": "No status"},
        expect=400,
    )
    call(
        "case_create_error_choices",
        "POST",
        "/api/cases/",
        {"name": "Bad values", "status": "Open", "priority": "Medium", "case_type": "Bug"},
        expect=400,
    )
    call("cases_list_page1", "GET", "/api/cases/?limit=2&offset=0")
    call("cases_list_page2", "GET", "/api/cases/?limit=2&offset=2&slim=true")
    call("cases_list_filtered", "GET", "/api/cases/?status=New&status=Pending&slim=true")
    call("case_detail", "GET", f"/api/cases/{case1}/")
    call(
        "case_patch_close",
        "PATCH",
        f"/api/cases/{case2}/",
        {"status": "Closed"},
    )
    call(
        "case_put",
        "PUT",
        f"/api/cases/{case1}/",
        {
            "name": "Gearbox noise on crane 7",
            "status": "Assigned",
            "priority": "Urgent",
            "case_type": "Incident",
            "account": acme,
        },
    )
    call(
        "case_put_error_missing",
        "PUT",
        f"/api/cases/{case1}/",
        {"priority": "Low"},
        expect=400,
    )
    call("case_detail_after_put", "GET", f"/api/cases/{case1}/")
    call("case_detail_closed", "GET", f"/api/cases/{case2}/")

    # --- deletes ------------------------------------------------------------------
    call("case_delete", "DELETE", f"/api/cases/{case2}/")
    call("error_case_deleted", "GET", f"/api/cases/{case2}/", expect=404)
    call("contact_delete", "DELETE", f"/api/contacts/{chen}/")
    call("error_contact_deleted", "GET", f"/api/contacts/{chen}/", expect=404)
    call("account_delete", "DELETE", f"/api/accounts/{beta}/")
    call("error_account_deleted", "GET", f"/api/accounts/{beta}/", expect=404)
    call("accounts_list_after_delete", "GET", "/api/accounts/?limit=10")

    # --- CORS -----------------------------------------------------------------------
    call(
        None,
        "OPTIONS",
        "/api/accounts/",
        auth=None,
        headers={
            "Origin": "http://127.0.0.1:8080",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    call(
        None,
        "GET",
        "/api/contacts/?limit=1",
        headers={"Origin": "http://127.0.0.1:8080"},
    )

    with open(os.path.join(OUT, "exchanges.json"), "w") as f:
        json.dump(exchanges, f, indent=2, ensure_ascii=False)
        f.write("\n")
    if failures:
        print("\n".join(["", "FAILED:"] + failures), file=sys.stderr)
        sys.exit(1)
    print(f"{len(exchanges)} exchanges, all as expected; fixtures in {OUT}")


if __name__ == "__main__":
    main()

"""Seed a freshly migrated BottleCRM database with what Kehu's tests log in as.

Run by scripts/backends/bottlecrm.sh setup, with DJANGO_SETTINGS_MODULE and
BOTTLECRM_DB already set:

    python bottlecrm_bootstrap.py CREDENTIALS_JSON BASE_URL

Creates, through the package's own models (the same rows its sign-up and token
views create):

* a superuser `admin@example.com` (password `admin`, for /admin/ only: the API
  has no password login, only Google and e-mailed magic links),
* an organisation "Kehu Test Org" with that user as its ADMIN profile,
* a second, ordinary member `user@example.com` (role USER),
* one unscoped personal access token (`bcrm_pat_...`) for each of them.

and writes the raw tokens, which exist nowhere else (only their SHA-256 is
stored), with the org id and org API key to CREDENTIALS_JSON.
"""

import json
import os
import sys

import django


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bottlecrm_bootstrap.py CREDENTIALS_JSON BASE_URL")
    out_path, base_url = sys.argv[1], sys.argv[2].rstrip("/")

    django.setup()
    from django.db import transaction

    from common.models import Org, PersonalAccessToken, Profile, User

    if Org.objects.exists() or User.objects.exists():
        sys.exit("bootstrap: database is not empty; refusing to seed it twice")

    with transaction.atomic():
        admin = User.objects.create_superuser(
            email="admin@example.com", password="admin", name="Kehu Admin"
        )
        member = User.objects.create_user(
            email="user@example.com", password="user", name="Kehu User"
        )
        org = Org.objects.create(name="Kehu Test Org", company_name="Kehu Test Org")
        admin_profile = Profile.objects.create(user=admin, org=org, role="ADMIN")
        member_profile = Profile.objects.create(user=member, org=org, role="USER")
        admin_raw, admin_pat = PersonalAccessToken.generate(
            admin_profile, "kehu-tests-admin"
        )
        member_raw, member_pat = PersonalAccessToken.generate(
            member_profile, "kehu-tests-user"
        )

    creds = {
        "base_url": base_url,
        "api_base": base_url + "/api",
        "token": admin_raw,
        "auth_header": "Authorization: Bearer " + admin_raw,
        "org_id": str(org.id),
        "org_name": org.name,
        "org_header_required": False,
        "org_api_key": org.api_key,
        "org_api_key_header": "Token: " + org.api_key,
        "admin": {
            "email": admin.email,
            "password": "admin",
            "user_id": str(admin.id),
            "profile_id": str(admin_profile.id),
            "role": "ADMIN",
            "token": admin_raw,
            "token_id": str(admin_pat.id),
        },
        "user": {
            "email": member.email,
            "password": "user",
            "user_id": str(member.id),
            "profile_id": str(member_profile.id),
            "role": "USER",
            "token": member_raw,
            "token_id": str(member_pat.id),
        },
        "notes": (
            "token = personal access token of the org ADMIN; send it as "
            "'Authorization: Bearer <token>' (or 'Token: <token>'). It carries "
            "the org: no org header is needed. org_api_key is the legacy "
            "read-only org key, sent as 'Token: <key>'. `bottlecrm.sh start PORT` "
            "rewrites base_url and api_base to the port it started on."
        ),
    }
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(creds, f, indent=2)
        f.write("\n")
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()

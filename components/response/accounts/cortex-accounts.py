#!/usr/bin/env python3
# Fortress: Cortex's accounts, made by a Kubernetes Job (components/response/cortexAccounts.ts) against
# Cortex's API. Python 3 standard library only. Re-runnable: every step checks before it acts.
#
# A new Cortex has no user, and while it has none anyone may act as its "initial user" without
# credentials (TheHive-Project/Cortex@4.1.0 app/org/thp/cortex/services/UserSrv.scala getInitialUser:
# refused once a user exists; elastic4play Authenticated.scala tries it last). This Job is that first
# caller, so nobody else is:
# 1. POST /api/maintenance/migrate (the index; MigrationCtrl.migrate, no authentication)
# 2. the superadmin (organisation "cortex", role superadmin; POST /api/user as the initial user) with a
#    generated password, or a check that it already has that password (GET /api/user/current, Basic)
# 3. the organisation TheHive works in (POST /api/organization, superadmin; GET /api/organization/{id})
# 4. TheHive's user there (read, analyze, orgadmin; POST /api/user with `organization`), whose API key
#    is set to the generated one (POST /api/user/{id}/key/set {"key"}, UserCtrl.setKey), so the key is
#    known to Pulumi and handed to TheHive without ever being read back.
# Routes: conf/routes at the 4.1.0 tag.

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def request(base, method, path, auth=None, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if auth:
        req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def basic(login, password):
    return "Basic " + base64.b64encode(("%s:%s" % (login, password)).encode("utf-8")).decode("ascii")


def must(result, *expected):
    status, text = result
    if status not in expected:
        raise SystemExit("cortex-accounts: HTTP %s: %s" % (status, text[:200]))
    return text


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def found(answer, what):
    """The thing when Cortex has it, None when it has not (404); any other answer is an error: a 401
    here means Cortex refused the superadmin's login (auth.method.basic off), not that nothing exists."""
    status, text = answer
    if status == 200:
        return text
    if status == 404:
        return None
    raise SystemExit("cortex-accounts: reading the %s answered HTTP %s: %s" % (what, status, text[:200]))


def main(env):
    spec = json.loads(env.get("ACCOUNTS_SPEC") or read(env.get("ACCOUNTS_SPEC_FILE", "/script/spec.json")))
    secrets = env.get("ACCOUNTS_SECRETS_DIR", "/run/fortress/accounts")
    base = spec["url"].rstrip("/")
    for _ in range(int(env.get("WAIT_ATTEMPTS", "120"))):
        try:
            if request(base, "GET", "/api/status")[0] == 200:
                break
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(float(env.get("WAIT_PAUSE", "5")))
    else:
        raise SystemExit("cortex-accounts: Cortex did not answer /api/status")
    must(request(base, "POST", "/api/maintenance/migrate"), 200, 204)

    admin = spec["superadmin"]
    admin_auth = basic(admin, read(os.path.join(secrets, "superadmin-password")))
    if request(base, "GET", "/api/user/current", admin_auth)[0] == 200:
        print("superadmin: already has its generated password")
    else:
        # As the initial user: Cortex allows it only while it has no user at all.
        status, text = request(
            base,
            "POST",
            "/api/user",
            None,
            {
                "login": admin,
                "name": "Fortress superadmin",
                "roles": ["superadmin"],
                "organization": "cortex",
                "password": read(os.path.join(secrets, "superadmin-password")),
            },
        )
        if status != 201:
            raise SystemExit(
                "cortex-accounts: the superadmin neither has its generated password nor can be created (HTTP %s): "
                "someone made the first user before Fortress did" % status
            )
        print("superadmin: created")

    organization = spec["organization"]
    quoted = urllib.parse.quote(organization, safe="")
    if found(request(base, "GET", "/api/organization/" + quoted, admin_auth), "organization") is None:
        must(
            request(base, "POST", "/api/organization", admin_auth, {"name": organization, "description": "Fortress lab", "status": "Active"}),
            200,
            201,
        )
        print("organization %s: created" % organization)

    user = spec["thehive"]
    path = "/api/user/" + urllib.parse.quote(user["login"], safe="")
    if found(request(base, "GET", path, admin_auth), "user") is None:
        must(
            request(
                base,
                "POST",
                "/api/user",
                admin_auth,
                {"login": user["login"], "name": user["name"], "roles": user["roles"], "organization": organization},
            ),
            200,
            201,
        )
        print("user %s: created" % user["login"])
    key = read(os.path.join(secrets, "thehive-key"))
    if request(base, "GET", "/api/user/current", "Bearer " + key)[0] != 200:
        must(request(base, "POST", path + "/key/set", admin_auth, {"key": key}), 200)
        print("user %s: key set" % user["login"])
    return 0


if __name__ == "__main__":
    sys.exit(main(os.environ))

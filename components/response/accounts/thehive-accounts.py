#!/usr/bin/env python3
# Fortress: TheHive's accounts, made by a Kubernetes Job (components/response/accounts.ts) against
# TheHive's API. Python 3 standard library only. Re-runnable: every step checks before it acts.
#
# 1. The shipped administrator (admin@thehive.local, password "secret": TheHive's documented first
#    login) gets the generated password; once it has it, the default no longer works.
# 2. The organisation Fortress works in, an analyst with a generated password (free edition: local
#    accounts only), and a service account per integration (type "Service": service accounts do not
#    count against the licence's users), each with an API key.
# 3. Each key goes into its Kubernetes Secret (a merge patch of that one Secret, which the Job's Role
#    names), never to stdout or a command line.
#
# Endpoints (thehive4py endpoints/user.py, endpoints/organisation.py; types/user.py InputUser):
#   GET  /api/v1/user/current                    who the credentials are
#   POST /api/v1/user/{id}/password/change       {password, currentPassword}
#   POST /api/v1/user/{id}/password/set          {password}
#   GET  /api/v1/organisation/{id}, POST /api/v1/organisation {name, description}
#   GET  /api/v1/user/{id}, POST /api/v1/user    {login, name, profile, organisation, password?, type}
#   POST /api/v1/user/{id}/key/renew             answers the new key as text
# Basic auth for the administrator (TheHive's `basic` auth provider), bearer for a key.

import base64
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ADMIN_LOGIN = "admin@thehive.local"
SHIPPED_ADMIN_PASSWORD = "secret"


class ApiError(Exception):
    def __init__(self, status, text):
        super().__init__("HTTP %s: %s" % (status, text[:200]))
        self.status = status


def request(base, method, path, auth, body=None, context=None, content_type="application/json"):
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=30, context=context) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def basic(login, password):
    return "Basic " + base64.b64encode(("%s:%s" % (login, password)).encode("utf-8")).decode("ascii")


class TheHive:
    def __init__(self, base, auth):
        self.base = base.rstrip("/")
        self.auth = auth

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        status, text = request(self.base, method, path, self.auth, body)
        if status not in expect:
            raise ApiError(status, text)
        return status, text

    def exists(self, path):
        status, text = request(self.base, "GET", path, self.auth)
        if status == 404:
            return False
        if status == 200:
            return True
        raise ApiError(status, text)


def quote(value):
    return urllib.parse.quote(value, safe="@.")


def wait_for(base, attempts, pause):
    for _ in range(attempts):
        try:
            status, _ = request(base.rstrip("/"), "GET", "/api/status", "")
            if status == 200:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(pause)
    raise SystemExit("TheHive did not answer /api/status")


def admin_session(base, password):
    """The administrator with the generated password, giving it that password first if needed."""
    hive = TheHive(base, basic(ADMIN_LOGIN, password))
    status, _ = request(hive.base, "GET", "/api/v1/user/current", hive.auth)
    if status == 200:
        return hive, False
    shipped = TheHive(base, basic(ADMIN_LOGIN, SHIPPED_ADMIN_PASSWORD))
    status, text = request(shipped.base, "GET", "/api/v1/user/current", shipped.auth)
    if status != 200:
        raise SystemExit("TheHive's administrator takes neither the generated nor the shipped password (HTTP %s)" % status)
    shipped.call(
        "POST",
        "/api/v1/user/%s/password/change" % quote(ADMIN_LOGIN),
        {"password": password, "currentPassword": SHIPPED_ADMIN_PASSWORD},
    )
    return hive, True


def ensure_organisation(hive, name, description):
    if not hive.exists("/api/v1/organisation/%s" % quote(name)):
        hive.call("POST", "/api/v1/organisation", {"name": name, "description": description})


def ensure_user(hive, user, password=None):
    path = "/api/v1/user/%s" % quote(user["login"])
    if not hive.exists(path):
        body = dict(user)
        if password is not None:
            body["password"] = password
        hive.call("POST", "/api/v1/user", body)
    elif password is not None:
        hive.call("POST", path + "/password/set", {"password": password})


def key_works(base, key):
    if not key:
        return False
    status, _ = request(base.rstrip("/"), "GET", "/api/v1/user/current", "Bearer " + key)
    return status == 200


class Kubernetes:
    """The one call the Job makes to the API server: a merge patch of a Secret in its namespace."""

    def __init__(self, api, token, ca_file, namespace):
        self.api = api.rstrip("/")
        self.auth = "Bearer " + token
        self.context = ssl.create_default_context(cafile=ca_file) if self.api.startswith("https://") else None
        self.namespace = namespace

    def secret_value(self, name, key):
        status, text = request(self.api, "GET", "/api/v1/namespaces/%s/secrets/%s" % (self.namespace, name), self.auth, context=self.context)
        if status != 200:
            raise ApiError(status, text)
        data = json.loads(text).get("data") or {}
        return base64.b64decode(data[key]).decode("utf-8") if key in data else ""

    def put_secret_value(self, name, key, value):
        body = json.dumps({"data": {key: base64.b64encode(value.encode("utf-8")).decode("ascii")}}).encode("utf-8")
        status, text = request(
            self.api,
            "PATCH",
            "/api/v1/namespaces/%s/secrets/%s" % (self.namespace, name),
            self.auth,
            body,
            self.context,
            "application/merge-patch+json",
        )
        if status != 200:
            raise ApiError(status, text)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def kubernetes_from_env(env):
    sa = env.get("SERVICE_ACCOUNT_DIR", "/var/run/secrets/kubernetes.io/serviceaccount")
    api = env.get("KUBERNETES_API") or "https://%s:%s" % (env["KUBERNETES_SERVICE_HOST"], env["KUBERNETES_SERVICE_PORT"])
    return Kubernetes(api, read(os.path.join(sa, "token")), os.path.join(sa, "ca.crt"), read(os.path.join(sa, "namespace")))


def main(env):
    spec = json.loads(env.get("ACCOUNTS_SPEC") or read(env.get("ACCOUNTS_SPEC_FILE", "/script/spec.json")))
    secrets_dir = env.get("ACCOUNTS_SECRETS_DIR", "/run/fortress/accounts")
    base = spec["url"]
    wait_for(base, int(env.get("WAIT_ATTEMPTS", "120")), float(env.get("WAIT_PAUSE", "5")))
    hive, changed = admin_session(base, read(os.path.join(secrets_dir, "admin-password")))
    print("administrator: %s" % ("shipped password replaced" if changed else "already has its generated password"))
    organisation = spec["organisation"]
    ensure_organisation(hive, organisation, "Fortress lab")
    for person in spec["users"]:
        ensure_user(
            hive,
            {"login": person["login"], "name": person["name"], "profile": person["profile"], "organisation": organisation, "type": "Normal"},
            read(os.path.join(secrets_dir, person["passwordFile"])),
        )
        print("user %s: ready" % person["login"])
    k8s = kubernetes_from_env(env)
    for service in spec["services"]:
        ensure_user(
            hive,
            {"login": service["login"], "name": service["name"], "profile": service["profile"], "organisation": organisation, "type": "Service"},
        )
        stored = k8s.secret_value(service["secret"], service["secretKey"])
        if key_works(base, stored):
            print("service %s: its stored key works" % service["login"])
            continue
        _, key = hive.call("POST", "/api/v1/user/%s/key/renew" % quote(service["login"]))
        key = key.strip().strip('"')
        k8s.put_secret_value(service["secret"], service["secretKey"], key)
        print("service %s: new key stored in Secret %s" % (service["login"], service["secret"]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(os.environ))
    except ApiError as error:
        sys.stderr.write("thehive-accounts: %s\n" % error)
        sys.exit(1)

#!/usr/bin/env python3
# Fortress: Cortex's analyzers and responders in the organisation TheHive works in, enabled and
# configured by a Kubernetes Job (components/response/cortexNeurons.ts) through Cortex's API, as
# TheHive's user there (an orgadmin: AnalyzerCtrl.create/update require Roles.orgAdmin and act in the
# caller's organisation; TheHive-Project/Cortex@4.1.0). Python 3 standard library only; re-runnable.
#
# For each worker of the spec: GET /api/organization/<type> (the organisation's, with their
# configuration for an orgadmin); one of that name is PATCHed (/api/<type>/<id> {"configuration"})
# when its configuration differs, else created (POST /api/organization/<type>/<definition id> {"name",
# "configuration"}). A definition Cortex does not know yet (404 "Worker <id> not found": it reads its
# catalogs when it starts) is looked for again after POST /api/<type>definition/scan.
# Secrets (TheHive's key, each worker's configuration) are files of a mounted Secret, never arguments.

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def request(base, method, path, key, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def wait(base, attempts, pause):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(base + "/api/status", timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(pause)
    raise SystemExit("cortex-neurons: Cortex did not answer /api/status")


def create(base, key, worker, configuration, attempts, pause):
    path = "/api/organization/%s/%s" % (worker["type"], urllib.parse.quote(worker["definition"], safe=""))
    for attempt in range(attempts):
        status, text = request(base, "POST", path, key, {"name": worker["name"], "configuration": configuration})
        if status in (200, 201):
            print("%s %s: enabled" % (worker["type"], worker["name"]))
            return
        if status != 404:
            raise SystemExit("cortex-neurons: %s %s refused (HTTP %s): %s" % (worker["type"], worker["name"], status, text[:300]))
        # Cortex has not read the definition yet: ask it to read its catalogs again.
        request(base, "POST", "/api/%sdefinition/scan" % worker["type"], key)
        time.sleep(pause)
    raise SystemExit(
        "cortex-neurons: Cortex has no definition %s: is Fortress's catalog mounted (analyzer.urls/responder.urls)?"
        % worker["definition"]
    )


def main(env):
    spec = json.loads(env.get("NEURONS_SPEC") or read(env.get("NEURONS_SPEC_FILE", "/script/spec.json")))
    secrets = env.get("NEURONS_SECRETS_DIR", "/run/fortress/neurons")
    attempts = int(env.get("WAIT_ATTEMPTS", "120"))
    pause = float(env.get("WAIT_PAUSE", "5"))
    base = spec["url"].rstrip("/")
    wait(base, attempts, pause)
    key = read(os.path.join(secrets, "thehive-key"))
    for worker in spec["workers"]:
        configuration = json.loads(read(os.path.join(secrets, worker["configFile"]))) if worker.get("configFile") else {}
        status, text = request(base, "GET", "/api/organization/%s" % worker["type"], key)
        if status != 200:
            raise SystemExit("cortex-neurons: cannot list the organisation's %ss (HTTP %s): %s" % (worker["type"], status, text[:200]))
        existing = [w for w in json.loads(text) if w.get("name") == worker["name"]]
        if not existing:
            create(base, key, worker, configuration, max(1, min(attempts, 24)), pause)
            continue
        current = existing[0]
        # Cortex stores every item of the definition (defaults, [] and null for the absent:
        # WorkerSrv.create), so only what Fortress sets is compared.
        stored = current.get("configuration") or {}
        if all(stored.get(name) == value for name, value in configuration.items()):
            print("%s %s: already configured" % (worker["type"], worker["name"]))
            continue
        status, text = request(base, "PATCH", "/api/%s/%s" % (worker["type"], current["id"]), key, {"configuration": configuration})
        if status != 200:
            raise SystemExit("cortex-neurons: %s %s not updated (HTTP %s): %s" % (worker["type"], worker["name"], status, text[:300]))
        print("%s %s: configuration updated" % (worker["type"], worker["name"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(os.environ))

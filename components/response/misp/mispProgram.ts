/**
 * `fortress_misp.py`, the stdlib-only Python program the MISP VM runs (as root) to set MISP up through
 * MISP's REST API with the admin key (header `Authorization: <key>`, `Accept: application/json`):
 * - `feeds <desired.json>`: enables the configured feeds (looked up by URL in `GET /feeds`; a feed MISP
 *   does not hold yet is added by `POST /feeds/add` with `enabled`), and disables the catalog's feeds
 *   that are not configured (`POST /feeds/enable/<id>`, `/feeds/disable/<id>`, done only when MISP answers
 *   "Feed enabled."/"Feed disabled.": a refused save answers 200 too). MISP/MISP
 *   app/Controller/FeedsController.php `index` (CRUD index, `[{"Feed": {…}}]`), `add`, `enable`, `disable`.
 * - `user <email> <role-id>`: the integration user (Cortex's MISP analyzer, TheHive's connector), found
 *   by e-mail in `GET /admin/users`, else created by `POST /admin/users/add` (whose answer carries the
 *   new key as `User.authkey` when advanced auth keys are on: UsersController.php `admin_add`); its role
 *   kept by `POST /admin/users/edit/<id>`; its key kept root-only in KEY_PATH and checked with
 *   `GET /users/view/me`, a new one made by `POST /auth_keys/add/<id>` (`AuthKey.authkey_raw`,
 *   AuthKeysController.php `add`) when the file is missing or MISP refuses it, then the user's other keys
 *   deleted (`GET /auth_keys/index/<user id>`, `POST /auth_keys/delete/<key id>`), so a lost key stops
 *   working. Prints the key.
 * Every step reads before it writes, so a re-run changes nothing.
 */
export const PROGRAM_DIR = "/usr/local/lib/fortress";
export const MISP_PROGRAM_PATH = `${PROGRAM_DIR}/fortress_misp.py`;
export const MISP_CONFIG_DIR = "/etc/fortress-misp";
export const ADMIN_KEY_PATH = `${MISP_CONFIG_DIR}/admin.key`;
export const INTEGRATION_KEY_PATH = `${MISP_CONFIG_DIR}/integration.key`;
export const FEEDS_PATH = `${MISP_CONFIG_DIR}/feeds.json`;

export const MISP_PROGRAM = String.raw`#!/usr/bin/python3
"""Fortress: MISP feeds and the integration user, through MISP's REST API (see mispProgram.ts)."""
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

URL = os.environ.get("FORTRESS_MISP_URL", "https://localhost")
CA = os.environ.get("FORTRESS_MISP_CA", "/opt/misp/lab-ca.crt")
ADMIN_KEY_PATH = os.environ.get("FORTRESS_MISP_ADMIN_KEY", "${ADMIN_KEY_PATH}")
KEY_PATH = os.environ.get("FORTRESS_MISP_INTEGRATION_KEY", "${INTEGRATION_KEY_PATH}")


class MispError(Exception):
    pass


def read_key(path):
    with open(path, encoding="ascii") as handle:
        return handle.read().strip()


def call(method, path, key, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method)
    request.add_header("Authorization", key)
    request.add_header("Accept", "application/json")
    request.add_header("Content-Type", "application/json")
    context = ssl.create_default_context(cafile=CA) if URL.startswith("https:") else None
    try:
        with urllib.request.urlopen(request, timeout=60, context=context) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def expect(method, path, key, body=None):
    status, answer = call(method, path, key, body)
    if status != 200:
        raise MispError("%s %s: HTTP %s" % (method, path, status))
    return answer


def truthy(value):
    return value in (True, 1, "1", "true")


def toggle(action, feed, key):
    # FeedsController enable/disable answer 200 even when the model refuses the save, with
    # "Could not <action> feed." (MISP/MISP@bb0909a app/Controller/FeedsController.php __toggleEnable):
    # only "Feed <action>d." is success.
    answer = expect("POST", "/feeds/%s/%s" % (action, feed["id"]), key)
    message = (answer or {}).get("message") if isinstance(answer, dict) else None
    if message != "Feed %sd." % action or (answer or {}).get("errors"):
        raise MispError("feeds/%s %s: MISP answered %s" % (action, feed.get("name", feed["id"]), json.dumps(answer)))


def feeds(desired_path):
    key = read_key(ADMIN_KEY_PATH)
    with open(desired_path, encoding="utf-8") as handle:
        desired = json.load(handle)
    present = {entry["Feed"]["url"]: entry["Feed"] for entry in expect("GET", "/feeds", key)}
    changed = []
    for feed in desired["enable"]:
        held = present.get(feed["url"])
        if held is None:
            answer = expect("POST", "/feeds/add", key, {"Feed": dict(feed, enabled=True)})
            if not answer or "Feed" not in answer:
                raise MispError("feeds/add %s: no feed in the answer" % feed["url"])
            changed.append("added " + feed["name"])
        elif not truthy(held.get("enabled")):
            toggle("enable", held, key)
            changed.append("enabled " + feed["name"])
    for url in desired["disable"]:
        held = present.get(url)
        if held is not None and truthy(held.get("enabled")):
            toggle("disable", held, key)
            changed.append("disabled " + held.get("name", url))
    print("feeds: " + ("; ".join(changed) if changed else "unchanged"), file=sys.stderr)


def write_key(value):
    if not value or len(value) != 40 or not value.isalnum():
        raise MispError("MISP answered no usable auth key")
    fd = os.open(KEY_PATH + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    os.replace(KEY_PATH + ".new", KEY_PATH)
    return value


def user(email, role_id):
    key = read_key(ADMIN_KEY_PATH)
    users = expect("GET", "/admin/users", key)
    found = [entry["User"] for entry in users if entry["User"]["email"].lower() == email.lower()]
    if not found:
        body = {"User": {"email": email, "role_id": role_id, "change_pw": 0, "termsaccepted": 1, "notify": 0}}
        answer = expect("POST", "/admin/users/add", key, body)
        print(write_key((answer or {}).get("User", {}).get("authkey")))
        return
    account = found[0]
    if str(account["role_id"]) != str(role_id) or truthy(account.get("disabled")):
        expect("POST", "/admin/users/edit/%s" % account["id"], key, {"User": {"role_id": role_id, "disabled": 0}})
    current = read_key(KEY_PATH) if os.path.exists(KEY_PATH) else ""
    if current and call("GET", "/users/view/me", current)[0] == 200:
        print(current)
        return
    answer = expect("POST", "/auth_keys/add/%s" % account["id"], key, {"AuthKey": {"comment": "Fortress integrations"}})
    made = (answer or {}).get("AuthKey", {})
    value = write_key(made.get("authkey_raw"))
    revoke_others(account["id"], made.get("id"), key)
    print(value)


def revoke_others(user_id, kept_id, key):
    # A key made because the kept one was lost (or refused) leaves the old one valid in MISP: whoever
    # copied it keeps the integration user's access. Delete every other key of the user
    # (AuthKeysController index/<user_id>: [{"AuthKey": {"id", "user_id", ...}}]; delete/<id> by POST).
    if kept_id is None:
        raise MispError("auth_keys/add answered no key id: the user's older keys cannot be told apart")
    for entry in expect("GET", "/auth_keys/index/%s" % user_id, key) or []:
        held = entry.get("AuthKey", {})
        if str(held.get("user_id")) == str(user_id) and str(held.get("id")) != str(kept_id):
            expect("POST", "/auth_keys/delete/%s" % held["id"], key)


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "feeds":
            feeds(argv[1])
        elif len(argv) == 3 and argv[0] == "user" and argv[2].isdigit():
            user(argv[1], int(argv[2]))
        else:
            print("usage: fortress_misp.py feeds <desired.json> | user <email> <role-id>", file=sys.stderr)
            return 64
    except (MispError, OSError, ValueError, KeyError) as error:
        print("fortress_misp: %s" % error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
`;

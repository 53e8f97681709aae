/**
 * After the install: the API's shipped users get Fortress's random passwords, and Fortress's own
 * API user gets a least-privilege role for group management. Run on the manager by its bundled
 * Python (`/var/ossec/framework/python/bin/python3`) against https://localhost:55000, with the
 * passwords as JSON on stdin: never an argument, never printed.
 *
 * From wazuh/wazuh@v4.14.6:
 * - shipped users `wazuh`/`wazuh` and `wazuh-wui`/`wazuh-wui` (framework/wazuh/rbac/default/users.yaml);
 * - a reserved user (id ≤ 99, rbac/orm.py MAX_ID_RESERVED) is updated only by a reserved user
 *   (security.py update_user, error 5011): `wazuh` changes `wazuh-wui`, then itself;
 * - passwords 8–64 characters with upper, lower, digit and symbol (security.py `_user_password`, 5007/5009);
 * - login: POST /security/user/authenticate with basic auth, `data.token` (api/api/spec/spec.yaml);
 * - an existing role/policy/link is a failed item, not an HTTP error: 4005 (role name), 4009 (policy),
 *   4011 (role-policy link), 4017 (user-role link) (framework/wazuh/core/exception.py).
 * RBAC actions and resources: `group:create` on `*:*:*` (agent.py create_group), `group:read` and
 * `group:update_config` on `group:id:*` (agent.py, spec x-rbac-catalog).
 * Re-runnable: each step first checks, and the script prints `changed` or `unchanged`.
 */

export const WAZUH_PYTHON = "/var/ossec/framework/python/bin/python3";
export const SHIPPED_API_USERS = { wazuh: "wazuh", "wazuh-wui": "wazuh-wui" } as const;
export const FORTRESS_ROLE = "fortress-group-manager";
export const FORTRESS_POLICIES = [
  {
    name: "fortress-group-create",
    policy: { actions: ["group:create"], resources: ["*:*:*"], effect: "allow" },
  },
  {
    name: "fortress-group-config",
    policy: { actions: ["group:read", "group:update_config"], resources: ["group:id:*"], effect: "allow" },
  },
] as const;

/** What the script reads as JSON on stdin. */
export interface ApiUsersInput {
  readonly wazuh: string;
  readonly wazuhWui: string;
  readonly username: string;
  readonly password: string;
}

/** The Python program; argv: base URL, CA file. */
export function apiUsersProgram(): string {
  return String.raw`import base64, json, ssl, sys, urllib.error, urllib.parse, urllib.request

BASE, CA = sys.argv[1], sys.argv[2]
SHIPPED = ${JSON.stringify(SHIPPED_API_USERS)}
ROLE = ${JSON.stringify(FORTRESS_ROLE)}
POLICIES = ${JSON.stringify(FORTRESS_POLICIES)}
ALREADY = {4005, 4009, 4011, 4017}
context = ssl.create_default_context(cafile=CA) if CA != "-" else None
secrets = json.load(sys.stdin)
changed = []


def call(method, path, token=None, basic=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if basic:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(basic).encode()).decode())
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}


def login(user, password):
    status, body = call("POST", "/security/user/authenticate", basic=(user, password))
    if status == 200:
        return body["data"]["token"]
    if status == 401:
        return None
    sys.exit("login as %s: HTTP %s %s" % (user, status, body.get("title", "")))


def check(what, status, body):
    if status != 200:
        sys.exit("%s: HTTP %s error %s %s" % (what, status, body.get("error"), body.get("detail", "")))
    data = body.get("data", {})
    for failed in data.get("failed_items", []):
        if failed.get("error", {}).get("code") not in ALREADY:
            sys.exit("%s: error %s %s" % (what, failed["error"].get("code"), failed["error"].get("message", "")))
    return data.get("affected_items", [])


def by_name(path, key, token):
    status, body = call("GET", path + "?limit=500", token=token)
    return {item[key]: item for item in check("GET " + path, status, body)}


token = login("wazuh", secrets["wazuh"])
if token is None:
    token = login("wazuh", SHIPPED["wazuh"])
    if token is None:
        sys.exit("the API refuses both the shipped and Fortress's password for wazuh")
users = by_name("/security/users", "username", token)


def set_password(user, password, token):
    if login(user, password) is not None:
        return
    status, body = call("PUT", "/security/users/%s" % users[user]["id"], token=token, body={"password": password})
    check("password of " + user, status, body)
    changed.append(user)


set_password("wazuh-wui", secrets["wazuhWui"], token)
set_password("wazuh", secrets["wazuh"], token)
token = login("wazuh", secrets["wazuh"])

name = secrets["username"]
if name not in users:
    status, body = call("POST", "/security/users", token=token, body={"username": name, "password": secrets["password"]})
    users[name] = check("user " + name, status, body)[0]
    changed.append(name)
else:
    set_password(name, secrets["password"], token)

policies = by_name("/security/policies", "name", token)
for wanted in POLICIES:
    current = policies.get(wanted["name"])
    if current is None:
        status, body = call("POST", "/security/policies", token=token, body=wanted)
        policies[wanted["name"]] = check("policy " + wanted["name"], status, body)[0]
        changed.append(wanted["name"])
    elif current.get("policy") != wanted["policy"]:
        status, body = call("PUT", "/security/policies/%s" % current["id"], token=token, body=wanted)
        check("policy " + wanted["name"], status, body)
        changed.append(wanted["name"])

roles = by_name("/security/roles", "name", token)
if ROLE not in roles:
    status, body = call("POST", "/security/roles", token=token, body={"name": ROLE})
    roles[ROLE] = check("role " + ROLE, status, body)[0]
    changed.append(ROLE)
role = roles[ROLE]
missing = [str(policies[p["name"]]["id"]) for p in POLICIES if policies[p["name"]]["id"] not in role.get("policies", [])]
if missing:
    status, body = call("POST", "/security/roles/%s/policies?policy_ids=%s" % (role["id"], ",".join(missing)), token=token)
    check("policies of " + ROLE, status, body)
    changed.append("role policies")
if role["id"] not in users[name].get("roles", []):
    status, body = call("POST", "/security/users/%s/roles?role_ids=%s" % (users[name]["id"], role["id"]), token=token)
    check("role of " + name, status, body)
    changed.append("user role")

print("changed" if changed else "unchanged")
`;
}

/** The shell that runs it: the program in a root-only file, the passwords on its stdin. */
export function apiUsersScript(caPath: string, baseUrl = "https://localhost:55000"): string {
  const program = apiUsersProgram();
  if (program.includes("FORTRESS_API_USERS")) throw new Error("internal: heredoc marker in the program");
  return [
    "set -eu",
    "work=$(mktemp -d)",
    `trap 'rm -rf "$work"' EXIT`,
    `cat > "$work/api_users.py" <<'FORTRESS_API_USERS'`,
    program.trimEnd(),
    "FORTRESS_API_USERS",
    `sudo ${WAZUH_PYTHON} "$work/api_users.py" '${baseUrl}' '${caPath}'`,
  ].join("\n");
}

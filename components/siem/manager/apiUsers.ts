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
 * RBAC actions and resources: `group:create` on `*:*:*` (agent.py create_group), `group:read`,
 * `group:update_config` and `group:delete` on `group:id:*` (agent.py get_group_files/update_group_file,
 * delete_groups `resources=["group:id:{group_list}"]`: no narrower resource than per group id exists, and
 * Fortress manages every group the enrollment plan names).
 *
 * Revoked tokens (the lock-out the first version had): changing a user's password or roles, a role's
 * policies, or a rule linked to a role revokes every token of that user/role issued up to the second of
 * the change (security.py update_user → invalid_users_tokens; rbac/orm.py UsersTokenBlacklist
 * nbf_invalid_until = int(time()); TokenManager.is_token_valid requires token nbf > nbf_invalid_until;
 * api/authentication.py generate_token nbf = int(now)). A login in the same second yields a token the
 * next call refuses with 401. So after rotating `wazuh`'s own password the program waits past that
 * second before logging in again, and any 401 on a call is answered once by waiting past the current
 * second, logging in again and repeating the call.
 *
 * Dashboard users (RUN_AS): the dashboard's Wazuh app logs in as `wazuh-wui` through
 * POST /security/user/authenticate/run_as with the signed-in user's OpenSearch-security account as the
 * auth_context (wazuh/wazuh-dashboard-plugins@v4.14.6: plugins/wazuh-core/server/services/
 * server-api-client.ts asScoped → _authenticate; security-factory/factories/
 * opensearch-dashboards-security-factory.ts: GET /_opendistro/_security/api/account, whose body has
 * `user_name`, `backend_roles` and `roles`: opensearch-project/security AccountApiAction.java).
 * Keycloak's `groups` claim is the backend roles (securityConfig.ts roles_key). Only security rules
 * give such a token roles; the shipped ones match only the users `elastic` and `admin`
 * (rbac/default/rules.yaml). Fortress adds one rule per group, `MATCH` on `backend_roles`
 * (rbac/auth_context.py match_item/process_lists: the key must be in the context and every listed
 * value among its values), linked to the shipped roles `administrator` and `readonly`
 * (rbac/default/roles.yaml) with POST /security/rules and POST /security/roles/{role_id}/rules.
 * Rule names: at most 20 characters (rbac/orm.py Rules.name String(20)), the spec's `names` format.
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
    policy: {
      actions: ["group:read", "group:update_config", "group:delete"],
      resources: ["group:id:*"],
      effect: "allow",
    },
  },
] as const;

/** The Keycloak groups (OpenSearch backend roles) whose members the dashboard signs in. */
export interface DashboardGroups {
  /** Mapped to the Wazuh API role `administrator`. */
  readonly adminGroup: string;
  /** Mapped to the Wazuh API role `readonly`. */
  readonly userGroup: string;
}

export interface DashboardRule {
  readonly name: string;
  /** A shipped role (rbac/default/roles.yaml), found by name. */
  readonly role: "administrator" | "readonly";
  readonly rule: { readonly MATCH: { readonly backend_roles: readonly string[] } };
}

/** The spec's `names` format (api/api/validator.py `_names`) and the RBAC table's String(20). */
const RULE_NAME = /^[\w\-.%]{1,20}$/;
/** Keycloak group names as the claim carries them (no path: realm.ts `full.path` false). */
const GROUP_NAME = /^[\w.-]+$/;

/** The security rules that give dashboard users (run_as) their Wazuh API role by Keycloak group. */
export function dashboardRules(groups: DashboardGroups | undefined): readonly DashboardRule[] {
  // Without Keycloak no one signs into the dashboard by group: no rule to add.
  if (!groups) return [];
  for (const group of [groups.adminGroup, groups.userGroup])
    if (!GROUP_NAME.test(group))
      throw new Error(`the Keycloak group ${JSON.stringify(group)} is not a plain name`);
  if (groups.adminGroup === groups.userGroup)
    throw new Error("the admin and user groups must differ: one would get both roles");
  const rules: DashboardRule[] = [
    {
      name: "fortress-sso-admin",
      role: "administrator",
      rule: { MATCH: { backend_roles: [groups.adminGroup] } },
    },
    { name: "fortress-sso-read", role: "readonly", rule: { MATCH: { backend_roles: [groups.userGroup] } } },
  ];
  for (const rule of rules)
    if (!RULE_NAME.test(rule.name)) throw new Error(`internal: security rule name ${rule.name} is not valid`);
  return rules;
}

/** What the script reads as JSON on stdin. */
export interface ApiUsersInput {
  readonly wazuh: string;
  readonly wazuhWui: string;
  readonly username: string;
  readonly password: string;
  /** The further accounts' passwords by user name. */
  readonly accounts?: Readonly<Record<string, string>>;
}

/** The HTTP helpers: calls, logins, the revocation wait and the item checks. */
const PROGRAM_HELPERS = String.raw`def call(method, path, token=None, basic=None, body=None):
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


def wait_past(second):
    # A token is valid only when issued in a later second than its user's or role's revocation
    # (rbac/orm.py TokenManager.is_token_valid: token_nbf_time > nbf_invalid_until).
    while int(time.time()) <= second:
        time.sleep(0.05)


def admin_login():
    session["token"] = login("wazuh", session["password"])
    if session["token"] is None:
        sys.exit("the API refuses wazuh's password it accepted before")


def api(method, path, body=None):
    status, answer = call(method, path, token=session["token"], body=body)
    if status == 401:
        # The token was revoked by a change of this run (a password, a role's policies or rules):
        # a fresh one issued after the revocation's second is valid.
        wait_past(int(time.time()))
        admin_login()
        status, answer = call(method, path, token=session["token"], body=body)
    return status, answer


def check(what, status, body, tolerated=ALREADY):
    if status != 200:
        sys.exit("%s: HTTP %s error %s %s" % (what, status, body.get("error"), body.get("detail", "")))
    data = body.get("data", {})
    for failed in data.get("failed_items", []):
        if failed.get("error", {}).get("code") not in tolerated:
            sys.exit("%s: error %s %s" % (what, failed["error"].get("code"), failed["error"].get("message", "")))
    return data.get("affected_items", [])


def by_name(path, key):
    status, body = api("GET", path + "?limit=500")
    return {item[key]: item for item in check("GET " + path, status, body)}

`;

/** The steps: passwords, Fortress's user and role, the dashboard groups' rules. */
const PROGRAM_STEPS = String.raw`session["password"] = secrets["wazuh"]
session["token"] = login("wazuh", secrets["wazuh"])
if session["token"] is None:
    session["password"] = SHIPPED["wazuh"]
    session["token"] = login("wazuh", SHIPPED["wazuh"])
    if session["token"] is None:
        sys.exit("the API refuses both the shipped and Fortress's password for wazuh")
users = by_name("/security/users", "username")


def set_password(user, password):
    if login(user, password) is not None:
        return
    status, body = api("PUT", "/security/users/%s" % users[user]["id"], body={"password": password})
    check("password of " + user, status, body)
    changed.append(user)
    if user == "wazuh":
        # security.py update_user revoked wazuh's tokens up to this second: log in after it.
        session["password"] = password
        wait_past(int(time.time()))
        admin_login()


set_password("wazuh-wui", secrets["wazuhWui"])
set_password("wazuh", secrets["wazuh"])

policies = by_name("/security/policies", "name")
roles = by_name("/security/roles", "name")


def ensure_account(name, password, role_name, wanted_policies):
    """The user with its password, its own role holding exactly these policies, and that role."""
    if name not in users:
        status, body = api("POST", "/security/users", body={"username": name, "password": password})
        users[name] = check("user " + name, status, body)[0]
        changed.append(name)
    else:
        set_password(name, password)
    for wanted in wanted_policies:
        # By name, or else any policy with this very body: the framework keeps one per definition.
        current = policies.get(wanted["name"]) or next(
            (p for p in policies.values() if p.get("policy") == wanted["policy"]), None)
        if current is None:
            status, body = api("POST", "/security/policies", body=wanted)
            made = check("policy " + wanted["name"], status, body)
            if made:
                changed.append(wanted["name"])
            else:
                # 4009: a policy with this very body exists under another name (rbac/orm.py Policies:
                # UniqueConstraint on the definition): the role gets that one.
                made = [p for p in by_name("/security/policies", "name").values() if p.get("policy") == wanted["policy"]]
                if not made:
                    sys.exit("policy %s: refused, and no policy holds its definition" % wanted["name"])
            policies[wanted["name"]] = made[0]
            continue
        policies[wanted["name"]] = current
        if current.get("policy") != wanted["policy"]:
            status, body = api("PUT", "/security/policies/%s" % current["id"], body=wanted)
            check("policy " + wanted["name"], status, body)
            changed.append(wanted["name"])
    if role_name not in roles:
        status, body = api("POST", "/security/roles", body={"name": role_name})
        roles[role_name] = check("role " + role_name, status, body)[0]
        changed.append(role_name)
    role = roles[role_name]
    missing = [str(policies[p["name"]]["id"]) for p in wanted_policies
               if policies[p["name"]]["id"] not in role.get("policies", [])]
    if missing:
        status, body = api("POST", "/security/roles/%s/policies?policy_ids=%s" % (role["id"], ",".join(missing)))
        check("policies of " + role_name, status, body)
        changed.append("role policies")
    if role["id"] not in users[name].get("roles", []):
        status, body = api("POST", "/security/users/%s/roles?role_ids=%s" % (users[name]["id"], role["id"]))
        check("role of " + name, status, body)
        changed.append("user role")


ensure_account(secrets["username"], secrets["password"], ROLE, POLICIES)
for account in ACCOUNTS:
    ensure_account(account["username"], secrets["accounts"][account["username"]], account["role"],
                   account["policies"])

rules = by_name("/security/rules", "name")
for wanted in RULES:
    current = rules.get(wanted["name"])
    if current is None:
        status, body = api("POST", "/security/rules", body={"name": wanted["name"], "rule": wanted["rule"]})
        # 4005 here: another rule already holds this definition (rbac/orm.py Rules: unique rule).
        rules[wanted["name"]] = check("security rule " + wanted["name"], status, body, tolerated=set())[0]
        changed.append(wanted["name"])
    elif current.get("rule") != wanted["rule"]:
        status, body = api("PUT", "/security/rules/%s" % current["id"], body={"rule": wanted["rule"]})
        check("security rule " + wanted["name"], status, body, tolerated=set())
        changed.append(wanted["name"])
for wanted in RULES:
    target = roles.get(wanted["role"])
    if target is None:
        sys.exit("the API has no role %s" % wanted["role"])
    rule_id = rules[wanted["name"]]["id"]
    if rule_id not in target.get("rules", []):
        status, body = api("POST", "/security/roles/%s/rules?rule_ids=%s" % (target["id"], rule_id))
        check("rules of " + wanted["role"], status, body)
        changed.append("role rules")

print("changed" if changed else "unchanged")
`;

/**
 * A further API user with a role of its own (a read-only consumer such as the monitoring layer's
 * metrics textfile): made and kept like Fortress's group manager, its password on stdin under
 * `accounts.<username>`.
 */
export interface ApiAccount {
  readonly username: string;
  readonly role: string;
  readonly policies: readonly {
    readonly name: string;
    readonly policy: {
      readonly actions: readonly string[];
      readonly resources: readonly string[];
      readonly effect: "allow";
    };
  }[];
}

/** The user the manager's metrics textfile (components/monitoring/wazuh) reads the API as. */
export const METRICS_API_USER = "fortress-metrics";
/**
 * Its role: read agents (GET /agents, /agents/summary/status: `agent:read` on `agent:id:*`) and the
 * daemons' statistics (GET /manager/daemons/stats: `manager:read` on `*:*:*`), nothing else
 * (api/api/spec/spec.yaml x-rbac-catalog and the endpoints' x-rbac-actions, wazuh/wazuh@v4.14.6).
 * RBAC knows actions, not endpoints: `agent:read` also reads an agent's key (GET
 * /agents/{agent_id}/key) and `manager:read` the manager's configuration and logs. The password stays
 * root-only on the manager, which holds client.keys and ossec.conf itself, and the user is used over
 * localhost only. Names within the RBAC tables' String(20) (rbac/orm.py); no shipped policy has these
 * bodies (rbac/default/policies.yaml: agents_read's is agent:read on agent:id:* and agent:group:*, which
 * the framework would refuse as a duplicate definition).
 */
export const METRICS_ACCOUNT: ApiAccount = {
  username: METRICS_API_USER,
  role: "fortress-mx-reader",
  policies: [
    {
      name: "fortress-mx-agents",
      policy: { actions: ["agent:read"], resources: ["agent:id:*"], effect: "allow" },
    },
    {
      name: "fortress-mx-manager",
      policy: { actions: ["manager:read"], resources: ["*:*:*"], effect: "allow" },
    },
  ],
};

/** The Python program; argv: base URL, CA file. */
export function apiUsersProgram(groups?: DashboardGroups, accounts: readonly ApiAccount[] = []): string {
  for (const account of accounts)
    if (!/^[\w.-]{4,64}$/.test(account.username) || account.username in SHIPPED_API_USERS)
      throw new Error(`internal: ${account.username} is no API user name`);
  const header = String.raw`import base64, json, ssl, sys, time, urllib.error, urllib.parse, urllib.request

BASE, CA = sys.argv[1], sys.argv[2]
SHIPPED = ${JSON.stringify(SHIPPED_API_USERS)}
ROLE = ${JSON.stringify(FORTRESS_ROLE)}
POLICIES = ${JSON.stringify(FORTRESS_POLICIES)}
RULES = ${JSON.stringify(dashboardRules(groups))}
ACCOUNTS = ${JSON.stringify(accounts)}
ALREADY = {4005, 4009, 4011, 4017, 4023}
context = ssl.create_default_context(cafile=CA) if CA != "-" else None
secrets = json.load(sys.stdin)
changed = []
session = {"password": None, "token": None}

`;
  return [header, PROGRAM_HELPERS, PROGRAM_STEPS].join("\n");
}

/** The shell that runs it: the program in a root-only file, the passwords on its stdin. */
export function apiUsersScript(
  caPath: string,
  groups: DashboardGroups | undefined,
  baseUrl = "https://localhost:55000",
  accounts: readonly ApiAccount[] = [],
): string {
  const program = apiUsersProgram(groups, accounts);
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

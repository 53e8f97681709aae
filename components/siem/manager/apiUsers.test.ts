/**
 * The API-users program against a loopback double of the Wazuh 4.14.6 server API, written from
 * wazuh/wazuh@v4.14.6: the routes and bodies of api/api/spec/spec.yaml (login, users, roles,
 * policies and their links), the framework's rules (framework/wazuh/security.py: password length
 * 5009 and character classes 5007 `_user_password`, reserved users id ≤ 99 changed only by a
 * reserved user 5011), token revocation as the framework does it (security.py: update_user and
 * set_user_role revoke the user's tokens, set_role_policy/update_policy/update_rule the roles' tokens,
 * set_role_rule the run_as tokens; rbac/orm.py: a revocation records nbf_invalid_until = int(time())
 * and TokenManager.is_token_valid accepts a token only when its nbf, api/authentication.py
 * generate_token's int(now), is strictly later; api/authentication.py check_token tests each of the
 * user's roles), security rules (security.py add_rule/update_rule/set_role_rule, rbac/orm.py Rules:
 * unique name and definition, ids from 100, reserved rules ≤ 99 not updatable or linkable, 4008) and
 * their MATCH/FIND evaluation against a run_as auth_context (rbac/auth_context.py), the failed-item
 * codes of framework/wazuh/core/exception.py (4002, 4003, 4005, 4008, 4009, 4011, 4017, 4022, 4023,
 * 5000, 5001) and the error bodies of api/api/error_handler.py (401 "Invalid credentials" at login;
 * problem bodies with `error`). The shipped users are rbac/default/users.yaml's (wazuh/wazuh and
 * wazuh-wui/wazuh-wui), the roles roles.yaml's (administrator 1, readonly 2), the rules rules.yaml's
 * (wui_elastic_admin, wui_opensearch_admin, linked to administrator by relationships.yaml).
 */
import assert from "node:assert/strict";
import { testCa } from "../../../test/support/testCa";
import { shellcheck } from "../../../test/support/debianTools";
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  apiUsersProgram,
  apiUsersScript,
  dashboardRules,
  FORTRESS_POLICIES,
  FORTRESS_ROLE,
  METRICS_ACCOUNT,
  METRICS_API_USER,
} from "./apiUsers";

const MAX_ID_RESERVED = 99;
const USER_PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/;

interface User {
  id: number;
  username: string;
  password: string;
  allow_run_as: boolean;
  roles: number[];
}
interface Role {
  id: number;
  name: string;
  policies: number[];
  users: number[];
  rules: number[];
}
interface SecurityRule {
  id: number;
  name: string;
  rule: unknown;
  roles: number[];
}
interface Token {
  username: string;
  /** generate_token: nbf = int(now), in seconds. */
  nbf: number;
  /** The user's roles at login (the token's rbac_roles). */
  roles: number[];
}
type AuthContext = Record<string, unknown>;

const seconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** rbac/auth_context.py match_item for the shapes a rule holds: dicts of keys to strings or lists. */
function matchItem(ruleChunk: unknown, context: unknown): boolean {
  if (ruleChunk !== null && typeof ruleChunk === "object" && !Array.isArray(ruleChunk)) {
    if (context === null || typeof context !== "object" || Array.isArray(context)) return false;
    const entries = Object.entries(ruleChunk as Record<string, unknown>);
    return entries.every(
      ([key, value]) => key in (context as AuthContext) && matchItem(value, (context as AuthContext)[key]),
    );
  }
  if (JSON.stringify(ruleChunk) === JSON.stringify(context)) return true;
  // process_lists in MATCH mode: every value the rule lists is among the context's values.
  const wanted = Array.isArray(ruleChunk) ? ruleChunk : [ruleChunk];
  const have = Array.isArray(context) ? context : [context];
  return wanted.length > 0 && wanted.every((value) => have.includes(value));
}

/** find_item: match_item on the context, then on each value and nested dict, at every level. */
function findItem(ruleChunk: unknown, context: AuthContext): boolean {
  if (matchItem(ruleChunk, context)) return true;
  return Object.values(context).some(
    (value) =>
      matchItem(ruleChunk, value) ||
      (value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        findItem(ruleChunk, value as AuthContext)) ||
      (Array.isArray(value) &&
        value.some(
          (item) =>
            item !== null &&
            typeof item === "object" &&
            !Array.isArray(item) &&
            findItem(ruleChunk, item as AuthContext),
        )),
  );
}
interface Policy {
  id: number;
  name: string;
  policy: { actions: string[]; resources: string[]; effect: string };
  roles: number[];
}

class WazuhApiDouble {
  users: User[] = [
    { id: 1, username: "wazuh", password: "wazuh", allow_run_as: true, roles: [1] },
    { id: 2, username: "wazuh-wui", password: "wazuh-wui", allow_run_as: true, roles: [1] },
  ];
  roles: Role[] = [
    { id: 1, name: "administrator", policies: [1], users: [1, 2], rules: [1, 2] },
    { id: 2, name: "readonly", policies: [], users: [], rules: [] },
  ];
  rules: SecurityRule[] = [
    { id: 1, name: "wui_elastic_admin", rule: { FIND: { username: "elastic" } }, roles: [1] },
    { id: 2, name: "wui_opensearch_admin", rule: { FIND: { user_name: "admin" } }, roles: [1] },
  ];
  /** rbac/orm.py UsersTokenBlacklist / RolesTokenBlacklist / RunAsTokenBlacklist: nbf_invalid_until. */
  revokedUsers = new Map<number, number>();
  revokedRoles = new Map<number, number>();
  revokedRunAs: number | undefined;
  /**
   * Revoke at the very start of a second: then a client that logs in right after a revocation always
   * lands in the revocation's second, the case the framework refuses (a real manager hits it whenever
   * the login follows within the same second, i.e. almost always).
   */
  alignRevocations = false;
  /** Calls answered 401 because their token was revoked. */
  revokedCalls = 0;
  policies: Policy[] = [
    {
      id: 1,
      name: "agents_all",
      policy: { actions: ["agent:read"], resources: ["agent:id:*"], effect: "allow" },
      roles: [1],
    },
  ];
  tokens = new Map<string, Token>();
  requests: string[] = [];
  private next = { user: 100, role: 100, policy: 100, rule: 100 };

  private async revoke(what: { users?: number[]; roles?: number[]; runAs?: boolean }) {
    if (this.alignRevocations) await sleep(1000 - (Date.now() % 1000));
    const now = seconds();
    for (const id of what.users ?? []) this.revokedUsers.set(id, now);
    for (const id of what.roles ?? []) this.revokedRoles.set(id, now);
    if (what.runAs) this.revokedRunAs = now;
  }

  /** api/authentication.py check_token with TokenManager.is_token_valid (run_as false). */
  private tokenValid(token: Token): User | undefined {
    const user = this.users.find((candidate) => candidate.username === token.username);
    if (!user) return undefined;
    if (
      !user.allow_run_as &&
      JSON.stringify([...user.roles].sort()) !== JSON.stringify([...token.roles].sort())
    )
      return undefined;
    const userUntil = this.revokedUsers.get(user.id);
    for (const role of user.roles) {
      const roleUntil = this.revokedRoles.get(role);
      if (
        (userUntil !== undefined && !(token.nbf > userUntil)) ||
        (roleUntil !== undefined && !(token.nbf > roleUntil))
      )
        return undefined;
    }
    return user;
  }

  /** The roles a run_as login with this auth_context gets: every role with a rule that matches it. */
  rolesFor(authContext: AuthContext): string[] {
    const matches = (rule: unknown): boolean => {
      const [[operation, chunk]] = Object.entries(rule as Record<string, unknown>);
      if (operation === "MATCH") return matchItem(chunk, authContext);
      if (operation === "FIND") return findItem(chunk, authContext);
      throw new Error(`the double does not evaluate ${operation}`);
    };
    return this.roles
      .filter((role) => role.rules.some((id) => matches(this.rules.find((rule) => rule.id === id)?.rule)))
      .map((role) => role.name);
  }

  private send(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, {
      "Content-Type": status === 200 ? "application/json" : "application/problem+json",
    });
    response.end(JSON.stringify(body));
  }

  /** A WazuhError raised before any item: HTTP 400 problem body with its code (error_handler.py). */
  private problem(response: ServerResponse, code: number, detail: string) {
    this.send(response, 400, { title: "Bad Request", detail, error: code });
  }

  /** AffectedItemsWazuhResult: HTTP 200 even when items fail; error 0 all, 1 some, 2 none. */
  private items(response: ServerResponse, affected: unknown[], failed: { code: number; id: unknown }[] = []) {
    this.send(response, 200, {
      data: {
        affected_items: affected,
        total_affected_items: affected.length,
        total_failed_items: failed.length,
        failed_items: failed.map((item) => ({
          error: { code: item.code, message: `error ${item.code}` },
          id: [item.id],
        })),
      },
      message: "",
      error: failed.length === 0 ? 0 : affected.length === 0 ? 1 : 2,
    });
  }

  private userView = (user: User) => ({
    id: user.id,
    username: user.username,
    allow_run_as: user.allow_run_as,
    roles: user.roles,
  });

  private passwordError(password: unknown): [number, string] | undefined {
    if (typeof password !== "string") return [4001, "The body of the request is empty"];
    if (password.length > 64 || password.length < 8) return [5009, "Insecure user password provided"];
    if (!USER_PASSWORD.test(password)) return [5007, "Insecure user password provided"];
    return undefined;
  }

  handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    const url = new URL(request.url ?? "/", "http://double");
    const route = `${request.method} ${url.pathname}`;
    this.requests.push(route);
    const auth = request.headers.authorization ?? "";

    if (route === "POST /security/user/authenticate") {
      const [username, password] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
        .toString()
        .split(/:(.*)/s);
      const user = this.users.find(
        (candidate) => candidate.username === username && candidate.password === password,
      );
      if (!auth.startsWith("Basic ") || !user)
        return this.send(response, 401, { title: "Unauthorized", detail: "Invalid credentials" });
      const token = randomUUID();
      this.tokens.set(token, { username: user.username, nbf: seconds(), roles: [...user.roles] });
      return this.send(response, 200, { data: { token }, error: 0 });
    }
    const token = this.tokens.get(auth.replace(/^Bearer /, ""));
    if (!auth.startsWith("Bearer ") || !token)
      return this.send(response, 401, { title: "Unauthorized", detail: "No authorization token provided" });
    const caller = this.tokenValid(token);
    if (!caller) {
      this.revokedCalls++;
      return this.send(response, 401, { title: "Unauthorized", detail: "Invalid token" });
    }

    let match: RegExpExecArray | null;
    if (route === "GET /security/users") return this.items(response, this.users.map(this.userView));
    if (route === "GET /security/roles") return this.items(response, this.roles);
    if (route === "GET /security/policies") return this.items(response, this.policies);
    if ((match = /^PUT \/security\/users\/(\d+)$/.exec(route))) {
      const error = this.passwordError(body?.password);
      if (error) return this.problem(response, ...error);
      const id = Number(match[1]);
      if (id <= MAX_ID_RESERVED && caller.id > MAX_ID_RESERVED)
        return this.problem(response, 5011, "Administrator users can only be modified by themselves");
      const user = this.users.find((candidate) => candidate.id === id);
      if (!user) return this.items(response, [], [{ code: 5001, id }]);
      user.password = body.password;
      await this.revoke({ users: [user.id] });
      return this.items(response, [this.userView(user)]);
    }
    if (route === "POST /security/users") {
      const error = this.passwordError(body?.password);
      if (error) return this.problem(response, ...error);
      if (this.users.some((user) => user.username === body.username))
        return this.items(response, [], [{ code: 5000, id: body.username }]);
      const user = {
        id: this.next.user++,
        username: body.username,
        password: body.password,
        allow_run_as: false,
        roles: [],
      };
      this.users.push(user);
      return this.items(response, [this.userView(user)]);
    }
    if (route === "POST /security/policies" || (match = /^PUT \/security\/policies\/(\d+)$/.exec(route))) {
      const policy = body?.policy;
      if (
        !policy ||
        !Array.isArray(policy.actions) ||
        !Array.isArray(policy.resources) ||
        !["allow", "deny"].includes(policy.effect)
      )
        return this.items(response, [], [{ code: 4006, id: body?.name }]);
      if (request.method === "PUT") {
        const existing = this.policies.find((candidate) => candidate.id === Number(match?.[1]));
        if (!existing) return this.items(response, [], [{ code: 4007, id: match?.[1] }]);
        existing.policy = policy;
        await this.revoke({ roles: existing.roles });
        return this.items(response, [existing]);
      }
      if (
        this.policies.some(
          (candidate) =>
            candidate.name === body.name || JSON.stringify(candidate.policy) === JSON.stringify(policy),
        )
      )
        return this.items(response, [], [{ code: 4009, id: body.name }]);
      const created = { id: this.next.policy++, name: body.name, policy, roles: [] };
      this.policies.push(created);
      return this.items(response, [created]);
    }
    if (route === "POST /security/roles") {
      if (this.roles.some((role) => role.name === body?.name))
        return this.items(response, [], [{ code: 4005, id: body.name }]);
      const role = { id: this.next.role++, name: body.name, policies: [], users: [], rules: [] };
      this.roles.push(role);
      return this.items(response, [role]);
    }
    if ((match = /^POST \/security\/roles\/(\d+)\/policies$/.exec(route))) {
      const role = this.roles.find((candidate) => candidate.id === Number(match?.[1]));
      if (!role) return this.items(response, [], [{ code: 4002, id: match[1] }]);
      const failed: { code: number; id: unknown }[] = [];
      for (const id of (url.searchParams.get("policy_ids") ?? "").split(",").map(Number)) {
        const policy = this.policies.find((candidate) => candidate.id === id);
        if (!policy) failed.push({ code: 4007, id });
        else if (role.policies.includes(id)) failed.push({ code: 4011, id });
        else {
          role.policies.push(id);
          policy.roles.push(role.id);
        }
      }
      if (failed.length === 0) await this.revoke({ roles: [role.id] });
      return this.items(response, failed.length ? [] : [role], failed);
    }
    if ((match = /^POST \/security\/users\/(\d+)\/roles$/.exec(route))) {
      const user = this.users.find((candidate) => candidate.id === Number(match?.[1]));
      if (!user) return this.items(response, [], [{ code: 5001, id: match[1] }]);
      const failed: { code: number; id: unknown }[] = [];
      for (const id of (url.searchParams.get("role_ids") ?? "").split(",").map(Number)) {
        const role = this.roles.find((candidate) => candidate.id === id);
        if (!role) failed.push({ code: 4002, id });
        else if (user.roles.includes(id)) failed.push({ code: 4017, id });
        else {
          user.roles.push(id);
          role.users.push(user.id);
        }
      }
      if (failed.length === 0) await this.revoke({ users: [user.id] });
      return this.items(response, failed.length ? [] : [this.userView(user)], failed);
    }
    if (route === "GET /security/rules") return this.items(response, this.rules);
    if (route === "POST /security/rules") {
      if (body?.rule === null || typeof body?.rule !== "object" || Array.isArray(body.rule))
        return this.items(response, [], [{ code: 4003, id: body?.name }]);
      if (
        this.rules.some(
          (rule) => rule.name === body.name || JSON.stringify(rule.rule) === JSON.stringify(body.rule),
        )
      )
        return this.items(response, [], [{ code: 4005, id: body.name }]);
      const rule = { id: this.next.rule++, name: body.name, rule: body.rule, roles: [] };
      this.rules.push(rule);
      return this.items(response, [rule]);
    }
    if ((match = /^PUT \/security\/rules\/(\d+)$/.exec(route))) {
      const rule = this.rules.find((candidate) => candidate.id === Number(match?.[1]));
      if (!rule) return this.items(response, [], [{ code: 4022, id: match[1] }]);
      if (rule.id <= MAX_ID_RESERVED) return this.items(response, [], [{ code: 4008, id: rule.id }]);
      if (body?.rule !== undefined && (body.rule === null || typeof body.rule !== "object"))
        return this.items(response, [], [{ code: 4003, id: rule.id }]);
      if (body?.name !== undefined) rule.name = body.name;
      if (body?.rule !== undefined) rule.rule = body.rule;
      await this.revoke({ roles: rule.roles });
      return this.items(response, [rule]);
    }
    if ((match = /^POST \/security\/roles\/(\d+)\/rules$/.exec(route))) {
      const role = this.roles.find((candidate) => candidate.id === Number(match?.[1]));
      const failed: { code: number; id: unknown }[] = [];
      for (const id of (url.searchParams.get("rule_ids") ?? "").split(",").map(Number)) {
        const rule = this.rules.find((candidate) => candidate.id === id);
        if (id <= MAX_ID_RESERVED) failed.push({ code: 4008, id: match[1] });
        else if (!rule) failed.push({ code: 4022, id });
        else if (!role) failed.push({ code: 4002, id: match[1] });
        else if (role.rules.includes(id)) failed.push({ code: 4023, id });
        else {
          role.rules.push(id);
          rule.roles.push(role.id);
        }
      }
      if (role && failed.length === 0) await this.revoke({ runAs: true });
      return this.items(response, failed.length || !role ? [] : [role], failed);
    }
    return this.send(response, 404, { title: "Not Found", detail: "404: Not Found" });
  };
}

const GROUPS = { adminGroup: "fortress-admins", userGroup: "fortress-users" };
/** What the dashboard sends as auth_context: the OpenSearch-security account of the signed-in user. */
const account = (backendRoles: string[]) => ({
  user_name: "alice",
  is_reserved: false,
  is_hidden: false,
  is_internal_user: false,
  user_requested_tenant: null,
  backend_roles: backendRoles,
  custom_attribute_names: [],
  tenants: { alice: true },
  roles: ["own_index", "kibana_user"],
});

const SECRETS = {
  wazuh: "Wz-admin-Pass-1",
  wazuhWui: "Wz-wui-Pass-2",
  username: "fortress-groups",
  password: "Fortress.Groups-3",
};

describe("the API users program against a loopback Wazuh API", () => {
  let program: string;
  const servers: ReturnType<typeof createServer>[] = [];

  before(() => {
    if (spawnSync("python3", ["--version"]).error)
      throw new Error("python3 is not installed (apt-get install python3)");
    program = join(mkdtempSync(join(tmpdir(), "fortress-api-users-")), "api_users.py");
    writeFileSync(program, apiUsersProgram(GROUPS));
  });
  after(() => servers.forEach((server) => server.close()));

  async function start(): Promise<{ double: WazuhApiDouble; url: string }> {
    const double = new WazuhApiDouble();
    const server = createServer((request, response) => void double.handle(request, response));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { double, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  function runProgram(
    url: string,
    secrets: object,
    file = program,
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn("python3", [file, url, "-"]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(JSON.stringify(secrets));
    });
  }

  it("replaces both shipped passwords, creates Fortress's user with only the group role, and changes nothing on a re-run", async () => {
    const { double, url } = await start();
    const first = await runProgram(url, SECRETS);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), "changed");
    const byName = (name: string) => double.users.find((user) => user.username === name);
    assert.equal(byName("wazuh")?.password, SECRETS.wazuh);
    assert.equal(byName("wazuh-wui")?.password, SECRETS.wazuhWui);
    const fortress = byName("fortress-groups");
    assert.ok(fortress && fortress.id > MAX_ID_RESERVED);
    assert.equal(fortress.password, SECRETS.password);
    const role = double.roles.find((candidate) => candidate.name === FORTRESS_ROLE);
    assert.deepEqual(fortress.roles, [role?.id]);
    const granted = role?.policies.map((id) => double.policies.find((policy) => policy.id === id)?.policy);
    assert.deepEqual(
      granted,
      FORTRESS_POLICIES.map((policy) => policy.policy),
    );
    // No shipped password logs in any more.
    assert.ok(!double.users.some((user) => user.password === user.username));

    const writes = double.requests.length;
    const second = await runProgram(url, SECRETS);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), "unchanged");
    assert.deepEqual(
      double.requests
        .slice(writes)
        .filter((route) => !route.startsWith("GET ") && !route.endsWith("/authenticate")),
      [],
    );
  });

  it("makes the metrics account with a role that reads agents and daemon stats only, and changes nothing on a re-run", async () => {
    const { double, url } = await start();
    const file = join(mkdtempSync(join(tmpdir(), "fortress-api-users-")), "api_users.py");
    writeFileSync(file, apiUsersProgram(GROUPS, [METRICS_ACCOUNT]));
    const secrets = { ...SECRETS, accounts: { [METRICS_API_USER]: "Metrics.Reader-4" } };
    const first = await runProgram(url, secrets, file);
    assert.equal(first.status, 0, first.stderr);
    const metrics = double.users.find((user) => user.username === METRICS_API_USER);
    assert.ok(metrics && metrics.id > MAX_ID_RESERVED);
    assert.equal(metrics.password, "Metrics.Reader-4");
    const role = double.roles.find((candidate) => candidate.name === METRICS_ACCOUNT.role);
    assert.deepEqual(metrics.roles, [role?.id]);
    const granted = role?.policies.map((id) => double.policies.find((policy) => policy.id === id)?.policy);
    assert.deepEqual(granted, [
      { actions: ["agent:read"], resources: ["agent:id:*"], effect: "allow" },
      { actions: ["manager:read"], resources: ["*:*:*"], effect: "allow" },
    ]);
    // The group manager keeps its own role, and the roles share no policy.
    const groups = double.roles.find((candidate) => candidate.name === FORTRESS_ROLE);
    assert.ok(groups && !groups.policies.some((id) => role?.policies.includes(id)));
    const writes = double.requests.length;
    const second = await runProgram(url, secrets, file);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), "unchanged");
    assert.deepEqual(
      double.requests
        .slice(writes)
        .filter((route) => !route.startsWith("GET ") && !route.endsWith("/authenticate")),
      [],
    );
    // A new password is set, with nothing else touched.
    const rotated = await runProgram(
      url,
      { ...secrets, accounts: { [METRICS_API_USER]: "Metrics.Reader-5" } },
      file,
    );
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.equal(
      double.users.find((user) => user.username === METRICS_API_USER)?.password,
      "Metrics.Reader-5",
    );
    assert.throws(
      () => apiUsersProgram(GROUPS, [{ ...METRICS_ACCOUNT, username: "wazuh" }]),
      /no API user name/,
    );
  });

  it("logs in again after revoking its own token: a token issued in the second of a revocation is refused", async () => {
    const { double, url } = await start();
    // Every revocation at the start of a second: a login right after it shares its second.
    double.alignRevocations = true;
    const result = await runProgram(url, SECRETS);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "changed");
    // wazuh's own password change revoked its tokens; the program's later calls still succeeded.
    assert.ok(double.revokedUsers.has(1));
    assert.ok(double.roles.find((role) => role.name === FORTRESS_ROLE)?.policies.length);
    assert.deepEqual(double.rolesFor(account([GROUPS.adminGroup])), ["administrator"]);
  });

  it("gives the group-manager role group:delete besides create, read and update_config, and upgrades an older policy", async () => {
    const { double, url } = await start();
    // As the first version left it: the per-group policy without group:delete.
    double.policies.push({
      id: 150,
      name: "fortress-group-config",
      policy: { actions: ["group:read", "group:update_config"], resources: ["group:id:*"], effect: "allow" },
      roles: [],
    });
    const result = await runProgram(url, SECRETS);
    assert.equal(result.status, 0, result.stderr);
    const role = double.roles.find((candidate) => candidate.name === FORTRESS_ROLE);
    const granted = (role?.policies ?? []).map(
      (id) => double.policies.find((policy) => policy.id === id)?.policy,
    );
    const allowed = (action: string, resource: string) =>
      granted.some(
        (policy) =>
          policy?.effect === "allow" &&
          policy.actions.includes(action) &&
          policy.resources.includes(resource),
      );
    // agent.py delete_groups: actions=["group:delete"], resources=["group:id:{group_list}"].
    assert.ok(allowed("group:delete", "group:id:*"));
    assert.ok(allowed("group:create", "*:*:*"));
    assert.ok(allowed("group:read", "group:id:*") && allowed("group:update_config", "group:id:*"));
    assert.deepEqual(granted.flatMap((policy) => policy?.actions).sort(), [
      "group:create",
      "group:delete",
      "group:read",
      "group:update_config",
    ]);
  });

  it("maps the Keycloak admin group to administrator and the user group to readonly for the dashboard's run_as logins", async () => {
    const { double, url } = await start();
    // Before: a Keycloak user gets no Wazuh role (only the shipped rules for elastic/admin exist).
    assert.deepEqual(double.rolesFor(account([GROUPS.adminGroup])), []);
    const result = await runProgram(url, SECRETS);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(double.rolesFor(account([GROUPS.adminGroup])), ["administrator"]);
    assert.deepEqual(double.rolesFor(account([GROUPS.userGroup])), ["readonly"]);
    assert.deepEqual(double.rolesFor(account([GROUPS.userGroup, GROUPS.adminGroup])), [
      "administrator",
      "readonly",
    ]);
    assert.deepEqual(double.rolesFor(account(["someone-else"])), []);
    assert.deepEqual(double.rolesFor(account([])), []);
    // The shipped rules still hold: OpenSearch's admin user keeps administrator.
    assert.deepEqual(double.rolesFor({ ...account([]), user_name: "admin" }), ["administrator"]);
    const created = double.rules.filter((rule) => rule.id > MAX_ID_RESERVED);
    assert.deepEqual(
      created.map((rule) => ({ name: rule.name, rule: rule.rule })),
      dashboardRules(GROUPS).map((rule) => ({ name: rule.name, rule: rule.rule })),
    );
    for (const rule of created)
      assert.ok(rule.name.length <= 20, `${rule.name}: RBAC rule names hold 20 characters`);
  });

  it("follows a renamed group by updating its rule, and logs in again when that revokes the administrator's tokens", async () => {
    const { double, url } = await start();
    assert.equal((await runProgram(url, SECRETS)).status, 0);
    const renamed = { adminGroup: "lab-admins", userGroup: GROUPS.userGroup };
    const renamedProgram = join(mkdtempSync(join(tmpdir(), "fortress-api-users-")), "api_users.py");
    writeFileSync(renamedProgram, apiUsersProgram(renamed));
    double.alignRevocations = true;
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("python3", [renamedProgram, url, "-"]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(JSON.stringify(SECRETS));
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "changed");
    // update_rule revoked the administrator role's tokens, the program's own included.
    assert.ok(double.revokedRoles.has(1));
    assert.deepEqual(double.rolesFor(account(["lab-admins"])), ["administrator"]);
    assert.deepEqual(double.rolesFor(account([GROUPS.adminGroup])), []);
  });

  it("stops when another rule already holds a dashboard rule's definition", async () => {
    const { double, url } = await start();
    double.rules.push({
      id: 150,
      name: "someone-elses",
      rule: dashboardRules(GROUPS)[0]!.rule,
      roles: [],
    });
    const result = await runProgram(url, SECRETS);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /security rule fortress-sso-admin: error 4005/);
  });

  it("renders no group rule without Keycloak groups, and refuses group names a claim cannot carry", () => {
    assert.deepEqual(dashboardRules(undefined), []);
    assert.match(apiUsersProgram(), /^RULES = \[\]$/m);
    assert.throws(
      () => dashboardRules({ adminGroup: "/fortress-admins", userGroup: "fortress-users" }),
      /plain name/,
    );
    assert.throws(() => dashboardRules({ adminGroup: "same", userGroup: "same" }), /must differ/);
  });

  it("rotates a password Fortress changed, logging in with the one it set before", async () => {
    const { double, url } = await start();
    assert.equal((await runProgram(url, SECRETS)).status, 0);
    const rotated = { ...SECRETS, wazuhWui: "Wz-wui-Pass-rotated-4", password: "Fortress.Groups-rotated-5" };
    // The admin password stays: Fortress can only log in with what its state holds.
    const result = await runProgram(url, rotated);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "changed");
    assert.equal(double.users.find((user) => user.username === "wazuh-wui")?.password, rotated.wazuhWui);
    assert.equal(
      double.users.find((user) => user.username === "fortress-groups")?.password,
      rotated.password,
    );
  });

  it("stops with the framework's error when a password is refused, and never prints a password", async () => {
    const { double, url } = await start();
    const result = await runProgram(url, { ...SECRETS, wazuhWui: "alllowercase1!" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /password of wazuh-wui: HTTP 400 error 5007/);
    assert.equal(double.users.find((user) => user.username === "wazuh-wui")?.password, "wazuh-wui");
    for (const secret of Object.values(SECRETS))
      assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret));
  });

  it("stops when neither Fortress's nor the shipped admin password logs in", async () => {
    const { double, url } = await start();
    double.users[0]!.password = "Somebody-Else-9";
    const result = await runProgram(url, SECRETS);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /refuses both the shipped and Fortress's password for wazuh/);
  });

  /** A CA and a certificate for localhost it signs, made with Debian's openssl. */
  function tlsPair(dir: string, name: string): { ca: string; cert: string; key: string } {
    const ca = testCa(dir, name, [
      { name, subject: "/CN=localhost", extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1" },
    ]);
    const leaf = ca.leaves[name]!;
    return { ca: ca.cert, cert: leaf.cert, key: leaf.key };
  }

  it("verifies the API's certificate against the lab CA it is given, and refuses one another CA signed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fortress-api-tls-"));
    const lab = tlsPair(dir, "lab");
    const other = tlsPair(dir, "other");
    const double = new WazuhApiDouble();
    const server = createTlsServer(
      { cert: readFileSync(lab.cert), key: readFileSync(lab.key) },
      (request, response) => void double.handle(request, response),
    );
    servers.push(server as unknown as ReturnType<typeof createServer>);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://localhost:${(server.address() as AddressInfo).port}`;
    const run = (ca: string) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn("python3", [program, url, ca]);
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (status) => resolve({ status, stderr }));
        child.stdin.end(JSON.stringify(SECRETS));
      });
    const refused = await run(other.ca);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /CERTIFICATE_VERIFY_FAILED/);
    assert.equal(double.requests.length, 0, "nothing reached the API over an unverified connection");
    const accepted = await run(lab.ca);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.equal(double.users.find((user) => user.username === "wazuh")?.password, SECRETS.wazuh);
  });

  it("is wrapped in a shell script that passes shellcheck and keeps the passwords off its command line", () => {
    const script = apiUsersScript("/var/ossec/api/configuration/ssl/fortress-ca.pem", GROUPS);
    const result = shellcheck(script, "sh");
    assert.equal(result.status, 0, result.stdout);
    assert.match(
      script,
      /sudo \/var\/ossec\/framework\/python\/bin\/python3 "\$work\/api_users\.py" 'https:\/\/localhost:55000' '\/var\/ossec\/api\/configuration\/ssl\/fortress-ca\.pem'$/,
    );
  });
});

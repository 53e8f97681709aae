/**
 * The API-users program against a loopback double of the Wazuh 4.14.6 server API, written from
 * wazuh/wazuh@v4.14.6: the routes and bodies of api/api/spec/spec.yaml (login, users, roles,
 * policies and their links), the framework's rules (framework/wazuh/security.py: password length
 * 5009 and character classes 5007 `_user_password`, reserved users id ≤ 99 changed only by a
 * reserved user 5011, a user's tokens revoked when its password changes), the failed-item codes of
 * framework/wazuh/core/exception.py (4005, 4009, 4011, 4017, 5000, 5001) and the error bodies of
 * api/api/error_handler.py (401 "Invalid credentials" at login; problem bodies with `error`).
 * The shipped users are rbac/default/users.yaml's: wazuh/wazuh and wazuh-wui/wazuh-wui.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { apiUsersProgram, apiUsersScript, FORTRESS_POLICIES, FORTRESS_ROLE } from "./apiUsers";

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
    { id: 1, name: "administrator", policies: [1], users: [1, 2] },
    { id: 2, name: "readonly", policies: [], users: [] },
  ];
  policies: Policy[] = [
    {
      id: 1,
      name: "agents_all",
      policy: { actions: ["agent:read"], resources: ["agent:id:*"], effect: "allow" },
      roles: [1],
    },
  ];
  tokens = new Map<string, string>();
  requests: string[] = [];
  private next = { user: 100, role: 100, policy: 100 };

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
      this.tokens.set(token, user.username);
      return this.send(response, 200, { data: { token }, error: 0 });
    }
    const caller = this.users.find((user) => user.username === this.tokens.get(auth.replace(/^Bearer /, "")));
    if (!auth.startsWith("Bearer ") || !caller)
      return this.send(response, 401, { title: "Unauthorized", detail: "No authorization token provided" });

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
      for (const [token, name] of this.tokens) if (name === user.username) this.tokens.delete(token);
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
      const role = { id: this.next.role++, name: body.name, policies: [], users: [] };
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
      return this.items(response, failed.length ? [] : [this.userView(user)], failed);
    }
    return this.send(response, 404, { title: "Not Found", detail: "404: Not Found" });
  };
}

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
    writeFileSync(program, apiUsersProgram());
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
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn("python3", [program, url, "-"]);
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
    const openssl = (...args: string[]) => {
      const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
      if (result.error) throw new Error("openssl is not installed (apt-get install openssl)");
      assert.equal(result.status, 0, result.stderr);
    };
    openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name} CA`,
      "-keyout",
      `${name}-ca.key`,
      "-out",
      `${name}-ca.pem`,
    );
    openssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
    );
    writeFileSync(join(dir, `${name}.ext`), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${name}-ca.pem`,
      "-CAkey",
      `${name}-ca.key`,
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.pem`,
    );
    return { ca: join(dir, `${name}-ca.pem`), cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
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
    const script = apiUsersScript("/var/ossec/api/configuration/ssl/fortress-ca.pem");
    const result = spawnSync("shellcheck", ["-s", "sh", "-"], { input: script, encoding: "utf8" });
    if (result.error) throw new Error("shellcheck is not installed (apt-get install shellcheck)");
    assert.equal(result.status, 0, result.stdout);
    assert.match(
      script,
      /sudo \/var\/ossec\/framework\/python\/bin\/python3 "\$work\/api_users\.py" 'https:\/\/localhost:55000' '\/var\/ossec\/api\/configuration\/ssl\/fortress-ca\.pem'$/,
    );
  });
});

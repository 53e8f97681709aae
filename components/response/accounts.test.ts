import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ADMIN, startTheHive, type TheHiveDouble } from "../../test/thehive/server";
import { ANALYST_LOGIN, SERVICE_ACCOUNTS, accountsSpec } from "./accounts";

const SCRIPT = join(__dirname, "accounts", "thehive-accounts.py");

/**
 * The Kubernetes API as the Job uses it: GET and merge-PATCH of a Secret in its namespace
 * (kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1: `data` values
 * base64; a JSON merge patch, `application/merge-patch+json`, replaces the keys it names). Only the
 * Secrets the Job's Role names are answered; any other is 403, as RBAC would.
 */
function startKubernetes(allowed: readonly string[]) {
  const secrets = new Map<string, Record<string, string>>(allowed.map((name) => [name, {}]));
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      calls.push(`${request.method} ${request.url}`);
      const match = /^\/api\/v1\/namespaces\/fortress-response\/secrets\/([^/]+)$/.exec(request.url ?? "");
      const name = match?.[1];
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { "Content-Type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== "Bearer sa-token")
        return reply(401, { kind: "Status", code: 401 });
      if (!name || !secrets.has(name)) return reply(403, { kind: "Status", code: 403, reason: "Forbidden" });
      const data = secrets.get(name)!;
      if (request.method === "GET") return reply(200, { kind: "Secret", metadata: { name }, data });
      if (request.method === "PATCH" && request.headers["content-type"] === "application/merge-patch+json") {
        Object.assign(
          data,
          (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: Record<string, string> }).data,
        );
        return reply(200, { kind: "Secret", metadata: { name }, data });
      }
      return reply(405, { kind: "Status", code: 405 });
    });
  });
  return new Promise<{ url: string; secrets: typeof secrets; calls: string[]; close: () => Promise<void> }>(
    (resolve) =>
      server.listen(0, "127.0.0.1", () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          secrets,
          calls,
          close: () => new Promise((done) => server.close(() => done())),
        }),
      ),
  );
}

function runScript(env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("python3", [SCRIPT], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code === "string")
        reject(
          new Error(
            `python3 is not installed (apt-get install python3; .ci/run installs it on CI): ${error.message}`,
          ),
        );
      else resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe("TheHive's accounts Job (the real script against a loopback TheHive and Kubernetes API)", () => {
  let thehive: TheHiveDouble;
  let kube: Awaited<ReturnType<typeof startKubernetes>>;
  let env: NodeJS.ProcessEnv;
  const adminPassword = "generated-admin-password-0123456789";
  const analystPassword = "generated-analyst-password-0123456789";

  before(async () => {
    thehive = await startTheHive("fixture-key");
    kube = await startKubernetes(SERVICE_ACCOUNTS.map((service) => service.secret));
    const dir = mkdtempSync(join(tmpdir(), "fortress-accounts-"));
    const secrets = join(dir, "secrets");
    const sa = join(dir, "sa");
    mkdirSync(secrets);
    mkdirSync(sa);
    writeFileSync(join(secrets, "admin-password"), `${adminPassword}\n`);
    writeFileSync(join(secrets, "analyst-password"), analystPassword);
    writeFileSync(join(sa, "token"), "sa-token");
    writeFileSync(join(sa, "namespace"), "fortress-response");
    env = {
      PATH: process.env.PATH,
      ACCOUNTS_SPEC: JSON.stringify(accountsSpec(thehive.url)),
      ACCOUNTS_SECRETS_DIR: secrets,
      SERVICE_ACCOUNT_DIR: sa,
      KUBERNETES_API: kube.url,
      WAIT_ATTEMPTS: "5",
      WAIT_PAUSE: "0.01",
    };
  });
  after(async () => {
    await thehive.close();
    await kube.close();
  });

  it("replaces the shipped admin password, makes the organisation, the analyst and the Wazuh service account, and stores its key", async () => {
    const result = await runScript(env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      thehive.users.get(ADMIN)?.password,
      adminPassword,
      "the shipped password `secret` no longer works",
    );
    assert.ok(thehive.organisations.has("fortress"));
    const analyst = thehive.users.get(ANALYST_LOGIN);
    assert.equal(analyst?.password, analystPassword);
    assert.equal(analyst?.type, "Normal");
    assert.equal(analyst?.organisation, "fortress");
    const wazuh = thehive.users.get("wazuh@fortress.local");
    assert.equal(wazuh?.type, "Service");
    assert.equal(wazuh?.password, undefined, "a service account has a key, no password");
    const stored = kube.secrets.get("thehive-key-wazuh")?.["api-key"];
    assert.ok(stored);
    assert.equal(Buffer.from(stored, "base64").toString("utf8"), wazuh?.key);
    for (const output of [result.stdout, result.stderr])
      for (const secret of [adminPassword, analystPassword, wazuh?.key ?? "?"])
        assert.ok(!output.includes(secret), "no secret is printed");
  });

  it("runs again without changing anything: the admin keeps its password, the stored key still works and is kept", async () => {
    const key = thehive.users.get("wazuh@fortress.local")?.key;
    const patches = kube.calls.filter((call) => call.startsWith("PATCH")).length;
    const result = await runScript(env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /already has its generated password/);
    assert.equal(thehive.users.get("wazuh@fortress.local")?.key, key);
    assert.equal(kube.calls.filter((call) => call.startsWith("PATCH")).length, patches);
  });

  it("renews and stores a key that no longer works", async () => {
    thehive.users.get("wazuh@fortress.local")!.key = "revoked-by-an-admin";
    const result = await runScript(env);
    assert.equal(result.status, 0, result.stderr);
    const key = thehive.users.get("wazuh@fortress.local")?.key;
    assert.notEqual(key, "revoked-by-an-admin");
    assert.equal(
      Buffer.from(kube.secrets.get("thehive-key-wazuh")!["api-key"]!, "base64").toString("utf8"),
      key,
    );
  });

  it("fails when the administrator takes neither the generated nor the shipped password", async () => {
    thehive.users.get(ADMIN)!.password = "changed-by-hand";
    const result = await runScript(env);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr + result.stdout, /neither the generated nor the shipped password/);
  });
});

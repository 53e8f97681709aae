/**
 * The policies Job's script against a loopback double of the indexer's APIs, written from the vendor's
 * source (opensearch-project/index-management@2.19.6.0):
 * - ISM `PUT _plugins/_ism/policies/{id}`: without if_seq_no/if_primary_term the write is an
 *   OpType.CREATE, a conflict (409) when the policy exists (TransportIndexPolicyAction.kt); with them a
 *   conditional update. GET answers `_id, _version, _seq_no, _primary_term, policy`
 *   (GetPolicyResponse.kt), 404 "Policy not found" when absent (TransportGetPolicyAction.kt).
 * - SM: `POST _plugins/_sm/policies/{name}` creates (RestCreateSMPolicyHandler.kt), `PUT` updates with
 *   if_seq_no/if_primary_term (RestUpdateSMPolicyHandler.kt, RestBaseIndexSMPolicyHandler.kt); GET
 *   answers `_id, _version, _seq_no, _primary_term, sm_policy` (GetSMPolicyResponse.kt), 404 when absent
 *   (TransportGetSMPolicyAction.kt).
 * - The admin certificate is the only credential: the double demands a client certificate from the CA.
 * Needs Debian's openssl, curl and bash (the test says so when one is missing).
 */
import assert from "node:assert/strict";
import { pkcs8Of, testCa } from "../../test/support/testCa";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { policiesScript } from "./jobScripts";
import { ismPolicy, smPolicy, DEFAULT_SNAPSHOTS, snapshotRepository } from "./retention";

function tool(name: string): void {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
  } catch {
    throw new Error(
      `${name} is not installed (apt-get install ${name}): the policies Job test runs its script`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), "fortress-policies-"));
const certs = join(dir, "certs");
const input = join(dir, "input");

interface Stored {
  body: unknown;
  seqNo: number;
  primaryTerm: number;
  version: number;
}

/** The double's state and what it was asked. */
const state = {
  ism: new Map<string, Stored>(),
  sm: new Map<string, Stored>(),
  repositories: new Map<string, unknown>(),
  conflicts: 0,
  failNext: 0,
};
let seq = 0;
let server: Server;
let port = 0;

function handle(method: string, url: URL, body: string): { status: number; answer: unknown } {
  if (state.failNext > 0) {
    state.failNext--;
    return { status: 500, answer: { error: "injected" } };
  }
  if (url.pathname === "/_cluster/health") return { status: 200, answer: { status: "green" } };
  const repository = /^\/_snapshot\/([^/]+)$/.exec(url.pathname);
  if (repository && method === "PUT") {
    state.repositories.set(repository[1]!, JSON.parse(body));
    return { status: 200, answer: { acknowledged: true } };
  }
  const ism = /^\/_plugins\/_ism\/policies\/([^/]+)$/.exec(url.pathname);
  const sm = /^\/_plugins\/_sm\/policies\/([^/]+)$/.exec(url.pathname);
  const match = ism ?? sm;
  if (!match) return { status: 400, answer: { error: `no handler for ${method} ${url.pathname}` } };
  const [store, kind] = ism ? [state.ism, "policy"] : [state.sm, "sm_policy"];
  const id = match[1]!;
  const current = store.get(id);
  if (method === "GET") {
    if (!current) return { status: 404, answer: { error: { reason: "Policy not found" }, status: 404 } };
    return {
      status: 200,
      answer: {
        _id: id,
        _version: current.version,
        _seq_no: current.seqNo,
        _primary_term: current.primaryTerm,
        [kind]: current.body,
      },
    };
  }
  const ifSeqNo = url.searchParams.get("if_seq_no");
  const ifPrimaryTerm = url.searchParams.get("if_primary_term");
  const conditional = ifSeqNo !== null && ifPrimaryTerm !== null;
  const create = ism ? method === "PUT" && !conditional : method === "POST";
  const update = ism ? method === "PUT" && conditional : method === "PUT";
  if (!create && !update) return { status: 405, answer: { error: `${method} not allowed` } };
  if (create) {
    if (current) {
      state.conflicts++;
      return { status: 409, answer: { error: { type: "version_conflict_engine_exception" }, status: 409 } };
    }
    store.set(id, { body: JSON.parse(body), seqNo: seq++, primaryTerm: 1, version: 1 });
    return { status: 201, answer: { _id: id, _version: 1 } };
  }
  if (
    !current ||
    !conditional ||
    Number(ifSeqNo) !== current.seqNo ||
    Number(ifPrimaryTerm) !== current.primaryTerm
  ) {
    state.conflicts++;
    return { status: 409, answer: { error: { type: "version_conflict_engine_exception" }, status: 409 } };
  }
  store.set(id, { body: JSON.parse(body), seqNo: seq++, primaryTerm: 1, version: current.version + 1 });
  return { status: 200, answer: { _id: id, _version: current.version + 1 } };
}

function runScript(): Promise<{ code: number | null; output: string }> {
  const script = policiesScript(
    "localhost",
    port,
    { name: "fortress-snapshots", file: "repository.json" },
    [
      { path: "_plugins/_ism/policies/fortress-wazuh-retention", file: "ism-policy.json", create: "PUT" },
      { path: "_plugins/_sm/policies/fortress-wazuh-daily", file: "sm-policy.json", create: "POST" },
    ],
    { certs, input },
  );
  return new Promise((done) => {
    const child = spawn("bash", ["-c", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => done({ code, output }));
  });
}

describe("the policies Job against a loopback indexer", () => {
  before(async () => {
    for (const name of ["openssl", "curl", "bash"]) tool(name);
    execFileSync("mkdir", ["-p", certs, input]);
    // A CA, the server's certificate for localhost, and the admin client's, as cert-manager issues them.
    const ca = testCa(dir, "test", [
      { name: "server", subject: "/CN=localhost", extensions: "subjectAltName=DNS:localhost" },
      {
        name: "admin",
        subject: "/O=Fortress/OU=siem/CN=wazuh-indexer-admin",
        extensions: "extendedKeyUsage=clientAuth",
      },
    ]);
    execFileSync("cp", [ca.cert, join(certs, "root-ca.pem")]);
    pkcs8Of(dir, "admin.key", "certs/admin-key.pem");
    execFileSync("cp", [join(dir, "admin.pem"), join(certs, "admin.pem")]);
    writeFileSync(join(input, "repository.json"), JSON.stringify(snapshotRepository()));
    writeFileSync(join(input, "ism-policy.json"), JSON.stringify(ismPolicy(81)));
    writeFileSync(join(input, "sm-policy.json"), JSON.stringify(smPolicy(DEFAULT_SNAPSHOTS)));
    server = createServer(
      {
        key: readFileSync(join(dir, "server.key")),
        cert: readFileSync(join(dir, "server.pem")),
        ca: readFileSync(join(certs, "root-ca.pem")),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        let body = "";
        request.on("data", (chunk) => (body += chunk));
        request.on("end", () => {
          const url = new URL(request.url ?? "/", "https://localhost");
          const { status, answer } = handle(request.method ?? "GET", url, body);
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify(answer));
        });
      },
    );
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    port = (server.address() as AddressInfo).port;
  });

  after(() => server?.close());

  it("creates the repository and both policies on a fresh indexer", async () => {
    const { code, output } = await runScript();
    assert.equal(code, 0, output);
    assert.deepEqual(state.repositories.get("fortress-snapshots"), snapshotRepository());
    assert.deepEqual(state.ism.get("fortress-wazuh-retention")?.body, ismPolicy(81));
    assert.deepEqual(state.sm.get("fortress-wazuh-daily")?.body, smPolicy(DEFAULT_SNAPSHOTS));
    assert.equal(state.conflicts, 0);
  });

  it("runs again without a conflict, updating each policy at the sequence number it read", async () => {
    const { code, output } = await runScript();
    assert.equal(code, 0, output);
    assert.equal(state.conflicts, 0);
    assert.equal(state.ism.get("fortress-wazuh-retention")?.version, 2);
    assert.equal(state.sm.get("fortress-wazuh-daily")?.version, 2);
    assert.deepEqual(state.ism.get("fortress-wazuh-retention")?.body, ismPolicy(81));
  });

  it("fails the Job when the indexer refuses a write", async () => {
    // The health check passes, then the repository PUT (the second request) gets a 500.
    let calls = 0;
    const previous = server.listeners("request")[0] as (...args: unknown[]) => void;
    server.removeAllListeners("request");
    server.on("request", (request, response) => {
      calls++;
      if (calls === 2) state.failNext = 1;
      previous(request, response);
    });
    const { code, output } = await runScript();
    assert.notEqual(code, 0);
    assert.match(output, /PUT _snapshot\/fortress-snapshots: HTTP 500/);
  });
});

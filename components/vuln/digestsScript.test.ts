/**
 * scripts/greenbone-digests.sh against a loopback registry written from the Docker Registry HTTP API v2
 * (distribution/distribution docs/spec/api.md and auth/token.md): a manifest HEAD answers 401 with a
 * `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge without a token, the token endpoint
 * answers `{"token": …}`, and a HEAD with the token answers 200 with `Docker-Content-Digest`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const DIGESTS: Record<string, string> = {
  "community/gvmd:stable": `sha256:${"1".repeat(64)}`,
  "community/gsa:stable-slim": `sha256:${"2".repeat(64)}`,
};
const TOKEN = "loopback-token";
let server: Server;
let registry = "";
const seen: string[] = [];

function digests(input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", [join(__dirname, "../../scripts/greenbone-digests.sh")], {
      env: { ...process.env, GREENBONE_REGISTRY_SCHEME: "http" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("scripts/greenbone-digests.sh", () => {
  before(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://registry");
      seen.push(`${request.method} ${url.pathname}`);
      if (url.pathname === "/token") {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ token: TOKEN, expires_in: 300 }));
        return;
      }
      const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      if (!match) {
        response.writeHead(404).end();
        return;
      }
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401, {
          "WWW-Authenticate": `Bearer realm="http://${registry}/token",service="registry",scope="repository:${match[1]}:pull"`,
        });
        response.end();
        return;
      }
      const digest = DIGESTS[`${match[1]}:${match[2]}`];
      if (!digest) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, {
        "Docker-Content-Digest": digest,
        "Content-Type": "application/vnd.oci.image.index.v1+json",
      });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("prints every image's digest as JSON, through the registry's token challenge", async () => {
    const result = await digests(
      `gvmd ${registry}/community/gvmd stable\ngsa ${registry}/community/gsa stable-slim\n`,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      gvmd: DIGESTS["community/gvmd:stable"],
      gsa: DIGESTS["community/gsa:stable-slim"],
    });
    assert.ok(seen.includes("GET /token"));
  });

  it("fails with nothing printed when a tag cannot be resolved", async () => {
    const result = await digests(
      `gvmd ${registry}/community/gvmd stable\nnginx ${registry}/community/nginx latest\n`,
    );
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /cannot resolve .*community\/nginx:latest/);
  });
});

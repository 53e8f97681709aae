/**
 * rclone itself (Debian's, `apt-get install rclone`; .ci/run installs it) run with the variables
 * rcloneEnv renders, against an in-process S3 double: proof that rclone reads our names as the remote
 * we mean (path-style, the region in the signature, the access key, no bucket creation) and that the
 * sync keeps what it replaces. The double answers as S3 does (ListObjectsV2's ListBucketResult,
 * PutObject's ETag = the body's MD5, CopyObject's CopyObjectResult, DeleteObject's 204), per the
 * S3 API reference rclone's backend/s3/s3.go calls through the AWS SDK.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pruneArgs, rcloneEnv, type S3Target, transferArgs } from "./rclone";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string;
  readonly host: string;
}

const KEY_ID = "BACKUPKEYID0CANARY";
const SECRET = "backup-secret-canary-0123456789";
const BUCKET = "fortress-backups";

interface StoredObject {
  readonly body: Buffer;
  modified: Date;
  readonly metadata: Record<string, string>;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly etag?: string;
  readonly length?: number;
  readonly headers?: Record<string, string>;
}

const xmlEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A bucket as S3 answers for it: objects by key, each with its body and the time it was written. */
function s3Double(seen: Seen[]) {
  const objects = new Map<string, StoredObject>();
  const list = (url: URL) => {
    const prefix = url.searchParams.get("prefix") ?? "";
    // An empty delimiter is none: the whole tree under the prefix (rclone lists recursively so).
    const delimiter = url.searchParams.get("delimiter") || null;
    const under = [...objects].filter(([key]) => key.startsWith(prefix));
    // With a delimiter, a key with another one after the prefix is rolled up into its CommonPrefix.
    const nested = (key: string) => delimiter !== null && key.slice(prefix.length).includes(delimiter);
    const common = [
      ...new Set(
        under
          .filter(([key]) => nested(key))
          .map(([key]) => key.slice(0, key.indexOf(delimiter ?? "", prefix.length) + 1)),
      ),
    ].map((common) => `<CommonPrefixes><Prefix>${xmlEscape(common)}</Prefix></CommonPrefixes>`);
    const contents = under
      .filter(([key]) => !nested(key))
      .map(
        ([key, object]) =>
          `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${object.modified.toISOString()}</LastModified>` +
          `<ETag>"${createHash("md5").update(object.body).digest("hex")}"</ETag><Size>${object.body.length}</Size>` +
          `<StorageClass>STANDARD</StorageClass></Contents>`,
      );
    return (
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${BUCKET}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${contents.length}</KeyCount>` +
      `<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents.join("")}${common.join("")}</ListBucketResult>`
    );
  };
  const handle = (request: IncomingMessage, body: Buffer): Answer => {
    const url = new URL(request.url ?? "/", "http://double");
    const [, bucket, ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    if (bucket !== BUCKET) return { status: 404, body: "<Error><Code>NoSuchBucket</Code></Error>" };
    if (request.method === "GET" && key === "") return { status: 200, body: list(url) };
    const copySource = request.headers["x-amz-copy-source"];
    if (request.method === "PUT" && typeof copySource === "string") {
      const from = decodeURIComponent(copySource.replace(/^\/?[^/]+\//, ""));
      const source = objects.get(from);
      if (!source) return { status: 404, body: "<Error><Code>NoSuchKey</Code></Error>" };
      // The default x-amz-metadata-directive, COPY: the source's metadata goes with it.
      objects.set(key, { body: source.body, modified: new Date(), metadata: { ...source.metadata } });
      const etag = createHash("md5").update(source.body).digest("hex");
      return { status: 200, body: `<CopyObjectResult><ETag>"${etag}"</ETag></CopyObjectResult>` };
    }
    if (request.method === "PUT") {
      const metadata = Object.fromEntries(
        Object.entries(request.headers)
          .filter(([name]) => name.startsWith("x-amz-meta-"))
          .map(([name, value]) => [name, String(value)]),
      );
      objects.set(key, { body, modified: new Date(), metadata });
      return { status: 200, body: "", etag: createHash("md5").update(body).digest("hex") };
    }
    if (request.method === "HEAD" || request.method === "GET") {
      const object = objects.get(key);
      if (!object) return { status: 404, body: "" };
      return {
        status: 200,
        body: request.method === "GET" ? object.body.toString() : "",
        length: object.body.length,
        etag: createHash("md5").update(object.body).digest("hex"),
        headers: { ...object.metadata, "Last-Modified": object.modified.toUTCString() },
      };
    }
    if (request.method === "DELETE") {
      objects.delete(key);
      return { status: 204, body: "" };
    }
    return { status: 501, body: "<Error><Code>NotImplemented</Code></Error>" };
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        authorization: String(request.headers.authorization ?? ""),
        host: String(request.headers.host ?? ""),
      });
      const answer = handle(request, Buffer.concat(chunks));
      if (answer.etag) response.setHeader("ETag", `"${answer.etag}"`);
      if (answer.length !== undefined) response.setHeader("Content-Length", answer.length);
      for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
      response.writeHead(answer.status, { "Content-Type": "application/xml" });
      response.end(request.method === "HEAD" ? undefined : answer.body);
    });
  });
  return { server, objects };
}

function rclone(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("rclone", args, { env, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT")
        reject(new Error("rclone is not installed (apt-get install rclone; .ci/run installs it on CI)"));
      else resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe("rclone with the rendered remote, against an S3 double", () => {
  const seen: Seen[] = [];
  const double = s3Double(seen);
  let server: Server;
  let target: S3Target;
  let env: NodeJS.ProcessEnv;
  const work = mkdtempSync(join(tmpdir(), "fortress-rclone-"));
  const source = join(work, "source");

  before(async () => {
    server = double.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("no port");
    target = {
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket: BUCKET,
      region: "eu-test-1",
      pathStyle: true,
      prefix: "fortress/home",
    };
    // What the kubelet does with the secretKeyRefs: the Secret's values, as the variables' values.
    const secret: Record<string, string> = { "access-key-id": KEY_ID, "secret-access-key": SECRET };
    env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, "config") };
    for (const variable of rcloneEnv(target, "s3-backup-test-s3"))
      env[variable.name] = variable.valueFrom ? secret[variable.valueFrom.secretKeyRef.key] : variable.value;
    mkdirSync(join(source, "indices"), { recursive: true });
    writeFileSync(join(source, "index.latest"), "one");
    writeFileSync(join(source, "indices", "blob-a"), "first blob");
  });
  after(() => {
    server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("syncs path-style to <bucket>/<prefix>/<name>, signed with the key and the region, creating no bucket", async () => {
    const result = await rclone(
      transferArgs(source, target, "snapshots", { kind: "sync", keepDays: 30 }),
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual([...double.objects.keys()].sort(), [
      "fortress/home/snapshots/index.latest",
      "fortress/home/snapshots/indices/blob-a",
    ]);
    assert.ok(seen.length > 0);
    for (const request of seen) {
      assert.ok(request.url.startsWith(`/${BUCKET}`), `path-style: ${request.url}`);
      assert.match(
        request.authorization,
        new RegExp(`Credential=${KEY_ID}/\\d{8}/eu-test-1/s3/aws4_request`),
      );
      assert.ok(!request.authorization.includes(SECRET));
    }
    // no_check_bucket: no CreateBucket (PUT on the bucket itself).
    assert.ok(!seen.some((request) => request.method === "PUT" && /^\/[^/]+\/?(\?|$)/.test(request.url)));
  });

  it("moves what a later sync deletes to <name>-replaced instead of losing it", async () => {
    rmSync(join(source, "indices", "blob-a"));
    writeFileSync(join(source, "indices", "blob-b"), "second blob");
    const result = await rclone(
      transferArgs(source, target, "snapshots", { kind: "sync", keepDays: 30 }),
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual([...double.objects.keys()].sort(), [
      "fortress/home/snapshots-replaced/indices/blob-a",
      "fortress/home/snapshots/index.latest",
      "fortress/home/snapshots/indices/blob-b",
    ]);
  });

  it("prunes only what was moved aside longer ago than the days kept", async () => {
    const replaced = double.objects.get("fortress/home/snapshots-replaced/indices/blob-a");
    assert.ok(replaced);
    const young = await rclone(pruneArgs(target, "snapshots", { kind: "sync", keepDays: 30 }), env);
    assert.equal(young.code, 0, young.stderr);
    assert.ok(double.objects.has("fortress/home/snapshots-replaced/indices/blob-a"), "a fresh file stays");
    // rclone keeps a file's modification time in the object's metadata (X-Amz-Meta-Mtime, seconds),
    // and a server-side move copies it: an old blob moved aside tonight still carries its old time.
    // The prune judges by when it was moved (the copy's LastModified), so it stays.
    assert.ok(replaced.metadata["x-amz-meta-mtime"], "rclone stored the file's mtime");
    replaced.metadata["x-amz-meta-mtime"] = String(Math.floor(Date.now() / 1000) - 365 * 24 * 3600);
    const justMoved = await rclone(pruneArgs(target, "snapshots", { kind: "sync", keepDays: 30 }), env);
    assert.equal(justMoved.code, 0, justMoved.stderr);
    assert.ok(
      double.objects.has("fortress/home/snapshots-replaced/indices/blob-a"),
      "a year-old blob moved aside tonight stays its days",
    );
    replaced.modified = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    const old = await rclone(pruneArgs(target, "snapshots", { kind: "sync", keepDays: 30 }), env);
    assert.equal(old.code, 0, old.stderr);
    assert.ok(
      !double.objects.has("fortress/home/snapshots-replaced/indices/blob-a"),
      `an old one goes: ${old.stderr}`,
    );
    assert.ok(double.objects.has("fortress/home/snapshots/indices/blob-b"), "the mirror is untouched");
  });
});

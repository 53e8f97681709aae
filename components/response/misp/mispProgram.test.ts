import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FEED_CATALOG, desiredFeeds } from "./feeds";
import { MISP_PROGRAM } from "./mispProgram";
import { MispDouble } from "./mispDouble.fixtures";

const ADMIN_KEY = "AdminKeyCanary00000000000000000000000a05";
const dir = mkdtempSync(join(tmpdir(), "fortress-misp-"));
const program = join(dir, "fortress_misp.py");
const adminKeyPath = join(dir, "admin.key");
const integrationKeyPath = join(dir, "integration.key");
const feedsPath = join(dir, "feeds.json");
const double = new MispDouble(ADMIN_KEY);
let url = "";

/** python3 against the double; async, so the in-process server can answer. */
function runProgram(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [program, ...args], {
      env: {
        PATH: process.env.PATH,
        FORTRESS_MISP_URL: url,
        FORTRESS_MISP_ADMIN_KEY: adminKeyPath,
        FORTRESS_MISP_INTEGRATION_KEY: integrationKeyPath,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", (error) =>
      reject(new Error(`python3 is not installed (apt-get install python3): ${error.message}`)),
    );
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("fortress_misp.py against a loopback MISP", () => {
  before(async () => {
    writeFileSync(program, MISP_PROGRAM);
    writeFileSync(adminKeyPath, `${ADMIN_KEY}\n`, { mode: 0o600 });
    url = await double.start();
  });
  after(async () => {
    await double.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("enables the configured feeds (MISP's default ones by URL, new ones added) and changes nothing twice", async () => {
    writeFileSync(feedsPath, JSON.stringify(desiredFeeds(["circl-osint", "abusech-malwarebazaar"])));
    const first = await runProgram(["feeds", feedsPath]);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(double.writes, ["POST /feeds/enable/1", "POST /feeds/add"]);
    const enabled = double.feeds
      .filter((feed) => feed.enabled)
      .map((feed) => feed.url)
      .sort();
    assert.deepEqual(
      enabled,
      [FEED_CATALOG["abusech-malwarebazaar"].url, FEED_CATALOG["circl-osint"].url].sort(),
    );
    assert.equal(
      double.feeds.find((feed) => feed.url === FEED_CATALOG["abusech-malwarebazaar"].url)?.source_format,
      "misp",
    );
    double.writes.length = 0;
    const again = await runProgram(["feeds", feedsPath]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(double.writes, [], "a second run wrote to MISP");
  });

  it("disables the catalog's feeds that are no longer configured (offline-first: none configured, none on)", async () => {
    double.writes.length = 0;
    writeFileSync(feedsPath, JSON.stringify(desiredFeeds([])));
    const result = await runProgram(["feeds", feedsPath]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      double.feeds.filter((feed) => feed.enabled),
      [],
    );
    assert.deepEqual(double.writes.sort(), ["POST /feeds/disable/1", "POST /feeds/disable/3"]);
  });

  it("fails when MISP answers 200 but could not enable or disable a feed (the model refused the save)", async () => {
    double.refuseSave.add("1");
    try {
      writeFileSync(feedsPath, JSON.stringify(desiredFeeds(["circl-osint"])));
      const enable = await runProgram(["feeds", feedsPath]);
      assert.equal(enable.status, 1, enable.stdout);
      assert.match(enable.stderr, /feeds\/enable CIRCL OSINT Feed: MISP answered .*Could not enable feed\./);
      assert.equal(double.feeds.find((feed) => feed.id === "1")?.enabled, false);
      double.refuseSave.clear();
      assert.equal((await runProgram(["feeds", feedsPath])).status, 0);
      double.refuseSave.add("1");
      writeFileSync(feedsPath, JSON.stringify(desiredFeeds([])));
      const disable = await runProgram(["feeds", feedsPath]);
      assert.equal(disable.status, 1, disable.stdout);
      assert.match(
        disable.stderr,
        /feeds\/disable CIRCL OSINT Feed: MISP answered .*Could not disable feed\./,
      );
    } finally {
      double.refuseSave.clear();
      writeFileSync(feedsPath, JSON.stringify(desiredFeeds([])));
      await runProgram(["feeds", feedsPath]);
    }
  });

  it("creates the integration user once, keeps its key root-only and prints the same key on a re-run", async () => {
    double.writes.length = 0;
    const first = await runProgram(["user", "fortress-integrations@misp-1.lab.example", "6"]);
    assert.equal(first.status, 0, first.stderr);
    const key = first.stdout.trim();
    assert.match(key, /^[A-Za-z0-9]{40}$/);
    assert.equal(readFileSync(integrationKeyPath, "utf8").trim(), key);
    assert.equal(statSync(integrationKeyPath).mode & 0o777, 0o600);
    const created = double.users.find((user) => user.email === "fortress-integrations@misp-1.lab.example");
    assert.equal(created?.role_id, "6", "MISP's Read Only role");
    assert.equal(double.keys.get(key), created?.id);
    assert.deepEqual(double.writes, ["POST /admin/users/add"]);
    double.writes.length = 0;
    const again = await runProgram(["user", "fortress-integrations@misp-1.lab.example", "6"]);
    assert.equal(again.stdout.trim(), key);
    assert.deepEqual(double.writes, [], "a second run wrote to MISP");
  });

  it("puts a changed role back and makes a new key when the kept one is lost or refused", async () => {
    double.writes.length = 0;
    const lostKeyId = double.keyIds.get(readFileSync(integrationKeyPath, "utf8").trim());
    rmSync(integrationKeyPath);
    const result = await runProgram(["user", "fortress-integrations@misp-1.lab.example", "5"]);
    assert.equal(result.status, 0, result.stderr);
    const user = double.users.find((entry) => entry.email === "fortress-integrations@misp-1.lab.example");
    assert.equal(user?.role_id, "5");
    assert.deepEqual(double.writes, [
      `POST /admin/users/edit/${user?.id}`,
      `POST /auth_keys/add/${user?.id}`,
      `POST /auth_keys/delete/${lostKeyId}`,
    ]);
    assert.equal(double.keys.get(result.stdout.trim()), user?.id);
    writeFileSync(integrationKeyPath, `${"Z".repeat(40)}\n`);
    const refused = await runProgram(["user", "fortress-integrations@misp-1.lab.example", "5"]);
    assert.equal(double.keys.get(refused.stdout.trim()), user?.id);
  });

  it("deletes the user's older keys once it made a new one, so a lost key stops working", async () => {
    const user = double.users.find((entry) => entry.email === "fortress-integrations@misp-1.lab.example");
    assert.ok(user);
    const lost = readFileSync(integrationKeyPath, "utf8").trim();
    rmSync(integrationKeyPath);
    double.writes.length = 0;
    const result = await runProgram(["user", "fortress-integrations@misp-1.lab.example", "5"]);
    assert.equal(result.status, 0, result.stderr);
    const kept = result.stdout.trim();
    assert.notEqual(kept, lost);
    assert.equal(double.keys.get(lost), undefined, "the lost key still works in MISP");
    assert.deepEqual(
      [...double.keys].filter(([, owner]) => owner === user.id).map(([key]) => key),
      [kept],
    );
    assert.ok(double.keys.has(ADMIN_KEY), "the admin's key is another user's: untouched");
    assert.ok(double.writes.some((write) => write.startsWith("POST /auth_keys/delete/")));
  });

  it("fails (exit 1, no key printed) when MISP refuses the admin key, and on a bad request", async () => {
    writeFileSync(adminKeyPath, `${"Y".repeat(40)}\n`);
    const refused = await runProgram(["feeds", feedsPath]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /HTTP 403/);
    const user = await runProgram(["user", "someone@lab.example", "6"]);
    assert.equal(user.status, 1);
    assert.equal(user.stdout, "");
    writeFileSync(adminKeyPath, `${ADMIN_KEY}\n`);
    const badRole = await runProgram(["user", "someone@lab.example", "9"]);
    assert.equal(badRole.status, 1);
    assert.match(badRole.stderr, /HTTP 405/);
    assert.equal((await runProgram(["user", "x"])).status, 64);
  });
});

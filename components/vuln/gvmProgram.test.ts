/**
 * The GMP client on the VM, run by Debian's python3 against a loopback gvmd on a Unix socket
 * (test/greenbone/fakeGvmd.ts, written from gvmd's answers): the admin password, the reconcile
 * (create, idempotent re-run, change, removal, only Fortress-named objects), the export and rescan.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { run } from "../../test/support/debianTools";
import { FakeGvmd } from "../../test/greenbone/fakeGvmd";
import {
  GVM_PROGRAM,
  GVM_PROGRAM_PATH,
  GVM_CONFIG_DIR,
  GVM_EXPORT_DIR,
  GVM_STATE_DIR,
  RESCAN_EXIT_CODES,
} from "./gvmProgram";
import { GVMD_SOCKET } from "./compose";
import { desiredState, type ScanTarget } from "./targets";

const PASSWORD = "Fortress-Admin-Password-0001-abc";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nSCAN-KEY-CANARY\n-----END OPENSSH PRIVATE KEY-----";
const INVENTORY: ScanTarget[] = [
  { name: "servers", hosts: ["10.0.20.0/24"] },
  { name: "users", hosts: ["10.0.30.0/24"] },
];

let dir = "";
let gvmd: FakeGvmd;
let socket = "";

function python(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [join(dir, "fortress_gvm.py"), ...args], {
      env: {
        ...process.env,
        FORTRESS_GVMD_SOCKET: socket,
        FORTRESS_GVM_CONFIG: join(dir, "etc"),
        FORTRESS_GVM_STATE: join(dir, "state"),
        FORTRESS_GVM_EXPORT: join(dir, "export"),
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function writeDesired(targets: ScanTarget[], authenticated = true): string {
  const path = join(dir, "etc", "targets.json");
  writeFileSync(path, JSON.stringify(desiredState(targets, authenticated)));
  return path;
}

describe("fortress_gvm.py", () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fortress-gvm-"));
    writeFileSync(join(dir, "fortress_gvm.py"), GVM_PROGRAM);
    run("mkdir", ["-p", join(dir, "etc"), join(dir, "state"), join(dir, "export")]);
    writeFileSync(join(dir, "etc", "admin-password"), `${PASSWORD}\n`);
    writeFileSync(join(dir, "etc", "scan-key"), `${KEY}\n`);
  });
  after(async () => {
    await gvmd?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // Each test starts with an empty export and state (as a fresh VM would).
    for (const sub of ["export", "state"]) {
      rmSync(join(dir, sub), { recursive: true, force: true });
      run("mkdir", ["-p", join(dir, sub)]);
    }
    await gvmd?.close();
    gvmd = new FakeGvmd();
    socket = join(dir, `gvmd-${Date.now()}.sock`);
    await gvmd.listen(socket);
  });

  it("compiles, and its default paths are the ones the install and compose file use", () => {
    const result = run("python3", ["-m", "py_compile", join(dir, "fortress_gvm.py")]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(GVM_PROGRAM.includes(`"${GVMD_SOCKET}"`));
    assert.ok(GVM_PROGRAM.includes(`"${GVM_CONFIG_DIR}"`));
    assert.ok(GVM_PROGRAM.includes(`"${GVM_STATE_DIR}"`));
    assert.ok(GVM_PROGRAM.includes(`"${GVM_EXPORT_DIR}"`));
    assert.match(GVM_PROGRAM_PATH, /\.py$/);
  });

  it("password: replaces admin/admin over GMP modify_user, then admin/admin is refused; a re-run changes nothing", async () => {
    const first = await python(["password"]);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(gvmd.password, PASSWORD);
    // gvmd caches the admin/admin login; modify_user keeps it, GMP logout drops it (gvmd src/gmp_logout.c).
    assert.deepEqual(gvmd.changes(), ["modify_user", "logout"]);
    assert.ok(!gvmd.authCache.has("admin"), "admin/admin left in gvmd's login cache");
    const again = await python(["password"]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(gvmd.changes().slice(0, 2), ["modify_user", "logout"]);
    assert.equal(gvmd.changes().filter((name) => name === "modify_user").length, 1);
  });

  it("password: admin/admin still cached from an earlier login is logged out, then refused", async () => {
    gvmd.password = PASSWORD;
    gvmd.authCache.set("admin", Date.now() + 60_000);
    const result = await python(["password"]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(!gvmd.authCache.has("admin"));
    assert.deepEqual(gvmd.changes(), ["logout"]);
  });

  it("password: fails with 5 when admin takes neither password", async () => {
    gvmd.password = "someone-elses";
    const result = await python(["password"]);
    assert.equal(result.status, RESCAN_EXIT_CODES.gvmdUnreachable);
    assert.match(result.stderr, /neither the Fortress password nor the shipped one/);
  });

  it("reconcile: creates the credential, targets, schedules and tasks, then a re-run changes nothing", async () => {
    gvmd.password = PASSWORD;
    const path = writeDesired(INVENTORY);
    const first = await python(["reconcile", path]);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      gvmd.items.target.map((t) => [t.name, t.hosts]),
      [
        ["fortress-servers", "10.0.20.0/24"],
        ["fortress-users", "10.0.30.0/24"],
      ],
    );
    const credential = gvmd.items.credential[0];
    assert.equal(credential?.name, "fortress-scan-ssh");
    for (const target of gvmd.items.target) assert.equal(target.credential, credential?.id);
    assert.equal(gvmd.items.task.length, 2);
    assert.equal(gvmd.items.schedule.length, 2);
    const before = gvmd.changes().length;
    const second = await python(["reconcile", path]);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(gvmd.changes().length, before, `re-run sent ${gvmd.changes().slice(before).join(", ")}`);
  });

  it("reconcile: a changed target moves its task aside, is modified, and gets its task back; gone ones are deleted, others untouched", async () => {
    gvmd.password = PASSWORD;
    await python(["reconcile", writeDesired(INVENTORY)]);
    gvmd.items.target.push({
      id: "11111111-2222-4333-8444-555555555555",
      name: "Customer net",
      hosts: "192.0.2.0/24",
    });
    const start = gvmd.changes().length;
    const changed = await python([
      "reconcile",
      writeDesired([{ name: "servers", hosts: ["10.0.20.0/24", "10.0.21.5"] }]),
    ]);
    assert.equal(changed.status, 0, changed.stderr);
    assert.deepEqual(gvmd.changes().slice(start), [
      "delete_task",
      "modify_target",
      "create_task",
      "delete_task",
      "delete_target",
      "delete_schedule",
    ]);
    const live = (kind: "target" | "task") =>
      gvmd.items[kind].filter((item) => !item.trashed).map((item) => item.name);
    assert.deepEqual(live("target"), ["fortress-servers", "Customer net"]);
    assert.deepEqual(live("task"), ["fortress-servers"]);
    assert.equal(gvmd.items.target[0]?.hosts, "10.0.20.0/24,10.0.21.5");
  });

  it("reconcile: exits 75 and changes nothing until the feed's scan config and port list are loaded", async () => {
    gvmd.password = PASSWORD;
    gvmd.configs = [];
    const path = writeDesired(INVENTORY);
    const early = await python(["reconcile", path]);
    assert.equal(early.status, RESCAN_EXIT_CODES.retryLater, early.stderr);
    assert.match(early.stderr, /feed/);
    assert.deepEqual(gvmd.changes(), []);
    gvmd.configs = ["daba56c8-73ec-11df-a475-002264764cea"];
    gvmd.portLists = [];
    assert.equal((await python(["reconcile", path])).status, RESCAN_EXIT_CODES.retryLater);
    gvmd.portLists = ["33d0cd82-57c6-11e1-8ed1-406186ea4fc5"];
    const later = await python(["reconcile", path]);
    assert.equal(later.status, 0, later.stderr);
    assert.equal(gvmd.items.task.length, 2);
  });

  it("reconcile: without scan hosts the targets drop the credential (id 0), which is deleted; a re-run changes nothing", async () => {
    gvmd.password = PASSWORD;
    await python(["reconcile", writeDesired(INVENTORY)]);
    const path = writeDesired(INVENTORY, false);
    const first = await python(["reconcile", path]);
    assert.equal(first.status, 0, first.stderr);
    for (const target of gvmd.items.target) assert.equal(target.credential, undefined);
    assert.deepEqual(
      gvmd.items.credential.map((item) => [item.name, item.trashed]),
      [["fortress-scan-ssh", true]],
    );
    const before = gvmd.changes().length;
    const second = await python(["reconcile", path]);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(gvmd.changes().slice(before), []);
  });

  it("reconcile: exports a task's finished reports before moving the task to the trashcan", async () => {
    gvmd.password = PASSWORD;
    await python(["reconcile", writeDesired(INVENTORY)]);
    const task = gvmd.items.task.find((item) => item.name === "fortress-servers");
    const id = "dddddddd-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    gvmd.reports.push({ id, task: "fortress-servers", taskId: task?.id, status: "Done", results: [] });
    const changed = await python([
      "reconcile",
      writeDesired([{ name: "servers", hosts: ["10.0.23.0/24"] }, INVENTORY[1] as ScanTarget]),
    ]);
    assert.equal(changed.status, 0, changed.stderr);
    assert.equal(task?.trashed, true);
    assert.ok(existsSync(join(dir, "export", `report-${id}.jsonl`)), "the report was lost in the trashcan");
  });

  it("reconcile: a schedule whose weekday moved is modified; unchanged ones are not", async () => {
    gvmd.password = PASSWORD;
    await python(["reconcile", writeDesired(INVENTORY)]);
    const start = gvmd.changes().length;
    // Without servers, users is the first target: Sunday instead of Monday.
    const result = await python(["reconcile", writeDesired([INVENTORY[1] as ScanTarget])]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(gvmd.changes().slice(start).includes("modify_schedule"));
    const users = gvmd.items.schedule.find((item) => item.name === "fortress-users" && !item.trashed);
    assert.match(users?.icalendar ?? "", /RRULE:FREQ=WEEKLY;BYDAY=SU/);
    const again = gvmd.changes().length;
    await python(["reconcile", writeDesired([INVENTORY[1] as ScanTarget])]);
    assert.deepEqual(gvmd.changes().slice(again), []);
  });

  it("reconcile: exits 75 when a task to change is running, and changes nothing", async () => {
    gvmd.password = PASSWORD;
    await python(["reconcile", writeDesired(INVENTORY)]);
    for (const task of gvmd.items.task) task.status = "Running";
    const start = gvmd.changes().length;
    const result = await python([
      "reconcile",
      writeDesired([{ name: "servers", hosts: ["10.0.22.0/24"] }, INVENTORY[1] as ScanTarget]),
    ]);
    assert.equal(result.status, RESCAN_EXIT_CODES.retryLater);
    assert.deepEqual(gvmd.changes().slice(start), []);
  });

  it("export: writes each finished Fortress report once as JSON lines with gvmd's severity levels", async () => {
    gvmd.password = PASSWORD;
    const id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    gvmd.reports.push(
      {
        id,
        task: "fortress-servers",
        status: "Done",
        results: [
          {
            host: "10.0.20.11",
            port: "22/tcp",
            oid: "1.3.6.1.4.1.25623.1.0.1",
            nvt: "OpenSSH <x>",
            severity: "9.8",
          },
          {
            host: "10.0.20.12",
            port: "443/tcp",
            oid: "1.3.6.1.4.1.25623.1.0.2",
            nvt: "TLS",
            severity: "5.0",
          },
          {
            host: "10.0.20.12",
            port: "general/tcp",
            oid: "1.3.6.1.4.1.25623.1.0.3",
            nvt: "OS",
            severity: "0.0",
          },
        ],
      },
      { id: "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee", task: "Customer scan", status: "Done", results: [] },
      { id: "cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee", task: "fortress-users", status: "Running", results: [] },
    );
    const first = await python(["export"]);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(readdirSync(join(dir, "export")), [`report-${id}.jsonl`]);
    const lines = readFileSync(join(dir, "export", `report-${id}.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((line) => [
        line.host,
        line.port,
        line.nvt_oid,
        line.nvt_name,
        line.severity,
        line.severity_label,
        line.task,
      ]),
      [
        [
          "10.0.20.11",
          "22/tcp",
          "1.3.6.1.4.1.25623.1.0.1",
          "OpenSSH <x>",
          9.8,
          "critical",
          "fortress-servers",
        ],
        ["10.0.20.12", "443/tcp", "1.3.6.1.4.1.25623.1.0.2", "TLS", 5, "medium", "fortress-servers"],
        ["10.0.20.12", "general/tcp", "1.3.6.1.4.1.25623.1.0.3", "OS", 0, "log", "fortress-servers"],
      ],
    );
    const again = await python(["export"]);
    assert.match(again.stdout, /exported 0 report/);
    assert.ok(existsSync(join(dir, "state", "exported.json")));
  });

  it("rescan: starts the target's task (0), or says there is none (3) or it runs (4)", async () => {
    gvmd.password = PASSWORD;
    await python(["reconcile", writeDesired(INVENTORY)]);
    const started = await python(["rescan", "servers"]);
    assert.equal(started.status, RESCAN_EXIT_CODES.started, started.stderr);
    assert.match(started.stdout.trim(), /^[0-9a-f-]{36}$/);
    assert.equal((await python(["rescan", "nothing"])).status, RESCAN_EXIT_CODES.noSuchTarget);
    assert.equal((await python(["rescan", "servers"])).status, RESCAN_EXIT_CODES.alreadyRunning);
    assert.equal((await python(["rescan", "Bad Name"])).status, RESCAN_EXIT_CODES.usage);
  });
});

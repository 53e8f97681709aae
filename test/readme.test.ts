/**
 * What the README tells the user to set up and expect, checked against the vendor facts it cites.
 * Each fact below is from the vendor's source, named beside it.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { POLICIES } from "../policies/registry";
import { retention } from "../components/siem/retention";
import { ROLES } from "../stacks/catalog";
import { ENROLLMENT_PASSWORD_WHERE } from "../stacks/layers/endpoint";
import { SIEM_SIZING } from "../stacks/layers/siem";
import { OUTPUT_KEYS, OUTPUT_SECRECY } from "../stacks/outputs";
import { runProgram } from "../stacks/plan/run";
import { readStackConfig } from "../stacks/plan/stackConfig";
import { SDK_TYPES } from "../vocabulary/sdkTypes";

const root = join(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  scripts: { test: string };
};

/** The text from a heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no ${heading}`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, "m"));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The privilege table's row whose first cell contains `what`. */
function privilegeRow(what: string): string {
  const rows = section("## Proxmox prerequisites")
    .split("\n")
    .filter((line) => line.startsWith("| ") && (line.split("|")[1] ?? "").includes(what));
  assert.equal(rows.length, 1, `one privilege row for ${what}`);
  return rows[0] as string;
}

describe("the README", () => {
  it("lists the guest-agent privilege bpg needs to read every VM, by Proxmox version", () => {
    // bpg proxmoxtf/resource/vm/network/network.go reads agent/network-get-interfaces on every VM
    // read; qemu-server src/PVE/API2/Qemu/Agent.pm checks VM.GuestAgent.Audit (PVE 9, commit
    // b92a40ce), VM.Monitor before it (PVE 8).
    const row = privilegeRow("guest agent");
    assert.match(row, /`VM\.GuestAgent\.Audit`/);
    assert.match(row, /`VM\.Monitor`/);
    assert.match(row, /Agent\.pm/);
  });

  it("lists Datastore.Audit on the snippet datastore, whose content bpg lists around the upload", () => {
    // bpg proxmoxtf/resource/file.go lists the datastore's files before and after the SSH upload;
    // pve-storage src/PVE/API2/Storage/Content.pm `index` needs Datastore.Audit or AllocateSpace.
    const row = privilegeRow("snippets");
    assert.match(row, /`Datastore\.Audit`/);
    assert.match(row, /Content\.pm/);
  });

  it("says k3s renews certificates within 120 days of expiry (v1.33.1+), not 90", () => {
    // docs.k3s.io cli/certificate: 120 days since the May 2025 releases (v1.33.1+k3s1), 90 before.
    const platform = section("## Platform and identity");
    assert.match(platform, /within 120 days of expiry/);
    assert.doesNotMatch(platform, /renewed only when k3s starts within 90 days/);
  });

  it("tells the first `pulumi up` with a GPU worker to continue past a failed GPU VM", () => {
    // The engine schedules no new step after a failed one unless --continue-on-error.
    assert.match(section("## Real use against a lab"), /pulumi up --continue-on-error/);
  });

  it("says what a changed user-data does to a VM: same snippet, applied at the next Proxmox start", () => {
    const realUse = section("## Real use against a lab");
    assert.match(realUse, /fortress-<vm>-user-data\.yaml/);
    assert.match(realUse, /instance-id/);
    assert.match(realUse, /Cloudinit\.pm/);
  });
});

describe("the README's lists", () => {
  it("says for every policy of the table where it runs: offline, in preview, or both", () => {
    const rows = section("## The policy pack")
      .split("\n")
      .filter((line) => /^\| `[a-z0-9-]+` \|/.test(line));
    assert.ok(rows.length >= POLICIES.length);
    const silent = rows.filter((line) => {
      const where = line.split(" | ").at(-1) ?? "";
      return !/^(both|offline|preview|in preview)\b/.test(where.replace(/ \|$/, ""));
    });
    assert.deepEqual(silent, [], "rows without a where column");
  });

  it("names every registered policy in the policy pack's table, and no other", () => {
    const rows = section("## The policy pack")
      .split("\n")
      .map((line) => /^\| `([a-z0-9-]+)` \|/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    const registered = POLICIES.map((policy) => policy.name);
    assert.deepEqual(
      registered.filter((name) => !rows.includes(name)),
      [],
      "registered policies missing from the README's table",
    );
    assert.deepEqual(
      rows.filter((name) => !registered.includes(name)),
      [],
      "policies in the README's table that are not registered",
    );
  });

  it("names the folders npm test runs, and every test folder it names exists", () => {
    const globs = [...(packageJson.scripts.test.matchAll(/"([a-z]+)\/\*\*\/\*\.test\.ts"/g) ?? [])].map(
      (match) => `${match[1]}/`,
    );
    assert.ok(globs.length > 0, "package.json's test script runs test globs");
    const tests = section("## Tests");
    const sentence =
      /runs `tsc`, ESLint, Prettier, then node's test runner over ([^.]+)\./.exec(tests)?.[1] ?? "";
    const named = [...sentence.matchAll(/`([a-z]+\/)`/g)].map((match) => match[1]);
    assert.deepEqual(
      [...named].sort(),
      [...globs].sort(),
      "the Tests section names the folders of the test globs",
    );
    const layout = section("## Code layout");
    const testPaths = [...`${tests}\n${layout}`.matchAll(/`(test\/[\w./-]*)`/g)].map(
      (match) => match[1] ?? "",
    );
    assert.ok(testPaths.length > 2, "the README names test folders and files");
    for (const path of testPaths)
      assert.ok(existsSync(join(root, path)), `README names ${path}, which does not exist`);
  });
});

describe("the README's SIEM and endpoints section (issue 12)", () => {
  const siem = () => section("## SIEM and endpoints");

  it("lists every stack output in the outputs table, secret where stacks/outputs.ts says, and no other", () => {
    const rows = section("## Stack outputs and trusting the CA")
      .split("\n")
      .filter((line) => line.startsWith("| `"));
    const listed = new Map<string, string>();
    for (const row of rows) {
      const [names = "", secret = ""] = row.split("|").slice(1, 3);
      for (const match of names.matchAll(/`(\w+)`/g)) listed.set(match[1] as string, secret.trim());
    }
    assert.deepEqual([...listed.keys()].sort(), [...OUTPUT_KEYS].sort());
    for (const key of OUTPUT_KEYS) {
      const secret = listed.get(key) ?? "";
      // A row may pair a plain user name with its secret password: "password" says which.
      const says = secret === "yes" || (secret === "password" && /Password$/.test(key)) ? "secret" : "plain";
      assert.equal(says, OUTPUT_SECRECY[key], `${key}: the table says ${secret}`);
    }
  });

  it("tells admins to read the enrollment password where the endpoint layer says it is", () => {
    assert.ok(siem().includes(ENROLLMENT_PASSWORD_WHERE), ENROLLMENT_PASSWORD_WHERE);
    for (const key of OUTPUT_KEYS.filter((name) => name.startsWith("wazuh")))
      assert.match(siem(), new RegExp(`\\b${key}\\b`), `the section does not name ${key}`);
  });

  it("gives the retention days the siem layer computes at the configured ingest", () => {
    const dataGi = Math.floor(ROLES["k3s-indexer"].shape.dataDiskGb * SIEM_SIZING.dataShare);
    const { days } = retention({
      dataDiskGb: dataGi,
      ingestGbPerDay: SIEM_SIZING.ingestGbPerDay,
      maxDays: SIEM_SIZING.maxRetentionDays,
    });
    assert.match(siem(), new RegExp(`data claim is ${dataGi} GiB`));
    assert.match(siem(), new RegExp(`are \\*\\*${days}\\*\\*`));
    assert.match(siem(), new RegExp(`${SIEM_SIZING.ingestGbPerDay} GB a day`));
  });

  it("rotates the enrollment password by its URN as the engine makes it, every ancestor type named", async () => {
    const run = await runProgram(readStackConfig(join(root, "Pulumi.home.yaml")));
    assert.ok(run.ok, "the home lab does not plan");
    const byUrn = new Map(run.resources.map((resource) => [resource.urn, resource]));
    const password = run.resources.find(
      (resource) => resource.type === SDK_TYPES.randomPassword && resource.name.endsWith("-enrollment"),
    );
    assert.ok(password, "the plan has no enrollment password");
    // pulumi/pulumi pkg/resource/deploy/deployment.go generateURN: the parent's full qualified type
    // (the root stack's left out) + "$" + the type. The mock monitor names only the parent's type.
    const types: string[] = [];
    for (let at: typeof password | undefined = password; at; at = byUrn.get(at.parent ?? ""))
      types.unshift(at.type);
    assert.ok(types.length >= 3, `the password's ancestors: ${types.join(" > ")}`);
    const urn = `urn:pulumi:<stack>::fortress::${types.join("$")}::${password.name}`;
    assert.ok(siem().includes(`pulumi up --replace '${urn}'`), `the section does not replace ${urn}`);
  });

  it("cites Wazuh's source for what a rotation does to authd and to enrolled agents", () => {
    // authd reads authd.pass once at start; an agent with a key re-enrolls only when its handshake fails.
    assert.match(siem(), /wazuh\/wazuh@v4\.14\.6 `src\/os_auth\/main-server\.c`/);
    assert.match(siem(), /wazuh\/wazuh@v4\.14\.6 `src\/client-agent\/start_agent\.c`/);
    assert.match(siem(), /Enrolled agents are not affected/);
  });
});

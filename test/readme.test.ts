/**
 * What the README tells the user to set up and expect, checked against the vendor facts it cites.
 * Each fact below is from the vendor's source, named beside it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

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

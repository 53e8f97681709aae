import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { proxmoxTokenLeastPrivilege } from "./proxmox-token-least-privilege";
import {
  acl,
  exporterAcls,
  exporterToken,
  exporterUser,
  role,
  token,
} from "./proxmox-token-least-privilege.fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const check = (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies([proxmoxTokenLeastPrivilege], resources);

describe("proxmox-token-least-privilege", () => {
  it("asks for privilege separation, explicitly, on the token", async () => {
    const full = token("full", { privilegesSeparation: false });
    const unset = token("unset", { privilegesSeparation: undefined });
    const violations = await check(full, unset);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [full.urn, unset.urn],
    );
    assert.match(
      violations[0]?.message ?? "",
      /^API token fortress@pve!full has privilegesSeparation false, so it holds every privilege of its user: set privilegesSeparation: true/,
    );
    assert.match(
      violations[1]?.message ?? "",
      /^API token fortress@pve!unset has privilegesSeparation unset/,
    );
    const legacy = planResource(SDK_TYPES.proxmoxTokenLegacy, "legacy", {
      userId: "a@pve",
      tokenName: "t",
    });
    assert.equal((await check(legacy)).length, 1);
  });

  it("forbids Administrator and PVEAdmin at any path, naming who gets it", async () => {
    const grant = acl("vm", {
      path: "/vms/100",
      roleId: "Administrator",
      tokenId: undefined,
      userId: "ops@pve",
    });
    const [violation] = await check(grant);
    assert.equal(violation?.urn, grant.urn);
    assert.match(
      violation?.message ?? "",
      /^ACL grants user ops@pve the role Administrator on \/vms\/100: grant a narrow role/,
    );
  });

  it("finds Permissions.Modify in custom roles granted on /, by role id or by dependency", async () => {
    const admin = role("FortressAdmin", ["Permissions.Modify", "VM.Audit"]);
    const [byId] = await check(admin, acl("root", { path: "/", roleId: "FortressAdmin" }));
    assert.match(byId?.message ?? "", /role FortressAdmin on \/, and that role holds Permissions\.Modify/);
    const [byDependency] = await check(admin, acl("root", { path: "/", roleId: "role-output-id" }, [admin]));
    assert.match(byDependency?.message ?? "", /holds Permissions\.Modify/);
    assert.deepEqual(
      await check(admin, acl("pool", { path: "/pool/fortress", roleId: "FortressAdmin" })),
      [],
    );
  });

  it("reads inline ACLs of legacy users and groups", async () => {
    const user = planResource(SDK_TYPES.proxmoxUserLegacy, "ops", {
      userId: "ops@pve",
      acls: [
        { path: "/pool/fortress", roleId: "PVEVMAdmin" },
        { path: "/", roleId: "PVEAdmin", propagate: true },
      ],
    });
    const violations = await check(user);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /user ops@pve the role PVEAdmin on \//);
  });

  it("takes the forbidden roles and root privileges from the pack config", async () => {
    const config = {
      "proxmox-token-least-privilege": { forbiddenRoles: ["Administrator"], rootPrivileges: ["Sys.Modify"] },
    };
    const resources = [
      acl("a", { path: "/", roleId: "PVEAdmin" }),
      role("Tuner", ["Sys.Modify"]),
      acl("b", { path: "/", roleId: "Tuner" }),
    ];
    const violations = await evaluatePolicies([proxmoxTokenLeastPrivilege], resources, config);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [resources[2]?.urn],
    );
  });
  it("finds the privileges that amount to root in built-in and custom roles, where they act", async () => {
    const flagged = async (path: string, roleId: string, ...extra: ReturnType<typeof role>[]) =>
      (await check(...extra, acl("grant", { path, roleId }))).map((violation) => violation.message);
    assert.match(
      (await flagged("/nodes/pve1", "PVESysAdmin"))[0] ?? "",
      /holds Sys\.Console, which there amount to root/,
    );
    assert.match((await flagged("/", "PVEUserAdmin"))[0] ?? "", /holds User\.Modify, Realm\.AllocateUser/);
    assert.match((await flagged("/access/groups/admins", "PVEUserAdmin"))[0] ?? "", /User\.Modify/);
    assert.match((await flagged("/mapping/dir", "PVEMappingAdmin"))[0] ?? "", /Mapping\.Modify/);
    const tuner = role("Tuner", ["Sys.Modify", "Sys.Audit"]);
    assert.match((await flagged("/", "Tuner", tuner))[0] ?? "", /Sys\.Modify/);
    assert.deepEqual(await flagged("/vms/100", "Tuner", tuner), []);
    assert.deepEqual(await flagged("/pool/fortress", "PVEVMAdmin"), []);
    assert.deepEqual(await flagged("/", "PVEAuditor"), []);
    assert.deepEqual(await flagged("/vms/100", "PVESysAdmin"), []);
  });

  it("finds Datastore.Allocate on /storage itself (new storages on host paths), not on one storage", async () => {
    const flagged = async (path: string, roleId: string, ...extra: ReturnType<typeof role>[]) =>
      (await check(...extra, acl("grant", { path, roleId }))).map((violation) => violation.message);
    assert.match(
      (await flagged("/storage", "PVEDatastoreAdmin"))[0] ?? "",
      /holds Datastore\.Allocate, which there/,
    );
    assert.match((await flagged("/storage/", "PVEDatastoreAdmin"))[0] ?? "", /Datastore\.Allocate/);
    const snippets = role("Snippets", ["Datastore.Allocate", "Datastore.Audit"]);
    assert.match((await flagged("/", "Snippets", snippets))[0] ?? "", /Datastore\.Allocate/);
    assert.deepEqual(await flagged("/storage/local", "Snippets", snippets), []);
    assert.deepEqual(await flagged("/storage/local", "PVEDatastoreAdmin"), []);
  });

  it("finds Permissions.Modify on /storage and under /mapping, where it grants Datastore.Allocate or Mapping.Modify", async () => {
    const delegate = role("Delegate", ["Permissions.Modify"]);
    const flagged = async (path: string) =>
      (await check(delegate, acl("grant", { path, roleId: "Delegate" }))).map(
        (violation) => violation.message,
      );
    assert.match((await flagged("/storage"))[0] ?? "", /holds Permissions\.Modify/);
    assert.match((await flagged("/mapping"))[0] ?? "", /holds Permissions\.Modify/);
    assert.match((await flagged("/mapping/pci/gpu"))[0] ?? "", /holds Permissions\.Modify/);
    assert.deepEqual(await flagged("/storage/local"), []);
    assert.deepEqual(await flagged("/pool/fortress"), []);
  });

  it("keeps the monitoring exporter read-only: PVEAuditor only, to its user and its tokens, no password, no group", async () => {
    assert.deepEqual(await check(exporterUser(), exporterToken(), ...exporterAcls()), []);
    const [vmUser] = await check(exporterToken(), ...exporterAcls("PVEVMUser"));
    assert.match(
      vmUser?.message ?? "",
      /^ACL grants token fortress-exporter@pve!prometheus the role PVEVMUser on \/, but fortress-exporter@pve only reads: grant it PVEAuditor and nothing else/,
    );
    // A role that is neither forbidden nor root-equivalent is still refused to the read-only user.
    const onPool = acl("pool", {
      tokenId: undefined,
      userId: "fortress-exporter@pve",
      path: "/pool/fortress",
      roleId: "PVEVMAdmin",
    });
    assert.equal((await check(onPool)).length, 1);
    const inline = exporterUser({ acls: [{ path: "/storage/local", roleId: "PVEDatastoreUser" }] });
    assert.match(
      (await check(inline))[0]?.message ?? "",
      /user fortress-exporter@pve the role PVEDatastoreUser/,
    );
    const withPassword = exporterUser({ password: "x" });
    assert.match(
      (await check(withPassword))[0]?.message ?? "",
      /read-only user fortress-exporter@pve has a password/,
    );
    const inGroup = exporterUser({ groups: ["admins"] });
    assert.match((await check(inGroup))[0]?.message ?? "", /is in group\(s\) admins/);
    // Other users keep the general rules only: PVEVMAdmin on the pool is fine for Fortress's own token.
    assert.deepEqual(await check(acl("ops", { path: "/pool/fortress", roleId: "PVEVMAdmin" })), []);
  });

  it("takes the read-only users and roles from the pack config", async () => {
    const config = {
      "proxmox-token-least-privilege": {
        readOnlyUsers: ["grafana@pve"],
        readOnlyRoles: ["PVEAuditor", "Reader"],
      },
    };
    const grants = [
      acl("reader", { tokenId: "grafana@pve!ro", path: "/", roleId: "Reader" }),
      acl("auditor", { tokenId: "grafana@pve!ro", path: "/", roleId: "PVEAuditor" }),
      acl("vm", { tokenId: "grafana@pve!ro", path: "/vms", roleId: "PVEVMUser" }),
      acl("exporter", { tokenId: "fortress-exporter@pve!prometheus", path: "/", roleId: "PVEVMUser" }),
    ];
    const violations = await evaluatePolicies([proxmoxTokenLeastPrivilege], grants, config);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [grants[2]?.urn],
    );
  });
});

import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { ROLE_TYPE } from "./proxmox-token-least-privilege";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export const token = (name: string, inputs: Record<string, unknown> = {}) =>
  planResource(SDK_TYPES.proxmoxToken, name, {
    userId: "fortress@pve",
    tokenName: name,
    comment: "Managed by Fortress",
    privilegesSeparation: true,
    ...inputs,
  });

export const acl = (
  name: string,
  inputs: Record<string, unknown>,
  dependsOn: ReturnType<typeof planResource>[] = [],
) =>
  planResource(
    SDK_TYPES.proxmoxAcl,
    name,
    { tokenId: "fortress@pve!pulumi", propagate: true, ...inputs },
    { dependsOn },
  );

export const role = (roleId: string, privileges: readonly string[]) =>
  planResource(ROLE_TYPE, `role-${roleId}`, { roleId, privileges });

const operator = role("FortressOperator", [
  "VM.Allocate",
  "VM.Config.Disk",
  "Datastore.AllocateSpace",
  "Sys.Audit",
]);
const admin = role("FortressAdmin", ["VM.Allocate", "Permissions.Modify"]);

/** The monitoring exporter's user, as components/monitoring/exporters/proxmoxAccess.ts makes it. */
export const exporterUser = (inputs: Record<string, unknown> = {}) =>
  planResource(SDK_TYPES.proxmoxUserLegacy, "exporter-user", {
    userId: "fortress-exporter@pve",
    enabled: true,
    ...inputs,
  });
export const exporterToken = () =>
  token("prometheus", { userId: "fortress-exporter@pve", tokenName: "prometheus" });
export const exporterAcls = (roleId = "PVEAuditor") => [
  acl("exporter-user-audit", {
    tokenId: undefined,
    userId: "fortress-exporter@pve",
    path: "/",
    roleId: "PVEAuditor",
  }),
  acl("exporter-token-audit", { tokenId: "fortress-exporter@pve!prometheus", path: "/", roleId }),
];

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a separated token with a custom role on the pool and read-only on /",
      resources: [
        token("pulumi"),
        operator,
        acl("pool", { path: "/pool/fortress", roleId: "FortressOperator" }, [operator]),
        acl("audit", { path: "/", roleId: "PVEAuditor" }),
      ],
    },
    { name: "nothing to grant", resources: [] },
    {
      name: "the monitoring exporter: no password, a separated token, PVEAuditor on / to the user and the token",
      resources: [exporterUser(), exporterToken(), ...exporterAcls()],
    },
    {
      name: "PVEDatastoreAdmin on one storage (/storage/local): its path is fixed",
      resources: [acl("snippets", { path: "/storage/local", roleId: "PVEDatastoreAdmin" })],
    },
  ],
  failing: [
    {
      name: "the monitoring exporter's token granted PVEVMUser (power on and off: not read-only)",
      resources: [exporterUser(), exporterToken(), ...exporterAcls("PVEVMUser")],
    },
    {
      name: "the monitoring exporter's user with a password (it could log in)",
      resources: [exporterUser({ password: "from-config" }), exporterToken(), ...exporterAcls()],
    },
    {
      name: "a token without privilege separation",
      resources: [token("full", { privilegesSeparation: false })],
    },
    {
      name: "Administrator on /",
      resources: [token("pulumi"), acl("root", { path: "/", roleId: "Administrator" })],
    },
    { name: "PVEAdmin on a pool", resources: [acl("pool", { path: "/pool/fortress", roleId: "PVEAdmin" })] },
    {
      name: "PVEDatastoreAdmin on /storage (Datastore.Allocate: new storages on any host path)",
      resources: [acl("storage", { path: "/storage", roleId: "PVEDatastoreAdmin" })],
    },
    {
      name: "a custom role holding Permissions.Modify on /mapping",
      resources: [admin, acl("mapping", { path: "/mapping", roleId: "FortressAdmin" }, [admin])],
    },
    {
      name: "a custom role holding Permissions.Modify on /",
      resources: [admin, acl("root", { path: "/", roleId: "FortressAdmin" }, [admin])],
    },
  ],
};

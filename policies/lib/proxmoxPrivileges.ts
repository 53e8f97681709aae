/**
 * Proxmox VE's privileges and built-in roles, as pve-access-control defines them
 * (proxmox/pve-access-control src/PVE/AccessControl.pm: `$privgroups`, `$special_roles`,
 * `create_roles`), and the privileges that amount to root on the nodes or to every account, with the
 * ACL paths where they act.
 */

/** `$privgroups`: per group, the root, admin, user and audit tiers. */
const PRIVILEGE_GROUPS: Readonly<
  Record<string, Readonly<Record<"root" | "admin" | "user" | "audit", readonly string[]>>>
> = {
  VM: {
    root: [],
    admin: [
      "VM.Config.Disk",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Allocate",
      "VM.Clone",
      "VM.GuestAgent.Unrestricted",
      "VM.Migrate",
      "VM.Replicate",
      "VM.Snapshot",
      "VM.Snapshot.Rollback",
    ],
    user: [
      "VM.Config.CDROM",
      "VM.Config.Cloudinit",
      "VM.Console",
      "VM.Backup",
      "VM.GuestAgent.FileRead",
      "VM.GuestAgent.FileSystemMgmt",
      "VM.GuestAgent.FileWrite",
      "VM.PowerMgmt",
    ],
    audit: ["VM.Audit", "VM.GuestAgent.Audit"],
  },
  Sys: {
    root: ["Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"],
    admin: ["Sys.Console", "Sys.Syslog"],
    user: [],
    audit: ["Sys.Audit"],
  },
  Datastore: {
    root: [],
    admin: ["Datastore.Allocate", "Datastore.AllocateTemplate"],
    user: ["Datastore.AllocateSpace"],
    audit: ["Datastore.Audit"],
  },
  SDN: { root: [], admin: ["SDN.Allocate", "SDN.Audit"], user: ["SDN.Use"], audit: ["SDN.Audit"] },
  User: {
    root: ["Realm.Allocate"],
    admin: ["User.Modify", "Group.Allocate", "Realm.AllocateUser"],
    user: [],
    audit: [],
  },
  Pool: { root: [], admin: ["Pool.Allocate"], user: ["Pool.Audit"], audit: ["Pool.Audit"] },
  Mapping: { root: [], admin: ["Mapping.Modify"], user: ["Mapping.Use"], audit: ["Mapping.Audit"] },
};

const ALL_PRIVILEGES = [
  ...new Set([
    ...Object.values(PRIVILEGE_GROUPS).flatMap((tiers) => Object.values(tiers).flat()),
    "Permissions.Modify",
  ]),
];

/** The built-in roles and their privileges, as `create_roles` builds them. */
export const BUILTIN_ROLES: ReadonlyMap<string, readonly string[]> = (() => {
  const roles = new Map<string, Set<string>>([
    ["Administrator", new Set(ALL_PRIVILEGES)],
    ["NoAccess", new Set()],
  ]);
  const add = (role: string, privileges: readonly string[]) => {
    const set = roles.get(role) ?? new Set<string>();
    for (const privilege of privileges) set.add(privilege);
    roles.set(role, set);
  };
  for (const [group, tiers] of Object.entries(PRIVILEGE_GROUPS)) {
    const granted = [...tiers.admin, ...tiers.user, ...tiers.audit];
    add(`PVE${group}Admin`, granted);
    add("PVEAdmin", granted);
    if (tiers.user.length > 0) add(`PVE${group}User`, [...tiers.user, ...tiers.audit]);
    add("PVEAuditor", tiers.audit);
  }
  roles.get("PVEAdmin")?.delete("Mapping.Modify");
  roles.set("PVETemplateUser", new Set(["VM.Clone", "VM.Audit"]));
  return new Map([...roles].map(([role, privileges]) => [role, [...privileges]]));
})();

/** Where a privilege acts as root: on `below` paths and everything under them, on `only` paths alone. */
interface RootPaths {
  readonly below: readonly string[];
  readonly only?: readonly string[];
}

/**
 * Privileges that hand over the nodes or every account, with the ACL paths where Proxmox checks them
 * (`/` is above every path, and an ACL reaches everything below its path):
 * - Permissions.Modify: grants any role to anyone on that path and below it, itself included (on
 *   /nodes: the shell; on /mapping: Mapping.Modify; on /storage: Datastore.Allocate), pve-access-control
 *   src/PVE/API2/ACL.pm `update_acl` (only holders without it are limited to their own privileges).
 * - Sys.Console: the node's shell (a login prompt on the node, pve-manager PVE/API2/Nodes.pm
 *   `get_shell_command`), and Sys.Modify: the node's network, DNS, time, APT and certificates.
 * - User.Modify and Realm.AllocateUser: other users' passwords, tokens and group membership, the
 *   administrators' among them; Realm.Allocate: realms that decide who is who.
 * - Mapping.Modify: host devices and directories (`hardware/mapping/dir`) handed into guests.
 * - Datastore.Allocate on /storage itself: new storages, a directory storage on any host path or an
 *   NFS/CIFS mount among them (pve-storage src/PVE/API2/Storage/Config.pm `create` checks /storage).
 *   On /storage/<id> it edits that storage only, whose path and server are fixed: not root.
 */
const ROOT_PATHS: ReadonlyMap<string, RootPaths> = new Map<string, RootPaths>([
  ["Permissions.Modify", { below: ["/nodes", "/access", "/mapping"], only: ["/storage"] }],
  ["Sys.Console", { below: ["/nodes"] }],
  ["Sys.Modify", { below: ["/nodes"] }],
  ["User.Modify", { below: ["/access"] }],
  ["Realm.AllocateUser", { below: ["/access"] }],
  ["Realm.Allocate", { below: ["/access"] }],
  ["Mapping.Modify", { below: ["/mapping"] }],
  ["Datastore.Allocate", { below: [], only: ["/storage"] }],
]);

/** The root-equivalent privileges and every path (besides /) where they act as root. */
export const ROOT_EQUIVALENT: ReadonlyMap<string, readonly string[]> = new Map(
  [...ROOT_PATHS].map(([privilege, { below, only }]) => [privilege, ["/", ...below, ...(only ?? [])]]),
);

const normalPath = (path: string) =>
  `/${path
    .split("/")
    .filter((part) => part !== "")
    .join("/")}`;

/**
 * Whether a privilege granted on `path` acts where it is root-equivalent: on `/`, on one of its
 * paths, or below a path where it acts on everything under it (`/nodes/pve1`, `/access/groups/admins`).
 */
export function rootEquivalentAt(privilege: string, path: string): boolean {
  const where = ROOT_PATHS.get(privilege);
  if (!where) return false;
  const granted = normalPath(path);
  return (
    granted === "/" ||
    (where.only ?? []).includes(granted) ||
    where.below.some((root) => granted === root || granted.startsWith(`${root}/`))
  );
}

/** Whether a privilege name is one Proxmox knows. */
export const isKnownPrivilege = (privilege: string) => ALL_PRIVILEGES.includes(privilege);

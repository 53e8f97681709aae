import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { BUILTIN_ROLES, ROOT_EQUIVALENT, rootEquivalentAt } from "../lib/proxmoxPrivileges";

export const TOKEN_TYPES: readonly string[] = [SDK_TYPES.proxmoxToken, SDK_TYPES.proxmoxTokenLegacy];
export const ACL_TYPES: readonly string[] = [SDK_TYPES.proxmoxAcl, SDK_TYPES.proxmoxAclLegacy];
/** Users and groups whose deprecated inline `acls` grant roles too. */
export const INLINE_ACL_TYPES: readonly string[] = [
  SDK_TYPES.proxmoxUserLegacy,
  SDK_TYPES.proxmoxGroupLegacy,
];
export const ROLE_TYPE = SDK_TYPES.proxmoxRoleLegacy;

const DEFAULT_FORBIDDEN_ROLES = ["Administrator", "PVEAdmin"];
/**
 * Users whose every grant must be read-only, theirs and their tokens': the monitoring layer's exporter
 * (components/monitoring/exporters/proxmoxAccess.ts), which reads the API and changes nothing.
 */
const DEFAULT_READ_ONLY_USERS = ["fortress-exporter@pve"];
/** PVEAuditor: only `*.Audit` privileges (lib/proxmoxPrivileges.ts BUILTIN_ROLES). */
const DEFAULT_READ_ONLY_ROLES = ["PVEAuditor"];
/** Privileges that amount to root on the nodes or over every account (lib/proxmoxPrivileges.ts). */
const DEFAULT_ROOT_PRIVILEGES = [...ROOT_EQUIVALENT.keys()];

const isRoot = (path: string) => path.replace(/\/+$/, "") === "";
/** Whether `privilege`, granted on `path`, acts where it is root-equivalent; a configured one acts at / only. */
const rootAt = (privilege: string, path: string) =>
  ROOT_EQUIVALENT.has(privilege) ? rootEquivalentAt(privilege, path) : isRoot(path);

interface Grant {
  readonly resource: PolicyResource;
  readonly path: string;
  readonly roleId: string;
  readonly who: string;
  /** The user the grant reaches, itself or through one of its tokens (`user@realm!token`); none for a group. */
  readonly user?: string;
}

/** The user of a token id `user@realm!name`, or of a user id. */
const userOf = (id: string) => id.split("!")[0] ?? id;

function grantsOf(resource: PolicyResource): Grant[] {
  const props = resource.props as Record<string, unknown>;
  if (ACL_TYPES.includes(resource.type)) {
    const who =
      props.tokenId !== undefined
        ? `token ${String(props.tokenId)}`
        : props.userId !== undefined
          ? `user ${String(props.userId)}`
          : `group ${String(props.groupId ?? "?")}`;
    const principal = props.tokenId ?? props.userId;
    return [
      {
        resource,
        path: String(props.path ?? ""),
        roleId: String(props.roleId ?? ""),
        who,
        ...(principal === undefined ? {} : { user: userOf(String(principal)) }),
      },
    ];
  }
  if (INLINE_ACL_TYPES.includes(resource.type) && Array.isArray(props.acls)) {
    const who =
      props.userId !== undefined ? `user ${String(props.userId)}` : `group ${String(props.groupId ?? "?")}`;
    return (props.acls as { path?: unknown; roleId?: unknown }[]).map((acl) => ({
      resource,
      path: String(acl.path ?? ""),
      roleId: String(acl.roleId ?? ""),
      who,
      ...(props.userId === undefined ? {} : { user: String(props.userId) }),
    }));
  }
  return [];
}

const stringList = (value: unknown, fallback: readonly string[]) =>
  Array.isArray(value) ? value.map(String) : [...fallback];

export const proxmoxTokenLeastPrivilege: StackValidationPolicy = {
  name: "proxmox-token-least-privilege",
  description:
    "Proxmox API tokens are privilege-separated; read-only users (the monitoring exporter's) and their tokens hold only read-only roles (PVEAuditor), no password and no group; and no ACL grants Administrator or PVEAdmin, or a role (built-in or custom) holding a privilege that amounts to root where it is granted: Permissions.Modify, Sys.Console, Sys.Modify, User.Modify, Realm.AllocateUser, Realm.Allocate, Mapping.Modify on /, /nodes, /access or /mapping, and Datastore.Allocate or Permissions.Modify on /storage.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      forbiddenRoles: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_FORBIDDEN_ROLES,
        description: "Roles no ACL may grant, at any path.",
      },
      rootPrivileges: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ROOT_PRIVILEGES,
        description:
          "Privileges no granted role may hold where they act: the root-equivalent ones on their paths (lib/proxmoxPrivileges.ts), any other named here on /.",
      },
      readOnlyUsers: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_READ_ONLY_USERS,
        description:
          "Users (user@realm) that only read: every ACL to them or their tokens grants a read-only role; they have no password and no group.",
      },
      readOnlyRoles: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_READ_ONLY_ROLES,
        description: "The roles a read-only user or its tokens may be granted.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{
      forbiddenRoles?: unknown;
      rootPrivileges?: unknown;
      readOnlyUsers?: unknown;
      readOnlyRoles?: unknown;
    }>();
    const forbiddenRoles = new Set(stringList(config.forbiddenRoles, DEFAULT_FORBIDDEN_ROLES));
    const rootPrivileges = stringList(config.rootPrivileges, DEFAULT_ROOT_PRIVILEGES);
    const readOnlyUsers = new Set(stringList(config.readOnlyUsers, DEFAULT_READ_ONLY_USERS));
    const readOnlyRoles = new Set(stringList(config.readOnlyRoles, DEFAULT_READ_ONLY_ROLES));

    const roles = args.resources.filter((resource) => resource.type === ROLE_TYPE);
    /** The privileges of a grant's role: a built-in, the role resource of that id, or a role it depends on. */
    const privilegesOf = (grant: Grant): string[] => {
      const dependencies = [
        ...grant.resource.dependencies,
        ...Object.values(grant.resource.propertyDependencies).flat(),
      ];
      const custom = roles.filter(
        (role) =>
          role.props.roleId === grant.roleId ||
          (ACL_TYPES.includes(grant.resource.type) &&
            dependencies.some((dependency) => dependency.urn === role.urn)),
      );
      return [
        ...(BUILTIN_ROLES.get(grant.roleId) ?? []),
        ...custom.flatMap((role) =>
          Array.isArray(role.props.privileges) ? role.props.privileges.map(String) : [],
        ),
      ];
    };

    for (const resource of args.resources) {
      if (TOKEN_TYPES.includes(resource.type) && resource.props.privilegesSeparation !== true) {
        const id = `${String(resource.props.userId ?? "?")}!${String(resource.props.tokenName ?? resource.name)}`;
        reportViolation(
          `API token ${id} has privilegesSeparation ${resource.props.privilegesSeparation === false ? "false, so it holds every privilege of its user" : "unset"}: set privilegesSeparation: true and grant the token only the roles it needs with ACLs of its own`,
          resource.urn,
        );
      }
      if (INLINE_ACL_TYPES.includes(resource.type) && readOnlyUsers.has(String(resource.props.userId))) {
        const userId = String(resource.props.userId);
        if (resource.props.password !== undefined && resource.props.password !== "") {
          reportViolation(
            `read-only user ${userId} has a password: it could log in to the web interface; it reads through its API token only`,
            resource.urn,
          );
        }
        if (Array.isArray(resource.props.groups) && resource.props.groups.length > 0) {
          reportViolation(
            `read-only user ${userId} is in group(s) ${resource.props.groups.map(String).join(", ")}: a group's ACLs would grant it more than ${[...readOnlyRoles].join(", ")}`,
            resource.urn,
          );
        }
      }
      for (const grant of grantsOf(resource)) {
        if (grant.user !== undefined && readOnlyUsers.has(grant.user) && !readOnlyRoles.has(grant.roleId)) {
          reportViolation(
            `ACL grants ${grant.who} the role ${grant.roleId} on ${grant.path || "/"}, but ${grant.user} only reads: grant it ${[...readOnlyRoles].join(" or ")} and nothing else`,
            resource.urn,
          );
          continue;
        }
        if (forbiddenRoles.has(grant.roleId)) {
          reportViolation(
            `ACL grants ${grant.who} the role ${grant.roleId} on ${grant.path || "(no path)"}: grant a narrow role (e.g. PVEVMAdmin, PVEDatastoreUser, or a custom one) on the narrowest path, such as /pool/fortress`,
            resource.urn,
          );
          continue;
        }
        const held = [
          ...new Set(
            privilegesOf(grant).filter(
              (privilege) => rootPrivileges.includes(privilege) && rootAt(privilege, grant.path),
            ),
          ),
        ];
        if (held.length > 0) {
          reportViolation(
            `ACL grants ${grant.who} the role ${grant.roleId} on ${grant.path || "/"}, and that role holds ${held.join(", ")}, which there amount to root on the nodes or over every account (node shell, node settings, other users' passwords and groups, permissions, host mappings, storages on host paths): drop ${held.join(", ")} from the role or grant it on a narrower path such as /pool/fortress`,
            resource.urn,
          );
        }
      }
    }
  },
};

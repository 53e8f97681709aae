/** Class 4: privileges — Proxmox roles and the provider's own login, Kubernetes RBAC. */
import * as k8s from "@pulumi/kubernetes";
import { planResource } from "../lib/build";
import type { PlanResource } from "../lib/types";
import { PROXMOX_PROVIDER_TYPE } from "../../vocabulary/proxmoxTypes";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";
import type { Corpus, Lab } from "./lab.fixtures";

const acl = (name: string, path: string, roleId: string, inputs: Record<string, unknown> = {}) =>
  planResource(SDK_TYPES.proxmoxAcl, `corpus-acl-${name}`, {
    tokenId: "fortress@pve!pulumi",
    path,
    roleId,
    propagate: true,
    ...inputs,
  });
const role = (roleId: string, privileges: readonly string[]) =>
  planResource(SDK_TYPES.proxmoxRoleLegacy, `corpus-role-${roleId}`, { roleId, privileges });

const provider = (lab: Lab, inputs: Record<string, unknown>) =>
  lab.edit(lab.byType(PROXMOX_PROVIDER_TYPE), (current) => ({ ...current, ...inputs }));

const RBAC = {
  clusterRole: pulumiTypeOf(k8s.rbac.v1.ClusterRole),
  clusterRolePatch: pulumiTypeOf(k8s.rbac.v1.ClusterRolePatch),
  role: pulumiTypeOf(k8s.rbac.v1.Role),
  clusterRoleBinding: pulumiTypeOf(k8s.rbac.v1.ClusterRoleBinding),
  clusterRoleBindingBeta: pulumiTypeOf(k8s.rbac.v1beta1.ClusterRoleBinding),
  roleBinding: pulumiTypeOf(k8s.rbac.v1.RoleBinding),
};

const k8sRole = (type: string, name: string, rules: readonly Record<string, unknown>[], namespace?: string) =>
  planResource(type, `corpus-${name}`, { metadata: { name, ...(namespace ? { namespace } : {}) }, rules });

const binding = (
  type: string,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: readonly Record<string, unknown>[],
  namespace?: string,
): PlanResource =>
  planResource(type, `corpus-${name}`, {
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  });

const SA = [{ kind: "ServiceAccount", name: "shipper", namespace: "siem" }];
const GROUP = [{ kind: "Group", name: "soc-analysts", apiGroup: "rbac.authorization.k8s.io" }];

export const privilegesCorpus: Corpus = {
  violations: [
    {
      name: "PVESysAdmin (Sys.Console) on a node",
      policy: "proxmox-token-least-privilege",
      build: (lab) => lab.plus(acl("sysadmin", "/nodes/pve1", "PVESysAdmin")),
    },
    {
      name: "PVEUserAdmin on /access",
      policy: "proxmox-token-least-privilege",
      build: (lab) =>
        lab.plus(acl("useradmin", "/access", "PVEUserAdmin", { tokenId: undefined, groupId: "ops" })),
    },
    {
      name: "a custom role with Sys.Modify on /",
      policy: "proxmox-token-least-privilege",
      build: (lab) => lab.plus(role("Tuner", ["Sys.Audit", "Sys.Modify"]), acl("tuner", "/", "Tuner")),
    },
    {
      name: "a custom role with Realm.AllocateUser on /access/realm/pve",
      policy: "proxmox-token-least-privilege",
      build: (lab) =>
        lab.plus(
          role("Onboarder", ["Realm.AllocateUser"]),
          acl("onboarder", "/access/realm/pve", "Onboarder"),
        ),
    },
    {
      name: "a custom role with User.Modify granted through a legacy user's inline ACL",
      policy: "proxmox-token-least-privilege",
      build: (lab) =>
        lab.plus(
          role("Helpdesk", ["User.Modify", "Sys.Audit"]),
          planResource(SDK_TYPES.proxmoxUserLegacy, "corpus-helpdesk", {
            userId: "helpdesk@pve",
            acls: [{ path: "/", roleId: "Helpdesk" }],
          }),
        ),
    },
    {
      name: "a custom role with Datastore.Allocate on /storage (a directory storage on /etc)",
      policy: "proxmox-token-least-privilege",
      build: (lab) =>
        lab.plus(
          role("StorageMaker", ["Datastore.Allocate", "Datastore.Audit"]),
          acl("storage", "/storage", "StorageMaker"),
        ),
    },
    {
      name: "Permissions.Modify on /storage, which can grant itself Datastore.Allocate there",
      policy: "proxmox-token-least-privilege",
      build: (lab) =>
        lab.plus(
          role("StorageDelegate", ["Permissions.Modify", "Datastore.Audit"]),
          acl("storage-perms", "/storage", "StorageDelegate"),
        ),
    },
    {
      name: "Permissions.Modify on /mapping/pci, which can grant itself Mapping.Modify there",
      policy: "proxmox-token-least-privilege",
      build: (lab) =>
        lab.plus(
          role("MappingDelegate", ["Permissions.Modify"]),
          acl("mapping-perms", "/mapping/pci", "MappingDelegate"),
        ),
    },
    {
      name: "PVEMappingAdmin on /mapping (host directories into guests)",
      policy: "proxmox-token-least-privilege",
      build: (lab) => lab.plus(acl("mapping", "/mapping/dir", "PVEMappingAdmin")),
    },
    {
      name: "Sys.Console in a custom role granted on /",
      policy: "proxmox-token-least-privilege",
      build: (lab) => lab.plus(role("Console", ["Sys.Console"]), acl("console", "/", "Console")),
    },
    {
      name: "PVEAdmin on the pool",
      policy: "proxmox-token-least-privilege",
      variantOf: "proxmox-token-least-privilege: (test) forbids Administrator and PVEAdmin at any path",
      build: (lab) => lab.plus(acl("pveadmin", "/pool/fortress", "PVEAdmin")),
    },
    {
      name: "a token without privilege separation",
      policy: "proxmox-token-least-privilege",
      variantOf: "proxmox-token-least-privilege: a token without privilege separation",
      build: (lab) =>
        lab.plus(
          planResource(SDK_TYPES.proxmoxToken, "corpus-token", {
            userId: "fortress@pve",
            tokenName: "ci",
            privilegesSeparation: false,
          }),
        ),
    },
    {
      name: "the provider logging in as root@pam with a password",
      policy: "proxmox-provider-login",
      build: (lab) => provider(lab, { apiToken: undefined, username: "root@pam", password: "[secret]" }),
    },
    {
      name: "the provider using a root@pam API token",
      policy: "proxmox-provider-login",
      build: (lab) => provider(lab, { apiToken: "root@pam!pulumi=8c2d1e6a-0000-4000-8000-000000000000" }),
    },
    {
      name: "the provider with an SSH password to the nodes",
      policy: "proxmox-provider-login",
      build: (lab) => provider(lab, { ssh: { username: "root", password: "[secret]" } }),
    },
    {
      name: "cluster-admin bound to a service account",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          binding(
            RBAC.clusterRoleBinding,
            "shipper-admin",
            { kind: "ClusterRole", name: "cluster-admin" },
            SA,
          ),
        ),
    },
    {
      name: "cluster-admin bound to a group in one namespace",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          binding(
            RBAC.roleBinding,
            "soc-admin",
            { kind: "ClusterRole", name: "cluster-admin" },
            GROUP,
            "siem",
          ),
        ),
    },
    {
      name: "cluster-admin bound through the v1beta1 API",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          binding(
            RBAC.clusterRoleBindingBeta,
            "legacy-admin",
            { kind: "ClusterRole", name: "cluster-admin" },
            GROUP,
          ),
        ),
    },
    {
      name: "a home-made * on * ClusterRole bound to a group",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(RBAC.clusterRole, "operator", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
          binding(RBAC.clusterRoleBinding, "operators", { kind: "ClusterRole", name: "operator" }, GROUP),
        ),
    },
    {
      name: "list and watch on secrets cluster-wide",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(RBAC.clusterRole, "secret-watcher", [
            { apiGroups: [""], resources: ["secrets"], verbs: ["list", "watch"] },
          ]),
        ),
    },
    {
      name: "* verbs on secrets in a namespace",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(
            RBAC.role,
            "secret-admin",
            [{ apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["*"] }],
            "siem",
          ),
        ),
    },
    {
      name: "get on every core resource (secrets among them)",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(RBAC.clusterRole, "reader", [{ apiGroups: [""], resources: ["*"], verbs: ["get"] }]),
        ),
    },
    {
      name: "the built-in edit role bound cluster-wide",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(binding(RBAC.clusterRoleBinding, "soc-edit", { kind: "ClusterRole", name: "edit" }, GROUP)),
    },
    {
      name: "impersonate in a role",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(
            RBAC.role,
            "sudo",
            [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }],
            "siem",
          ),
        ),
    },
    {
      name: "* verbs on roles and rolebindings (so escalate and bind)",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(
            RBAC.role,
            "rbac-manager",
            [
              {
                apiGroups: ["rbac.authorization.k8s.io"],
                resources: ["roles", "rolebindings"],
                verbs: ["*"],
              },
            ],
            "siem",
          ),
        ),
    },
    {
      name: "the built-in system:aggregate-to-edit bound in a namespace",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          binding(
            RBAC.roleBinding,
            "shipper-edit",
            { kind: "ClusterRole", name: "system:aggregate-to-edit" },
            SA,
            "siem",
          ),
        ),
    },
    {
      name: "a ClusterRole patch that adds secrets access",
      policy: "k8s-rbac-least-privilege",
      build: (lab) =>
        lab.plus(
          k8sRole(RBAC.clusterRolePatch, "view", [
            { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] },
          ]),
        ),
    },
  ],
  twins: [
    {
      name: "Datastore.Allocate and Datastore.Audit on the snippet storage only (/storage/local)",
      build: (lab) =>
        lab.plus(
          role("SnippetWriter", ["Datastore.Allocate", "Datastore.Audit"]),
          acl("snippets", "/storage/local", "SnippetWriter"),
        ),
    },
    {
      name: "* verbs on deployments and services in a namespace (nothing that escalates)",
      build: (lab) =>
        lab.plus(
          k8sRole(
            RBAC.role,
            "deployer",
            [
              { apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] },
              { apiGroups: [""], resources: ["services"], verbs: ["*"] },
            ],
            "siem",
          ),
        ),
    },
    {
      name: "a separated token with PVEVMAdmin on the pool and PVEAuditor on /",
      build: (lab) =>
        lab.plus(
          planResource(SDK_TYPES.proxmoxToken, "corpus-token-ok", {
            userId: "fortress@pve",
            tokenName: "ci",
            privilegesSeparation: true,
          }),
          acl("vmadmin", "/pool/fortress", "PVEVMAdmin"),
          acl("auditor", "/", "PVEAuditor"),
        ),
    },
    {
      name: "a custom role with Sys.Modify on one VM path only",
      build: (lab) =>
        lab.plus(role("VmTuner", ["Sys.Modify", "VM.Config.Options"]), acl("vmtuner", "/vms/100", "VmTuner")),
    },
    {
      name: "the provider with a secret token and an SSH key for a non-root user, spelled out",
      build: (lab) =>
        provider(lab, {
          apiToken: "[secret]",
          ssh: { agent: false, username: "fortress", privateKey: "[secret]" },
        }),
    },
    {
      name: "get on one named secret, and view bound in a namespace",
      build: (lab) =>
        lab.plus(
          k8sRole(
            RBAC.role,
            "tls-reader",
            [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["wazuh-tls"], verbs: ["get"] }],
            "siem",
          ),
          binding(RBAC.roleBinding, "tls-reader", { kind: "Role", name: "tls-reader" }, SA, "siem"),
          binding(RBAC.roleBinding, "soc-view", { kind: "ClusterRole", name: "view" }, GROUP, "siem"),
        ),
    },
  ],
};

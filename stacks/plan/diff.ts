/**
 * The plan diff's model: what a change between two plans is (PlanDiff and its parts), which section a
 * resource's changes belong to, and reading a base plan.json. Computing a diff is in diffCompute.ts,
 * writing it as Markdown in diffMarkdown.ts.
 *
 * Security-relevant changes come first (filter rules and the aliases they use, exposed ports on the
 * Proxmox firewall, VLANs and the zone matrix, privileges, policy violations), then everything else
 * (resources by URN, placement per node, layer status, the critical path).
 */
import { COMPONENT_TYPES, opnsenseType } from "../../vocabulary/typeTokens";
import type { CriticalPathChange } from "./criticalPath";
import { type NodePlacement, PLAN_VERSION, type PlanDocument, VM_TYPE } from "./document";
import type { Violation } from "./graph";

export const RULE_TYPE = opnsenseType("rule");
export const ALIAS_TYPE = opnsenseType("alias");
export const OPNSENSE_VLAN_TYPE = opnsenseType("vlan");
export const PREFLIGHT_TYPE = opnsenseType("preflight");
export const NETWORK_COMPONENT_TYPE = COMPONENT_TYPES.network;

// ---- the structured diff -------------------------------------------------------------------------

export type ChangeKind = "added" | "removed" | "changed";

/** Where a resource's changes are reported. */
export type Category = "filter-rule" | "alias" | "exposure" | "vlan" | "privilege" | "other";

export interface FieldChange {
  /** `fields.action`, `cpu.cores`, `networkDevices[0].vlanId`; `(protect)` and `(provider)` for the resource options. */
  readonly path: string;
  /** `undefined` when the field is absent on that side. */
  readonly before: unknown;
  readonly after: unknown;
}

/** A set-like input list (`rules`, `cidrs`): members added and removed, whatever their order. */
export interface ListChange {
  readonly list: string;
  readonly added: readonly unknown[];
  readonly removed: readonly unknown[];
}

export interface ResourceChange {
  readonly kind: ChangeKind;
  readonly category: Category;
  /** The new URN (the base's when removed). */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly layer: string | null;
  readonly fields: readonly FieldChange[];
  readonly lists: readonly ListChange[];
  /** The dynamic provider's serialized code changed. */
  readonly providerChanged: boolean;
  /** Inputs without `__provider`, on each side that has the resource. */
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

/** An OPNsense filter rule, as an admin reads it. */
export interface RuleView {
  readonly interface: string;
  readonly sequence: number;
  readonly action: string;
  readonly direction: string;
  readonly source: string;
  readonly destination: string;
  /** Destination port or port alias with its ports, `any` when none. */
  readonly port: string;
  readonly protocol: string;
  readonly log: boolean;
  readonly enabled: boolean;
  readonly description: string;
}

export interface RuleChange extends ResourceChange {
  /** The rule as the new plan has it (as the base had it when removed). */
  readonly rule: RuleView;
  /** Only its position (`sequence`) changed. */
  readonly sequenceOnly: boolean;
}

export interface NetworkChange {
  readonly kind: ChangeKind;
  readonly name: string;
  readonly fields: readonly FieldChange[];
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

export interface ZoneChange {
  readonly kind: ChangeKind;
  readonly from: string;
  readonly to: string;
  /** Services before and after (`["all"]` for all); empty on the side that has no entry. */
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface SetChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface OpnsenseNeedsChange {
  /** Privileges the API key needs (GUI names), from the preflight resources. */
  readonly privileges: SetChange;
  readonly plugins: SetChange;
  readonly minimumVersion: { readonly before: string | null; readonly after: string | null } | null;
}

export interface Rename {
  readonly from: string;
  readonly to: string;
}

export interface VmMove {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
}

export interface NodeChange {
  readonly kind: ChangeKind;
  readonly node: string;
  /** VMs placed on the node that were not on it before (new ones and moved ones). */
  readonly vmsAdded: readonly string[];
  readonly vmsRemoved: readonly string[];
  readonly before?: Pick<NodePlacement, "capacity" | "used">;
  readonly after?: Pick<NodePlacement, "capacity" | "used">;
}

export interface LayerChange {
  readonly layer: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface PlanDiff {
  readonly base: { readonly stack: string; readonly resources: number };
  readonly head: { readonly stack: string; readonly resources: number };
  readonly security: {
    readonly filterRules: readonly RuleChange[];
    readonly aliases: readonly ResourceChange[];
    /** Proxmox firewall resources, and the firewall and VLAN settings of VM NICs. */
    readonly exposure: readonly ResourceChange[];
    readonly networks: readonly NetworkChange[];
    readonly zones: readonly ZoneChange[];
    /** OPNsense VLAN devices, Proxmox SDN, the Network component's record of networks and zones. */
    readonly vlans: readonly ResourceChange[];
    /** Proxmox ACLs, roles, users, groups, tokens, realms; OPNsense preflight resources. */
    readonly privileges: readonly ResourceChange[];
    readonly opnsense: OpnsenseNeedsChange;
    readonly violations: { readonly added: readonly Violation[]; readonly removed: readonly Violation[] };
  };
  readonly other: {
    readonly resources: readonly ResourceChange[];
    /** Resources whose only change is their dynamic provider's code. */
    readonly providerOnly: readonly ResourceChange[];
    /** Resources registered under a new URN with their old one as an alias: Pulumi moves their state. */
    readonly renamed: readonly Rename[];
    readonly placement: readonly NodeChange[];
    readonly moves: readonly VmMove[];
    readonly layers: readonly LayerChange[];
    /** The critical path's estimate or chain, when either changed (criticalPath.ts). */
    readonly criticalPath: CriticalPathChange | null;
  };
  readonly counts: {
    /** Security-relevant changes; renumbered-only filter rules are not counted. */
    readonly security: number;
    /** The same, per section: rules and aliases, exposure, VLANs and zones, privileges, violations. */
    readonly sections: {
      readonly filterRules: number;
      readonly exposure: number;
      readonly vlans: number;
      readonly privileges: number;
      readonly violations: number;
    };
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
  };
}

// ---- reading a base plan -------------------------------------------------------------------------

export class PlanFileError extends Error {}

/**
 * A plan.json's text as a PlanDocument, or a PlanFileError that says what is wrong with it. Lists a
 * base of the same version may lack (it predates them) are read as empty.
 */
export function parsePlanDocument(text: string, source: string): PlanDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(
      `${source} is not JSON (${(error as Error).message}): pass the plan.json that npm run plan wrote`,
    );
  }
  if (!isRecord(value) || !("version" in value))
    throw new PlanFileError(`${source} is not a Fortress plan.json: it has no "version"`);
  if (value.version !== PLAN_VERSION)
    throw new PlanFileError(
      `${source} is a plan.json of version ${JSON.stringify(value.version)}; this planner compares version ${PLAN_VERSION} only`,
    );
  if (!Array.isArray(value.resources))
    throw new PlanFileError(`${source} is not a Fortress plan.json: "resources" is not a list`);
  const lists = ["layers", "edges", "placement", "networks", "zones", "violations"] as const;
  for (const key of lists)
    if (key in value && !Array.isArray(value[key]))
      throw new PlanFileError(`${source} is not a Fortress plan.json: "${key}" is not a list`);
  // A base written before the critical path existed has none; one that has it must have its shape.
  const path = value.criticalPath;
  if (
    path !== undefined &&
    !(isRecord(path) && typeof path.estimatedSeconds === "number" && Array.isArray(path.resources))
  )
    throw new PlanFileError(
      `${source} is not a Fortress plan.json: "criticalPath" is not {estimatedSeconds, resources}`,
    );
  return {
    project: "",
    stack: "",
    ...value,
    ...Object.fromEntries(lists.map((key) => [key, value[key] ?? []])),
  } as unknown as PlanDocument;
}

// ---- classifying ------------------------------------------------------------------------------

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}


export function categoryOf(type: string): Category {
  if (type === RULE_TYPE) return "filter-rule";
  if (type === ALIAS_TYPE) return "alias";
  if (/^proxmoxve:[^:]*firewall\//.test(type)) return "exposure";
  if (
    type === OPNSENSE_VLAN_TYPE ||
    type === NETWORK_COMPONENT_TYPE ||
    /^proxmoxve:(sdn\/|network\/linux\/vlan:)/.test(type)
  )
    return "vlan";
  if (
    type === PREFLIGHT_TYPE ||
    /^proxmoxve:(index\/(acl|role|user|group)(Legacy)?:|user\/token(Legacy)?:|realm\/)/.test(type)
  )
    return "privilege";
  return "other";
}

/** Fields of VM-scoped firewall resources that only follow the VM to its node. */
const PLACEMENT_FIELDS = new Set(["nodeName", "vmId", "containerId"]);

/**
 * Whether a changed field belongs in a security section: a VM's NICs (firewall flag, VLAN); every
 * field of a security resource but those that only follow its VM to another node.
 */
export function isSecurityField(change: ResourceChange, field: FieldChange): boolean {
  if (change.type === VM_TYPE) return field.path.startsWith("networkDevices");
  if (change.category === "other") return false;
  if (change.category === "exposure") return !PLACEMENT_FIELDS.has(field.path);
  return true;
}

/** The part of a change that a security section reports, if any (a VM's NICs count as exposure). */
export function securityPart(change: ResourceChange): ResourceChange | undefined {
  if (change.kind !== "changed") return change.category === "other" ? undefined : change;
  const fields = change.fields.filter((field) => isSecurityField(change, field));
  const lists = change.category === "other" ? [] : change.lists;
  if (fields.length + lists.length === 0) return undefined;
  return { ...change, category: change.type === VM_TYPE ? "exposure" : change.category, fields, lists };
}

export const sequenceOnly = (change: ResourceChange) =>
  change.category === "filter-rule" &&
  change.kind === "changed" &&
  change.lists.length === 0 &&
  change.fields.every((field) => field.path === "fields.sequence");

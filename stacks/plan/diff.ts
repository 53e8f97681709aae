/**
 * What a change does to the lab, read from two plans: the base branch's plan.json and the new one.
 * Security-relevant changes come first (filter rules and the aliases they use, exposed ports on the
 * Proxmox firewall, VLANs and the zone matrix, privileges, policy violations), then everything else
 * (resources by URN, placement per node, layer status). Pure: two PlanDocuments in, a PlanDiff and
 * its Markdown (written to read well as a pull-request comment) out.
 *
 * Resources are matched by URN with the stack name left out, so two stacks of the same lab compare.
 * A dynamic resource's serialized provider (`__provider`) is not an input the admin chose: when only
 * it changed, the resource is listed once under "provider code changed", not as a security change.
 */
import { compareVersions } from "../../components/opnsense/preflight";
import { privilegeFor } from "../../components/opnsense/privileges";
import { type NodePlacement, PLAN_VERSION, type PlanDocument, type PlanResource, VM_TYPE } from "./document";
import type { Violation } from "./graph";
import { COMPONENT_TYPES, opnsenseType } from "../../vocabulary/typeTokens";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export const RULE_TYPE = opnsenseType("rule");
export const ALIAS_TYPE = opnsenseType("alias");
export const OPNSENSE_VLAN_TYPE = opnsenseType("vlan");
export const PREFLIGHT_TYPE = opnsenseType("preflight");
export const NETWORK_COMPONENT_TYPE = COMPONENT_TYPES.network;
const PROVIDER_KEY = "__provider";
/** Top-level input lists that are sets: compared by member, not by index (the Network component's too). */
const SET_LISTS = ["rules", "cidrs", "networks", "zones", "enabled"];

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
    readonly placement: readonly NodeChange[];
    readonly moves: readonly VmMove[];
    readonly layers: readonly LayerChange[];
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
  return {
    project: "",
    stack: "",
    ...value,
    ...Object.fromEntries(lists.map((key) => [key, value[key] ?? []])),
  } as unknown as PlanDocument;
}

// ---- diffing -------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A URN without its stack, so that stacks of the same lab compare. */
const stackless = (urn: string) => urn.replace(/^urn:pulumi:[^:]*::/, "urn:pulumi:::");

/** Resource references and URN strings in inputs, without their stack. */
function normalize(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("urn:pulumi:") ? stackless(value) : value;
  if (Array.isArray(value)) return value.map(normalize);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
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

/** Security-relevant changes are detailed in their section; the URN list only points there. */
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
function securityPart(change: ResourceChange): ResourceChange | undefined {
  if (change.kind !== "changed") return change.category === "other" ? undefined : change;
  const fields = change.fields.filter((field) => isSecurityField(change, field));
  const lists = change.category === "other" ? [] : change.lists;
  if (fields.length + lists.length === 0) return undefined;
  return { ...change, category: change.type === VM_TYPE ? "exposure" : change.category, fields, lists };
}

const sequenceOnly = (change: ResourceChange) =>
  change.category === "filter-rule" &&
  change.kind === "changed" &&
  change.lists.length === 0 &&
  change.fields.every((field) => field.path === "fields.sequence");

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, []);
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, out));
  } else if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && path !== "") out.set(path, {});
    for (const [key, inner] of entries) flatten(inner, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, value);
  }
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, inner: unknown) =>
    isRecord(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );

function inputsOf(resource: PlanResource): Record<string, unknown> {
  const { [PROVIDER_KEY]: _, ...rest } = (resource.inputs ?? {}) as Record<string, unknown>;
  return normalize(rest) as Record<string, unknown>;
}

function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const strip = (inputs: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(inputs).filter(
        ([key, value]) => !(SET_LISTS.includes(key) && (Array.isArray(value) || value === undefined)),
      ),
    );
  const left = new Map<string, unknown>();
  const right = new Map<string, unknown>();
  flatten(strip(before), "", left);
  flatten(strip(after), "", right);
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  return paths
    .filter((path) => canonical(left.get(path)) !== canonical(right.get(path)))
    .map((path) => ({ path, before: left.get(path), after: right.get(path) }));
}

function listChanges(before: Record<string, unknown>, after: Record<string, unknown>): ListChange[] {
  return SET_LISTS.flatMap((list) => {
    const left = Array.isArray(before[list]) ? (before[list] as unknown[]) : [];
    const right = Array.isArray(after[list]) ? (after[list] as unknown[]) : [];
    const leftKeys = new Set(left.map(canonical));
    const rightKeys = new Set(right.map(canonical));
    const added = right.filter((item) => !leftKeys.has(canonical(item)));
    const removed = left.filter((item) => !rightKeys.has(canonical(item)));
    return added.length + removed.length > 0 ? [{ list, added, removed }] : [];
  });
}

function resourceChanges(base: PlanDocument, head: PlanDocument): ResourceChange[] {
  const byKey = (plan: PlanDocument) =>
    new Map(plan.resources.map((resource) => [stackless(resource.urn), resource] as const));
  const left = byKey(base);
  const right = byKey(head);
  const changes: ResourceChange[] = [];
  const entry = (kind: ChangeKind, resource: PlanResource, extra: Partial<ResourceChange>): ResourceChange => ({
    kind,
    category: categoryOf(resource.type),
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    layer: resource.layer ?? null,
    fields: [],
    lists: [],
    providerChanged: false,
    ...extra,
  });
  for (const [key, after] of right) {
    const before = left.get(key);
    if (!before) {
      changes.push(entry("added", after, { after: inputsOf(after) }));
      continue;
    }
    const [oldInputs, newInputs] = [inputsOf(before), inputsOf(after)];
    const fields = fieldChanges(oldInputs, newInputs);
    if (before.protect !== after.protect)
      fields.push({ path: "(protect)", before: before.protect, after: after.protect });
    const [oldProvider, newProvider] = [before.provider, after.provider].map((urn) => (urn ? stackless(urn) : urn));
    if (oldProvider !== newProvider) fields.push({ path: "(provider)", before: oldProvider, after: newProvider });
    const lists = listChanges(oldInputs, newInputs);
    const providerChanged =
      canonical((before.inputs ?? {})[PROVIDER_KEY]) !== canonical((after.inputs ?? {})[PROVIDER_KEY]);
    if (fields.length + lists.length > 0 || providerChanged)
      changes.push(entry("changed", after, { fields, lists, providerChanged, before: oldInputs, after: newInputs }));
  }
  for (const [key, before] of left)
    if (!right.has(key)) changes.push(entry("removed", before, { before: inputsOf(before) }));
  return changes;
}

/** Alias name → its content, one entry a line in OPNsense, joined here. */
function aliasContents(plan: PlanDocument): Map<string, string> {
  const contents = new Map<string, string>();
  for (const resource of plan.resources) {
    if (resource.type !== ALIAS_TYPE) continue;
    const fields = (resource.inputs as { fields?: { name?: string; content?: string } }).fields;
    if (fields?.name) contents.set(fields.name, (fields.content ?? "").split("\n").join(", "));
  }
  return contents;
}

export function ruleView(inputs: Readonly<Record<string, unknown>>, aliases: ReadonlyMap<string, string>): RuleView {
  const fields = (isRecord(inputs.fields) ? inputs.fields : {}) as Record<string, string | undefined>;
  const end = (net: string | undefined, not: string | undefined, port: string | undefined) =>
    `${not === "1" ? "!" : ""}${net || "any"}${port ? `:${port}` : ""}`;
  const port = fields.destination_port || "";
  const resolved = aliases.get(port);
  return {
    interface: fields.interface ?? "",
    sequence: Number(fields.sequence ?? 0),
    action: fields.action ?? "",
    direction: fields.direction ?? "",
    source: end(fields.source_net, fields.source_not, fields.source_port),
    destination: end(fields.destination_net, fields.destination_not, undefined),
    port: port === "" ? "any" : resolved !== undefined ? `${port} (${resolved})` : port,
    protocol: fields.protocol ?? "",
    log: fields.log === "1",
    enabled: fields.enabled !== "0",
    description: fields.description ?? "",
  };
}

function ruleChanges(changes: readonly ResourceChange[], base: PlanDocument, head: PlanDocument): RuleChange[] {
  const [oldAliases, newAliases] = [aliasContents(base), aliasContents(head)];
  return changes
    .filter((change) => change.category === "filter-rule" && (change.fields.length > 0 || change.kind !== "changed"))
    .map((change) => {
      const rule =
        change.kind === "removed" ? ruleView(change.before ?? {}, oldAliases) : ruleView(change.after ?? {}, newAliases);
      return { ...change, rule, sequenceOnly: sequenceOnly(change) };
    })
    .sort((a, b) => a.rule.interface.localeCompare(b.rule.interface) || a.rule.sequence - b.rule.sequence);
}

function networkChanges(base: PlanDocument, head: PlanDocument): NetworkChange[] {
  const byName = (plan: PlanDocument) =>
    new Map(plan.networks.map((network) => [network.name, network as unknown as Record<string, unknown>]));
  const [left, right] = [byName(base), byName(head)];
  const changes: NetworkChange[] = [];
  for (const [name, after] of right) {
    const before = left.get(name);
    if (!before) changes.push({ kind: "added", name, fields: [], after });
    else {
      const fields = fieldChanges(before, after);
      if (fields.length > 0) changes.push({ kind: "changed", name, fields, before, after });
    }
  }
  for (const [name, before] of left) if (!right.has(name)) changes.push({ kind: "removed", name, fields: [], before });
  return changes;
}

function zoneChanges(base: PlanDocument, head: PlanDocument): ZoneChange[] {
  const byPair = (plan: PlanDocument) =>
    new Map(plan.zones.map((cell) => [`${cell.from}\u0000${cell.to}`, cell] as const));
  const [left, right] = [byPair(base), byPair(head)];
  const changes: ZoneChange[] = [];
  for (const [key, after] of right) {
    const before = left.get(key);
    if (!before) changes.push({ kind: "added", from: after.from, to: after.to, before: [], after: after.services });
    else if (canonical([...before.services].sort()) !== canonical([...after.services].sort()))
      changes.push({ kind: "changed", from: after.from, to: after.to, before: before.services, after: after.services });
  }
  for (const [key, before] of left)
    if (!right.has(key))
      changes.push({ kind: "removed", from: before.from, to: before.to, before: before.services, after: [] });
  return changes;
}

interface OpnsenseNeeds {
  readonly privileges: Set<string>;
  readonly plugins: Set<string>;
  readonly minimumVersion: string | null;
}

/** What the preflight resources will ask of the firewall: the privileges of every endpoint they call. */
export function opnsenseNeeds(plan: PlanDocument): OpnsenseNeeds {
  const privileges = new Set<string>();
  const plugins = new Set<string>();
  let minimumVersion: string | null = null;
  const privilege = (path: string) => privileges.add(privilegeFor(path) ?? `(no privilege known for ${path})`);
  for (const resource of plan.resources) {
    if (resource.type !== PREFLIGHT_TYPE) continue;
    const needs = (resource.inputs as { needs?: Record<string, unknown> }).needs ?? {};
    privilege("diagnostics/system/system_information");
    for (const probe of (needs.probes as string[] | undefined) ?? []) privilege(probe);
    if (((needs.interfaces as unknown[] | undefined) ?? []).length > 0) privilege("interfaces/overview/export");
    for (const plugin of (needs.plugins as string[] | undefined) ?? []) plugins.add(plugin);
    const version = needs.minimumVersion;
    if (typeof version === "string" && (minimumVersion === null || compareVersions(version, minimumVersion) > 0))
      minimumVersion = version;
  }
  return { privileges, plugins, minimumVersion };
}

function setChange(before: ReadonlySet<string>, after: ReadonlySet<string>): SetChange {
  return {
    added: [...after].filter((item) => !before.has(item)).sort(),
    removed: [...before].filter((item) => !after.has(item)).sort(),
  };
}

function violationChanges(base: PlanDocument, head: PlanDocument) {
  const key = (violation: Violation) =>
    [violation.policy, violation.level, violation.urn ? stackless(violation.urn) : "", violation.message].join(
      "\u0000",
    );
  const [left, right] = [new Set(base.violations.map(key)), new Set(head.violations.map(key))];
  return {
    added: head.violations.filter((violation) => !left.has(key(violation))),
    removed: base.violations.filter((violation) => !right.has(key(violation))),
  };
}

function placementChanges(base: PlanDocument, head: PlanDocument): { nodes: NodeChange[]; moves: VmMove[] } {
  const byNode = (plan: PlanDocument) => new Map(plan.placement.map((node) => [node.node, node]));
  const [left, right] = [byNode(base), byNode(head)];
  const nodeOf = (plan: PlanDocument) =>
    new Map(plan.placement.flatMap((node) => node.vms.map((vm) => [vm.name, node.node] as const)));
  const [oldNodes, newNodes] = [nodeOf(base), nodeOf(head)];
  const moves = [...newNodes]
    .filter(([vm, node]) => oldNodes.has(vm) && oldNodes.get(vm) !== node)
    .map(([vm, to]) => ({ vm, from: oldNodes.get(vm) ?? "", to }))
    .sort((a, b) => a.vm.localeCompare(b.vm));
  const sizes = (node: NodePlacement | undefined) =>
    node ? { capacity: node.capacity, used: node.used } : undefined;
  const nodes: NodeChange[] = [];
  for (const name of [...new Set([...left.keys(), ...right.keys()])]) {
    const [before, after] = [left.get(name), right.get(name)];
    const oldVms = new Set(before?.vms.map((vm) => vm.name) ?? []);
    const newVms = new Set(after?.vms.map((vm) => vm.name) ?? []);
    const vmsAdded = [...newVms].filter((vm) => !oldVms.has(vm));
    const vmsRemoved = [...oldVms].filter((vm) => !newVms.has(vm));
    const kind: ChangeKind = !before ? "added" : !after ? "removed" : "changed";
    const same = kind === "changed" && vmsAdded.length + vmsRemoved.length === 0 && canonical(sizes(before)) === canonical(sizes(after));
    if (same) continue;
    nodes.push({
      kind,
      node: name,
      vmsAdded,
      vmsRemoved,
      ...(before ? { before: sizes(before) } : {}),
      ...(after ? { after: sizes(after) } : {}),
    });
  }
  return { nodes, moves };
}

function layerChanges(base: PlanDocument, head: PlanDocument): LayerChange[] {
  const status = (plan: PlanDocument) => new Map(plan.layers.map((layer) => [layer.name as string, layer.status as string]));
  const [left, right] = [status(base), status(head)];
  return [...new Set([...left.keys(), ...right.keys()])]
    .map((layer) => ({ layer, before: left.get(layer) ?? null, after: right.get(layer) ?? null }))
    .filter((change) => change.before !== change.after);
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  const all = resourceChanges(base, head);
  const changes = all.flatMap((change) => securityPart(change) ?? []);
  const meaningful = (change: ResourceChange) =>
    change.kind !== "changed" || change.fields.length + change.lists.length > 0;
  const inCategory = (category: Category) =>
    changes.filter((change) => change.category === category && meaningful(change));
  const filterRules = ruleChanges(changes, base, head);
  const exposure = inCategory("exposure");
  const aliases = inCategory("alias");
  const vlans = inCategory("vlan");
  const privileges = inCategory("privilege");
  const networks = networkChanges(base, head);
  const zones = zoneChanges(base, head);
  const [oldNeeds, newNeeds] = [opnsenseNeeds(base), opnsenseNeeds(head)];
  const opnsense: OpnsenseNeedsChange = {
    privileges: setChange(oldNeeds.privileges, newNeeds.privileges),
    plugins: setChange(oldNeeds.plugins, newNeeds.plugins),
    minimumVersion:
      oldNeeds.minimumVersion === newNeeds.minimumVersion
        ? null
        : { before: oldNeeds.minimumVersion, after: newNeeds.minimumVersion },
  };
  const violations = violationChanges(base, head);
  const placement = placementChanges(base, head);
  const sections = {
    filterRules: filterRules.filter((rule) => !rule.sequenceOnly).length + aliases.length,
    exposure: exposure.length,
    vlans: networks.length + zones.length + vlans.length,
    privileges:
      privileges.length +
      opnsense.privileges.added.length +
      opnsense.privileges.removed.length +
      opnsense.plugins.added.length +
      opnsense.plugins.removed.length +
      (opnsense.minimumVersion ? 1 : 0),
    violations: violations.added.length + violations.removed.length,
  };
  const counts = {
    security: Object.values(sections).reduce((sum, count) => sum + count, 0),
    sections,
    added: all.filter((change) => change.kind === "added").length,
    removed: all.filter((change) => change.kind === "removed").length,
    changed: all.filter((change) => change.kind === "changed" && meaningful(change)).length,
  };
  return {
    base: { stack: base.stack, resources: base.resources.length },
    head: { stack: head.stack, resources: head.resources.length },
    security: {
      filterRules,
      aliases,
      exposure,
      networks,
      zones,
      vlans,
      privileges,
      opnsense,
      violations,
    },
    other: {
      resources: all.filter((change) => meaningful(change)),
      providerOnly: all.filter((change) => !meaningful(change)),
      placement: placement.nodes,
      moves: placement.moves,
      layers: layerChanges(base, head),
    },
    counts,
  };
}

// ---- Markdown ------------------------------------------------------------------------------------

export interface MarkdownOptions {
  /** Rows per list or table before "… and N more" (default 60). */
  readonly maxRows?: number;
  /** The whole text's limit (default 60 000: GitHub refuses comments over 65 536 characters). */
  readonly maxChars?: number;
}

const KIND_WORD: Record<ChangeKind, string> = { added: "added", removed: "removed", changed: "changed" };

/** Text for a Markdown table cell or inline code: no pipes, no line breaks, no backticks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\r?\n/g, "⏎")}\``;

function value(raw: unknown): string {
  if (raw === undefined) return "(none)";
  const text = typeof raw === "string" ? raw : JSON.stringify(raw);
  return code(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

const fieldText = (field: FieldChange) => `${code(field.path)} ${value(field.before)} → ${value(field.after)}`;

function limited<T>(items: readonly T[], max: number, render: (item: T) => string): string[] {
  const shown = items.slice(0, max).map(render);
  return items.length > max ? [...shown, `… and ${items.length - max} more (plan.json has them all)`] : shown;
}

function mdTable(header: readonly string[], rows: readonly (readonly string[])[], max: number): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const shown = rows.slice(0, max);
  return [
    line(header),
    line(header.map(() => "---")),
    ...shown.map(line),
    ...(rows.length > max ? [`\n… and ${rows.length - max} more rows (plan.json has them all)`] : []),
  ];
}

function ruleText(rule: RuleView): string {
  const flags = [rule.log ? "logged" : "", rule.enabled ? "" : "disabled"].filter(Boolean).join(", ");
  return `**${rule.action}** ${rule.direction} ${code(rule.source)} → ${code(rule.destination)} port ${code(rule.port)} ${rule.protocol}${flags ? ` (${flags})` : ""}`;
}

/** A Proxmox firewall rule (security group member or VM rule) on one line. */
function proxmoxRuleText(raw: unknown): string {
  const rule = (isRecord(raw) ? raw : {}) as Record<string, unknown>;
  if (rule.securityGroup)
    return `security group ${code(String(rule.securityGroup))} on ${code(String(rule.iface ?? "all NICs"))}`;
  const ports = rule.dport ? ` ${rule.proto ?? "any"}/${rule.dport}` : rule.proto ? ` ${rule.proto}` : "";
  const log = rule.log && rule.log !== "nolog" ? `, log ${rule.log}` : "";
  const off = rule.enabled === false ? ", disabled" : "";
  return `${rule.action ?? "?"} ${rule.type ?? ""} ${code(String(rule.source ?? "any"))} → ${code(String(rule.dest ?? "any"))}${ports}${log}${off}${rule.comment ? ` — ${rule.comment}` : ""}`;
}

/** One line saying what a resource holds, for the types the security sections show. */
function summary(change: ResourceChange): string {
  const inputs = (change.kind === "removed" ? change.before : change.after) ?? {};
  const fields = (isRecord(inputs.fields) ? inputs.fields : {}) as Record<string, unknown>;
  const type = change.type;
  if (type === ALIAS_TYPE) return `${fields.type} alias: ${code(String(fields.content ?? "").split("\n").join(", "))}`;
  if (type === OPNSENSE_VLAN_TYPE) return `VLAN ${fields.tag} on ${code(String(fields.if))}`;
  if (/\/acl(Legacy)?:/.test(type)) {
    const who = inputs.userId ?? inputs.groupId ?? inputs.tokenId ?? "?";
    return `role ${code(String(inputs.roleId))} on ${code(String(inputs.path))} for ${code(String(who))}${inputs.propagate === false ? "" : " (propagates)"}`;
  }
  if (/\/role(Legacy)?:/.test(type))
    return `role ${code(String(inputs.roleId))}: ${((inputs.privileges as string[]) ?? []).join(", ")}`;
  if (/\/token(Legacy)?:/.test(type))
    return `token ${code(`${inputs.userId}!${inputs.tokenName}`)}, privilege separation ${inputs.privilegesSeparation === false ? "**off**" : "on"}`;
  if (/firewall\/optionsLegacy:/.test(type))
    return `firewall ${inputs.enabled === false ? "**off**" : "on"}, input ${inputs.inputPolicy ?? "?"}, output ${inputs.outputPolicy ?? "?"}`;
  if (Array.isArray(inputs.rules))
    return inputs.rules.length <= 3
      ? inputs.rules.map(proxmoxRuleText).join("; ")
      : `${inputs.rules.length} rules`;
  if (Array.isArray(inputs.cidrs))
    return `${(inputs.cidrs as Record<string, unknown>[]).map((entry) => code(String(entry.name))).join(", ")}`;
  if (type === SDK_TYPES.proxmoxVnet) return `vnet ${code(String(inputs.resourceId))} tag ${inputs.tag} in zone ${code(String(inputs.zone))}`;
  return "";
}

function resourceLines(change: ResourceChange, max: number): string[] {
  const head = `- **${KIND_WORD[change.kind]}** ${code(change.name)} (${change.type.split(":").pop()})`;
  if (change.kind !== "changed") {
    const text = summary(change);
    return [`${head}${text ? `: ${text}` : ""}`];
  }
  const sets = change.lists.flatMap((list) => [
    ...limited(list.added, max, (item) => `  - ➕ ${list.list === "rules" ? proxmoxRuleText(item) : value(item)}`),
    ...limited(list.removed, max, (item) => `  - ➖ ${list.list === "rules" ? proxmoxRuleText(item) : value(item)}`),
  ]);
  if (change.type === NETWORK_COMPONENT_TYPE) {
    const keys = [
      ...new Set([...change.fields.map((field) => field.path.split(/[.[]/)[0] ?? ""), ...change.lists.map((l) => l.list)]),
    ];
    return [`${head}: the layer's record of ${keys.map(code).join(", ")} changed as above`];
  }
  return [head, ...limited(change.fields, max, (field) => `  - ${fieldText(field)}`), ...sets];
}

function rulesSection(diff: PlanDiff, max: number): string[] {
  const { filterRules, aliases } = diff.security;
  const shown = filterRules.filter((rule) => !rule.sequenceOnly);
  const renumbered = filterRules.filter((rule) => rule.sequenceOnly);
  if (shown.length + renumbered.length + aliases.length === 0) return [];
  const anyChanged = shown.some((rule) => rule.kind === "changed");
  const rows = shown.map((rule) => [
    KIND_WORD[rule.kind],
    code(rule.rule.interface),
    String(rule.rule.sequence),
    cell(ruleText(rule.rule)),
    cell(rule.rule.description),
    ...(!anyChanged
      ? []
      : [
    cell(
      rule.kind === "changed"
        ? rule.fields
            .filter((field) => field.path !== "fields.sequence")
            .map((field) => `${field.path.replace(/^fields\./, "")}: ${value(field.before)} → ${value(field.after)}`)
            .join("<br>")
        : "",
    ),
        ]),
  ]);
  const perInterface = new Map<string, number>();
  for (const rule of renumbered)
    perInterface.set(rule.rule.interface, (perInterface.get(rule.rule.interface) ?? 0) + 1);
  return [
    "#### Filter rules (OPNsense)",
    "",
    ...(rows.length > 0 ? mdTable(["", "interface", "#", "rule", "description", ...(anyChanged ? ["what changed"] : [])], rows, max) : []),
    ...(renumbered.length > 0
      ? [
          "",
          `_${renumbered.length} rule${renumbered.length === 1 ? "" : "s"} only renumbered (same rule, new position): ${[...perInterface].map(([name, count]) => `${code(name)} ×${count}`).join(", ")}._`,
        ]
      : []),
    ...(aliases.length > 0
      ? ["", "Aliases the rules use:", "", ...limited(aliases, max, (change) => resourceLines(change, max).join("\n"))]
      : []),
    "",
  ];
}

function exposureSection(diff: PlanDiff, max: number): string[] {
  const { exposure } = diff.security;
  if (exposure.length === 0) return [];
  return [
    "#### Exposed ports (Proxmox firewall)",
    "",
    ...limited(exposure, max, (change) => resourceLines(change, max).join("\n")),
    "",
  ];
}

const services = (list: readonly string[]) => (list.length > 0 ? list.join(", ") : "—");

function vlanSection(diff: PlanDiff, max: number): string[] {
  const { networks, zones, vlans } = diff.security;
  if (networks.length + zones.length + vlans.length === 0) return [];
  const zoneRows = zones.map((zone) => [
    KIND_WORD[zone.kind],
    code(zone.from),
    code(zone.to),
    cell(services(zone.before)),
    cell(services(zone.after)),
  ]);
  const networkLine = (change: NetworkChange) => {
    const network = (change.after ?? change.before ?? {}) as Record<string, unknown>;
    const what = `VLAN ${network.vlan}, ${code(String(network.cidr))}, ${network.purpose}, on ${code(String(network.interface ?? "?"))}`;
    if (change.kind !== "changed") return `- **${change.kind}** network ${code(change.name)}: ${what}`;
    return [`- **changed** network ${code(change.name)}:`, ...change.fields.map((field) => `  - ${fieldText(field)}`)].join(
      "\n",
    );
  };
  return [
    "#### VLANs and zones",
    "",
    ...(zoneRows.length > 0
      ? ["Zone matrix (who may open connections to whom):", "", ...mdTable(["", "from", "to", "before", "after"], zoneRows, max), ""]
      : []),
    ...(networks.length > 0 ? ["Networks:", "", ...limited(networks, max, networkLine), ""] : []),
    ...(vlans.length > 0
      ? ["VLAN devices and records:", "", ...limited(vlans, max, (change) => resourceLines(change, max).join("\n")), ""]
      : []),
  ];
}

function privilegeSection(diff: PlanDiff, max: number): string[] {
  const { privileges, opnsense } = diff.security;
  const lines: string[] = [];
  const set = (label: string, change: SetChange) => [
    ...change.added.map((item) => `- **new** ${label}: ${code(item)}`),
    ...change.removed.map((item) => `- **no longer** ${label}: ${code(item)}`),
  ];
  lines.push(...set("OPNsense privilege for the API key", opnsense.privileges));
  lines.push(...set("OPNsense plugin", opnsense.plugins));
  if (opnsense.minimumVersion)
    lines.push(
      `- OPNsense minimum version: ${value(opnsense.minimumVersion.before ?? undefined)} → ${value(opnsense.minimumVersion.after ?? undefined)}`,
    );
  lines.push(
    ...limited(
      privileges.filter((change) => change.type !== PREFLIGHT_TYPE),
      max,
      (change) => resourceLines(change, max).join("\n"),
    ),
  );
  // The probes, plugins and version are summed up above; what else a preflight checks is listed as is.
  const summed = (field: FieldChange) => /^needs\.(probes|plugins|minimumVersion)/.test(field.path);
  const preflight = privileges
    .filter((change) => change.type === PREFLIGHT_TYPE)
    .map((change) => ({ ...change, fields: change.fields.filter((field) => !summed(field)) }))
    .filter((change) => change.kind !== "changed" || change.fields.length > 0);
  lines.push(...preflight.flatMap((change) => resourceLines(change, max)));
  return lines.length > 0 ? ["#### Privileges", "", ...lines, ""] : [];
}

function violationSection(diff: PlanDiff, max: number): string[] {
  const { added, removed } = diff.security.violations;
  if (added.length + removed.length === 0) return [];
  const line = (word: string) => (violation: Violation) =>
    `- **${word}** ${code(violation.policy)} (${violation.level}): ${violation.message}${violation.urn ? ` — ${code(violation.urn)}` : ""}`;
  return [
    "#### Policy violations",
    "",
    ...limited(added, max, line("new")),
    ...limited(removed, max, line("fixed")),
    "",
  ];
}

const num = (value: number) => String(Math.round(value * 100) / 100);

function placementSection(diff: PlanDiff, max: number): string[] {
  const { placement, moves } = diff.other;
  if (placement.length + moves.length === 0) return [];
  const usage = (node: NodeChange, key: "cores" | "memoryGb" | "diskGb") => {
    const before = node.before ? num(node.before.used[key]) : "—";
    const after = node.after ? num(node.after.used[key]) : "—";
    const capacity = num((node.after ?? node.before)?.capacity[key] ?? 0);
    return before === after ? `${after}/${capacity}` : `${before} → **${after}**/${capacity}`;
  };
  const rows = placement.map((node) => [
    `${code(node.node)}${node.kind === "changed" ? "" : ` (${node.kind})`}`,
    cell([...node.vmsAdded.map((vm) => `+${vm}`), ...node.vmsRemoved.map((vm) => `−${vm}`)].join(", ") || "—"),
    usage(node, "cores"),
    usage(node, "memoryGb"),
    usage(node, "diskGb"),
  ]);
  return [
    "#### Placement",
    "",
    ...(rows.length > 0 ? mdTable(["node", "VMs", "vCPU used/capacity", "RAM GB", "disk GB"], rows, max) : []),
    ...(moves.length > 0
      ? ["", ...limited(moves, max, (move) => `- ${code(move.vm)} moves from ${code(move.from)} to ${code(move.to)}`)]
      : []),
    "",
  ];
}

/** A changed resource in the URN list: what the security sections did not already show. */
function changedUrnLines(change: ResourceChange, max: number): string[] {
  const above = securityPart(change) !== undefined && !sequenceOnly(change);
  const fields = sequenceOnly(change) ? change.fields : change.fields.filter((field) => !isSecurityField(change, field));
  const lists = change.category === "other" ? change.lists : [];
  if (fields.length + lists.length === 0) return [`- ${code(change.urn)}: shown above`];
  const members = (items: readonly unknown[]) =>
    items.length <= 5 && items.every((item) => typeof item !== "object") ? items.map(value).join(", ") : String(items.length);
  return [
    `- ${code(change.urn)}`,
    ...limited(fields, max, (field) => `  - ${fieldText(field)}`),
    ...lists.map((list) =>
      [
        `  - ${code(list.list)}:`,
        list.added.length > 0 ? ` added ${members(list.added)}` : "",
        list.removed.length > 0 ? ` removed ${members(list.removed)}` : "",
      ].join(""),
    ),
    ...(above ? ["  - its security-relevant changes: shown above"] : []),
  ];
}

function resourcesSection(diff: PlanDiff, max: number): string[] {
  const { resources, providerOnly } = diff.other;
  if (resources.length + providerOnly.length === 0) return [];
  const byType = new Map<string, { layer: string; type: string; added: number; removed: number; changed: number }>();
  for (const change of resources) {
    const key = `${change.layer ?? ""}\u0000${change.type}`;
    const row = byType.get(key) ?? { layer: change.layer ?? "—", type: change.type, added: 0, removed: 0, changed: 0 };
    row[change.kind]++;
    byType.set(key, row);
  }
  const rows = [...byType.values()].map((row) => [
    row.layer,
    code(row.type),
    row.added ? `+${row.added}` : "",
    row.removed ? `−${row.removed}` : "",
    row.changed ? `~${row.changed}` : "",
  ]);
  const urnList = (kind: ChangeKind) => {
    const list = resources.filter((change) => change.kind === kind);
    if (list.length === 0) return [];
    const lines =
      kind === "changed"
        ? limited(list, max, (change) => changedUrnLines(change, max).join("\n"))
        : limited(list, max, (change) => `- ${code(change.urn)}`);
    return ["", `<details><summary>${list.length} ${kind} (by URN)</summary>`, "", ...lines, "", "</details>"];
  };
  return [
    "#### Resources",
    "",
    ...(rows.length > 0 ? mdTable(["layer", "type", "added", "removed", "changed"], rows, max) : []),
    ...urnList("added"),
    ...urnList("removed"),
    ...urnList("changed"),
    ...(providerOnly.length > 0
      ? [
          "",
          `_The OPNsense provider's code changed: ${providerOnly.length} resource${providerOnly.length === 1 ? "" : "s"} with no other change will be checked against the firewall again._`,
        ]
      : []),
    "",
  ];
}

function layersSection(diff: PlanDiff): string[] {
  if (diff.other.layers.length === 0) return [];
  return [
    "#### Layers",
    "",
    ...diff.other.layers.map(
      (change) => `- ${code(change.layer)}: ${change.before ?? "(absent)"} → **${change.after ?? "(absent)"}**`,
    ),
    "",
  ];
}

function summaryLine(diff: PlanDiff): string {
  const { security, counts } = diff;
  const sections = counts.sections;
  const named = [
    ["filter rules", sections.filterRules],
    ["exposed ports", sections.exposure],
    ["VLANs/zones", sections.vlans],
    ["privileges", sections.privileges],
    ["policy violations", sections.violations],
  ] as const;
  const details = named.filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return [
    `**${plural(counts.security, "security-relevant change")}**${details.length > 0 ? ` (${details.join(", ")})` : ""}`,
    `resources **+${counts.added} −${counts.removed} ~${counts.changed}** (${diff.base.resources} → ${diff.head.resources})`,
    `violations +${security.violations.added.length} −${security.violations.removed.length}`,
    ...(diff.other.placement.length > 0 ? [`placement: ${plural(diff.other.placement.length, "node")} changed`] : []),
  ].join(" · ");
}

export function renderDiffMarkdown(diff: PlanDiff, options: MarkdownOptions = {}): string {
  const max = options.maxRows ?? 60;
  const maxChars = options.maxChars ?? 60_000;
  const stacks =
    diff.base.stack === diff.head.stack ? `stack ${code(diff.head.stack)}` : `${code(diff.base.stack)} → ${code(diff.head.stack)}`;
  const nothing =
    diff.counts.security + diff.counts.added + diff.counts.removed + diff.counts.changed === 0 &&
    diff.other.placement.length + diff.other.layers.length + diff.other.providerOnly.length === 0;
  const title = `## Fortress plan diff (${stacks})`;
  if (nothing) return `${title}\n\nNo changes: the new plan builds exactly what the base plan builds.\n`;
  const securityParts: [string, string[]][] = [
    ["filter rules", rulesSection(diff, max)],
    ["exposed ports", exposureSection(diff, max)],
    ["VLANs and zones", vlanSection(diff, max)],
    ["privileges", privilegeSection(diff, max)],
    ["policy violations", violationSection(diff, max)],
  ];
  const unchanged = securityParts.filter(([, lines]) => lines.length === 0).map(([name]) => name);
  const otherLines = [...resourcesSection(diff, max), ...placementSection(diff, max), ...layersSection(diff)];
  const lines = [
    title,
    "",
    summaryLine(diff),
    "",
    "### Security-relevant changes",
    "",
    ...(diff.counts.security === 0 && securityParts.every(([, part]) => part.length === 0)
      ? ["None.", ""]
      : securityParts.flatMap(([, part]) => part)),
    ...(unchanged.length > 0 && unchanged.length < securityParts.length
      ? [`_No change to ${unchanged.join(", ")}._`, ""]
      : []),
    "### Everything else",
    "",
    ...(otherLines.length > 0 ? otherLines : ["None.", ""]),
  ];
  const text = `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf("\n", maxChars - 200);
  return `${text.slice(0, cut)}\n\n_… cut at ${maxChars} characters: the full diff is in diff.md next to plan.json._\n`;
}

/**
 * Computing what a change does to the lab from two plans: the base branch's plan.json and the new one.
 * Pure: two PlanDocuments in, a PlanDiff (diff.ts) out.
 *
 * Resources are matched by URN with the stack name left out, so two stacks of the same lab compare.
 * A dynamic resource's serialized provider (`__provider`) is not an input the admin chose: when only
 * it changed, the resource is listed once under "provider code changed", not as a security change.
 */
import { compareVersions } from "../../components/opnsense/preflight";
import { privilegeFor } from "../../components/opnsense/privileges";
import {
  ALIAS_TYPE,
  type Category,
  categoryOf,
  type ChangeKind,
  type FieldChange,
  isRecord,
  type LayerChange,
  type ListChange,
  type NetworkChange,
  type NodeChange,
  type OpnsenseNeedsChange,
  type PlanDiff,
  PREFLIGHT_TYPE,
  type ResourceChange,
  type RuleChange,
  type Rename,
  type RuleView,
  securityPart,
  sequenceOnly,
  type SetChange,
  type VmMove,
  type ZoneChange,
} from "./diff";
import { criticalPathChange } from "./criticalPath";
import type { NodePlacement, PlanDocument, PlanResource } from "./document";
import type { Violation } from "./graph";

const PROVIDER_KEY = "__provider";
/** Top-level input lists that are sets: compared by member, not by index (the Network component's too). */
const SET_LISTS = ["rules", "cidrs", "networks", "zones", "enabled"];

/** A URN without its stack, so that stacks of the same lab compare. */
const stackless = (urn: string) => urn.replace(/^urn:pulumi:[^:]*::/, "urn:pulumi:::");

/** Resource references and URN strings in inputs, without their stack. */
function normalize(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("urn:pulumi:") ? stackless(value) : value;
  if (Array.isArray(value)) return value.map(normalize);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

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

/**
 * Head resources that are a base resource under a new URN: registered with the base URN as an alias,
 * so Pulumi moves the state instead of replacing the resource. Head key → base key.
 */
function renames(left: ReadonlyMap<string, PlanResource>, right: ReadonlyMap<string, PlanResource>) {
  const previous = new Map<string, string>();
  for (const [key, resource] of right) {
    if (left.has(key)) continue;
    const old = (resource.aliases ?? []).map(stackless).find((alias) => left.has(alias) && !right.has(alias));
    if (old !== undefined) previous.set(key, old);
  }
  return previous;
}

function resourceChanges(
  base: PlanDocument,
  head: PlanDocument,
): { changes: ResourceChange[]; renamed: Rename[] } {
  const byKey = (plan: PlanDocument) =>
    new Map(plan.resources.map((resource) => [stackless(resource.urn), resource] as const));
  const left = byKey(base);
  const right = byKey(head);
  const previous = renames(left, right);
  const renamedFrom = new Set(previous.values());
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
    const before = left.get(previous.get(key) ?? key);
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
    if (!right.has(key) && !renamedFrom.has(key)) changes.push(entry("removed", before, { before: inputsOf(before) }));
  const renamed = [...previous].map(([to, from]) => ({
    from: left.get(from)?.urn ?? from,
    to: right.get(to)?.urn ?? to,
  }));
  return { changes, renamed };
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
  const { changes: all, renamed } = resourceChanges(base, head);
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
      renamed,
      placement: placement.nodes,
      moves: placement.moves,
      layers: layerChanges(base, head),
      criticalPath: criticalPathChange(base.criticalPath, head.criticalPath),
    },
    counts,
  };
}

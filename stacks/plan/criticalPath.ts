/**
 * The deployment's critical path: the longest chain of resources through the dependency graph,
 * weighted by each resource's estimated create time (durations.ts). A `pulumi up` of a new lab can
 * take no less than this chain, however wide the engine runs; a change that makes work wait that
 * could run beside it shows as a longer chain and a larger estimate in the plan diff.
 *
 * A resource waits for what the engine and the SDK make it wait for, all of which capture records
 * (capture.ts): its dependencies (`dependsOn`, with components expanded to their resources by the
 * SDK, and the resources whose outputs its inputs use), its parent (a child is registered only once
 * its parent's URN is known, which for a custom resource is after it is created), and its provider.
 * Capture lists resources in registration order and a registration can only name resources already
 * registered, so the graph has no cycle; a cycle in a hand-made graph is refused.
 */
import { durationOf } from "./durations";

export interface CriticalStep {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly seconds: number;
}

export interface CriticalPath {
  /** The chain's total: the sum of its resources' estimated seconds. */
  readonly estimatedSeconds: number;
  /** The chain in order, from the first resource created to the last. */
  readonly resources: readonly CriticalStep[];
}

/** What the critical path reads of a captured resource. */
export interface GraphResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly dependencies: readonly string[];
  readonly provider: string | null;
}

export class DependencyCycleError extends Error {}

/** What a resource waits for, among the resources of the graph. */
function waitsFor(resource: GraphResource, known: ReadonlyMap<string, GraphResource>): string[] {
  const all = [...resource.dependencies, resource.parent, resource.provider];
  return [...new Set(all.filter((urn): urn is string => !!urn && urn !== resource.urn && known.has(urn)))];
}

/** The later finish wins; of two that finish together, the smaller URN, so that the result does not depend on order. */
const better = (a: { finish: number; urn: string }, b: { finish: number; urn: string } | undefined) =>
  !b || a.finish > b.finish || (a.finish === b.finish && a.urn < b.urn);

export function criticalPath(
  resources: readonly GraphResource[],
  seconds: (resource: GraphResource) => number = (resource) => durationOf(resource.type, resource.name),
): CriticalPath {
  const byUrn = new Map<string, GraphResource>();
  for (const resource of resources) if (!byUrn.has(resource.urn)) byUrn.set(resource.urn, resource);
  const waits = new Map([...byUrn.values()].map((resource) => [resource.urn, waitsFor(resource, byUrn)]));
  // Kahn's order: a resource is done once everything it waits for is.
  const pending = new Map([...waits].map(([urn, before]) => [urn, before.length]));
  const waitedBy = new Map<string, string[]>();
  for (const [urn, before] of waits) {
    for (const dependency of before) {
      const list = waitedBy.get(dependency);
      if (list) list.push(urn);
      else waitedBy.set(dependency, [urn]);
    }
  }
  const ready = [...pending].filter(([, count]) => count === 0).map(([urn]) => urn);
  const finish = new Map<string, number>();
  const previous = new Map<string, string>();
  let done = 0;
  while (ready.length > 0) {
    const urn = ready.pop() as string;
    done++;
    let best: { finish: number; urn: string } | undefined;
    for (const dependency of waits.get(urn) ?? []) {
      const candidate = { finish: finish.get(dependency) ?? 0, urn: dependency };
      if (better(candidate, best)) best = candidate;
    }
    if (best) previous.set(urn, best.urn);
    finish.set(urn, (best?.finish ?? 0) + seconds(byUrn.get(urn) as GraphResource));
    for (const next of waitedBy.get(urn) ?? []) {
      const left = (pending.get(next) ?? 0) - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (done < byUrn.size) {
    const stuck = [...pending].filter(([, count]) => count > 0).map(([urn]) => urn);
    throw new DependencyCycleError(`the resources wait for each other in a cycle: ${stuck.sort().join(", ")}`);
  }
  let end: { finish: number; urn: string } | undefined;
  for (const [urn, at] of finish) if (better({ finish: at, urn }, end)) end = { finish: at, urn };
  const chain: CriticalStep[] = [];
  for (let urn = end?.urn; urn !== undefined; urn = previous.get(urn)) {
    const resource = byUrn.get(urn) as GraphResource;
    chain.push({ urn, name: resource.name, type: resource.type, seconds: seconds(resource) });
  }
  chain.reverse();
  return { estimatedSeconds: end?.finish ?? 0, resources: chain };
}

// ---- comparing two plans' critical paths ----------------------------------------------------------

export interface CriticalPathChange {
  /** null: the base plan predates the critical path. */
  readonly before: CriticalPath | null;
  readonly after: CriticalPath | null;
  /** Resources on the new chain that were not on the old one, and the other way round (by URN without stack). */
  readonly joined: readonly CriticalStep[];
  readonly left: readonly CriticalStep[];
}

/** A URN without its stack, as the plan diff matches resources (diffCompute.ts). */
const stackless = (urn: string) => urn.replace(/^urn:pulumi:[^:]*::/, "urn:pulumi:::");

/** The change in estimate or chain, or null when both are the same. */
export function criticalPathChange(
  before: CriticalPath | undefined,
  after: CriticalPath | undefined,
): CriticalPathChange | null {
  const keys = (path: CriticalPath | undefined) => (path?.resources ?? []).map((step) => stackless(step.urn));
  const [old, now] = [keys(before), keys(after)];
  const sameChain = old.length === now.length && old.every((key, index) => key === now[index]);
  if ((before?.estimatedSeconds ?? null) === (after?.estimatedSeconds ?? null) && sameChain) return null;
  const [oldSet, newSet] = [new Set(old), new Set(now)];
  return {
    before: before ?? null,
    after: after ?? null,
    joined: (after?.resources ?? []).filter((step) => !oldSet.has(stackless(step.urn))),
    left: (before?.resources ?? []).filter((step) => !newSet.has(stackless(step.urn))),
  };
}

/** The chain in one line: its ends and its heaviest steps, the rest counted: `a → (3 more) → b → c`. */
export function abbreviateChain(path: CriticalPath, keep = 8): string {
  const steps = path.resources;
  if (steps.length <= keep) return steps.map((step) => step.name).join(" → ");
  const heaviest = new Set(
    [...steps]
      .map((step, index) => ({ index, seconds: step.seconds }))
      .sort((a, b) => b.seconds - a.seconds || a.index - b.index)
      .slice(0, keep - 2)
      .map((entry) => entry.index),
  );
  const parts: string[] = [];
  let skipped = 0;
  steps.forEach((step, index) => {
    if (index === 0 || index === steps.length - 1 || heaviest.has(index)) {
      if (skipped > 0) parts.push(`(${skipped} more)`);
      skipped = 0;
      parts.push(step.name);
    } else skipped++;
  });
  return parts.join(" → ");
}

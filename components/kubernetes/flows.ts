/**
 * Flows between namespaces: the allow-list the platform's default deny is opened by. A table of rules
 * (`FlowRule`, one row per "who talks to whom on which ports, and why") is compiled into concrete
 * namespace → namespace flows for the namespaces present (`compileFlows`), which are then merged per
 * pair (`mergeFlows`) into the form the Baseline component records and turns into NetworkPolicies.
 */

export type FlowProtocol = "TCP" | "UDP";

export interface FlowPort {
  readonly port: number;
  readonly protocol: FlowProtocol;
}

/** One namespace → namespace allow. */
export interface NamespaceFlow {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly FlowPort[];
}

/** Every namespace present (the rule fans out), or one named by its key. */
export const EVERY = "*";
export type FlowEnd<K extends string> = K | typeof EVERY;

/** One row of a flow table, over namespace keys `K` (e.g. layer names). */
export interface FlowRule<K extends string> {
  readonly from: FlowEnd<K>;
  readonly to: FlowEnd<K>;
  readonly ports: readonly FlowPort[];
  /** Why the flow exists: kept with the row, the table is its own documentation. */
  readonly why: string;
}

/**
 * The flows a table allows among the namespaces present: `*` stands for each of them, a rule whose end
 * is absent yields nothing, and a namespace never gets a flow to itself (inside a namespace the
 * workload's own policies decide). Rows are expanded in table order; `namespaceOf` maps a key to its
 * namespace name.
 */
export function compileFlows<K extends string>(
  rules: readonly FlowRule<K>[],
  present: readonly K[],
  namespaceOf: (key: K) => string,
): NamespaceFlow[] {
  const presentSet = new Set<K>(present);
  const ends = (end: FlowEnd<K>): readonly K[] =>
    end === EVERY ? present : presentSet.has(end) ? [end] : [];
  return rules.flatMap((rule) =>
    ends(rule.from).flatMap((from) =>
      ends(rule.to)
        .filter((to) => to !== from)
        .map((to) => ({
          from: namespaceOf(from),
          to: namespaceOf(to),
          ports: rule.ports.map((port) => ({ port: port.port, protocol: port.protocol })),
        })),
    ),
  );
}

/** Flows merged per (from, to), ports deduplicated and sorted; pairs sorted by from, then to. */
export function mergeFlows(
  flows: readonly NamespaceFlow[],
): { from: string; to: string; ports: FlowPort[] }[] {
  const merged = new Map<string, { from: string; to: string; ports: Map<string, FlowPort> }>();
  for (const flow of flows) {
    const key = `${flow.from}\u0000${flow.to}`;
    const entry = merged.get(key) ?? { from: flow.from, to: flow.to, ports: new Map<string, FlowPort>() };
    for (const port of flow.ports) {
      entry.ports.set(`${port.protocol}/${port.port}`, { port: port.port, protocol: port.protocol });
    }
    merged.set(key, entry);
  }
  return [...merged.values()]
    .map((entry) => ({
      from: entry.from,
      to: entry.to,
      ports: [...entry.ports.values()].sort(
        (a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol),
      ),
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

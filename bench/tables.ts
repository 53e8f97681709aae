/**
 * The plan benchmark's tables (bench/plan.bench.ts): per size the plan against the floor with the
 * per-resource times and peak memory; the plan's time by part; the dynamic providers' serialization.
 */
import { table } from "../stacks/plan/table";
import type { Parts } from "./parts";
import { DYNAMIC_PREFIX, type Serialization, type WorkerResult } from "./worker";

/** Target: plan within 1.3× the floor of the same resources, at the sizes where per-resource cost dominates. */
export const MAX_RATIO = 1.3;
export const RATIO_CASES: readonly string[] = ["lab ×16", "lab ×64"];

export interface Measured {
  readonly name: string;
  readonly runs: number;
  readonly resources: number;
  readonly vms: number;
  readonly plan: readonly WorkerResult[];
  readonly floor: readonly WorkerResult[];
  readonly planTotal: readonly number[];
  readonly floorTotal: readonly number[];
  readonly serialization?: Serialization;
  readonly parts: Parts;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const ms = (value: number) => value.toFixed(0);
const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");
const planMs = (m: Measured) => median(m.plan.map((r) => r.ms));
const floorMs = (m: Measured) => median(m.floor.map((r) => r.ms));
/** µs per resource. */
const perResource = (total: number, m: Measured) => ((total * 1000) / m.resources).toFixed(0);

export function sizeReport(measured: readonly Measured[]): string {
  const rows = measured.map((m) => {
    const ratio = planMs(m) / floorMs(m);
    const spread = (results: readonly WorkerResult[]) =>
      `${ms(Math.min(...results.map((r) => r.ms)))}–${ms(Math.max(...results.map((r) => r.ms)))}`;
    const peak = (pick: (r: WorkerResult) => number) =>
      `${ms(median(m.plan.map(pick)))}/${ms(median(m.floor.map(pick)))}`;
    return [
      m.name,
      String(m.resources),
      String(m.vms),
      String(m.runs),
      ms(planMs(m)),
      spread(m.plan),
      ms(floorMs(m)),
      spread(m.floor),
      `${ratio.toFixed(2)}×`,
      perResource(planMs(m) - floorMs(m), m),
      perResource(planMs(m), m),
      perResource(floorMs(m), m),
      `${ms(median(m.planTotal))}/${ms(median(m.floorTotal))}`,
      peak((r) => r.maxRssMb),
      peak((r) => r.heapPeakMb),
      RATIO_CASES.includes(m.name) ? verdict(ratio <= MAX_RATIO) : "(fixed cost)",
    ];
  });
  const header = [
    "case",
    "resources",
    "VMs",
    "runs",
    "plan ms",
    "plan range",
    "floor ms",
    "floor range",
    "plan/floor",
    "overhead µs/res",
    "plan µs/res",
    "floor µs/res",
    "process ms plan/floor",
    "peak RSS MB plan/floor",
    "heap high-water MB plan/floor",
    `≤${MAX_RATIO}× floor`,
  ];
  const lines = [table(header, rows), ""];
  // Linear growth: the per-resource time levels off with size; the step between consecutive sizes says so.
  for (let index = 1; index < measured.length; index++) {
    const [small, large] = [measured[index - 1], measured[index]];
    if (!small || !large) continue;
    const marginal = ((planMs(large) - planMs(small)) * 1000) / (large.resources - small.resources);
    const marginalFloor = ((floorMs(large) - floorMs(small)) * 1000) / (large.resources - small.resources);
    lines.push(
      `${small.name} → ${large.name}: resources ${(large.resources / small.resources).toFixed(2)}×, plan ${(planMs(large) / planMs(small)).toFixed(2)}×, ` +
        `floor ${(floorMs(large) / floorMs(small)).toFixed(2)}×; marginal µs per added resource: plan ${marginal.toFixed(0)}, floor ${marginalFloor.toFixed(0)}`,
    );
  }
  const scaled = measured.filter((m) => RATIO_CASES.includes(m.name));
  lines.push(
    `plan within ${MAX_RATIO}× the floor at ${RATIO_CASES.join(" and ")}: ${verdict(scaled.length > 0 && scaled.every((m) => planMs(m) / floorMs(m) <= MAX_RATIO))}`,
    `peak RSS = the worker process's maxRSS (module loading included); heap high-water = highest V8 heapUsed sampled every 10 ms during the run`,
  );
  return `${lines.join("\n")}\n`;
}

/** The plan's time by part (one run per case, bench/parts.ts), and what the fixed part of plan − floor is made of. */
export function partsReport(measured: readonly Measured[]): string {
  const rows = measured.map((m) => {
    const p = m.parts;
    const capture = p.program - p.config - p.serialize;
    return [
      m.name,
      ms(p.config),
      ms(p.program),
      ms(p.serialize),
      String(p.serializedObjects),
      ms(capture),
      ms(p.document),
      ms(p.pack),
      ms(p.report),
      ms(p.total),
      ms(floorMs(m)),
      perResource(capture - floorMs(m), m),
      perResource(p.pack, m),
    ];
  });
  return [
    `The plan by part (bench/parts.ts: plan()'s steps one by one, one run per case; ms):`,
    table(
      [
        "case",
        "config",
        "program",
        "serialize",
        "objects",
        "capture",
        "document",
        "pack",
        "report",
        "sum",
        "floor",
        "capture − floor µs/res",
        "pack µs/res",
      ],
      rows,
    ),
    `config = the door alone (read + validate; the program repeats it); program = the program under the mocks with capture;`,
    `serialize = provider objects serialized × one serialization alone; capture = program − config − serialize, the part`,
    `that compares with the floor; document = buildPlanDocument; pack = evaluatePolicies; report = text report + plan.json text.`,
    "",
  ].join("\n");
}

/**
 * The dynamic providers' serialization: objects the plan serialized per case (the SDK caches per
 * object), what one costs alone, real against the floor's trivial one, and the plan/floor ratio
 * with the real providers' extra taken out.
 */
export function serializationReport(measured: readonly Measured[]): string {
  const timed = measured.find((m) => m.serialization?.rows)?.serialization;
  const rows = timed?.rows ?? [];
  const trivialRow = rows[0];
  if (!timed || !trivialRow) return "";
  const realMs = new Map(rows.map((row) => [row.kind, row.realMs]));
  const typesOf = (m: Measured) =>
    Object.keys(m.plan[0]?.counts ?? {}).filter((type) => type.startsWith(DYNAMIC_PREFIX)).length;
  const caseRows = measured.map((m) => {
    const objects = m.serialization?.objects;
    // Without a count of its own (a serialize job runs for home and ×4 only), a case serializes what home does.
    const counted = objects ?? timed.objects;
    const real = Object.entries(counted).reduce(
      (sum, [kind, count]) => sum + count * (realMs.get(kind) ?? 0),
      0,
    );
    const trivial = typesOf(m) * trivialRow.trivialMs;
    const extra = real - trivial;
    const gap = planMs(m) - floorMs(m);
    return [
      m.name,
      objects
        ? String(Object.values(objects).reduce((sum, count) => sum + count, 0))
        : `${m.parts.serializedObjects}`,
      String(typesOf(m)),
      ms(real),
      ms(trivial),
      ms(extra),
      ms(gap),
      `${((extra / (gap || 1)) * 100).toFixed(0)}%`,
      `${((planMs(m) - extra) / floorMs(m)).toFixed(2)}×`,
    ];
  });
  const alone = rows
    .map((row) => `${row.kind} ${row.realMs.toFixed(1)} ms (${(row.realBytes / 1024).toFixed(1)} KB)`)
    .join(", ");
  return [
    `Dynamic providers: the SDK serializes each provider object's closure once (its cache is per object). The plan serializes`,
    `one object for every OPNsense item and settings model (components/opnsense/dispatch.ts) and one for the preflights;`,
    `the floor one trivial object per dynamic type. One serialization alone, after a home plan in the same process (median`,
    `of 3, a fresh object each): ${alone}; trivial ${trivialRow.trivialMs.toFixed(1)} ms (${trivialRow.trivialBytes} B).`,
    `The first serialization in a fresh process (closure machinery start-up, plan and floor both pay it): ${ms(timed.coldMs ?? 0)} ms.`,
    table(
      [
        "case",
        "objects plan",
        "floor",
        "serialize ms plan",
        "floor",
        "extra ms",
        "plan − floor ms",
        "extra share",
        "plan/floor without extra",
      ],
      caseRows,
    ),
    `extra = plan's real providers minus floor's trivial ones: cost the floor, by its definition, does not include.`,
    "",
  ].join("\n");
}

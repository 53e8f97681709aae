/**
 * `npm run bench`: how long the offline plan takes, and how that compares with the SDK's floor.
 *
 * Cases: the home lab (Pulumi.home.yaml) and synthetic labs ×4 and ×16 (bench/synthetic.ts). Each run
 * is a fresh process (bench/worker.ts), since Pulumi's runtime state is global:
 *  - plan:  the real `plan({configFile, outDir: null})` of stacks/plan/cli.ts;
 *  - floor: the same resource types and counts as that plan registered, created bare (minimal
 *           inputs, no parents, no dependsOn, no provider references) under the same mocks and the
 *           same await pattern: providers and components as such, each OPNsense dynamic type as a
 *           `pulumi.dynamic.Resource` over one trivial provider object per type (see worker.ts).
 * Times are medians of the in-process run times; "total" is the whole process, start-up included.
 *
 * After the runs, one "serialize" job per case counts the dynamic provider objects the SDK serializes
 * during a plan (its cache is per object), and for the home lab times each kind's serialization, real
 * provider against the floor's trivial one: the part of the gap the floor, by its definition, leaves in.
 *
 * A benchmark, not a test: a missed target prints MISS and still exits 0. It exits non-zero only
 * when it cannot measure (a worker failed, or a synthetic config is not a valid lab).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import { VM_TYPE } from "../stacks/plan/document";
import { table } from "../stacks/plan/table";
import { assertValid, HOME_CONFIG, syntheticLab, toStackYaml } from "./synthetic";
import { DYNAMIC_PREFIX, type Job, RESULT_MARK, type Serialization, type WorkerResult } from "./worker";

const ROOT = join(__dirname, "..");
const WORKER = join(__dirname, "worker.ts");
const WORKER_TIMEOUT_MS = 180_000;

/** Targets: plan within 1.3× the floor of the same resources; ×16 within 17× the home plan's time. */
const MAX_RATIO = 1.3;
const MAX_GROWTH_X16 = 17;
const DEFAULT_RUNS = 5;

interface Case {
  readonly name: string;
  readonly configFile: string;
  readonly stack: string;
  readonly runs: number;
  /** Time each dynamic kind's serialization (once is enough: the providers do not depend on the lab). */
  readonly timeSerialization: boolean;
}

interface Measured {
  readonly name: string;
  readonly runs: number;
  readonly resources: number;
  readonly vms: number;
  readonly plan: readonly WorkerResult[];
  readonly floor: readonly WorkerResult[];
  readonly planTotal: readonly number[];
  readonly floorTotal: readonly number[];
  readonly serialization: Serialization;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const ms = (value: number) => value.toFixed(0);
const mb = (value: number) => value.toFixed(0);
const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");

/** Runs one job in a fresh process; returns its result and the process's wall time. */
function runWorker(job: Job): { result: WorkerResult; totalMs: number } {
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(job)], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: WORKER_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const totalMs = performance.now() - start;
  const line = child.stdout
    ?.split("\n")
    .reverse()
    .find((candidate) => candidate.startsWith(RESULT_MARK));
  if (child.status !== 0 || !line) {
    const why = child.error ? String(child.error) : `exit ${child.status ?? child.signal}`;
    throw new Error(
      `worker ${JSON.stringify(job).slice(0, 200)} failed (${why}):\n${child.stderr}${child.stdout}`,
    );
  }
  const result = JSON.parse(line.slice(RESULT_MARK.length)) as WorkerResult;
  if (result.kind !== "floor" && result.exitCode !== 0) {
    throw new Error(
      `plan of ${(job as { configFile: string }).configFile} exited ${result.exitCode}:\n${result.text}`,
    );
  }
  return { result, totalMs };
}

function measure(benchCase: Case): Measured {
  const plan: WorkerResult[] = [];
  const floor: WorkerResult[] = [];
  const planTotal: number[] = [];
  const floorTotal: number[] = [];
  for (let run = 0; run < benchCase.runs; run++) {
    // Plan and floor alternate, so that drift in the machine's speed hits both alike.
    const planned = runWorker({ kind: "plan", configFile: benchCase.configFile });
    const counts = planned.result.counts;
    if (plan[0] && !isDeepStrictEqual(plan[0].counts, counts)) {
      throw new Error(`${benchCase.name}: the plan registered different resources from one run to the next`);
    }
    plan.push(planned.result);
    planTotal.push(planned.totalMs);
    const bare = runWorker({ kind: "floor", stack: benchCase.stack, counts });
    floor.push(bare.result);
    floorTotal.push(bare.totalMs);
    process.stderr.write(
      `  ${benchCase.name} run ${run + 1}/${benchCase.runs}: plan ${ms(planned.result.ms)} ms, floor ${ms(bare.result.ms)} ms\n`,
    );
  }
  const counts = plan[0]?.counts ?? {};
  // Provider objects serialized per kind, and (home only) what each kind's serialization costs.
  const serialized = runWorker({
    kind: "serialize",
    configFile: benchCase.configFile,
    time: benchCase.timeSerialization,
  }).result;
  if (!isDeepStrictEqual(serialized.counts, counts) || !serialized.serialization) {
    throw new Error(`${benchCase.name}: the serialize job registered different resources from the plan`);
  }
  process.stderr.write(
    `  ${benchCase.name} serialize: ${JSON.stringify(serialized.serialization.objects)} provider objects\n`,
  );
  return {
    name: benchCase.name,
    runs: benchCase.runs,
    resources: Object.values(counts).reduce((sum, count) => sum + count, 0),
    vms: counts[VM_TYPE] ?? 0,
    plan,
    floor,
    planTotal,
    floorTotal,
    serialization: serialized.serialization,
  };
}

function report(measured: readonly Measured[]): string {
  const rows = measured.map((m) => {
    const planMs = median(m.plan.map((r) => r.ms));
    const floorMs = median(m.floor.map((r) => r.ms));
    const ratio = planMs / floorMs;
    const spread = (results: readonly WorkerResult[]) =>
      `${ms(Math.min(...results.map((r) => r.ms)))}–${ms(Math.max(...results.map((r) => r.ms)))}`;
    return [
      m.name,
      String(m.resources),
      String(m.vms),
      String(m.runs),
      ms(planMs),
      spread(m.plan),
      ms(floorMs),
      spread(m.floor),
      `${ratio.toFixed(2)}×`,
      `${((planMs - floorMs) / m.resources).toFixed(2)}`,
      `${ms(median(m.planTotal))}/${ms(median(m.floorTotal))}`,
      `${mb(median(m.plan.map((r) => r.maxRssMb)))}/${mb(median(m.floor.map((r) => r.maxRssMb)))}`,
      verdict(ratio <= MAX_RATIO),
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
    "overhead ms/res",
    "total ms plan/floor",
    "peak RSS MB plan/floor",
    `≤${MAX_RATIO}× floor`,
  ];
  const lines = [table(header, rows), ""];

  const home = measured[0];
  const largest = measured[measured.length - 1];
  if (home && largest && largest !== home) {
    const planGrowth = median(largest.plan.map((r) => r.ms)) / median(home.plan.map((r) => r.ms));
    const floorGrowth = median(largest.floor.map((r) => r.ms)) / median(home.floor.map((r) => r.ms));
    const resourceGrowth = largest.resources / home.resources;
    lines.push(
      `growth ${largest.name} / ${home.name}: plan ${planGrowth.toFixed(2)}× (target ≤${MAX_GROWTH_X16}×) ${verdict(planGrowth <= MAX_GROWTH_X16)}` +
        `; floor ${floorGrowth.toFixed(2)}×; resources ${resourceGrowth.toFixed(2)}×, VMs ${(largest.vms / home.vms).toFixed(2)}×`,
    );
  }
  const ratios = measured.map((m) => median(m.plan.map((r) => r.ms)) / median(m.floor.map((r) => r.ms)));
  lines.push(
    `plan within ${MAX_RATIO}× the floor at every size: ${verdict(ratios.every((ratio) => ratio <= MAX_RATIO))}`,
    `peak memory: reported above (maxRSS of each worker process, module loading included)`,
  );
  return `${lines.join("\n")}\n`;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

/**
 * The dynamic providers' serialization: per kind, provider objects serialized by the plan (per case)
 * and by the floor (one per type), and the isolated cost of one real and one trivial serialization;
 * then per case the estimated sums and the plan/floor ratio with the real providers' extra taken out.
 */
function serializationReport(measured: readonly Measured[]): string {
  const timed = measured.find((m) => m.serialization.rows)?.serialization;
  if (!timed?.rows) return "";
  const rows = timed.rows;
  const byKind = new Map(rows.map((row) => [row.kind, row]));
  const kindsOf = (m: Measured) =>
    Object.keys(m.plan[0]?.counts ?? {})
      .filter((type) => type.startsWith(DYNAMIC_PREFIX))
      .map((type) => type.slice(DYNAMIC_PREFIX.length));
  const per = (pick: (m: Measured) => number) => measured.map(pick).join("/");
  const kindRows = rows.map((row) => [
    row.kind,
    per((m) => m.plan[0]?.counts[`${DYNAMIC_PREFIX}${row.kind}`] ?? 0),
    per((m) => m.serialization.objects[row.kind] ?? 0),
    "1",
    row.realMs.toFixed(1),
    (row.realBytes / 1024).toFixed(1),
    row.trivialMs.toFixed(1),
    String(row.trivialBytes),
  ]);
  const others = measured.flatMap((m) =>
    Object.keys(m.serialization.objects).filter((kind) => !byKind.has(kind)),
  );
  const caseRows = measured.map((m) => {
    const planMs = median(m.plan.map((r) => r.ms));
    const floorMs = median(m.floor.map((r) => r.ms));
    const real = sum(
      Object.entries(m.serialization.objects).map(
        ([kind, objects]) => objects * (byKind.get(kind)?.realMs ?? 0),
      ),
    );
    const trivial = sum(kindsOf(m).map((kind) => byKind.get(kind)?.trivialMs ?? 0));
    const extra = real - trivial;
    return [
      m.name,
      String(sum(Object.values(m.serialization.objects))),
      String(kindsOf(m).length),
      ms(real),
      ms(trivial),
      ms(extra),
      ms(planMs - floorMs),
      `${((extra / (planMs - floorMs || 1)) * 100).toFixed(0)}%`,
      `${((planMs - extra) / floorMs).toFixed(2)}×`,
    ];
  });
  return [
    `Dynamic providers: the SDK serializes each provider object's closure once (its cache is per object).`,
    `Per kind: resources and provider objects serialized by the plan (${measured.map((m) => m.name).join("/")}),`,
    `by the floor (one trivial object per type), and one serialization in isolation after a home plan in the`,
    `same process (median of 3, a fresh object each): the real provider of components/opnsense/provider.ts,`,
    `and the floor's trivial one.`,
    table(
      ["kind", "resources", "objects plan", "floor", "real ms", "real KB", "trivial ms", "trivial B"],
      kindRows,
    ),
    `first serialization in a fresh process (closure machinery start-up, trivial provider; plan and floor both pay it): ${ms(timed.coldMs ?? 0)} ms` +
      (others.length > 0 ? `\nuntimed kinds serialized: ${[...new Set(others)].join(", ")}` : ""),
    "",
    `Estimated from the isolated times (the plan interleaves serialization with other work, so these are not exact):`,
    table(
      [
        "case",
        "objects plan",
        "floor",
        "serialize ms plan",
        "floor",
        "extra ms",
        "plan - floor ms",
        "extra share",
        "plan/floor without extra",
      ],
      caseRows,
    ),
    `extra = plan's real providers minus floor's trivial ones: cost the floor, by its definition, does not include.`,
    "",
  ].join("\n");
}

/** Runs per case; BENCH_RUNS overrides (the median of an odd count is one real run). */
function runsPerCase(): number {
  const runs = Number(process.env.BENCH_RUNS ?? DEFAULT_RUNS);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a positive integer`);
  return runs;
}

/** Share of all cores busy over `ms` while this process sleeps: other work on the machine, which makes the timings noisy. */
function busyShare(ms = 1000): number {
  const sample = () =>
    cpus().reduce(
      (sum, cpu) => {
        const { user, nice, sys, irq, idle } = cpu.times;
        return {
          busy: sum.busy + user + nice + sys + irq,
          total: sum.total + user + nice + sys + irq + idle,
        };
      },
      { busy: 0, total: 0 },
    );
  const before = sample();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const after = sample();
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

const BUSY_WARNING = 0.2;

function main(): void {
  const started = performance.now();
  const runs = runsPerCase();
  const busyBefore = busyShare();
  const dir = mkdtempSync(join(tmpdir(), "fortress-bench-"));
  try {
    const cases: Case[] = [
      {
        name: "home",
        configFile: HOME_CONFIG,
        stack: "home",
        runs,
        timeSerialization: true,
      },
    ];
    const described: string[] = [];
    for (const k of [4, 16]) {
      const config = syntheticLab(k);
      const { vms, zones } = assertValid(config);
      const configFile = join(dir, `Pulumi.${config.stack}.yaml`);
      writeFileSync(configFile, toStackYaml(config));
      const count = (key: string) =>
        (JSON.parse(config.values[`fortress:${key}`] ?? "[]") as unknown[]).length;
      described.push(
        `lab ×${k} = ${count("nodes")} nodes (${k} with a GPU), ${count("networks")} VLANs, ${zones} zone entries, ${vms} VMs`,
      );
      cases.push({
        name: `lab ×${k}`,
        configFile,
        stack: config.stack,
        runs,
        timeSerialization: false,
      });
    }

    // One discarded run warms the disk cache and tsx's transform cache.
    process.stderr.write("warm-up (discarded)\n");
    runWorker({ kind: "plan", configFile: HOME_CONFIG });

    const measured = cases.map(measure);
    const busyAfter = busyShare();
    const cpu = cpus()[0]?.model ?? "unknown CPU";
    process.stdout.write(
      `\nFortress plan benchmark — node ${process.version}, ${cpus().length}× ${cpu}\n` +
        `home = Pulumi.home.yaml; ${described.join("; ")} (bench/synthetic.ts, valid configs)\n` +
        `Each run in a fresh process; median of ${runs} runs per case, plan and floor alternating, after one discarded warm-up.\n` +
        `plan  = plan({configFile, outDir: null}) of stacks/plan/cli.ts (config read, program under mocks, plan document,\n` +
        `        policy pack, report).\n` +
        `floor = the same resource types and counts registered bare under the same mocks: minimal inputs, no parents, dependsOn\n` +
        `        or provider references; providers and components registered as such; each OPNsense dynamic type as a\n` +
        `        pulumi.dynamic.Resource over one trivial provider object per type (as the real code shares one per model),\n` +
        `        so the SDK's provider serialization is in the floor once per type, at a trivial provider's size.\n` +
        `overhead ms/res = (plan - floor) / resources. total = process wall time, start-up and imports included.\n\n`,
    );
    process.stdout.write(report(measured));
    process.stdout.write(`\n${serializationReport(measured)}`);
    const busy = Math.max(busyBefore, busyAfter);
    process.stdout.write(
      `other CPU use, sampled 1 s before and after: ${(busyBefore * 100).toFixed(0)}% and ${(busyAfter * 100).toFixed(0)}% of ${cpus().length} cores` +
        (busy > BUSY_WARNING
          ? " — the machine was busy with other work; expect noise (see the ranges)\n"
          : "\n"),
    );
    process.stdout.write(
      `bench wall time: ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
        `Profile a case: BENCH_CPU_PROFILE=/tmp/p.cpuprofile node --import tsx bench/worker.ts '{"kind":"plan","configFile":"Pulumi.home.yaml"}' ` +
        `&& node --import tsx bench/profile.ts /tmp/p.cpuprofile\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(
      `bench could not measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
}

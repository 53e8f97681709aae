/**
 * `npm run bench`: how long the offline plan takes, and how that compares with the SDK's floor.
 *
 * Cases: the home lab (Pulumi.home.yaml) and synthetic labs ×4 and ×16 (bench/synthetic.ts). Each run
 * is a fresh process (bench/worker.ts), since Pulumi's runtime state is global:
 *  - plan:  the real `plan({configFile, outDir: null})` of stacks/plan/cli.ts;
 *  - floor: the same resource types and counts as that plan registered, created bare (minimal
 *           inputs, no parents, no components) under the same mocks and the same await pattern.
 * Times are medians of the in-process run times; "total" is the whole process, start-up included.
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
import { type Job, RESULT_MARK, type WorkerResult } from "./worker";

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
  if (result.kind === "plan" && result.exitCode !== 0) {
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
  return {
    name: benchCase.name,
    runs: benchCase.runs,
    resources: Object.values(counts).reduce((sum, count) => sum + count, 0),
    vms: counts[VM_TYPE] ?? 0,
    plan,
    floor,
    planTotal,
    floorTotal,
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
    const cases: Case[] = [{ name: "home", configFile: HOME_CONFIG, stack: "home", runs }];
    const described: string[] = [];
    for (const k of [4, 16]) {
      const config = syntheticLab(k);
      const { vms } = assertValid(config);
      const configFile = join(dir, `Pulumi.${config.stack}.yaml`);
      writeFileSync(configFile, toStackYaml(config));
      const count = (key: string) =>
        (JSON.parse(config.values[`fortress:${key}`] ?? "[]") as unknown[]).length;
      described.push(
        `lab ×${k} = ${count("nodes")} nodes (${k} with a GPU), ${count("networks")} VLANs, ${vms} VMs`,
      );
      cases.push({ name: `lab ×${k}`, configFile, stack: config.stack, runs });
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
        `plan  = plan({configFile, outDir: null}) of stacks/plan/cli.ts (config read, program under mocks, plan document, report).\n` +
        `floor = the same resource types and counts registered bare (no components, parents, providers) under the same mocks.\n` +
        `overhead ms/res = (plan - floor) / resources. total = process wall time, start-up and imports included.\n\n`,
    );
    process.stdout.write(report(measured));
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

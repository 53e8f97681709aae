/**
 * `npm run bench`: how long the offline plan takes, and how that compares with the SDK's floor.
 *
 * Cases: the home lab (Pulumi.home.yaml), synthetic labs ×4, ×16 and ×64 (bench/synthetic.ts; ×64
 * is 320 nodes and runs X64_RUNS times, fewer than the others, to keep the bench short), and the smb
 * profile at ×64 (syntheticSmbLab). Each run
 * is a fresh process (bench/worker.ts), since Pulumi's runtime state is global:
 *  - plan:  the real `plan({configFile, outDir: null})` of stacks/plan/cli.ts;
 *  - floor: the same resource types and counts as that plan registered, created bare (minimal
 *           inputs, no parents, no dependsOn, no provider references) under the same mocks and the
 *           same await pattern: providers and components as such, each OPNsense dynamic type as a
 *           `pulumi.dynamic.Resource` over one trivial provider object per type (see worker.ts).
 * Times are medians of the in-process run times; "total" is the whole process, start-up included.
 *
 * Printed per size: plan and floor time, their ratio, the overhead per resource ((plan − floor) /
 * resources, µs), plan and floor µs per resource and the marginal µs per added resource between sizes
 * (linear growth shows as a level per-resource time), peak RSS and V8 heap high-water of the workers.
 *
 * After the runs, per case one "parts" job runs plan()'s steps one by one, each timed (bench/parts.ts:
 * config, program, provider serialization, capture, document, pack, report), which explains the fixed
 * overhead at home by part; and for home and ×4 a "serialize" job counts the dynamic provider objects
 * the SDK serializes during a plan (its cache is per object) and, at home, times one serialization
 * alone, real provider against the floor's trivial one: a part of the gap the floor, by its
 * definition, leaves in.
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
import { assertValid, HOME_CONFIG, syntheticLab, syntheticSmbLab, toStackYaml } from "./synthetic";
import { type Measured, partsReport, serializationReport, sizeReport } from "./tables";
import { type Job, RESULT_MARK, type Serialization, type WorkerResult } from "./worker";

const ROOT = join(__dirname, "..");
const WORKER = join(__dirname, "worker.ts");
/** A ×64 plan takes about a minute alone, several on a busy machine. */
const WORKER_TIMEOUT_MS = 900_000;

const DEFAULT_RUNS = 5;
/** Runs of the ×64 case (each a plan and a floor of about 10 000 resources). */
const X64_RUNS = 2;

interface Case {
  readonly name: string;
  readonly configFile: string;
  readonly stack: string;
  readonly runs: number;
  /** Count the provider objects the plan serializes (a "serialize" job: one more plan). */
  readonly countSerialization: boolean;
  /** Time the provider's serialization alone (once is enough: the provider does not depend on the lab). */
  readonly timeSerialization: boolean;
}

const ms = (value: number) => value.toFixed(0);

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
  const parts = runWorker({ kind: "parts", configFile: benchCase.configFile }).result.parts;
  if (!parts) throw new Error(`${benchCase.name}: the parts job returned no parts`);
  process.stderr.write(`  ${benchCase.name} parts: ${JSON.stringify(parts)}\n`);
  let serialization: Serialization | undefined;
  if (benchCase.countSerialization) {
    // Provider objects serialized per kind, and (home only) what one serialization costs.
    const serialized = runWorker({
      kind: "serialize",
      configFile: benchCase.configFile,
      time: benchCase.timeSerialization,
    }).result;
    if (!isDeepStrictEqual(serialized.counts, counts) || !serialized.serialization) {
      throw new Error(`${benchCase.name}: the serialize job registered different resources from the plan`);
    }
    serialization = serialized.serialization;
    process.stderr.write(
      `  ${benchCase.name} serialize: ${JSON.stringify(serialization.objects)} provider objects\n`,
    );
  }
  return {
    name: benchCase.name,
    runs: benchCase.runs,
    resources: Object.values(counts).reduce((sum, count) => sum + count, 0),
    vms: counts[VM_TYPE] ?? 0,
    plan,
    floor,
    planTotal,
    floorTotal,
    parts,
    ...(serialization ? { serialization } : {}),
  };
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
        countSerialization: true,
        timeSerialization: true,
      },
    ];
    const described: string[] = [];
    for (const k of [4, 16, 64]) {
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
        runs: k === 64 ? Math.min(runs, X64_RUNS) : runs,
        countSerialization: k === 4,
        timeSerialization: false,
      });
    }

    // The smb profile at the largest size (issue 16): a three-node indexer, replicas, disruption budgets.
    const smb = syntheticSmbLab(64);
    const smbShape = assertValid(smb);
    const smbFile = join(dir, `Pulumi.${smb.stack}.yaml`);
    writeFileSync(smbFile, toStackYaml(smb));
    described.push(`smb ×64 = lab ×64 with lab.profile: smb on Fortress's k3s, ${smbShape.vms} VMs`);
    cases.push({
      name: "smb ×64",
      configFile: smbFile,
      stack: smb.stack,
      runs: Math.min(runs, X64_RUNS),
      countSerialization: false,
      timeSerialization: false,
    });

    // One discarded run warms the disk cache and tsx's transform cache.
    process.stderr.write("warm-up (discarded)\n");
    runWorker({ kind: "plan", configFile: HOME_CONFIG });

    const measured = cases.map(measure);
    const busyAfter = busyShare();
    const cpu = cpus()[0]?.model ?? "unknown CPU";
    process.stdout.write(
      `\nFortress plan benchmark — node ${process.version}, ${cpus().length}× ${cpu}\n` +
        `home = Pulumi.home.yaml; ${described.join("; ")} (bench/synthetic.ts, valid configs)\n` +
        `Each run in a fresh process; median of ${runs} runs per case (×64: ${Math.min(runs, X64_RUNS)}), plan and floor alternating, after one discarded warm-up.\n` +
        `plan  = plan({configFile, outDir: null}) of stacks/plan/cli.ts (config read, program under mocks, plan document,\n` +
        `        policy pack, report).\n` +
        `floor = the same resource types and counts registered bare under the same mocks: minimal inputs, no parents, dependsOn\n` +
        `        or provider references; providers and components registered as such; each OPNsense dynamic type as a\n` +
        `        pulumi.dynamic.Resource over one trivial provider object per type (the real code shares two for all types),\n` +
        `        so the SDK's provider serialization is in the floor once per type, at a trivial provider's size.\n` +
        `overhead µs/res = (plan - floor) / resources. process = process wall time, start-up and imports included.\n\n`,
    );
    process.stdout.write(sizeReport(measured));
    process.stdout.write(`\n${partsReport(measured)}`);
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

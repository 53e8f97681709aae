/**
 * One measured run, in a process of its own (Pulumi's runtime state is global). Given a JSON job as
 * argv[2], it either plans a stack file with the real `plan()`, or registers bare resources (the
 * SDK's floor), and prints one line `BENCH_RESULT <json>` on stdout. Both kinds load the same
 * modules, before the clock starts; the time is that of the run itself.
 *
 * With BENCH_CPU_PROFILE=<file>, the timed region alone (not start-up) is CPU-profiled into <file>
 * (a .cpuprofile for Chrome DevTools, or `node --import tsx bench/profile.ts <file>`).
 *
 *   {"kind":"plan","configFile":"Pulumi.home.yaml"}
 *   {"kind":"floor","stack":"home","counts":{"proxmoxve:index/vmLegacy:VmLegacy":12,...}}
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { plan } from "../stacks/plan/cli";
import { labMocks } from "../stacks/plan/mocks";
import { PROJECT } from "../stacks/plan/run";

export const RESULT_MARK = "BENCH_RESULT ";

export type Job =
  | { readonly kind: "plan"; readonly configFile: string }
  | { readonly kind: "floor"; readonly stack: string; readonly counts: Readonly<Record<string, number>> };

export interface WorkerResult {
  readonly kind: Job["kind"];
  /** Wall time of the run itself, ms. */
  readonly ms: number;
  /** Time from process start to the end of the run, ms (start-up and module loading included). */
  readonly uptimeMs: number;
  /** Peak resident set size of the process, MB. */
  readonly maxRssMb: number;
  /** Registered resources by type, the stack itself excluded. */
  readonly counts: Record<string, number>;
  readonly exitCode: number;
  /** The planner's report, when it did not exit 0. */
  readonly text?: string;
}

/** Runs `body`, CPU-profiling it into BENCH_CPU_PROFILE when that is set. */
async function timed<T>(body: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const file = process.env.BENCH_CPU_PROFILE;
  const session = file ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
  }
  const start = performance.now();
  const value = await body();
  const ms = performance.now() - start;
  if (session && file) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
  return { value, ms };
}

function countByType(types: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of types) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

async function runPlan(configFile: string): Promise<Omit<WorkerResult, "uptimeMs" | "maxRssMb">> {
  const { value: outcome, ms } = await timed(() => plan({ configFile, outDir: null }));
  const counts = countByType((outcome.plan?.resources ?? []).map((resource) => resource.type));
  return {
    kind: "plan",
    ms,
    counts,
    exitCode: outcome.exitCode,
    ...(outcome.exitCode === 0 ? {} : { text: outcome.text }),
  };
}

/** Bare resources of the given types and counts: minimal required inputs, no parents, no components. */
async function runFloor(
  stack: string,
  counts: Readonly<Record<string, number>>,
): Promise<Omit<WorkerResult, "uptimeMs" | "maxRssMb">> {
  const constructors: Record<string, (name: string) => pulumi.Resource> = {
    "pulumi:providers:proxmoxve": (name) => new proxmoxve.Provider(name, {}),
    "proxmoxve:index/poolLegacy:PoolLegacy": (name) => new proxmoxve.PoolLegacy(name, { poolId: name }),
    "proxmoxve:download/file:File": (name) =>
      new proxmoxve.download.File(name, {
        nodeName: "n",
        contentType: "import",
        datastoreId: "local",
        url: "https://example.invalid/image.qcow2",
      }),
    "proxmoxve:hardware/mapping/pci:Pci": (name) =>
      new proxmoxve.hardware.mapping.Pci(name, {
        maps: [{ node: "n", id: "10de:1ed1", path: "0000:01:00.0" }],
      }),
    "proxmoxve:index/fileLegacy:FileLegacy": (name) =>
      new proxmoxve.FileLegacy(name, { nodeName: "n", datastoreId: "local" }),
    "proxmoxve:index/vmLegacy:VmLegacy": (name) => new proxmoxve.VmLegacy(name, { nodeName: "n" }),
    "proxmoxve:backup/job:Job": (name) =>
      new proxmoxve.backup.Job(name, { resourceId: name, schedule: "daily", storage: "local" }),
  };
  const make = (type: string): ((name: string) => pulumi.Resource) => {
    const known = constructors[type];
    if (known) return known;
    // A component type (fortress:<layer>:<Name>): a plain component with nothing inside.
    if (type.startsWith("fortress:")) return (name) => new pulumi.ComponentResource(type, name, {});
    throw new Error(`the floor does not know how to register ${type}; add it to bench/worker.ts`);
  };
  // Resolve every constructor first, so an unknown type fails before the clock starts.
  const plan = Object.entries(counts).map(([type, count]) => ({ type, count, create: make(type) }));

  const { ms } = await timed(async () => {
    await pulumi.runtime.setMocks(labMocks(), PROJECT, stack, false);
    await pulumi.runtime.runInPulumiStack(async () => {
      for (const { type, count, create } of plan) {
        const short = type.split(":").pop() ?? "r";
        for (let index = 0; index < count; index++) create(`${short}-${index}`);
      }
      return {};
    });
    await pulumi.runtime.disconnect();
  });
  return { kind: "floor", ms, counts: { ...counts }, exitCode: 0 };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "null") as Job | null;
  if (!job) throw new Error("usage: worker.ts '<json job>'");
  const result = job.kind === "plan" ? await runPlan(job.configFile) : await runFloor(job.stack, job.counts);
  const full: WorkerResult = {
    ...result,
    uptimeMs: performance.now(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(full)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

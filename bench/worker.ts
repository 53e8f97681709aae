/**
 * One measured run, in a process of its own (Pulumi's runtime state is global). Given a JSON job as
 * argv[2], it either plans a stack file with the real `plan()`, or registers bare resources (the
 * SDK's floor), or measures what serializing the OPNsense dynamic providers costs, and prints one
 * line `BENCH_RESULT <json>` on stdout. All kinds load the same modules, before the clock starts;
 * the time is that of the run itself.
 *
 * The floor registers every type the plan registered, as many times, bare: minimal required inputs,
 * no parents, no dependsOn, no provider references, no registration capture, no plan document.
 * Provider resources (`pulumi:providers:*`) and components are registered as such; each OPNsense
 * dynamic type (`pulumi-nodejs:dynamic/fortress:opnsense:<model>`) as a `pulumi.dynamic.Resource`
 * over one trivial provider object per type (the real code shares two objects for all types:
 * components/opnsense/resources.ts). So the SDK's serialization of a provider closure, once per
 * type, is part of the floor; what the real providers' much larger closures cost beyond it is not,
 * and the "serialize" job measures it. A type the floor does not know fails the run.
 *
 * With BENCH_CPU_PROFILE=<file>, the timed region alone (not start-up) is CPU-profiled into <file>
 * (a .cpuprofile for Chrome DevTools, or `node --import tsx bench/profile.ts <file>`).
 *
 *   {"kind":"plan","configFile":"Pulumi.home.yaml"}
 *   {"kind":"floor","stack":"home","counts":{"proxmoxve:index/vmLegacy:VmLegacy":12,...}}
 *   {"kind":"serialize","configFile":"Pulumi.home.yaml","time":true}
 *   {"kind":"parts","configFile":"Pulumi.home.yaml"}     (bench/parts.ts: the plan's time by part)
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DNS_DHCP_TYPE } from "../components/dns-dhcp/dnsDhcp";
import { OPNSENSE_MODULE, OPNSENSE_TYPE_PREFIX } from "../vocabulary/typeTokens";
import { pulumiTypeOf } from "../vocabulary/sdkTypes";
import { HYPERVISOR_TYPE } from "../components/hypervisor/hypervisor";
import { NETWORK_TYPE } from "../components/network/network";
import { OpnsenseProviders, opnsenseProviders, SETTINGS_MODELS } from "../components/opnsense/dispatch";
import { MODELS } from "../components/opnsense/models";
import { DEFAULT_TIMING, PreflightProvider } from "../components/opnsense/provider";
import { TIME_TYPE } from "../components/time/time";
import { SERVICES_TYPE } from "../stacks/compose";
import { plan } from "../stacks/plan/cli";
import { labMocks } from "../stacks/plan/mocks";
import { closureModule, type Parts, runParts } from "./parts";
import { PROJECT } from "../stacks/plan/run";

export const RESULT_MARK = "BENCH_RESULT ";

export type Job =
  | { readonly kind: "plan"; readonly configFile: string }
  | { readonly kind: "floor"; readonly stack: string; readonly counts: Readonly<Record<string, number>> }
  /** Plans `configFile` counting the provider objects the SDK serializes, then (with `time`) times each type's serialization. */
  | { readonly kind: "serialize"; readonly configFile: string; readonly time: boolean }
  /** Runs `plan()`'s steps one by one, each timed (bench/parts.ts). */
  | { readonly kind: "parts"; readonly configFile: string };

/** The type token of an OPNsense dynamic resource, `fortress` module (components/opnsense/resources.ts). */
export const DYNAMIC_PREFIX = OPNSENSE_TYPE_PREFIX;

/** The dynamic provider's serialization, isolated: median ms of SERIALIZE_REPS, a fresh object each time. */
export interface SerializationRow {
  /** The provider object timed: `items and settings` (components/opnsense/dispatch.ts) or `preflight`. */
  readonly kind: string;
  readonly realMs: number;
  readonly realBytes: number;
  readonly trivialMs: number;
  readonly trivialBytes: number;
}

export interface Serialization {
  /** Provider objects the SDK serialized during the plan, by dynamic kind (its cache is per object). */
  readonly objects: Record<string, number>;
  /** The first serialization in a fresh process (a trivial provider): the closure machinery's start-up. */
  readonly coldMs?: number;
  readonly rows?: readonly SerializationRow[];
}

export interface WorkerResult {
  readonly kind: Job["kind"];
  /** Wall time of the run itself, ms. */
  readonly ms: number;
  /** Time from process start to the end of the run, ms (start-up and module loading included). */
  readonly uptimeMs: number;
  /** Peak resident set size of the process, MB. */
  readonly maxRssMb: number;
  /** Highest V8 heap in use (heapUsed) seen during the run, sampled every HEAP_SAMPLE_MS, MB. */
  readonly heapPeakMb: number;
  /** Registered resources by type, the stack itself excluded. */
  readonly counts: Record<string, number>;
  readonly exitCode: number;
  /** The planner's report, when it did not exit 0. */
  readonly text?: string;
  /** The "serialize" job's figures. */
  readonly serialization?: Serialization;
  /** The "parts" job's figures, ms. */
  readonly parts?: Parts;
}

const HEAP_SAMPLE_MS = 10;

/** Samples heapUsed until stopped; returns the highest value seen, MB (the sampler's timer runs between the run's tasks). */
function heapHighWater(): () => number {
  let peak = process.memoryUsage().heapUsed;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, HEAP_SAMPLE_MS);
  return () => {
    clearInterval(timer);
    sample();
    return peak / 2 ** 20;
  };
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

async function runPlan(
  configFile: string,
): Promise<Omit<WorkerResult, "uptimeMs" | "maxRssMb" | "heapPeakMb">> {
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

/**
 * The real provider of each OPNsense dynamic kind, as components/opnsense/resources.ts builds it:
 * one OpnsenseProviders object (components/opnsense/dispatch.ts) for every item and settings model,
 * one PreflightProvider for the preflights.
 */
const realProvider = () => opnsenseProviders(DEFAULT_TIMING);
const REAL_PROVIDERS: Readonly<Record<string, () => pulumi.dynamic.ResourceProvider>> = {
  ...Object.fromEntries(
    [...Object.keys(MODELS), ...Object.keys(SETTINGS_MODELS)].map((kind) => [kind, realProvider]),
  ),
  preflight: () => new PreflightProvider(DEFAULT_TIMING),
};

/** The smallest provider the SDK accepts; it captures nothing, so its closure is a few hundred bytes. */
function trivialProvider(): pulumi.dynamic.ResourceProvider {
  return {
    async create(inputs: unknown) {
      return { id: "bare", outs: inputs };
    },
  };
}

/** A dynamic resource with no inputs of its own, of type `pulumi-nodejs:dynamic/fortress:<type>`. */
class BareDynamic extends pulumi.dynamic.Resource {
  constructor(provider: pulumi.dynamic.ResourceProvider, type: string, name: string) {
    super(provider, name, {}, undefined, OPNSENSE_MODULE, type);
  }
}

/** The component types the program registers (each a plain component with nothing inside, in the floor). */
const COMPONENT_TYPES: readonly string[] = [
  SERVICES_TYPE,
  NETWORK_TYPE,
  TIME_TYPE,
  DNS_DHCP_TYPE,
  HYPERVISOR_TYPE,
];

/**
 * Bare resources of the given types and counts: minimal required inputs; no parents, dependsOn or
 * provider references; components empty. Any type not known here fails the run before the clock starts.
 */
async function runFloor(
  stack: string,
  counts: Readonly<Record<string, number>>,
): Promise<Omit<WorkerResult, "uptimeMs" | "maxRssMb" | "heapPeakMb">> {
  const constructors: Record<string, (name: string) => pulumi.Resource> = {
    "pulumi:providers:proxmoxve": (name) => new proxmoxve.Provider(name, {}),
    [pulumiTypeOf(proxmoxve.PoolLegacy)]: (name) => new proxmoxve.PoolLegacy(name, { poolId: name }),
    [pulumiTypeOf(proxmoxve.download.File)]: (name) =>
      new proxmoxve.download.File(name, {
        nodeName: "n",
        contentType: "import",
        datastoreId: "local",
        url: "https://example.invalid/image.qcow2",
      }),
    [pulumiTypeOf(proxmoxve.hardware.mapping.Pci)]: (name) =>
      new proxmoxve.hardware.mapping.Pci(name, {
        maps: [{ node: "n", id: "10de:1ed1", path: "0000:01:00.0" }],
      }),
    [pulumiTypeOf(proxmoxve.FileLegacy)]: (name) =>
      new proxmoxve.FileLegacy(name, { nodeName: "n", datastoreId: "local" }),
    [pulumiTypeOf(proxmoxve.VmLegacy)]: (name) => new proxmoxve.VmLegacy(name, { nodeName: "n" }),
    [pulumiTypeOf(proxmoxve.backup.Job)]: (name) =>
      new proxmoxve.backup.Job(name, { resourceId: name, schedule: "daily", storage: "local" }),
    [pulumiTypeOf(random.RandomId)]: (name) => new random.RandomId(name, { byteLength: 4 }),
    [pulumiTypeOf(proxmoxve.TimeLegacy)]: (name) =>
      new proxmoxve.TimeLegacy(name, { nodeName: "n", timeZone: "UTC" }),
    [pulumiTypeOf(proxmoxve.sdn.zone.Vlan)]: (name) =>
      new proxmoxve.sdn.zone.Vlan(name, { resourceId: "z", bridge: "vmbr0" }),
    [pulumiTypeOf(proxmoxve.sdn.Vnet)]: (name) =>
      new proxmoxve.sdn.Vnet(name, { resourceId: "v", zone: "z" }),
    [pulumiTypeOf(proxmoxve.sdn.Applier)]: (name) => new proxmoxve.sdn.Applier(name, {}),
    [pulumiTypeOf(proxmoxve.firewall.IpsetLegacy)]: (name) =>
      new proxmoxve.firewall.IpsetLegacy(name, { name }),
    [pulumiTypeOf(proxmoxve.cluster.firewall.security.GroupLegacy)]: (name) =>
      new proxmoxve.cluster.firewall.security.GroupLegacy(name, { name }),
    [pulumiTypeOf(proxmoxve.firewall.RulesLegacy)]: (name) => new proxmoxve.firewall.RulesLegacy(name, {}),
    [pulumiTypeOf(proxmoxve.firewall.OptionsLegacy)]: (name) =>
      new proxmoxve.firewall.OptionsLegacy(name, { nodeName: "n" }),
  };
  const make = (type: string): ((name: string) => pulumi.Resource) => {
    const known = constructors[type];
    if (known) return known;
    if (COMPONENT_TYPES.includes(type)) return (name) => new pulumi.ComponentResource(type, name, {});
    const kind = type.startsWith(DYNAMIC_PREFIX) ? type.slice(DYNAMIC_PREFIX.length) : undefined;
    if (kind !== undefined && REAL_PROVIDERS[kind]) {
      // One provider object per type, made before the clock starts (the real code shares two for all types).
      const provider = trivialProvider();
      return (name) => new BareDynamic(provider, `opnsense:${kind}`, name);
    }
    if (type.startsWith("fortress:")) return (name) => new pulumi.ComponentResource(type, name, {});
    if (type.startsWith("pulumi:providers:")) {
      // A provider registered bare: its package's provider class is not needed to register the token.
      return (name) => new BareCustom(type, name);
    }
    // Types with no hand-written floor entry (Kubernetes, command, random, …): registered bare with
    // their type token and no inputs, which is the floor's definition.
    return (name) => new BareCustom(type, name);
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

/** Any custom resource type, registered with its token and no inputs. */
class BareCustom extends pulumi.CustomResource {
  constructor(type: string, name: string) {
    super(type, name, {});
  }
}

/** The dynamic kind of a real provider object, or `other <class>` (e.g. the floor's trivial ones). */
function kindOf(provider: unknown): string {
  // One object serves every item and settings model: the model or settings name travels in the inputs.
  if (provider instanceof OpnsenseProviders) return "items and settings";
  if (provider instanceof PreflightProvider) return "preflight";
  return `other ${(provider as object | null)?.constructor?.name ?? typeof provider}`;
}

const SERIALIZE_REPS = 3;

/** Median ms and the size of serializing `make()`'s object, a fresh one each repetition (the SDK caches per object). */
async function timeSerialization(make: () => object): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let rep = 0; rep < SERIALIZE_REPS; rep++) {
    const provider = make();
    const start = performance.now();
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    times.push(performance.now() - start);
    bytes = serialized.text.length;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, bytes };
}

/**
 * Plans `configFile` with serializeFunction wrapped to count the provider objects serialized per
 * dynamic kind. With `time`, first times one trivial serialization in this fresh process (the closure
 * machinery's start-up), and after the plan, each kind's real and trivial provider in isolation.
 */
async function runSerialize(
  configFile: string,
  time: boolean,
): Promise<Omit<WorkerResult, "uptimeMs" | "maxRssMb" | "heapPeakMb">> {
  let coldMs: number | undefined;
  if (time) {
    const provider = trivialProvider();
    const start = performance.now();
    await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    coldMs = performance.now() - start;
  }
  const objects: Record<string, number> = {};
  const original = closureModule.serializeFunction;
  closureModule.serializeFunction = (func, args) => {
    const kind = kindOf((func as () => unknown)());
    objects[kind] = (objects[kind] ?? 0) + 1;
    return original(func, args);
  };
  let outcome: Awaited<ReturnType<typeof plan>>;
  try {
    outcome = await plan({ configFile, outDir: null });
  } finally {
    closureModule.serializeFunction = original;
  }
  const counts = countByType((outcome.plan?.resources ?? []).map((resource) => resource.type));
  const rows: SerializationRow[] = [];
  if (time) {
    // Every dynamic kind the plan registered must have a real provider here; they all share one object.
    for (const type of Object.keys(counts).filter((key) => key.startsWith(DYNAMIC_PREFIX))) {
      if (!REAL_PROVIDERS[type.slice(DYNAMIC_PREFIX.length)])
        throw new Error(`no real provider known for ${type}; add it to bench/worker.ts`);
    }
    const trivialTime = await timeSerialization(trivialProvider);
    const timedKinds = {
      "items and settings": realProvider,
      preflight: () => new PreflightProvider(DEFAULT_TIMING),
    };
    for (const [kind, make] of Object.entries(timedKinds)) {
      const realTime = await timeSerialization(make);
      rows.push({
        kind,
        realMs: realTime.ms,
        realBytes: realTime.bytes,
        trivialMs: trivialTime.ms,
        trivialBytes: trivialTime.bytes,
      });
    }
  }
  return {
    kind: "serialize",
    ms: 0,
    counts,
    exitCode: outcome.exitCode,
    ...(outcome.exitCode === 0 ? {} : { text: outcome.text }),
    serialization: { objects, ...(time ? { coldMs, rows } : {}) },
  };
}

async function runPartsJob(
  configFile: string,
): Promise<Omit<WorkerResult, "uptimeMs" | "maxRssMb" | "heapPeakMb">> {
  const parts = await runParts(configFile);
  return { kind: "parts", ms: parts.total, counts: {}, exitCode: 0, parts };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "null") as Job | null;
  if (!job) throw new Error("usage: worker.ts '<json job>'");
  const heapPeak = heapHighWater();
  const result =
    job.kind === "plan"
      ? await runPlan(job.configFile)
      : job.kind === "floor"
        ? await runFloor(job.stack, job.counts)
        : job.kind === "parts"
          ? await runPartsJob(job.configFile)
          : await runSerialize(job.configFile, job.time);
  const full: WorkerResult = {
    ...result,
    uptimeMs: performance.now(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapPeakMb: heapPeak(),
  };
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(full)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * Summarizes a .cpuprofile written by the bench worker (BENCH_CPU_PROFILE=<file>):
 * self time by package, the hottest functions by self time, and the inclusive time of the project's
 * own functions (stacks/, components/, bench/).
 *
 *   BENCH_CPU_PROFILE=/tmp/p.cpuprofile node --import tsx bench/worker.ts '{"kind":"plan","configFile":"Pulumi.home.yaml"}'
 *   node --import tsx bench/profile.ts /tmp/p.cpuprofile [top]
 *
 * Given a plan's and a floor's profile of the same case, it prints where the gap between them goes:
 *
 *   node --import tsx bench/profile.ts /tmp/plan.cpuprofile /tmp/floor.cpuprofile [top]
 */
import { readFileSync } from "node:fs";
import { table } from "../stacks/plan/table";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Where a frame's code lives: an npm package, a project folder, node's internals, or a VM pseudo-frame. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, "") || "native"})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith("node:")) return "node:internal";
  const project = /\/(stacks|components|bench)\//.exec(url);
  if (project?.[1]) return `fortress/${project[1]}`;
  return url;
}

const isProject = (url: string) => /\/(stacks|components|bench)\//.test(url) && !url.includes("node_modules");

/** Project files run through tsx, whose generated line numbers mean nothing in the source: they are left out. */
function frameName(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, "");
  if (isProject(url))
    return `${frame.functionName || "(anonymous)"} ${url.replace(/^.*\/(stacks|components|bench)\//, "$1/")}`;
  const short = url.includes("node_modules/") ? url.slice(url.lastIndexOf("node_modules/") + 13) : url;
  return `${frame.functionName || "(anonymous)"} ${short}${short ? `:${frame.lineNumber + 1}` : ""}`;
}

/**
 * What a sample is spent on, from its whole stack: the SDK's closure serialization of dynamic
 * providers, formatting `new Error().stack` through source maps (tsx turns them on, and the Pulumi
 * SDK captures a stack for every promise it tracks), the SDK's (de)serialization, GC, or else the
 * package of the innermost frame.
 */
function categoryOf(stack: readonly CallFrame[]): string {
  const leaf = stack[0];
  if (!leaf) return "(unknown)";
  if (leaf.functionName === "(garbage collector)") return "(garbage collector)";
  if (stack.some((frame) => frame.url.includes("@pulumi/pulumi/runtime/closure/")))
    return "closure serialization (dynamic providers: inspector, TypeScript parse, module lookup)";
  if (stack.some((frame) => frame.url.startsWith("node:internal/source_map/")))
    return "Error.stack with source maps (SDK debuggablePromise etc.)";
  if (stack.some((frame) => /google-protobuf|@grpc/.test(frame.url)))
    return "protobuf / grpc (de)serialization";
  return packageOf(leaf.url, leaf.functionName);
}

interface Tally {
  readonly total: number;
  readonly profiler: number;
  readonly samples: number;
  readonly selfByPackage: Map<string, number>;
  readonly byCategory: Map<string, number>;
  readonly selfByFrame: Map<string, number>;
  readonly inclusiveProject: Map<string, number>;
}

/** Sample weights (ms) by category, package, function and project function. */
function tally(profile: CpuProfile): Tally {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfByPackage = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const selfByFrame = new Map<string, number>();
  const inclusiveProject = new Map<string, number>();
  let total = 0;
  let profiler = 0;
  profile.samples.forEach((id, index) => {
    const weight = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    const { callFrame } = node;
    // The inspector's own start and stop calls are not part of the run.
    if (callFrame.url === "node:inspector" || callFrame.functionName === "(idle)") {
      profiler += weight;
      return;
    }
    total += weight;
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame) stack.push(frame);
    }
    const category = categoryOf(stack);
    byCategory.set(category, (byCategory.get(category) ?? 0) + weight);
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + weight);
    const name = frameName(callFrame);
    selfByFrame.set(name, (selfByFrame.get(name) ?? 0) + weight);
    const seen = new Set<string>();
    for (const frame of stack) {
      if (!isProject(frame.url)) continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveProject.set(key, (inclusiveProject.get(key) ?? 0) + weight);
    }
  });
  return {
    total,
    profiler,
    samples: profile.samples.length,
    selfByPackage,
    byCategory,
    selfByFrame,
    inclusiveProject,
  };
}

export function summarize(profile: CpuProfile, top = 25): string {
  const { total, profiler, samples, selfByPackage, byCategory, selfByFrame, inclusiveProject } =
    tally(profile);
  const rows = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([name, ms]) => [ms.toFixed(1), `${((ms / total) * 100).toFixed(1)}%`, name]);
  return [
    `profiled ${total.toFixed(0)} ms (${profiler.toFixed(0)} ms of profiler start/stop and idle left out), ${samples} samples`,
    "",
    "time by category (whole stack)",
    table(["ms", "share", "category"], rows(byCategory, top)),
    "",
    "self time by package",
    table(["ms", "share", "package"], rows(selfByPackage, top)),
    "",
    "hottest functions (self time)",
    table(["ms", "share", "function"], rows(selfByFrame, top)),
    "",
    "project functions (inclusive time)",
    table(["ms", "share", "function"], rows(inclusiveProject, top)),
    "",
  ].join("\n");
}

/**
 * Where a plan's time goes beyond the floor's: two profiles of the same case (plan, then floor), by
 * category and by function (self time), largest difference first.
 */
export function compare(plan: CpuProfile, floor: CpuProfile, top = 25): string {
  const a = tally(plan);
  const b = tally(floor);
  const gap = a.total - b.total;
  const rows = (left: Map<string, number>, right: Map<string, number>, limit: number) =>
    [...new Set([...left.keys(), ...right.keys()])]
      .map((name) => ({ name, plan: left.get(name) ?? 0, floor: right.get(name) ?? 0 }))
      .sort((x, y) => y.plan - y.floor - (x.plan - x.floor))
      .slice(0, limit)
      .map((row) => [
        row.plan.toFixed(1),
        row.floor.toFixed(1),
        (row.plan - row.floor).toFixed(1),
        `${(((row.plan - row.floor) / (gap || 1)) * 100).toFixed(1)}%`,
        row.name,
      ]);
  const header = ["plan ms", "floor ms", "difference", "of gap"];
  return [
    `profiled plan ${a.total.toFixed(0)} ms, floor ${b.total.toFixed(0)} ms: gap ${gap.toFixed(0)} ms`,
    "",
    "gap by category (whole stack)",
    table([...header, "category"], rows(a.byCategory, b.byCategory, top)),
    "",
    "gap by function (self time)",
    table([...header, "function"], rows(a.selfByFrame, b.selfByFrame, top)),
    "",
  ].join("\n");
}

if (require.main === module) {
  const [file, second, third] = process.argv.slice(2);
  if (!file) {
    process.stderr.write(
      "usage: node --import tsx bench/profile.ts <file.cpuprofile> [top]\n" +
        "       node --import tsx bench/profile.ts <plan.cpuprofile> <floor.cpuprofile> [top]\n",
    );
    process.exit(3);
  }
  const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  if (second && !/^\d+$/.test(second)) {
    process.stdout.write(compare(read(file), read(second), Number(third ?? 25)));
  } else {
    process.stdout.write(summarize(read(file), Number(second ?? 25)));
  }
}

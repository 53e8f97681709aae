/**
 * Summarizes a .cpuprofile written by the bench worker (BENCH_CPU_PROFILE=<file>):
 * self time by package, the hottest functions by self time, and the inclusive time of the project's
 * own functions (stacks/, components/, bench/).
 *
 *   BENCH_CPU_PROFILE=/tmp/p.cpuprofile node --import tsx bench/worker.ts '{"kind":"plan","configFile":"Pulumi.home.yaml"}'
 *   node --import tsx bench/profile.ts /tmp/p.cpuprofile [top]
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
 * What a sample is spent on, from its whole stack: formatting `new Error().stack` through source
 * maps (tsx turns them on, and the Pulumi SDK captures a stack for every promise it tracks), the
 * SDK's (de)serialization, GC, or else the package of the innermost frame.
 */
function categoryOf(stack: readonly CallFrame[]): string {
  const leaf = stack[0];
  if (!leaf) return "(unknown)";
  if (leaf.functionName === "(garbage collector)") return "(garbage collector)";
  if (stack.some((frame) => frame.url.startsWith("node:internal/source_map/")))
    return "Error.stack with source maps (SDK debuggablePromise etc.)";
  if (stack.some((frame) => /google-protobuf|@grpc/.test(frame.url)))
    return "protobuf / grpc (de)serialization";
  return packageOf(leaf.url, leaf.functionName);
}

export function summarize(profile: CpuProfile, top = 25): string {
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

  const rows = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([name, ms]) => [ms.toFixed(1), `${((ms / total) * 100).toFixed(1)}%`, name]);
  return [
    `profiled ${total.toFixed(0)} ms (${profiler.toFixed(0)} ms of profiler start/stop and idle left out), ${profile.samples.length} samples`,
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

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: node --import tsx bench/profile.ts <file.cpuprofile> [top]\n");
    process.exit(3);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  process.stdout.write(summarize(profile, Number(process.argv[3] ?? 25)));
}

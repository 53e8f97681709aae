/**
 * Where a plan's time goes, part by part: the steps of `plan()` in stacks/plan/cli.ts run one after
 * the other with a clock around each (the "parts" job of bench/worker.ts). The steps are the same
 * calls in the same order; only `plan()`'s branching on errors, `--diff` and file writing are left out.
 *
 *  - config:    the door alone: read the stack file, validate it into the lab model (stacks/config).
 *               The program repeats this inside `fortress()`, so it is also part of "program".
 *  - program:   the real program under the mocks with registration capture (stacks/plan/run.ts),
 *               the door and the provider serialization included.
 *  - serialize: of which, the SDK's serialization of the dynamic provider objects: for each object the
 *               program serialized, a fresh one of its class serialized alone after the run (the
 *               calls in the run interleave with other work, so their wall time would overstate it).
 *  - document:  buildPlanDocument (layers, DAG, placement, zones, graph checks).
 *  - pack:      evaluatePolicies, the policy pack over the captured resources.
 *  - report:    the text report (renderPlan) and plan.json's text (JSON.stringify), what `plan` prints and writes.
 */
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import { AgentGroupProvider } from "../components/endpoint/agentGroup";
import { OpnsenseProviders, opnsenseProviders } from "../components/opnsense/dispatch";
import { DEFAULT_TIMING, PreflightProvider } from "../components/opnsense/provider";
import { evaluatePolicies } from "../policies/lib/offline";
import { POLICIES } from "../policies/registry";
import { validateConfig } from "../stacks/config/load";
import { buildPlanDocument } from "../stacks/plan/document";
import { renderPlan } from "../stacks/plan/report";
import { PROJECT, runProgram } from "../stacks/plan/run";
import { readStackConfig, stackConfigSource } from "../stacks/plan/stackConfig";

export interface Parts {
  readonly config: number;
  readonly program: number;
  readonly serialize: number;
  readonly document: number;
  readonly pack: number;
  readonly report: number;
  /** Provider objects the program serialized. */
  readonly serializedObjects: number;
  /** All of the above in sequence (config counted once, on its own; serialize within program). */
  readonly total: number;
  /** Resources the program registered. */
  readonly resources: number;
}

type SerializeFunction = typeof pulumi.runtime.serializeFunction;

/** The module the SDK's dynamic resources call serializeFunction on, looked up at every call, so it can be wrapped. */
export const closureModule = createRequire(__filename)("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction: SerializeFunction;
};

async function clock<T>(body: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await body();
  return { value, ms: performance.now() - start };
}

/** A new provider object of the same class as `object` (the SDK would find the old one in its cache). */
function freshLike(object: unknown): object {
  if (object instanceof OpnsenseProviders) return opnsenseProviders(DEFAULT_TIMING);
  if (object instanceof PreflightProvider) return new PreflightProvider(DEFAULT_TIMING);
  if (object instanceof AgentGroupProvider) return new AgentGroupProvider();
  throw new Error(`the program serialized a provider bench/parts.ts does not know: ${String(object)}`);
}

export async function runParts(configFile: string): Promise<Parts> {
  const started = performance.now();
  const door = await clock(() => {
    const config = readStackConfig(configFile);
    const { model } = validateConfig(stackConfigSource(config));
    if (!model) throw new Error(`${configFile} is not a valid lab`);
    return config;
  });
  const serialized: unknown[] = [];
  const original = closureModule.serializeFunction;
  closureModule.serializeFunction = (func, args) => {
    serialized.push((func as () => unknown)());
    return original(func, args);
  };
  let program: Awaited<ReturnType<typeof clock<Awaited<ReturnType<typeof runProgram>>>>>;
  try {
    program = await clock(() => runProgram(door.value));
  } finally {
    closureModule.serializeFunction = original;
  }
  const run = program.value;
  if (!run.ok) throw new Error(`${configFile}: the program refused the config`);
  const document = await clock(() =>
    buildPlanDocument(door.value.stack, PROJECT, run.resources, run.model.config),
  );
  const pack = await clock(() => evaluatePolicies(POLICIES, run.resources, {}));
  const report = await clock(() => {
    const full = { ...document.value, violations: [...document.value.violations, ...pack.value] };
    return renderPlan(full).length + JSON.stringify(full, null, 2).length;
  });
  const total = performance.now() - started;
  let serialize = 0;
  for (const object of serialized) {
    const fresh = freshLike(object);
    serialize += (await clock(() => pulumi.runtime.serializeFunction(() => fresh, { allowSecrets: true })))
      .ms;
  }
  return {
    config: door.ms,
    program: program.ms,
    serialize,
    serializedObjects: serialized.length,
    document: document.ms,
    pack: pack.ms,
    report: report.ms,
    total,
    resources: run.resources.length,
  };
}

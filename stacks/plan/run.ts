/**
 * Runs the real Fortress program in-process under Pulumi's mocks with a stack's config, and records
 * what it registers. No CLI, no network, no credentials: `secure:` values stay ciphertext.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type ConfigIssue } from "../config/errors";
import { validateConfig } from "../config/load";
import type { LabModel } from "../lab";
// main.ts registers nothing when imported, so it need not wait for setMocks (index.ts would).
import { fortress } from "../main";
import type { FortressOutputs } from "../outputs";
import { type CapturedResource, captureRegistrations } from "./capture";
import { labMocks, markAdditionalSecretOutputs } from "./mocks";
import { type StackConfig, stackConfigSource } from "./stackConfig";

export const PROJECT = "fortress";

export type ProgramRun =
  | {
      readonly ok: true;
      readonly resources: CapturedResource[];
      readonly model: LabModel;
      /** The stack outputs, the object index.ts exports (stacks/outputs.ts). */
      readonly outputs: FortressOutputs;
    }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[]; readonly resources: CapturedResource[] };

/** `mocks`: the lab's own by default; a test may wrap them to see inputs the plan redacts. */
export async function runProgram(config: StackConfig, mocks: pulumi.runtime.Mocks = labMocks()): Promise<ProgramRun> {
  // The Pulumi CLI refuses a secure: value it cannot decrypt before the program runs: so does the plan.
  if (config.secureProblems?.length) {
    return { ok: false, issues: validateConfig(stackConfigSource(config)).issues, resources: [] };
  }
  await pulumi.runtime.setMocks(mocks, PROJECT, config.stack, false);
  pulumi.runtime.setAllConfig({ ...config.values }, [...config.secretKeys]);
  markAdditionalSecretOutputs();
  const resources = captureRegistrations();
  let configError: ConfigError | undefined;
  let model: LabModel | undefined;
  let outputs: FortressOutputs | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      const run = fortress();
      model = run.loaded.model;
      outputs = run.outputs;
      return run.outputs;
    } catch (error) {
      if (error instanceof ConfigError) {
        configError = error;
        return {};
      }
      throw error;
    }
  });
  await pulumi.runtime.disconnect();
  const programResources = resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack");
  if (configError || !model || !outputs)
    return { ok: false, issues: configError?.issues ?? [], resources: programResources };
  return { ok: true, resources: programResources, model, outputs };
}

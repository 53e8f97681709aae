/**
 * The lab model of a stack file, as the door gives it to the Pulumi program (stacks/config/load.ts
 * validateConfig over the file read the way the Pulumi CLI hands it over: stacks/plan/stackConfig.ts).
 * `secure:` values stay ciphertext: the offline lab makes its own keys and passwords.
 */
import { join } from "node:path";
import { renderIssues } from "../../stacks/config/errors";
import { validateConfig } from "../../stacks/config/load";
import type { LabModel } from "../../stacks/lab";
import { readStackConfig, type StackConfig, stackConfigSource } from "../../stacks/plan/stackConfig";

/** The stack `npm run scenario` runs when no --config names one: the home lab. */
export const DEFAULT_STACK_FILE = join(__dirname, "../../Pulumi.home.yaml");

/** The door's model of a parsed stack file; `where` names it in the error when the door refuses it. */
export function labModelOfStack(config: StackConfig, where = `Pulumi.${config.stack}.yaml`): LabModel {
  const { issues, model } = validateConfig(stackConfigSource(config));
  if (!model || issues.length > 0)
    throw new Error(`${where} does not pass the door:\n${renderIssues(issues)}`);
  return model;
}

export const labModelOf = (file: string = DEFAULT_STACK_FILE): LabModel =>
  labModelOfStack(readStackConfig(file), file);

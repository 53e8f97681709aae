/** The seed home lab's config, as tests read it: one source of truth for the seed values they check. */
import { join } from "node:path";
import { readStackConfig } from "../../stacks/plan/stackConfig";

const HOME_FILE = join(__dirname, "..", "..", "Pulumi.home.yaml");

/** A plain `fortress:` key of Pulumi.home.yaml, decoded from the JSON the CLI would pass. */
export function homeValue(key: string): unknown {
  const text = readStackConfig(HOME_FILE).values[`fortress:${key}`];
  if (text === undefined) throw new Error(`Pulumi.home.yaml has no fortress:${key}`);
  return JSON.parse(text);
}

/** Runs Debian's `cloud-init schema` on a user-data document; .ci/run installs the package. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function cloudInitSchema(userData: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), "fortress-cloud-init-")), "user-data.yaml");
  writeFileSync(file, userData);
  const result = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
  if (result.error) {
    throw new Error(
      `cloud-init is not installed (apt-get install cloud-init; .ci/run does): ${result.error.message}`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

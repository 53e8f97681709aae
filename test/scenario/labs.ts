/**
 * The offline labs the scenario tests start, each from a stack file's lab model through the door
 * (scenario/offline/stackModel.ts, labConfig.ts): the home stack (Pulumi.home.yaml), the minimal one
 * (Pulumi.minimal.yaml), and an smb one built here from the home stack (no smb stack file yet, see
 * smbStack).
 */
import { join } from "node:path";
import { offlineLabConfig, type OfflineLabConfig } from "../../scenario/offline/labConfig";
import { labModelOf, labModelOfStack } from "../../scenario/offline/stackModel";
import { readStackConfig, type StackConfig } from "../../stacks/plan/stackConfig";

const ROOT = join(__dirname, "../..");
export const HOME_STACK = join(ROOT, "Pulumi.home.yaml");
export const MINIMAL_STACK = join(ROOT, "Pulumi.minimal.yaml");

/** A `secure:` value as the CLI leaves it when it cannot decrypt (the door only needs it present). */
const CIPHERTEXT = "v1:UExBQ0VIT0xERVI=:cmVwbGFjZSB3aXRoIGEgcmVhbCBzZWNyZXQ=";

/**
 * An smb stack: the home stack with `lab.profile: smb`, `platform.mode: k3s`, backup.s3 and its two
 * keys. Built here until an smb stack file exists (helper `existing` writes one). The home lab's five
 * nodes cannot hold smb's three indexer nodes and Greenbone, so each node here has twice their RAM and
 * VM storage (an smb site's bigger hosts); networks, addresses and services stay the home stack's.
 */
export function smbStack(): StackConfig {
  const home = readStackConfig(HOME_STACK);
  const lab = JSON.parse(home.values["fortress:lab"]!) as Record<string, unknown>;
  const platform = JSON.parse(home.values["fortress:platform"] ?? "{}") as Record<string, unknown>;
  const nodes = (JSON.parse(home.values["fortress:nodes"]!) as Record<string, number>[]).map((node) => ({
    ...node,
    memoryGb: node.memoryGb! * 2,
    vmStorageGb: node.vmStorageGb! * 2,
  }));
  const backup = JSON.parse(home.values["fortress:backup"] ?? "{}") as Record<string, unknown>;
  return {
    stack: "smb",
    values: {
      ...home.values,
      "fortress:lab": JSON.stringify({ ...lab, profile: "smb" }),
      "fortress:nodes": JSON.stringify(nodes),
      "fortress:platform": JSON.stringify({ ...platform, mode: "k3s" }),
      "fortress:backup": JSON.stringify({
        ...backup,
        s3: { endpoint: "https://s3.example.net", bucket: "fortress-backups", region: "eu-central-1" },
      }),
      "fortress:s3AccessKeyId": CIPHERTEXT,
      "fortress:s3SecretAccessKey": CIPHERTEXT,
    },
    secretKeys: [...home.secretKeys, "fortress:s3AccessKeyId", "fortress:s3SecretAccessKey"],
  };
}

export const homeLabConfig = (): OfflineLabConfig => offlineLabConfig(labModelOf(HOME_STACK));
export const minimalLabConfig = (): OfflineLabConfig => offlineLabConfig(labModelOf(MINIMAL_STACK));
export const smbLabConfig = (): OfflineLabConfig =>
  offlineLabConfig(labModelOfStack(smbStack(), "the smb stack"));

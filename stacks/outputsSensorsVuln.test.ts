import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { runProgram } from "./plan/run";
import { readStackConfig } from "./plan/stackConfig";

const HOME = join(__dirname, "..", "Pulumi.home.yaml");

/** The value of an output as the program gives it, resolved. */
async function valueOf(output: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(output)) return output;
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("the sensors and vuln stack outputs (issue 13)", () => {
  let outputs: Record<string, unknown> = {};
  before(async () => {
    const run = await runProgram(readStackConfig(HOME));
    assert.ok(run.ok, "the home lab does not plan");
    outputs = run.outputs as unknown as Record<string, unknown>;
  });

  it("say Suricata runs as IDS with the default rule files, and where Zeek's logs are", async () => {
    assert.equal(outputs.suricataMode, "ids");
    assert.ok((outputs.suricataRulesets as string[]).includes("emerging-malware.rules"));
    const zeek = outputs.zeekSensor as { vm: string; logDir: pulumi.Output<string> };
    assert.equal(zeek.vm, "zeek-1");
  });

  it("list one scan target per scanned network with its range, and a rescan command that names none of them wrongly", async () => {
    const targets = outputs.greenboneScanTargets as Record<string, string[]>;
    assert.deepEqual(Object.keys(targets), ["servers", "sensors", "users", "iot"]);
    for (const hosts of Object.values(targets)) assert.match(hosts[0] ?? "", /^\d+\.\d+\.\d+\.\d+\/\d+$/);
    assert.match(
      outputs.greenboneRescanCommand as string,
      /^ssh \S+@greenbone-1\.\S+ sudo \/usr\/local\/sbin\/fortress-rescan <target>$/,
    );
    assert.equal(outputs.greenboneAdminUser, "admin");
    assert.match(outputs.greenboneUrl as string, /^https:\/\/greenbone-1\./);
    assert.equal(await pulumi.isSecret(outputs.greenboneAdminPassword as pulumi.Output<string>), true);
    assert.deepEqual(await valueOf(outputs.greenbonePinnedDigests), {}, "no install has run in a plan");
  });
});

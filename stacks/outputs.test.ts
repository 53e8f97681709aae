/** The stack outputs of the home lab as the planner runs it: the keys stacks/outputs.ts defines, secret where it says. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { OUTPUT_KEYS, OUTPUT_SECRECY, SECRET_OUTPUT_KEYS } from "./outputs";
import { runProgram } from "./plan/run";
import { readStackConfig } from "./plan/stackConfig";

const HOME = join(__dirname, "..", "Pulumi.home.yaml");

describe("the stack outputs (issue 9)", () => {
  it("lists every output once, the secret ones among them", () => {
    assert.deepEqual(OUTPUT_KEYS, Object.keys(OUTPUT_SECRECY));
    assert.deepEqual(SECRET_OUTPUT_KEYS, [
      "kubeconfig",
      "keycloakAdminPassword",
      "vaultwardenAdminToken",
      "wazuhBreakGlassPassword",
      "wazuhEnrollmentPassword",
      "greenboneAdminPassword",
      "theHiveAdminPassword",
      "theHiveAnalystPassword",
      "cortexAdminPassword",
      "mispAdminPassword",
      "mispAdminKey",
      "grafanaAdminPassword",
    ]);
  });

  it("are what the planned home lab returns: every key set, secret exactly where stacks/outputs.ts says", async () => {
    const run = await runProgram(readStackConfig(HOME));
    assert.ok(run.ok, "the home lab does not plan");
    assert.deepEqual(Object.keys(run.outputs), OUTPUT_KEYS);
    for (const key of OUTPUT_KEYS) {
      const value: unknown = run.outputs[key];
      assert.notEqual(value, undefined, `${key} is not set for the home lab`);
      const secret = pulumi.Output.isInstance(value) ? await pulumi.isSecret(value) : false;
      assert.equal(secret, OUTPUT_SECRECY[key] === "secret", `${key} secret: ${secret}`);
    }
  });

  it("give the Wazuh manager VM's address from the hypervisor layer: the one the lab planned (issue 12)", async () => {
    const run = await runProgram(readStackConfig(HOME));
    assert.ok(run.ok, "the home lab does not plan");
    const planned = run.model.vms.find((vm) => vm.role.name === "wazuh-manager");
    assert.ok(planned, "the home lab has a manager VM");
    assert.equal(planned.networkConfig.purpose, "servers");
    const output = run.outputs.vms[planned.name];
    assert.ok(output, `hypervisor.vms has no ${planned.name}`);
    assert.equal(output.address, planned.ip);
    const machine = run.resources.find(
      (resource) => resource.type === "proxmoxve:index/vmLegacy:VmLegacy" && resource.name === planned.name,
    );
    const inputs = machine?.inputs as { initialization: { ipConfigs: { ipv4: { address: string } }[] } };
    assert.equal(inputs.initialization.ipConfigs[0]?.ipv4.address, `${planned.ip}/${planned.prefix}`);
  });
});

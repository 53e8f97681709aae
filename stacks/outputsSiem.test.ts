/**
 * The siem and endpoint layers' stack outputs in the planned home lab (issue 12): what an admin reads
 * from `pulumi stack output` to sign in, enroll a device and size the disk, each the value the
 * resources were given, the secret ones secret and in no file the planner writes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ENROLLMENT_PASSWORD_WHERE } from "./layers/endpoint";
import { MANAGER_ROLE } from "./enrollment";
import { type FortressOutputs, OUTPUT_SECRECY } from "./outputs";
import { EXIT, plan } from "./plan/cli";
import { labMocks } from "./plan/mocks";
import { runProgram } from "./plan/run";
import { readStackConfig } from "./plan/stackConfig";
import type { LabModel } from "./lab";

const HOME = join(__dirname, "..", "Pulumi.home.yaml");

/** An Output's value, as the mocks resolved it. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** A secret input as the mock monitor receives it: wrapped ({ <sig>, value }) or bare. */
function unwrap(raw: unknown): unknown {
  return typeof raw === "object" && raw !== null && "value" in raw ? (raw as { value: unknown }).value : raw;
}

let outputs: FortressOutputs;
let model: LabModel;
/** Each VM's enrollment command's stdin, as the command provider would receive it. */
const enrollStdin = new Map<string, unknown>();

describe("the SIEM and endpoint stack outputs (issue 12)", () => {
  before(async () => {
    const lab = labMocks();
    const run = await runProgram(readStackConfig(HOME), {
      ...lab,
      newResource(args) {
        if (args.type === "command:remote:Command" && args.name.endsWith("-wazuh-agent"))
          enrollStdin.set(args.name, unwrap(args.inputs.stdin));
        return lab.newResource(args);
      },
    });
    assert.ok(run.ok, "the home lab does not plan");
    outputs = run.outputs;
    model = run.model;
  });

  it("export the enrollment password under the name the endpoint layer tells admins to read", async () => {
    const named = /pulumi stack output (\w+) --show-secrets/.exec(ENROLLMENT_PASSWORD_WHERE)?.[1];
    assert.equal(named, "wazuhEnrollmentPassword");
    assert.equal(OUTPUT_SECRECY[named], "secret");
    const output = outputs.wazuhEnrollmentPassword;
    assert.ok(output, "no wazuhEnrollmentPassword in the home plan");
    assert.ok(await pulumi.isSecret(output), "the enrollment password is not secret");
    // The password the outputs give is the one every VM's enrollment gets on stdin.
    const password = await valueOf(output);
    assert.ok(password.length > 0);
    assert.ok(enrollStdin.size > 5, `too few enrollments seen: ${enrollStdin.size}`);
    for (const [name, stdin] of enrollStdin)
      assert.equal(stdin, password, `${name} enrolls with another password`);
  });

  it("give the manager's planned address, its API on 55000 and the dashboard's name", async () => {
    const manager = model.vms.find((vm) => vm.role.name === MANAGER_ROLE);
    assert.ok(manager, "the home lab plans a manager VM");
    assert.ok(outputs.wazuhManagerAddress && outputs.wazuhManagerApiUrl, "no manager outputs");
    assert.equal(await valueOf(outputs.wazuhManagerAddress), manager.ip);
    // wazuh/wazuh@v4.14.6:api/api/configuration.py, the API's default port.
    assert.equal(await valueOf(outputs.wazuhManagerApiUrl), `https://${manager.fqdn}:55000`);
    assert.equal(outputs.wazuhDashboardUrl, `https://wazuh.${model.config.lab.domain}`);
    for (const key of ["wazuhManagerAddress", "wazuhManagerApiUrl"] as const) {
      const output = outputs[key];
      assert.ok(output && !(await pulumi.isSecret(output)), `${key} is secret: it holds no credential`);
    }
  });

  it("name the break-glass user in plain and keep its password secret", async () => {
    assert.equal(outputs.wazuhBreakGlassUser, "fortress-breakglass");
    const password = outputs.wazuhBreakGlassPassword;
    assert.ok(password && (await pulumi.isSecret(password)), "the break-glass password is not secret");
    assert.ok((await valueOf(password)).length > 0);
  });

  it("print a physical-device command in plain: the manager, the workstation group, where the password is, never the password", async () => {
    const output = outputs.wazuhPhysicalEnrollCommand;
    assert.ok(output, "no wazuhPhysicalEnrollCommand");
    assert.equal(await pulumi.isSecret(output), false, "the command is secret: admins could not print it");
    const command = await valueOf(output);
    const address = await valueOf(outputs.wazuhManagerAddress as pulumi.Output<string>);
    assert.match(
      command,
      new RegExp(`agent-auth -m ${address.replace(/\./g, "\\.")} -G fortress-workstation`),
    );
    assert.ok(command.includes(ENROLLMENT_PASSWORD_WHERE), "the command does not say where the password is");
    const secrets = [outputs.wazuhEnrollmentPassword, outputs.wazuhBreakGlassPassword];
    for (const secret of secrets)
      assert.ok(!command.includes(await valueOf(secret as pulumi.Output<string>)));
  });

  it("say which VM is in which group, every VM but the manager's", () => {
    const groups = outputs.wazuhAgentGroups;
    assert.ok(groups, "no wazuhAgentGroups");
    const expected = model.vms.filter((vm) => vm.role.name !== MANAGER_ROLE).map((vm) => vm.name);
    assert.deepEqual(Object.keys(groups).sort(), [...expected].sort());
    for (const vm of model.vms.filter((vm) => vm.role.name !== MANAGER_ROLE))
      assert.equal(groups[vm.name], `fortress-${vm.role.name}`, vm.name);
  });

  it("give the retention the indexer's ISM policy deletes at", async () => {
    const days = outputs.wazuhRetentionDays;
    assert.ok(typeof days === "number" && Number.isInteger(days) && days >= 1, `retention ${days}`);
    const run = await runProgram(readStackConfig(HOME));
    assert.ok(run.ok);
    const bodies = run.resources.find(
      (resource) =>
        resource.type === "kubernetes:core/v1:ConfigMap" && resource.name === "siem-indexer-policy-bodies",
    );
    const ism = JSON.parse(
      (bodies?.inputs as { data: Record<string, string> }).data["ism-policy.json"] ?? "{}",
    ) as {
      policy: { states: { transitions: { conditions: { min_index_age: string } }[] }[] };
    };
    assert.equal(ism.policy.states[0]?.transitions[0]?.conditions.min_index_age, `${days}d`);
  });

  it("leave no secret output's value in plan.json, dag.mmd, report.html or the printed plan", async () => {
    const out = mkdtempSync(join(tmpdir(), "fortress-siem-outputs-"));
    const outcome = await plan({ configFile: HOME, outDir: out, width: 100 });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    const files = ["plan.json", "dag.mmd", "report.html"].map((file) =>
      readFileSync(join(out, file), "utf8"),
    );
    const planJson = files[0] as string;
    // The planner's random passwords begin with `mock` (stacks/plan/mocks.ts mockPassword), the same in
    // both runs: so the values read here are the ones the written plan was made with.
    for (const key of ["wazuhBreakGlassPassword", "wazuhEnrollmentPassword"] as const) {
      const value = await valueOf(outputs[key] as pulumi.Output<string>);
      assert.match(value, /^mock/, `${key}: not the mocks' password, so this run's value proves nothing`);
      for (const [index, text] of [...files, outcome.text].entries())
        assert.ok(
          !text.includes(value),
          `${key}'s value is in ${["plan.json", "dag.mmd", "report.html", "the text"][index]}`,
        );
    }
    // What carries them is there, redacted: the agents' enrollment commands read it on stdin.
    const document = JSON.parse(planJson) as { resources: { name: string; inputs: { stdin?: unknown } }[] };
    const enrollments = document.resources.filter((resource) => resource.name.endsWith("-wazuh-agent"));
    assert.ok(enrollments.length > 5, "plan.json has too few enrollment commands");
    for (const resource of enrollments) assert.equal(resource.inputs.stdin, "[secret]", resource.name);
  });
});

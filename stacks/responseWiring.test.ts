/**
 * The response layer as the home lab wires it (issue 14): the containment's allow-list and targets from
 * the plan, the manager's blocks, and what Cortex's responder and the manager's step are given.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { containmentPlan } from "./containment";
import { responderContainConfig } from "./layers/response";
import type { LabModel } from "./lab";
import { managerResponse } from "./managerResponse";
import type { CapturedResource } from "./plan/capture";
import { runProgram } from "./plan/run";
import { readStackConfig } from "./plan/stackConfig";

const HOME = join(__dirname, "..", "Pulumi.home.yaml");

describe("the response layer's wiring in the home lab (issue 14)", () => {
  let model: LabModel;
  let resources: readonly CapturedResource[];
  before(async () => {
    const run = await runProgram(readStackConfig(HOME));
    if (!run.ok) throw new Error("the home lab does not plan");
    model = run.model;
    resources = run.resources;
  });
  const named = (name: string) => resources.find((resource) => resource.name === name);

  it("never contains the management network, the firewall, nodes, servers, the manager, the indexer or Cortex's nodes", () => {
    const plan = containmentPlan(model);
    const cidrs = plan.allow.map((entry) => entry.cidr);
    assert.ok(cidrs.includes("10.10.10.0/24"));
    const kept = ["k3s-server", "wazuh-manager", "k3s-indexer", "k3s-agent"];
    for (const vm of model.vms.filter((planned) => kept.includes(planned.role.name)))
      assert.ok(cidrs.includes(`${vm.ip}/32`), vm.name);
    const workstation = model.vms.find((vm) => vm.role.name === "workstation");
    assert.ok(workstation && !cidrs.includes(`${workstation.ip}/32`), "the workstation can be contained");
    assert.equal(plan.rescanTargets["10.10.40.0/24"], "users");
    assert.equal(plan.releaseAfter, 24 * 3600);
    assert.deepEqual(plan.servers, ["10.10.20.0/24"]);
  });

  it("gives the manager the TheHive integration and the stateless containment response", () => {
    const blocks = managerResponse(model);
    assert.ok(blocks);
    for (const block of blocks.integrations)
      assert.equal(block.hookUrl, "https://thehive.home.arpa/api/v1/alert");
    const contain = blocks.commands.find((command) => command.name === "fortress-contain-ar");
    assert.equal(contain?.timeoutAllowed, false);
    assert.ok(blocks.activeResponses.some((response) => response.command === "fortress-contain-ar"));
  });

  it("builds the manager's step with logging none, the rescan access, and Cortex's responder config secret", () => {
    assert.equal((named("response-containment")?.inputs as { logging?: string }).logging, "none");
    assert.ok(named("response-rescan-access"), "no rescan access on the Greenbone VM");
    const contain = named("response-cortex-contain")?.inputs as { stringData?: unknown };
    assert.equal(contain.stringData, "[secret]", "the responder's configuration is not secret in the plan");
  });

  it("keeps the responder's records on Cortex's job claim, holds until released, logs to the manager", () => {
    const plan = containmentPlan(model);
    const common = { url: "https://10.10.10.1", key: "k", secret: "s", ...plan };
    const config = JSON.parse(responderContainConfig(common, false, "10.10.20.64")) as Record<string, any>;
    assert.equal(config.state_dir, "/tmp/cortex-jobs/fortress-contain");
    assert.deepEqual(config.syslog, { host: "10.10.20.64", port: 514 });
    assert.equal(config.active_response.release_after, 0);
  });
});

/**
 * The home lab's RAM, node by node (issue 12: "keep every node at >= 10 % RAM headroom in the home
 * plan"), and where the SIEM and endpoint VMs land: the manager on a VM of its own, the workstation on
 * the users network, the indexer on the laptop, Zeek on an M710q.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { EXIT, plan } from "../stacks/plan/cli";
import type { PlanDocument } from "../stacks/plan/document";
import { homeValue } from "./support/homeConfig";

const root = join(__dirname, "..");
/** The least share of a node's allocatable RAM (after the Proxmox reserve) the home plan leaves free. */
const MIN_HEADROOM = 0.1;

let document: PlanDocument;

describe("the home lab plan's RAM per node", () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "fortress-home-headroom-"));
    const outcome = await plan({ configFile: join(root, "Pulumi.home.yaml"), outDir: out, width: 100 });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    document = JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as PlanDocument;
  });

  it("leaves every node at least 10 % of its allocatable RAM", () => {
    const nodes = homeValue("nodes") as { name: string }[];
    assert.deepEqual(
      document.placement.map((node) => node.node).sort(),
      nodes.map((node) => node.name).sort(),
      "every declared node is in the placement",
    );
    const over = document.placement
      .filter((node) => node.used.memoryGb > node.capacity.memoryGb * (1 - MIN_HEADROOM) + 1e-9)
      .map((node) => `${node.node}: ${node.used.memoryGb}/${node.capacity.memoryGb} GB`);
    assert.deepEqual(over, [], "nodes under 10 % RAM headroom");
    assert.ok(
      document.placement.every((node) => node.vms.length > 0),
      "every node carries VMs (the check is not passed by an empty lab)",
    );
  });

  it("places the manager and the workstation on VMs of their own, Zeek off the laptop, the indexer on it", () => {
    const nodeOf = (vm: string) =>
      document.placement.find((node) => node.vms.some((row) => row.name === vm))?.node;
    assert.match(nodeOf("wazuh-manager-1") ?? "", /^pve\d$/);
    assert.match(nodeOf("zeek-1") ?? "", /^pve\d$/);
    assert.ok(nodeOf("workstation-1"), "the workstation is placed");
    assert.equal(nodeOf("k3s-indexer-1"), "predator");
    assert.equal(nodeOf("k3s-gpu-1"), "predator");
  });
});

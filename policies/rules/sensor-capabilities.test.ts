import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { sensorCapabilities } from "./sensor-capabilities";
import { attach, captureNic, guest, hookFile, hypervisor } from "./sensor-capabilities.fixtures";

const zeek = guest("zeek-1", "pve1", ["sensor", "zeek"], [{ vlanId: 30, firewall: true }, captureNic]);
const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([sensorCapabilities], [hypervisor, ...resources])).map(
    (violation) => violation.message,
  );

describe("sensor-capabilities", () => {
  it("names the guest and the NIC that is on the capture VLAN without being a sensor", async () => {
    const web = guest("web-1", "pve1", ["web"], [captureNic]);
    const violations = await evaluatePolicies([sensorCapabilities], [hypervisor, zeek, web]);
    assert.equal(violations.length, 1);
    assert.equal(violations[0]?.urn, web.urn);
    assert.match(violations[0]?.message ?? "", /^VM web-1 net0 is on the capture VLAN 4093/);
  });

  it("accepts the capture hook only on a node that runs a sensor", async () => {
    assert.deepEqual(await messages(zeek, hookFile("pve1"), attach("pve1")), []);
    assert.match(
      (await messages(zeek, hookFile("pve2"))).join("\n"),
      /uploaded to pve2, where no sensor runs/,
    );
    assert.match((await messages(hookFile("pve1"))).join("\n"), /uploaded to pve1, where no sensor runs/);
  });

  it("accepts no other hookscript: on a guest, in a command or as an executable snippet", async () => {
    const other = guest("web-1", "pve1", ["web"], [], { hookScriptFileId: "local:snippets/other.sh" });
    assert.match(
      (await messages(zeek, other)).join("\n"),
      /runs hookscript local:snippets\/other\.sh as root/,
    );
    assert.match(
      (await messages(zeek, attach("pve1", "local:snippets/x.sh"))).join("\n"),
      /sets hookscript local:snippets\/x\.sh/,
    );
    assert.match(
      (await messages(zeek, hookFile("pve1", "x.sh"))).join("\n"),
      /snippet x\.sh on pve1 is executable/,
    );
    const elsewhere = guest("db-1", "pve2", ["db"], [], {
      hookScriptFileId: "local:snippets/fortress-capture-hook.sh",
    });
    assert.match(
      (await messages(zeek, elsewhere)).join("\n"),
      /carries the capture hook on pve2, where no sensor runs/,
    );
  });

  it("takes the sensor tags from the pack config", async () => {
    const probe = guest("probe-1", "pve1", ["probe"], [captureNic]);
    assert.equal((await messages(probe)).length, 1);
    const violations = await evaluatePolicies([sensorCapabilities], [hypervisor, probe], {
      "sensor-capabilities": { captureTags: ["probe"] },
    });
    assert.deepEqual(violations, []);
  });
});

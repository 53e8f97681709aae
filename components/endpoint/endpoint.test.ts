import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { evaluatePolicies } from "../../policies/lib/offline";
import { everyVmHasAnAgent } from "../../policies/rules/every-vm-has-an-agent";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { TEST_SSH_KEY, testHostKey } from "../../test/support/fixtures";
import { opnsenseType, wazuhType } from "../../vocabulary/typeTokens";
import { profileFor } from "./agentConf";
import { Endpoint } from "./endpoint";

const PASSWORD = "enrollment-password-under-test";
const API_PASSWORD = "api-password-under-test";

/** Stands for the siem layer's manager VM being ready, and for the network layer's preflight. */
class Ready extends pulumi.CustomResource {
  constructor(name: string) {
    super("fortress:test:Ready", name, {});
  }
}

/** Stands for a hypervisor VM: the guest type the pack judges, with its id as an output. */
class Vm extends pulumi.CustomResource {
  declare readonly vmId: pulumi.Output<number>;
  constructor(name: string, vmId: number) {
    super(SDK_TYPES.proxmoxVm, name, { name, nodeName: "pve1", tags: ["fortress"], vmId });
  }
}

let resources: CapturedResource[] = [];
let endpoint: Endpoint;
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
const promiseOf = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });

describe("Endpoint", () => {
  before(async () => {
    resources = await captureUnderMocks("endpoint");
    const ready = new Ready("manager-ready");
    const preflight = new Ready("opnsense-preflight");
    const vms = {
      "k3s-agent-1": new Vm("k3s-agent-1", 101),
      "k3s-agent-2": new Vm("k3s-agent-2", 102),
      "workstation-1": new Vm("workstation-1", 103),
    };
    const host = (name: string, address: string) => ({
      name,
      address,
      fqdn: `${name}.home.arpa`,
      hostKey: testHostKey(name),
      user: "fortress",
      privateKey: TEST_SSH_KEY,
    });
    endpoint = new Endpoint("endpoint", {
      manager: {
        address: pulumi.output("10.20.0.5"),
        fqdn: "wazuh-manager.home.arpa",
        apiUrl: pulumi.output("https://10.20.0.5:55000"),
        apiUsername: "fortress-groups",
        apiPassword: pulumi.output(API_PASSWORD),
        apiCaCertificatePem: pulumi.output("-----BEGIN CERTIFICATE-----"),
        enrollmentPassword: pulumi.output(PASSWORD),
        ready: [ready],
      },
      vms: [
        {
          host: host("k3s-agent-1", "10.20.0.21"),
          profile: profileFor("k3s-agent", "fortress-k3s-agent"),
          vmId: vms["k3s-agent-1"].vmId,
        },
        {
          host: host("k3s-agent-2", "10.20.0.22"),
          profile: profileFor("k3s-agent", "fortress-k3s-agent"),
          vmId: vms["k3s-agent-2"].vmId,
        },
        {
          host: host("workstation-1", "10.40.0.10"),
          profile: profileFor("workstation", "fortress-workstation"),
          vmId: vms["workstation-1"].vmId,
        },
      ],
      physical: profileFor("workstation", "fortress-workstation"),
      passwordWhere: "pulumi stack output wazuhEnrollmentPassword --show-secrets",
      firewall: { ref: { url: "https://fw.home.arpa", insecure: false }, ready: preflight },
    });
    await new Promise<void>((resolve) =>
      pulumi
        .all(Object.values(endpoint.enrollments).map((enrollment) => enrollment.urn))
        .apply(() => resolve()),
    );
    await pulumi.runtime.disconnect();
  });

  it("makes one group per role, after the manager is ready", () => {
    const groups = resources.filter((resource) => resource.type === wazuhType("agentGroup"));
    assert.deepEqual(groups.map((group) => group.inputs.name).sort(), [
      "fortress-k3s-agent",
      "fortress-workstation",
    ]);
    for (const group of groups)
      assert.ok(group.dependencies.includes(named("manager-ready").urn), group.name);
  });

  it("enrolls every VM over SSH pinned to its host key, after its group exists, the password on stdin only", () => {
    const enroll = named("workstation-1-wazuh-agent");
    assert.ok(enroll.dependencies.includes(named("endpoint-group-fortress-workstation").urn));
    assert.ok(enroll.dependencies.includes(named("manager-ready").urn));
    const text = JSON.stringify(enroll.inputs);
    assert.match(text, /WAZUH_AGENT_GROUP=fortress-workstation/);
    assert.match(text, /agent-auth -m 10\.20\.0\.5 -G fortress-workstation -A workstation-1/);
    assert.equal(enroll.inputs.logging, "none");
    assert.deepEqual(
      named("endpoint").inputs.membership,
      endpoint.membership,
      "the plan records the membership",
    );
    assert.deepEqual(endpoint.membership, {
      "k3s-agent-1": "fortress-k3s-agent",
      "k3s-agent-2": "fortress-k3s-agent",
      "workstation-1": "fortress-workstation",
    });
  });

  it("sends the firewall's logs to the manager's address on UDP 514, after the preflight and the manager", () => {
    const syslog = named("endpoint-opnsense-syslog");
    assert.equal(syslog.type, opnsenseType("syslogDestination"));
    const fields = syslog.inputs.fields as Record<string, string>;
    assert.equal(fields.hostname, "10.20.0.5");
    assert.equal(fields.transport, "udp4");
    assert.equal(fields.port, "514");
    assert.ok(syslog.dependencies.includes(named("opnsense-preflight").urn));
    assert.ok(syslog.dependencies.includes(named("manager-ready").urn));
  });

  it("passes the pack's every-vm-has-an-agent, which fails once a VM's enrollment is taken out", async () => {
    assert.deepEqual(await evaluatePolicies([everyVmHasAnAgent], resources), []);
    const without = resources.filter((resource) => resource.name !== "k3s-agent-2-wazuh-agent");
    const violations = await evaluatePolicies([everyVmHasAnAgent], without);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [named("k3s-agent-2").urn],
    );
  });

  it("no secret is in the clear: not the enrollment password, not the API's", () => {
    const text = JSON.stringify(resources.map((resource) => resource.inputs));
    assert.doesNotMatch(text, new RegExp(PASSWORD));
    assert.doesNotMatch(text, new RegExp(API_PASSWORD));
  });

  it("prints the command for a physical device: the manager, the group, where the password is, never the password", async () => {
    const printed = await promiseOf(endpoint.physicalEnrollCommand);
    assert.match(printed, /WAZUH_MANAGER=10\.20\.0\.5 WAZUH_AGENT_GROUP=fortress-workstation/);
    assert.match(printed, /pulumi stack output wazuhEnrollmentPassword --show-secrets/);
    assert.doesNotMatch(printed, new RegExp(PASSWORD));
  });
});

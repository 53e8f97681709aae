import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Hypervisor } from "../../components/hypervisor";
import type { Network } from "../../components/network/network";
import type { Platform } from "../../components/platform/platform";
import { evaluatePolicies } from "../../policies/lib/offline";
import { everyVmHasAnAgent } from "../../policies/rules/every-vm-has-an-agent";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { testHostKey, TEST_SSH_KEY } from "../../test/support/fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { opnsenseType } from "../../vocabulary/typeTokens";
import { validateConfig } from "../config/load";
import type { LabModel } from "../lab";
import type { CapturedResource } from "../plan/capture";
import { readStackConfig, stackConfigSource } from "../plan/stackConfig";
import { buildEndpoint } from "./endpoint";
import { enrollmentPlan, MANAGER_ROLE } from "../enrollment";
import type { LayerInputs } from "./types";

/** Stands for a hypervisor VM: the guest type the pack judges, its id an output. */
class Vm extends pulumi.CustomResource {
  declare readonly vmId: pulumi.Output<number>;
  constructor(name: string, vmId: number, tags: readonly string[]) {
    super(SDK_TYPES.proxmoxVm, name, { name, nodeName: "pve1", tags, vmId });
  }
}

class Ready extends pulumi.CustomResource {
  constructor(name: string) {
    super("fortress:test:Ready", name, {});
  }
}

function homeLab(): LabModel {
  const { model } = validateConfig(
    stackConfigSource(readStackConfig(join(__dirname, "..", "..", "Pulumi.home.yaml"))),
  );
  assert.ok(model, "the home config is valid");
  return model;
}

describe("buildEndpoint over the home lab", () => {
  let resources: CapturedResource[] = [];
  let lab: LabModel;
  before(async () => {
    resources = await captureUnderMocks("endpoint-layer");
    lab = homeLab();
    const vms = Object.fromEntries(
      lab.vms.map((vm, index) => {
        const machine = new Vm(vm.name, 100 + index, ["fortress", ...vm.role.tags]);
        return [
          vm.name,
          {
            vmId: machine.vmId,
            node: vm.node.proxmoxNode,
            address: vm.ip,
            fqdn: vm.fqdn,
            hostKey: pulumi.output(testHostKey(vm.name)),
          },
        ];
      }),
    );
    const inputs = {
      lab,
      secrets: { proxmoxApiToken: pulumi.secret("token"), sshPrivateKey: pulumi.secret(TEST_SSH_KEY) },
      upstream: {
        hypervisor: { vms } as unknown as Hypervisor,
        network: { preflight: new Ready("network-preflight") } as unknown as Network,
        platform: {
          provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
          baseline: {
            namespaces: { "fortress-endpoint": {} },
            storageClasses: { default: "local-path" },
          },
        } as unknown as Platform,
      },
      shared: { proxmox: () => assert.fail("the endpoint layer needs no Proxmox provider") },
    } as unknown as LayerInputs<"hypervisor" | "network" | "platform">;
    const ready = new Ready("manager-ready");
    const endpoint = buildEndpoint(
      inputs,
      {
        address: pulumi.output("10.10.20.30"),
        fqdn: "wazuh-manager.home.arpa",
        apiUrl: pulumi.output("https://10.10.20.30:55000"),
        apiUsername: "fortress-groups",
        apiPassword: pulumi.secret("api-password"),
        apiCaCertificatePem: pulumi.output("-----BEGIN CERTIFICATE-----"),
        enrollmentPassword: pulumi.secret("enrollment-password"),
        ready: [ready],
      },
      {},
    );
    await new Promise<void>((resolve) =>
      pulumi.all(Object.values(endpoint.enrollments).map((command) => command.urn)).apply(() => resolve()),
    );
    await pulumi.runtime.disconnect();
  });

  it("enrolls every planned VM but the manager, each in its role's group, and the pack agrees", async () => {
    const planned = enrollmentPlan(lab.vms, lab.config.services);
    assert.equal(planned.length, lab.vms.filter((vm) => (vm.role.name as string) !== MANAGER_ROLE).length);
    for (const entry of planned)
      assert.ok(
        resources.some((resource) => resource.name === `${entry.vm}-wazuh-agent`),
        entry.vm,
      );
    assert.deepEqual(await evaluatePolicies([everyVmHasAnAgent], resources), []);
  });

  it("builds the lab's clamd in fortress-endpoint, and every enrollment installs clamdscan pointing at the first k3s server", () => {
    const clamav = resources.filter((resource) => resource.type === "fortress:endpoint:Clamav");
    assert.equal(clamav.length, 1);
    const service = resources.find(
      (resource) =>
        resource.type === "kubernetes:core/v1:Service" && resource.name === "endpoint-clamav-clamd-service",
    );
    assert.ok(service);
    assert.equal((service.inputs.metadata as { namespace: string }).namespace, "fortress-endpoint");
    const server = lab.vms
      .filter((vm) => vm.role.name === "k3s-server")
      .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }))[0];
    assert.ok(server);
    for (const entry of enrollmentPlan(lab.vms, lab.config.services)) {
      const enrollment = resources.find((resource) => resource.name === `${entry.vm}-wazuh-agent`);
      const script = String(enrollment?.inputs.create);
      assert.match(
        script,
        /apt-get install -y -q --no-install-recommends --allow-downgrades clamdscan=/,
        entry.vm,
      );
      const conf = /echo '([A-Za-z0-9+/=]+)' \| base64 -d > "\$work\/fortress-clamdscan\.conf"/.exec(script);
      assert.ok(conf, entry.vm);
      assert.match(
        Buffer.from(conf[1]!, "base64").toString("utf8"),
        new RegExp(`^TCPAddr ${server.ip.replace(/\./g, "\\.")}$`, "m"),
      );
    }
  });

  it("makes one group per role present, and sends the firewall's logs to the manager", () => {
    const groups = resources
      .filter((resource) => resource.name.startsWith("endpoint-group-"))
      .map((resource) => resource.inputs.name);
    const roles = new Set(enrollmentPlan(lab.vms, lab.config.services).map((entry) => entry.group));
    roles.add("fortress-workstation");
    assert.deepEqual([...groups].sort(), [...roles].sort());
    const syslog = resources.find((resource) => resource.type === opnsenseType("syslogDestination"));
    assert.ok(syslog);
    assert.equal((syslog.inputs.fields as Record<string, string>).hostname, "10.10.20.30");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { k8sNoExposedManagementUi, withinCidrs } from "./k8s-no-exposed-management-ui";
import { k8sService } from "./k8s-no-exposed-management-ui.fixtures";
import { addressRange } from "../../vocabulary/addresses";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([k8sNoExposedManagementUi], resources)).map((violation) => violation.message);
const MANAGEMENT = { annotations: { "fortress.io/zone": "management" } };

describe("k8s-no-exposed-management-ui", () => {
  it("documents the convention in its description", () => {
    for (const part of [
      "fortress.io/management-ui",
      "fortress.io/zone: management",
      "loadBalancerSourceRanges",
      "5601",
    ]) {
      assert.ok(k8sNoExposedManagementUi.description.includes(part), part);
    }
  });

  it("tells addresses and ranges inside the management CIDRs", () => {
    const management = [addressRange("10.10.10.0/24")!];
    assert.ok(withinCidrs("10.10.10.40", management));
    assert.ok(withinCidrs("10.10.10.128/25", management));
    assert.ok(!withinCidrs("10.10.0.0/16", management));
    assert.ok(!withinCidrs("0.0.0.0/0", management));
    assert.ok(!withinCidrs("fd00::/64", management));
  });

  it("tells IPv6 addresses and ranges inside an IPv6 management range", () => {
    const management = [addressRange("10.10.10.0/24")!, addressRange("fd00:10::/64")!];
    assert.ok(withinCidrs("fd00:10::40", management));
    assert.ok(withinCidrs("fd00:10::/80", management));
    assert.ok(!withinCidrs("fd00:10::/48", management));
    assert.ok(!withinCidrs("::/0", management));
    assert.ok(!withinCidrs("fd00:11::1", management));
  });

  it("rejects an exposed UI without the management zone, naming it and what to do", async () => {
    const grafana = k8sService("grafana", "fortress-observability", {
      type: "NodePort",
      ports: [{ name: "http", port: 80, targetPort: 3000, nodePort: 30300 }],
    });
    assert.deepEqual(await messages(grafana), [
      "Service grafana in namespace fortress-observability serves UI port 3000 and is NodePort, so it exposes a management UI on whatever network the nodes are on: make it ClusterIP and reach it through the ingress and SSO, or put it on the management network with the annotation fortress.io/zone: management and loadBalancerSourceRanges within 10.10.10.0/24",
    ]);
    const otherZone = k8sService(
      "kibana",
      "fortress-soc",
      { type: "LoadBalancer", ports: [{ port: 5601 }] },
      {
        annotations: { "fortress.io/zone": "servers" },
      },
    );
    assert.match((await messages(otherZone))[0] ?? "", /exposes a management UI on zone servers/);
  });

  it("leaves ClusterIP UIs and exposed non-UI services alone", async () => {
    assert.deepEqual(
      await messages(k8sService("keycloak", "fortress-identity", { ports: [{ port: 8080 }] })),
      [],
    );
    assert.deepEqual(
      await messages(
        k8sService("keycloak", "fortress-identity", { type: "ClusterIP", ports: [{ port: 443 }] }),
      ),
      [],
    );
    assert.deepEqual(
      await messages(
        k8sService("dns", "fortress-edge", { type: "LoadBalancer", ports: [{ port: 53, protocol: "UDP" }] }),
      ),
      [],
    );
  });

  it("checks loadBalancerIP, MetalLB addresses and source ranges of management-zone UIs", async () => {
    const exposed = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) =>
      k8sService(
        "wazuh-dashboard",
        "fortress-soc",
        { type: "LoadBalancer", ports: [{ port: 443 }], ...spec },
        {
          annotations: { ...MANAGEMENT.annotations, ...annotations },
        },
      );
    assert.deepEqual(await messages(exposed({})), []);
    assert.deepEqual(
      await messages(exposed({ loadBalancerIP: "10.10.10.41", loadBalancerSourceRanges: ["10.10.10.0/25"] })),
      [],
    );
    assert.deepEqual(
      await messages(exposed({ loadBalancerIP: "10.10.20.41", loadBalancerSourceRanges: ["0.0.0.0/0"] })),
      [
        "Service wazuh-dashboard in namespace fortress-soc serves UI port 443 and is LoadBalancer in the management zone, but its spec.loadBalancerIP 10.10.20.41 lies outside the management network (10.10.10.0/24): use an address or source range inside it",
        "Service wazuh-dashboard in namespace fortress-soc serves UI port 443 and is LoadBalancer in the management zone, but its spec.loadBalancerSourceRanges 0.0.0.0/0 lies outside the management network (10.10.10.0/24): use an address or source range inside it",
      ],
    );
    const [metallb] = await messages(
      exposed({}, { "metallb.io/loadBalancerIPs": "10.10.10.42, 10.10.30.42" }),
    );
    assert.match(metallb ?? "", /annotation metallb\.io\/loadBalancerIPs 10\.10\.30\.42 lies outside/);
  });

  it("takes uiPorts and managementCidrs from config", async () => {
    const opensearch = k8sService(
      "opensearch",
      "fortress-soc",
      {
        type: "LoadBalancer",
        loadBalancerSourceRanges: ["192.168.1.0/24"],
        ports: [{ port: 9200 }],
      },
      MANAGEMENT,
    );
    assert.deepEqual(await messages(opensearch), []);
    const config = {
      "k8s-no-exposed-management-ui": { uiPorts: [9200], managementCidrs: ["192.168.0.0/16"] },
    };
    assert.deepEqual(await evaluatePolicies([k8sNoExposedManagementUi], [opensearch], config), []);
    const narrow = {
      "k8s-no-exposed-management-ui": { uiPorts: [9200], managementCidrs: ["192.168.2.0/24"] },
    };
    assert.equal((await evaluatePolicies([k8sNoExposedManagementUi], [opensearch], narrow)).length, 1);
  });
});

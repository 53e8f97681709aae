import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { k8sExposure } from "./k8s-exposure";
import { indexerRoute, tlsIngress } from "./k8s-exposure.fixtures";
import { k8sService } from "./k8s-no-exposed-management-ui.fixtures";
import { K8S, RESTRICTED_POD_SECURITY, restrictedContainer, workload } from "./k8s-no-privileged.fixtures";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([k8sExposure], resources)).map((violation) => violation.message);

describe("k8s-exposure", () => {
  it("allows the agent ports on the nodes and names the port it refuses", async () => {
    assert.deepEqual(
      await messages(
        k8sService("wazuh", "fortress-siem", { type: "NodePort", ports: [{ port: 1514 }, { port: 1515 }] }),
      ),
      [],
    );
    const [message] = await messages(
      k8sService("db", "fortress-siem", { type: "LoadBalancer", ports: [{ port: 9200 }] }),
    );
    assert.match(
      message ?? "",
      /Service db in namespace fortress-siem exposes port 9200, which may be opened to single hosts only/,
    );
    const [postgres] = await messages(
      k8sService("db", "fortress-identity", { type: "LoadBalancer", ports: [{ port: 5432 }] }),
    );
    assert.match(postgres ?? "", /Service db in namespace fortress-identity is LoadBalancer on port 5432/);
  });

  it("judges an explicit nodePort, which every node opens, on agent ports too", async () => {
    const agent = (spec: Record<string, unknown>) =>
      messages(k8sService("wazuh", "fortress-siem", { ports: [{ port: 1514, nodePort: 30022 }], ...spec }));
    assert.match((await agent({ type: "NodePort" }))[0] ?? "", /is NodePort with nodePort 30022/);
    assert.match((await agent({ type: "LoadBalancer" }))[0] ?? "", /is LoadBalancer with nodePort 30022/);
    assert.deepEqual(await agent({ type: "LoadBalancer", allocateLoadBalancerNodePorts: false }), []);
    assert.deepEqual(await agent({ type: "ClusterIP" }), []);
  });

  it("takes the allow-list from the pack config, by service name", async () => {
    const service = k8sService("loki", "fortress-logs", { type: "LoadBalancer", ports: [{ port: 3100 }] });
    assert.equal((await messages(service)).length, 1);
    const config = { "k8s-exposure": { exposableServices: ["loki-push"] } };
    assert.deepEqual(await evaluatePolicies([k8sExposure], [service], config), []);
  });

  it("leaves management UIs to k8s-no-exposed-management-ui, so a UI is reported once", async () => {
    assert.deepEqual(
      await messages(
        k8sService("grafana", "fortress-monitoring", { type: "LoadBalancer", ports: [{ port: 3000 }] }),
      ),
      [],
    );
  });

  it("judges host ports and host-network listeners in every workload kind", async () => {
    for (const kind of [K8S.pod, K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.job, K8S.cronJob]) {
      const spec = {
        securityContext: RESTRICTED_POD_SECURITY,
        containers: [
          restrictedContainer("web", "nginx:1.29.0", { ports: [{ containerPort: 80, hostPort: 80 }] }),
        ],
      };
      assert.equal((await messages(workload(kind, "web", "fortress-soc", spec))).length, 1, kind);
    }
  });

  it("lets a management-zone Ingress reach a management-only service, and no other", async () => {
    assert.deepEqual(
      await messages(tlsIngress("indexer", 9200, { annotations: { "fortress.io/zone": "management" } })),
      [],
    );
    assert.match((await messages(tlsIngress("indexer", 9200)))[0] ?? "", /management-only/);
  });

  it("lets OpenSearch out to single hosts only, on a LoadBalancer without node ports", async () => {
    assert.deepEqual(await messages(indexerRoute()), []);
    assert.deepEqual(await messages(indexerRoute({ loadBalancerSourceRanges: ["fd00:10::30/128"] })), []);
    const refused = async (spec: Record<string, unknown>, why: RegExp, metadata = {}) => {
      const found = await messages(indexerRoute(spec, metadata));
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.match(found[0] ?? "", /exposes port 9200, which may be opened to single hosts only/);
      assert.match(found[0] ?? "", why);
    };
    await refused({ loadBalancerSourceRanges: undefined }, /no loadBalancerSourceRanges/);
    await refused({ loadBalancerSourceRanges: [] }, /no loadBalancerSourceRanges/);
    await refused({ loadBalancerSourceRanges: ["10.10.20.0/24"] }, /10\.10\.20\.0\/24 is a network/);
    await refused(
      { loadBalancerSourceRanges: ["10.10.20.30/32", "0.0.0.0/0"] },
      /0\.0\.0\.0\/0 is a network/,
    );
    await refused({ loadBalancerSourceRanges: ["manager.lab"] }, /not an address/);
    await refused({ allocateLoadBalancerNodePorts: true }, /allocates a nodePort on every node/);
    await refused(
      { type: "NodePort" },
      /only a LoadBalancer without externalIPs may expose it, not NodePort/,
    );
    await refused({ externalIPs: ["10.10.20.21"] }, /not externalIPs|without externalIPs/);
    // The annotation counts when the spec has no ranges, as the service controllers read it.
    await refused({ loadBalancerSourceRanges: [] }, /0\.0\.0\.0\/0 is a network/, {
      annotations: { "service.beta.kubernetes.io/load-balancer-source-ranges": "0.0.0.0/0" },
    });
    assert.deepEqual(
      await messages(
        indexerRoute(
          { loadBalancerSourceRanges: [] },
          { annotations: { "service.beta.kubernetes.io/load-balancer-source-ranges": "10.10.20.30/32" } },
        ),
      ),
      [],
    );
    // A port forwarded to 9200 from an agent port is no way around it.
    await refused(
      { ports: [{ port: 9200, targetPort: 9200 }], loadBalancerSourceRanges: ["10.0.0.0/8"] },
      /is a network/,
    );
    assert.equal(
      (await messages(indexerRoute({ ports: [{ port: 1514, targetPort: 9200 }] }))).length,
      1,
      "an agent port forwarded to 9200 is judged by the agent rule",
    );
  });

  it("holds single-host services to the configured hosts, and can drop OpenSearch from the list", async () => {
    const only = (config: Record<string, unknown>) =>
      evaluatePolicies([k8sExposure], [indexerRoute()], { "k8s-exposure": config });
    assert.deepEqual(await only({ singleHostSources: ["10.10.20.30"] }), []);
    assert.deepEqual(await only({ singleHostSources: ["10.10.20.0/24"] }), []);
    const [other] = await only({ singleHostSources: ["10.10.20.31"] });
    assert.match(other?.message ?? "", /none of the hosts it may be opened to/);
    const [none] = await only({ singleHostServices: [] });
    assert.match(none?.message ?? "", /LoadBalancer on port 9200, which is no agent port/);
  });

  it("still refuses a host port on 9200: single hosts are a LoadBalancer's to hold", async () => {
    const spec = {
      securityContext: RESTRICTED_POD_SECURITY,
      containers: [
        restrictedContainer("indexer", "wazuh/wazuh-indexer:4.14.6", {
          ports: [{ containerPort: 9200, hostPort: 9200 }],
        }),
      ],
    };
    assert.equal((await messages(workload(K8S.statefulSet, "indexer", "fortress-siem", spec))).length, 1);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { k8sExposure } from "./k8s-exposure";
import { tlsIngress } from "./k8s-exposure.fixtures";
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
    assert.match(message ?? "", /Service db in namespace fortress-siem is LoadBalancer on port 9200/);
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
});

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { k8sExposure } from "../../../policies/rules/k8s-exposure";
import { k8sNoExposedManagementUi } from "../../../policies/rules/k8s-no-exposed-management-ui";
import { k8sNoPrivileged } from "../../../policies/rules/k8s-no-privileged";
import { k8sRunAsNonRootWithLimits } from "../../../policies/rules/k8s-run-as-non-root-with-limits";
import { pinnedVersions } from "../../../policies/rules/pinned-versions";
import { secretsFromRandomOrConfig } from "../../../policies/rules/secrets-from-random-or-config";
import type { CapturedResource } from "../../../stacks/plan/capture";
import { captureUnderMocks } from "../../../test/support/mockRuntime";
import { Clamav, CLAMD_SERVICE, mirrorPort, SERVICELB } from "./clamav";
import { HASH_DATABASE_FILE, renderHashDatabase } from "./indicators";
import { CLAMAV_IMAGE, CLAMAV_RESOURCES, CLAMAV_UID, CLAMD_PORT } from "./pins";

type Props = Record<string, any>;

const AGENT_NETWORKS = ["10.0.20.0/24", "10.0.30.0/24", "10.0.40.0/24"];

describe("Clamav", () => {
  let resources: CapturedResource[] = [];
  let mirrored: CapturedResource[] = [];
  let existing: CapturedResource[] = [];
  const props = (name: string, from = resources): Props => {
    const resource = from.find((candidate) => candidate.name === name);
    assert.ok(resource, `no ${name}: ${from.map((r) => r.name).join(", ")}`);
    return resource.inputs as Props;
  };

  before(async () => {
    resources = await captureUnderMocks();
    new Clamav("clamav", {
      namespace: "fortress-endpoint",
      storageClass: "local-path",
      agentNetworks: AGENT_NETWORKS,
      serviceAddress: "10.10.20.11",
    });
    await pulumi.runtime.disconnect();
    mirrored = await captureUnderMocks();
    new Clamav("clamav", {
      namespace: "fortress-endpoint",
      storageClass: "local-path",
      agentNetworks: AGENT_NETWORKS,
      serviceAddress: "10.10.20.11",
      mirror: "http://clamav-mirror.home.arpa:8080/clamav",
    });
    await pulumi.runtime.disconnect();
    existing = await captureUnderMocks();
    new Clamav("clamav", {
      namespace: "fortress-endpoint",
      storageClass: "local-path",
      agentNetworks: AGENT_NETWORKS,
      serviceAddress: "10.10.20.61",
      loadBalancer: true,
    });
    await pulumi.runtime.disconnect();
  });

  it("is one fortress:endpoint:Clamav component, parent of everything it makes", () => {
    const roots = resources.filter((resource) => resource.type === "fortress:endpoint:Clamav");
    assert.equal(roots.length, 1);
    for (const resource of resources) {
      if (resource === roots[0]) continue;
      assert.equal(resource.parent, roots[0]!.urn, resource.name);
    }
    assert.deepEqual(resources.map((resource) => resource.type).sort(), [
      "fortress:endpoint:Clamav",
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:Service",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ]);
  });

  it("runs clamd and freshclam as the image's clamav user, read-only root, with the sized limits", () => {
    const spec = props("clamav-clamav").spec;
    assert.equal(spec.replicas, 1);
    const pod = spec.template.spec;
    assert.equal(pod.securityContext.runAsUser, CLAMAV_UID);
    assert.equal(pod.automountServiceAccountToken, false);
    const [clamd, freshclam] = pod.containers;
    assert.deepEqual(clamd.command, ["clamd", "--config-file=/etc/fortress/clamav/clamd.conf"]);
    assert.equal(freshclam.command[0], "freshclam");
    for (const container of [clamd, freshclam]) {
      assert.equal(container.image, CLAMAV_IMAGE);
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext.runAsNonRoot, true);
    }
    assert.deepEqual(clamd.resources, CLAMAV_RESOURCES.clamd);
    // Below the 2.4 GB a concurrent reload would need, above the 1.2 GB resident set.
    assert.equal(clamd.resources.limits.memory, "1792Mi");
    assert.deepEqual(spec.volumeClaimTemplates[0].spec.resources.requests, { storage: "2Gi" });
  });

  it("mounts Fortress's signatures into the database directory both containers share", () => {
    const pod = props("clamav-clamav").spec.template.spec;
    for (const container of pod.containers) {
      const mount = container.volumeMounts.find((m: Props) => m.name === "signatures");
      assert.deepEqual(mount, {
        name: "signatures",
        mountPath: `/var/lib/clamav/${HASH_DATABASE_FILE}`,
        subPath: HASH_DATABASE_FILE,
        readOnly: true,
      });
      assert.ok(
        container.volumeMounts.some((m: Props) => m.name === "database" && m.mountPath === "/var/lib/clamav"),
      );
    }
    assert.deepEqual(props("clamav-signatures").data, { [HASH_DATABASE_FILE]: renderHashDatabase() });
    const config = props("clamav-config").data;
    assert.match(config["clamd.conf"], /^ConcurrentDatabaseReload no$/m);
    assert.match(config["freshclam.conf"], /^DatabaseMirror database\.clamav\.net$/m);
    assert.match(
      props("clamav-config", mirrored).data["freshclam.conf"],
      /^PrivateMirror http:\/\/clamav-mirror\.home\.arpa:8080\/clamav$/m,
    );
  });

  it("rolls the pod when a config or the signatures change", () => {
    const annotation = (from: CapturedResource[]) =>
      props("clamav-clamav", from).spec.template.metadata.annotations["fortress.io/config-sha256"];
    assert.match(annotation(resources), /^[0-9a-f]{64}$/);
    assert.notEqual(annotation(resources), annotation(mirrored));
  });

  it("exposes 3310 through ServiceLB to the agents' networks only, with no node port", () => {
    const spec = props("clamav-clamd-service").spec;
    assert.equal(props("clamav-clamd-service").metadata.name, CLAMD_SERVICE);
    assert.equal(spec.type, "LoadBalancer");
    assert.equal(spec.allocateLoadBalancerNodePorts, false);
    assert.deepEqual(spec.loadBalancerSourceRanges, AGENT_NETWORKS);
    assert.deepEqual(spec.ports, [{ name: "clamd", port: CLAMD_PORT, targetPort: "clamd", protocol: "TCP" }]);
  });

  it("admits only the agents' networks and this Service's ServiceLB pods on 3310, and lets freshclam reach only its mirror", () => {
    const ingress = props("clamav-clamd-from-servicelb").spec;
    assert.deepEqual(ingress.policyTypes, ["Ingress"]);
    assert.deepEqual(ingress.ingress, [
      {
        from: [
          ...AGENT_NETWORKS.map((cidr) => ({ ipBlock: { cidr } })),
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": SERVICELB.namespace } },
            podSelector: {
              matchLabels: {
                [SERVICELB.nameLabel]: CLAMD_SERVICE,
                [SERVICELB.namespaceLabel]: "fortress-endpoint",
              },
            },
          },
        ],
        ports: [{ protocol: "TCP", port: CLAMD_PORT }],
      },
    ]);
    const egress = props("clamav-freshclam-to-mirror").spec.egress;
    assert.deepEqual(egress, [
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }],
        ports: [{ protocol: "TCP", port: 443 }],
      },
    ]);
    assert.deepEqual(props("clamav-freshclam-to-mirror", mirrored).spec.egress[0].ports, [
      { protocol: "TCP", port: 8080 },
    ]);
    assert.equal(mirrorPort("https://mirror.example"), 443);
    assert.equal(mirrorPort("http://mirror.example/clamav"), 80);
    assert.equal(mirrorPort("mirror.example"), 80);
  });

  it("on an existing cluster asks its load balancer for the address, keeps the agents' addresses (Local) and admits only them", () => {
    const service = props("clamav-clamd-service", existing);
    assert.deepEqual(service.metadata.annotations, {
      "metallb.io/loadBalancerIPs": "10.10.20.61",
      "metallb.universe.tf/loadBalancerIPs": "10.10.20.61",
      "kube-vip.io/forcePerServiceElection": "true",
      "kube-vip.io/loadbalancerIPs": "10.10.20.61",
    });
    assert.equal(service.spec.loadBalancerIP, undefined);
    assert.equal(service.spec.externalTrafficPolicy, "Local");
    assert.equal(service.spec.allocateLoadBalancerNodePorts, false);
    assert.deepEqual(service.spec.loadBalancerSourceRanges, AGENT_NETWORKS);
    assert.deepEqual(props("clamav-clamd-from-servicelb", existing).spec.ingress, [
      {
        from: AGENT_NETWORKS.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: "TCP", port: CLAMD_PORT }],
      },
    ]);
    // With ServiceLB (k3s) the Service asks for nothing and keeps the Cluster policy.
    assert.equal(props("clamav-clamd-service").metadata.annotations, undefined);
    assert.equal(props("clamav-clamd-service").spec.externalTrafficPolicy, "Cluster");
  });

  it("passes the pack's workload, exposure, pinning and secret rules", async () => {
    const rules = [
      k8sRunAsNonRootWithLimits,
      k8sNoPrivileged,
      k8sExposure,
      k8sNoExposedManagementUi,
      pinnedVersions,
      secretsFromRandomOrConfig,
    ];
    assert.deepEqual(await evaluatePolicies(rules, resources), []);
    assert.deepEqual(await evaluatePolicies(rules, mirrored), []);
    assert.deepEqual(await evaluatePolicies(rules, existing), []);
  });

  it("would be refused by the exposure rule if clamd were not an agent port", async () => {
    const violations = await evaluatePolicies([k8sExposure], resources, {
      "k8s-exposure": { exposableServices: ["wazuh-agent", "syslog"] },
    } as never);
    assert.ok(
      violations.some((violation) => /port 3310/.test(violation.message)),
      JSON.stringify(violations),
    );
  });

  it("refuses to be built with no agent network (empty source ranges would mean everyone)", () => {
    assert.throws(
      () =>
        new Clamav("none", {
          namespace: "x",
          storageClass: "local-path",
          agentNetworks: [],
          serviceAddress: "10.10.20.11",
        }),
      /no agent networks/,
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { podSpecsOf } from "../lib/resources";
import { k8sNoPrivileged } from "./k8s-no-privileged";
import { k8sExposure } from "./k8s-exposure";
import {
  K8S,
  nodeExporterPodSpec,
  restrictedContainer,
  workload,
  zeekSensorPodSpec,
} from "./k8s-no-privileged.fixtures";
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([k8sNoPrivileged], resources)).map((violation) => violation.message);

describe("k8s-no-privileged", () => {
  it("finds the pod spec of every workload kind, and none elsewhere", () => {
    const podSpec = { containers: [{ name: "c", image: "busybox:1.37.0" }] };
    const paths: Record<string, string> = {
      [K8S.pod]: "spec",
      [K8S.deployment]: "spec.template.spec",
      [K8S.statefulSet]: "spec.template.spec",
      [K8S.daemonSet]: "spec.template.spec",
      [pulumiTypeOf(k8s.apps.v1.ReplicaSet)]: "spec.template.spec",
      [K8S.job]: "spec.template.spec",
      [K8S.cronJob]: "spec.jobTemplate.spec.template.spec",
    };
    for (const [type, path] of Object.entries(paths)) {
      const resource = workload(type, "w", "ns", podSpec);
      assert.deepEqual(podSpecsOf({ type, props: resource.inputs }), [{ path, spec: podSpec }], type);
    }
    const patch = {
      type: pulumiTypeOf(k8s.apps.v1.DeploymentPatch),
      props: { spec: { template: { spec: podSpec } } },
    };
    assert.deepEqual(podSpecsOf(patch), []);
    assert.equal(podSpecsOf(patch, { patches: true }).length, 1);
    assert.deepEqual(podSpecsOf({ type: K8S.service, props: { spec: { containers: [] } } }), []);
    assert.deepEqual(podSpecsOf({ type: K8S.deployment, props: { spec: {} } }), []);
  });

  it("names the object, its namespace and what to do, once per finding", async () => {
    const sensor = workload(K8S.daemonSet, "suricata", "fortress-soc", {
      ...zeekSensorPodSpec(),
      hostPID: true,
      hostIPC: true,
    });
    const found = await messages(sensor);
    assert.equal(found.length, 5);
    assert.equal(
      found[0],
      "DaemonSet suricata in namespace fortress-soc sets spec.template.spec.hostNetwork: true, so its pods share the node's network namespace: remove it, or move it into an allow-listed namespace (fortress-sensors) if it is a sensor that needs the host",
    );
    assert.match(found[1] ?? "", /hostPID: true, so its pods share the node's PID namespace/);
    assert.match(found[2] ?? "", /hostIPC: true/);
    assert.match(
      found[3] ?? "",
      /^DaemonSet suricata in namespace fortress-soc mounts hostPath \/var\/log\/zeek as volume logs/,
    );
    assert.match(found[4] ?? "", /container zeek adds capabilities NET_ADMIN, NET_RAW: drop them/);
    const violations = await evaluatePolicies([k8sNoPrivileged], [sensor]);
    assert.ok(violations.every((violation) => violation.urn === sensor.urn));
  });

  it("allows only NET_BIND_SERVICE, however it is spelled", async () => {
    const withCapabilities = (add: string[]) =>
      workload(K8S.pod, "web", "fortress-edge", {
        containers: [
          restrictedContainer("web", "caddy:2.10.0", { securityContext: { capabilities: { add } } }),
        ],
      });
    assert.deepEqual(
      await messages(withCapabilities(["NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE", "net_bind_service"])),
      [],
    );
    const [sysAdmin] = await messages(withCapabilities(["NET_BIND_SERVICE", "CAP_SYS_ADMIN"]));
    assert.match(
      sysAdmin ?? "",
      /^Pod web in namespace fortress-edge: container web adds capability SYS_ADMIN: drop it/,
    );
  });

  it("checks init and ephemeral containers too", async () => {
    const pod = workload(K8S.pod, "debug", "fortress-soc", {
      initContainers: [{ name: "sysctl", image: "busybox:1.37.0", securityContext: { privileged: true } }],
      ephemeralContainers: [
        { name: "shell", image: "busybox:1.37.0", securityContext: { privileged: true } },
      ],
      containers: [restrictedContainer("app", "busybox:1.37.0")],
    });
    const found = await messages(pod);
    assert.match(found[0] ?? "", /: initContainer sysctl is privileged/);
    assert.match(found[1] ?? "", /: ephemeralContainer shell is privileged/);
  });

  it("exempts the allow-listed namespaces only when the namespace is explicit and known", async () => {
    assert.deepEqual(
      await messages(workload(K8S.daemonSet, "zeek", "fortress-sensors", zeekSensorPodSpec())),
      [],
    );
    const [unset] = await messages(
      workload(K8S.daemonSet, "zeek", undefined, { hostNetwork: true, containers: [] }),
    );
    assert.match(
      unset ?? "",
      /^DaemonSet zeek in namespace default \(metadata\.namespace unset, so the provider's default\)/,
    );
    const [unknown] = await messages(
      workload(K8S.daemonSet, "zeek", "[unknown]", { hostNetwork: true, containers: [] }),
    );
    assert.match(unknown ?? "", /in namespace unknown \(metadata\.namespace is not known at plan time\)/);
    const configured = await evaluatePolicies(
      [k8sNoPrivileged],
      [workload(K8S.daemonSet, "zeek", "fortress-sensors", zeekSensorPodSpec())],
      { "k8s-no-privileged": { allowedNamespaces: ["ids"] } },
    );
    assert.equal(configured.length, 3);
    assert.match(configured[0]?.message ?? "", /allow-listed namespace \(ids\)/);
  });

  it("reads patches, and ignores objects without a pod spec", async () => {
    const patch = planResource(pulumiTypeOf(k8s.apps.v1.DaemonSetPatch), "kube-proxy", {
      metadata: { name: "kube-proxy", namespace: "kube-system" },
      spec: { template: { spec: { hostNetwork: true } } },
    });
    assert.match(
      (await messages(patch))[0] ?? "",
      /^DaemonSetPatch kube-proxy in namespace kube-system sets/,
    );
    const configMap = planResource(pulumiTypeOf(k8s.core.v1.ConfigMap), "cm", {
      data: { hostNetwork: "true" },
    });
    assert.deepEqual(await messages(configMap), []);
  });
});

describe("k8s-no-privileged and k8s-exposure on the node exporter", () => {
  it("let the node exporter's DaemonSet use the node as its chart renders it, and nothing more", async () => {
    const daemonSet = (change?: (spec: Record<string, any>) => void) =>
      workload(K8S.daemonSet, "node-exporter", "fortress-monitoring", nodeExporterPodSpec(change));
    const judged = async (resource: ReturnType<typeof workload>) =>
      (await evaluatePolicies([k8sNoPrivileged, k8sExposure], [resource])).map(
        (v) => `${v.policy}: ${v.message}`,
      );
    assert.deepEqual(await judged(daemonSet()), []);
    const etc = await judged(
      daemonSet((spec) => spec.volumes.push({ name: "etc", hostPath: { path: "/etc" } })),
    );
    assert.ok(
      etc.some((m) => m.includes("hostNetwork: true")) && etc.some((m) => m.includes("hostPath /etc")),
      etc.join("\n"),
    );
    const otherPort = await judged(
      daemonSet((spec) => spec.containers[0].ports.push({ name: "debug", containerPort: 6060 })),
    );
    assert.deepEqual(
      otherPort.filter((m) => m.startsWith("k8s-exposure")).length,
      1,
      "only the exporter's own 9100 is let through on the node's network",
    );
    const elsewhere = await judged(
      workload(K8S.daemonSet, "tool", "fortress-monitoring", {
        ...nodeExporterPodSpec(),
        containers: [
          {
            ...(nodeExporterPodSpec().containers as Record<string, unknown>[])[0],
            image: "quay.io/prometheus/blackbox-exporter:v0.27.0",
          },
        ],
      }),
    );
    assert.ok(
      elsewhere.some((m) => m.includes("hostPID: true")),
      "another image gets no exemption",
    );
  });
});

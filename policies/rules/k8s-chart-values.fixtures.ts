import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { K3S_HELM_CHART_TYPE } from "../lib/charts";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

type Inputs = Record<string, unknown>;

/** A helm.v3 Release, as Fortress registered its charts before pinnedChart: one resource, judged by its values. */
export const helmRelease = (name: string, namespace: string, values: Inputs, extra: Inputs = {}) =>
  planResource(SDK_TYPES.helmReleaseV3, name, {
    name,
    namespace,
    chart: name,
    version: "1.2.3",
    repositoryOpts: { repo: `https://charts.example.org/${name}` },
    createNamespace: false,
    atomic: true,
    values,
    ...extra,
  });

/** k3s's HelmChart custom resource (helm-controller). */
export const k3sHelmChart = (name: string, spec: Inputs) =>
  planResource(K3S_HELM_CHART_TYPE, name, {
    apiVersion: "helm.cattle.io/v1",
    kind: "HelmChart",
    metadata: { name, namespace: "kube-system" },
    spec: { targetNamespace: "fortress-monitoring", ...spec },
  });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "vaultwarden's restricted values, and a sensor chart on the host in fortress-sensors",
      resources: [
        helmRelease("vaultwarden", "fortress-identity", {
          podSecurityContext: { runAsNonRoot: true, runAsUser: 1000 },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          service: { type: "ClusterIP", port: 8080 },
        }),
        helmRelease("suricata", "fortress-sensors", {
          hostNetwork: true,
          securityContext: { privileged: true },
        }),
      ],
    },
  ],
  failing: [
    {
      name: "a privileged exporter DaemonSet asked for in values",
      resources: [
        helmRelease("node-exporter", "fortress-monitoring", { securityContext: { privileged: true } }),
      ],
    },
    {
      name: "a LoadBalancer in a k3s HelmChart's valuesContent",
      resources: [
        k3sHelmChart("grafana", {
          chart: "grafana",
          version: "9.3.1",
          repo: "https://grafana.github.io/helm-charts",
          valuesContent: "service:\n  type: LoadBalancer\n  port: 3000\n",
        }),
      ],
    },
  ],
};

/**
 * Class 6: what charts create (issue 11). In `pulumi preview` a helm.v4 Chart registers each rendered
 * object as its child (pulumi/pulumi-kubernetes provider/pkg/provider/helm/v4/chart.go: `pulumi.Parent(comp)`),
 * so the children here are what such a Chart would register (a helm.v3 Chart registers its objects as
 * children too); a helm.v3 Release or a k3s HelmChart registers only itself and is judged by its values.
 */
import { planResource } from "../lib/build";
import { K3S_HELM_CHART_CONFIG_TYPE } from "../lib/charts";
import { k3sHelmChart, helmRelease } from "../rules/k8s-chart-values.fixtures";
import {
  K8S,
  RESTRICTED_POD_SECURITY,
  restrictedContainer,
  workload,
} from "../rules/k8s-no-privileged.fixtures";
import { k8sService } from "../rules/k8s-no-exposed-management-ui.fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import type { PlanResource } from "../lib/types";
import type { CorpusClass } from "./k8s-secrets-types";

type Inputs = Record<string, unknown>;

/** A helm.v4 Chart and the objects it rendered, parented to it as the provider registers them. */
function v4Chart(
  name: string,
  namespace: string,
  children: (parent: PlanResource) => PlanResource[],
): PlanResource[] {
  const chart = planResource(SDK_TYPES.helmChartV4, name, {
    chart: `oci://registry.example.org/charts/${name}`,
    version: "2.1.0",
    namespace,
    values: {},
  });
  return [chart, ...children(chart)];
}
const child = (resource: PlanResource, parent: PlanResource): PlanResource => ({
  ...resource,
  parent: parent.urn,
  urn: resource.urn.replace("::fortress::", `::fortress::${parent.type}$`),
});
const pod = (containers: Inputs[], extra: Inputs = {}): Inputs => ({
  securityContext: RESTRICTED_POD_SECURITY,
  containers,
  ...extra,
});
const app = (overrides: Inputs = {}) => restrictedContainer("app", "ghcr.io/example/agent:3.0.1", overrides);

export const charts: CorpusClass = {
  title: "6. What charts create",
  policies: [
    "k8s-no-privileged",
    "k8s-run-as-non-root-with-limits",
    "k8s-exposure",
    "k8s-chart-values",
    "pinned-versions",
  ],
  violations: [
    {
      name: "v4 Chart rendering a privileged DaemonSet",
      resources: v4Chart("falco", "fortress-soc", (p) => [
        child(
          workload(
            K8S.daemonSet,
            "falco",
            "fortress-soc",
            pod([app({ securityContext: { privileged: true } })]),
          ),
          p,
        ),
      ]),
    },
    {
      name: "v4 Chart rendering a LoadBalancer for OpenSearch",
      resources: v4Chart("opensearch", "fortress-siem", (p) => [
        child(
          k8sService("opensearch", "fortress-siem", { type: "LoadBalancer", ports: [{ port: 9200 }] }),
          p,
        ),
      ]),
    },
    {
      name: "v4 Chart rendering a hook-free Job on the host network",
      resources: v4Chart("migrate", "fortress-soc", (p) => [
        child(workload(K8S.job, "migrate", "fortress-soc", pod([app()], { hostNetwork: true })), p),
      ]),
    },
    {
      name: "v4 Chart with harmless values but a rendered hostPath",
      resources: v4Chart("agent", "fortress-soc", (p) => [
        child(
          workload(
            K8S.daemonSet,
            "agent",
            "fortress-soc",
            pod([app()], { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] }),
          ),
          p,
        ),
      ]),
    },
    {
      name: "Release values asking for the host network",
      resources: [helmRelease("cilium-agent", "fortress-soc", { agent: { hostNetwork: true } })],
    },
    {
      name: "Release values with a NodePort on 80",
      resources: [
        helmRelease("ingress-nginx", "fortress-soc", {
          controller: { service: { type: "NodePort", ports: { http: 80 } } },
        }),
      ],
    },
    {
      name: "Release values running as root deep in a sub-chart",
      resources: [
        helmRelease("thehive", "fortress-response", { cassandra: { podSecurityContext: { runAsUser: 0 } } }),
      ],
    },
    {
      name: "Release values adding SYS_PTRACE",
      resources: [
        helmRelease("tracer", "fortress-soc", { securityContext: { capabilities: { add: ["SYS_PTRACE"] } } }),
      ],
    },
    {
      name: "Release values persisting on a hostPath",
      resources: [helmRelease("misp", "fortress-response", { persistence: { hostPath: "/srv/misp" } })],
    },
    {
      name: "Release values with externalIPs on 8080",
      resources: [
        helmRelease("cortex", "fortress-response", { service: { externalIPs: ["10.10.20.9"], port: 8080 } }),
      ],
    },
    {
      name: "Release values with runAsNonRoot: false",
      resources: [helmRelease("n8n", "fortress-response", { securityContext: { runAsNonRoot: false } })],
    },
    {
      name: "Release values with a latest image tag",
      resources: [
        helmRelease("grafana", "fortress-monitoring", {
          image: { repository: "grafana/grafana", tag: "latest" },
        }),
      ],
      variant: true,
    },
    {
      name: "k3s HelmChart valuesContent asking for privileged",
      resources: [
        k3sHelmChart("zeek", {
          chart: "zeek",
          version: "1.0.0",
          repo: "https://charts.example.org",
          valuesContent: "securityContext:\n  privileged: true\n",
        }),
      ],
    },
    {
      name: "k3s HelmChart valuesContent with a YAML 1.1 `hostNetwork: on`",
      resources: [
        k3sHelmChart("probe", {
          chart: "probe",
          version: "1.0.0",
          repo: "https://charts.example.org",
          valuesContent: "hostNetwork: on\n",
        }),
      ],
    },
    {
      name: "k3s HelmChart spec.set switching on hostPID",
      resources: [
        k3sHelmChart("debug", {
          chart: "debug",
          version: "1.0.0",
          repo: "https://charts.example.org",
          set: { "pod.hostPID": "true" },
        }),
      ],
    },
    {
      name: "k3s HelmChart spec.set switching on privileged with a capitalised True",
      resources: [
        k3sHelmChart("sniffer", {
          chart: "sniffer",
          version: "1.0.0",
          repo: "https://charts.example.org",
          set: { "securityContext.privileged": "True" },
        }),
      ],
    },
    {
      name: "k3s HelmChart valuesContent with a floating image tag",
      resources: [
        k3sHelmChart("loki", {
          chart: "loki",
          version: "6.30.1",
          repo: "https://grafana.github.io/helm-charts",
          valuesContent: "image:\n  repository: grafana/loki\n  tag: main\n",
        }),
      ],
    },
    {
      name: "k3s HelmChart pinned to a two-part version (Helm reads 1.2 as ~1.2)",
      resources: [
        k3sHelmChart("vector", {
          chart: "vector",
          version: "0.44",
          repo: "https://helm.vector.dev",
          valuesContent: "service:\n  type: ClusterIP\n",
        }),
      ],
    },
    {
      name: "k3s HelmChart valuesContent that is not YAML",
      resources: [
        k3sHelmChart("broken", {
          chart: "x",
          version: "1.0.0",
          repo: "https://charts.example.org",
          valuesContent: "a: [unclosed\n",
        }),
      ],
    },
    {
      name: "Release whose values come from valueYamlFiles (unreadable offline)",
      resources: [
        helmRelease("grafana", "fortress-monitoring", {}, { valueYamlFiles: [{ path: "./values.yaml" }] }),
      ],
    },
    {
      name: "k3s HelmChart whose values come from a Secret",
      resources: [
        k3sHelmChart("agent", {
          chart: "agent",
          version: "1.0.0",
          repo: "https://charts.example.org",
          valuesSecrets: [{ name: "agent-values", keys: ["values.yaml"] }],
        }),
      ],
    },
    {
      name: "Release values allowing privilege escalation",
      resources: [
        helmRelease("crowdsec", "fortress-soc", {
          agent: { containerSecurityContext: { allowPrivilegeEscalation: true } },
        }),
      ],
    },
    {
      name: "Release values with a floating global imageTag",
      resources: [helmRelease("misp", "fortress-response", { global: { imageTag: "latest" } })],
    },
    {
      name: "k3s HelmChartConfig putting Traefik on the host network",
      resources: [
        planResource(K3S_HELM_CHART_CONFIG_TYPE, "traefik", {
          apiVersion: "helm.cattle.io/v1",
          kind: "HelmChartConfig",
          metadata: { name: "traefik", namespace: "kube-system" },
          spec: {
            valuesContent: "hostNetwork: true\nports:\n  traefik:\n    expose:\n      default: true\n",
          },
        }),
      ],
    },
  ],
  twins: [
    {
      name: "k3s HelmChartConfig giving Traefik requests and limits",
      resources: [
        planResource(K3S_HELM_CHART_CONFIG_TYPE, "traefik", {
          metadata: { name: "traefik", namespace: "kube-system" },
          spec: { valuesContent: "resources:\n  requests:\n    cpu: 100m\n  limits:\n    memory: 256Mi\n" },
        }),
      ],
    },
    {
      name: "v4 Chart rendering a restricted Deployment behind a ClusterIP Service",
      resources: v4Chart("web", "fortress-soc", (p) => [
        child(workload(K8S.deployment, "web", "fortress-soc", pod([app()])), p),
        child(k8sService("web", "fortress-soc", { type: "ClusterIP", ports: [{ port: 8080 }] }), p),
      ]),
    },
    {
      name: "Release exposing the Wazuh agent ports as a LoadBalancer",
      resources: [
        helmRelease("wazuh", "fortress-siem", {
          manager: {
            service: {
              type: "LoadBalancer",
              ports: [
                { name: "agents", port: 1514 },
                { name: "enroll", port: 1515 },
              ],
            },
          },
        }),
      ],
    },
    {
      name: "k3s HelmChart pinned, with restricted valuesContent",
      resources: [
        k3sHelmChart("loki", {
          chart: "loki",
          version: "6.30.1",
          repo: "https://grafana.github.io/helm-charts",
          valuesContent:
            "securityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\nservice:\n  type: ClusterIP\n",
        }),
      ],
    },
    {
      name: "sensor chart on the host in fortress-sensors",
      resources: [
        helmRelease("suricata", "fortress-sensors", {
          hostNetwork: true,
          securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
        }),
      ],
    },
  ],
};

/** Class 5: Kubernetes workloads of every kind and every route in (issue 11), written against what the objects do. */
import { planResource } from "../lib/build";
import { K3S_HELM_CHART_TYPE } from "../lib/charts";
import { k8sService } from "../rules/k8s-no-exposed-management-ui.fixtures";
import { indexerRoute, ingress, INGRESS, tlsIngress } from "../rules/k8s-exposure.fixtures";
import { k3sHelmChart, helmRelease } from "../rules/k8s-chart-values.fixtures";
import {
  defaultDeny,
  K8S,
  k8sNamespace,
  RESTRICTED_POD_SECURITY,
  restrictedContainer,
  workload,
} from "../rules/k8s-no-privileged.fixtures";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";
import * as k8s from "@pulumi/kubernetes";
import type { CorpusClass } from "./k8s-secrets-types";
import * as yaml from "js-yaml";

type Inputs = Record<string, unknown>;
const REPLICA_SET = pulumiTypeOf(k8s.apps.v1.ReplicaSet);
const INGRESS_V1BETA1 = pulumiTypeOf(k8s.extensions.v1beta1.Ingress);
const TRAEFIK = (kind: string) =>
  INGRESS.replace("networking.k8s.io/v1:Ingress", `traefik.io/v1alpha1:${kind}`);

const pod = (containers: Inputs[], extra: Inputs = {}): Inputs => ({
  securityContext: RESTRICTED_POD_SECURITY,
  containers,
  ...extra,
});
const app = (overrides: Inputs = {}) => restrictedContainer("app", "ghcr.io/example/app:1.4.2", overrides);
const netpol = (name: string, spec: Inputs) =>
  planResource(SDK_TYPES.k8sNetworkPolicy, name, { metadata: { name, namespace: "fortress-soc" }, spec });
const command = (name: string, create: string) => planResource(SDK_TYPES.commandRemote, name, { create });
const configGroup = (name: string, inputs: Inputs) => planResource(SDK_TYPES.k8sConfigGroupV2, name, inputs);
const GATEWAY = (kind: string) =>
  INGRESS.replace("networking.k8s.io/v1:Ingress", `gateway.networking.k8s.io/v1:${kind}`);
const PERSISTENT_VOLUME = pulumiTypeOf(k8s.core.v1.PersistentVolume);
const SERVICE_PATCH = pulumiTypeOf(k8s.core.v1.ServicePatch);

export const workloads: CorpusClass = {
  title: "5. Kubernetes workloads and routes in",
  policies: [
    "k8s-namespace-pod-security",
    "k8s-objects-in-plan",
    "k8s-no-privileged",
    "k8s-run-as-non-root-with-limits",
    "k8s-exposure",
    "k8s-no-exposed-management-ui",
    "k8s-networkpolicy-per-namespace",
    "pinned-versions",
  ],
  violations: [
    {
      name: "StatefulSet with a privileged container",
      resources: [
        workload(
          K8S.statefulSet,
          "db",
          "fortress-soc",
          pod([app({ securityContext: { privileged: true } })]),
        ),
      ],
    },
    {
      name: "Job sharing the node's PID namespace",
      resources: [workload(K8S.job, "debug", "fortress-soc", pod([app()], { hostPID: true }))],
    },
    {
      name: "CronJob mounting the node's root through jobTemplate",
      resources: [
        workload(
          K8S.cronJob,
          "backup",
          "fortress-soc",
          pod([app()], { volumes: [{ name: "root", hostPath: { path: "/" } }] }),
        ),
      ],
    },
    {
      name: "bare Pod running as UID 0",
      resources: [
        workload(K8S.pod, "shell", "fortress-soc", pod([app({ securityContext: { runAsUser: 0 } })])),
      ],
    },
    {
      name: "ReplicaSet adding cap_sys_admin in lower case",
      resources: [
        workload(
          REPLICA_SET,
          "rs",
          "fortress-soc",
          pod([app({ securityContext: { capabilities: { add: ["cap_sys_admin"] } } })]),
        ),
      ],
    },
    {
      name: "Pod without a namespace sharing the node's IPC",
      resources: [workload(K8S.pod, "ipc", undefined, pod([app()], { hostIPC: true }))],
    },
    {
      name: "node exporter on the host network, listening on 9100",
      resources: [
        workload(
          K8S.daemonSet,
          "node-exporter",
          "fortress-sensors",
          pod([app({ ports: [{ containerPort: 9100 }] })], { hostNetwork: true }),
        ),
      ],
    },
    {
      name: "Deployment binding hostPort 8080",
      resources: [
        workload(
          K8S.deployment,
          "web",
          "fortress-soc",
          pod([app({ ports: [{ containerPort: 8080, hostPort: 8080 }] })]),
        ),
      ],
    },
    {
      name: "PostgreSQL as a LoadBalancer",
      resources: [
        k8sService("postgres", "fortress-identity", { type: "LoadBalancer", ports: [{ port: 5432 }] }),
      ],
    },
    {
      name: "OpenSearch LoadBalancer opened to everyone through the annotation, the spec's ranges left empty",
      resources: [
        indexerRoute(
          { loadBalancerSourceRanges: [] },
          { annotations: { "service.beta.kubernetes.io/load-balancer-source-ranges": "0.0.0.0/0" } },
        ),
      ],
    },
    {
      name: "OpenSearch LoadBalancer for the manager plus an IPv6 network",
      resources: [indexerRoute({ loadBalancerSourceRanges: ["10.10.20.30/32", "fd00:10::/64"] })],
    },
    {
      name: "OpenSearch for one host, but on a NodePort (every node, every source)",
      resources: [indexerRoute({ type: "NodePort", loadBalancerSourceRanges: ["10.10.20.30/32"] })],
    },
    {
      name: "ClusterIP Service with externalIPs for the Kubernetes API",
      resources: [k8sService("api", "default", { externalIPs: ["10.10.20.5"], ports: [{ port: 6443 }] })],
    },
    {
      name: "SSH as a NodePort with a string port",
      resources: [
        k8sService("ssh", "fortress-soc", { type: "NodePort", ports: [{ port: "22", nodePort: 30022 }] }),
      ],
    },
    {
      name: "syslog port forwarded to a shell port",
      resources: [
        k8sService("sneaky", "fortress-soc", {
          type: "LoadBalancer",
          ports: [{ port: 514, targetPort: 2222 }],
        }),
      ],
    },
    { name: "Ingress with TLS routing to the Wazuh API", resources: [tlsIngress("wazuh-api", 55000)] },
    {
      name: "extensions/v1beta1 Ingress without TLS",
      resources: [
        planResource(INGRESS_V1BETA1, "legacy", {
          metadata: { name: "legacy", namespace: "fortress-soc" },
          spec: { backend: { serviceName: "web", servicePort: 80 } },
        }),
      ],
    },
    {
      name: "Traefik IngressRoute on the plain web entrypoint",
      resources: [
        planResource(TRAEFIK("IngressRoute"), "grafana", {
          metadata: { name: "grafana", namespace: "fortress-monitoring" },
          spec: {
            entryPoints: ["web"],
            routes: [{ match: "Host(`grafana.home.arpa`)", services: [{ name: "grafana", port: 3000 }] }],
          },
        }),
      ],
    },
    {
      name: "Traefik IngressRoute with TLS to OpenSearch",
      resources: [
        planResource(TRAEFIK("IngressRoute"), "os", {
          metadata: { name: "os", namespace: "fortress-siem" },
          spec: {
            entryPoints: ["websecure"],
            tls: {},
            routes: [{ match: "Host(`os.home.arpa`)", services: [{ name: "indexer", port: 9200 }] }],
          },
        }),
      ],
    },
    {
      name: "Traefik IngressRouteTCP straight to PostgreSQL",
      resources: [
        planResource(TRAEFIK("IngressRouteTCP"), "pg", {
          metadata: { name: "pg", namespace: "fortress-identity" },
          spec: {
            entryPoints: ["postgres"],
            routes: [{ match: "HostSNI(`*`)", services: [{ name: "postgres", port: 5432 }] }],
          },
        }),
      ],
    },
    {
      name: "Helm release creating its own namespace",
      resources: [helmRelease("loki", "fortress-logs", {}, { createNamespace: true })],
      variant: true,
    },
    {
      name: "k3s HelmChart creating its own namespace",
      resources: [
        k3sHelmChart("loki", {
          chart: "loki",
          version: "6.30.1",
          repo: "https://grafana.github.io/helm-charts",
          createNamespace: true,
        }),
      ],
    },
    {
      name: "NetworkPolicy allowing all ingress to every pod",
      resources: [netpol("allow-all", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] })],
    },
    {
      name: "NetworkPolicy allowing egress to 0.0.0.0/0 on every port",
      resources: [
        netpol("open-egress", {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
        }),
      ],
    },
    {
      name: "NetworkPolicy allowing ingress from every namespace, no policyTypes",
      resources: [netpol("from-all", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    },
    {
      name: "k3s HelmChart from a repository without a version",
      resources: [
        planResource(K3S_HELM_CHART_TYPE, "prom", {
          metadata: { name: "prom", namespace: "kube-system" },
          spec: {
            chart: "kube-prometheus-stack",
            repo: "https://prometheus-community.github.io/helm-charts",
            targetNamespace: "fortress-monitoring",
          },
        }),
      ],
    },
    {
      name: "k3s HelmChart with a version range",
      resources: [
        k3sHelmChart("falco", {
          chart: "falco",
          version: "^4.0",
          repo: "https://falcosecurity.github.io/charts",
        }),
      ],
    },
    {
      name: "k3s HelmChart from a latest .tgz URL",
      resources: [k3sHelmChart("thing", { chart: "https://example.org/charts/latest/thing.tgz" })],
    },
    {
      name: "command fetching releases/latest",
      resources: [
        command(
          "trivy",
          "curl -sfL https://github.com/aquasecurity/trivy/releases/latest/download/trivy_Linux-64bit.tar.gz | tar xz",
        ),
      ],
    },
    {
      name: "command fetching a script from raw.githubusercontent.com at main",
      resources: [
        command(
          "helm",
          "wget -qO- https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash",
        ),
      ],
    },
    {
      name: "command cloning /master/ over HTTPS",
      resources: [
        command("rules", "curl -o rules.tar.gz https://codeload.github.com/x/rules/tar.gz/master/"),
      ],
    },
    {
      name: "command fetching raw.githubusercontent.com at HEAD",
      resources: [
        command(
          "k9s",
          "curl -fsSLo install.sh https://raw.githubusercontent.com/derailed/k9s/HEAD/install.sh",
        ),
      ],
    },
    {
      name: "command copying into k3s's manifests directory without a trailing slash",
      resources: [command("addon", "sudo cp addon.yaml /var/lib/rancher/k3s/server/manifests")],
    },
    {
      name: "command writing a static pod under a k3s data-dir set in its config",
      resources: [
        command("k3s", "printf 'data-dir: /srv/k3s\\n' | sudo tee /etc/rancher/k3s/config.yaml"),
        command("pod", "sudo install -m 600 pod.yaml /srv/k3s/agent/pod-manifests/pod.yaml"),
      ],
    },
    {
      name: "ConfigGroup yaml carrying a privileged DaemonSet",
      resources: [
        configGroup("addons", {
          yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tools\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: tools\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: example/agent:1.0.0\n          securityContext:\n            privileged: true\n",
        }),
      ],
    },
    {
      name: "ConfigGroup yaml with a YAML 1.1 `privileged: yes` (a boolean to sigs.k8s.io/yaml)",
      resources: [
        configGroup("yes", {
          yaml: yaml
            .dump({
              apiVersion: "apps/v1",
              kind: "Deployment",
              metadata: { name: "app", namespace: "fortress-soc" },
              spec: { template: { spec: pod([app({ securityContext: { privileged: true } })]) } },
            })
            .replace("privileged: true", "privileged: yes"),
        }),
      ],
    },
    {
      name: "NodePort Service on an agent port with an explicit nodePort 30022",
      resources: [
        k8sService("wazuh-agents", "fortress-siem", {
          type: "NodePort",
          ports: [{ name: "agents", port: 1514, nodePort: 30022 }],
        }),
      ],
    },
    {
      name: "ConfigGroup objs carrying a NodePort Service for Grafana's datasource port",
      resources: [
        configGroup("svc", {
          objs: [
            {
              apiVersion: "v1",
              kind: "Service",
              metadata: { name: "prom", namespace: "fortress-monitoring" },
              spec: { type: "NodePort", ports: [{ port: 9090 }] },
            },
          ],
        }),
      ],
    },
    {
      name: "ServicePatch turning a Service into a LoadBalancer",
      resources: [
        planResource(SERVICE_PATCH, "patch", {
          metadata: { name: "keycloak-postgres", namespace: "fortress-identity" },
          spec: { type: "LoadBalancer", ports: [{ port: 5432 }] },
        }),
      ],
    },
    {
      name: "Gateway API Gateway listening for plain HTTP",
      resources: [
        planResource(GATEWAY("Gateway"), "gw", {
          metadata: { name: "gw", namespace: "fortress-soc" },
          spec: { gatewayClassName: "traefik", listeners: [{ name: "http", protocol: "HTTP", port: 80 }] },
        }),
      ],
    },
    {
      name: "Gateway API HTTPRoute to the Wazuh API",
      resources: [
        planResource(GATEWAY("HTTPRoute"), "wazuh", {
          metadata: { name: "wazuh", namespace: "fortress-siem" },
          spec: { rules: [{ backendRefs: [{ name: "wazuh-manager", port: 55000 }] }] },
        }),
      ],
    },
    {
      name: "Gateway API TCPRoute to PostgreSQL",
      resources: [
        planResource(GATEWAY("TCPRoute").replace("/v1:", "/v1alpha2:"), "pg", {
          metadata: { name: "pg", namespace: "fortress-identity" },
          spec: { rules: [{ backendRefs: [{ name: "postgres", port: 5432 }] }] },
        }),
      ],
    },
    {
      name: "NetworkPolicy allowing ingress from the two halves of IPv4",
      resources: [
        netpol("halves", {
          podSelector: {},
          ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }] }],
        }),
      ],
    },
    {
      name: "container allowing privilege escalation",
      resources: [
        workload(
          K8S.deployment,
          "su",
          "fortress-soc",
          pod([app({ securityContext: { allowPrivilegeEscalation: true } })]),
        ),
      ],
    },
    {
      name: "hostPath PersistentVolume",
      resources: [
        planResource(PERSISTENT_VOLUME, "node-root", {
          metadata: { name: "node-root" },
          spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/" } },
        }),
      ],
    },
    {
      name: "Helm release from a latest chart archive URL",
      resources: [
        planResource(SDK_TYPES.helmReleaseV3, "x", {
          chart: "https://example.org/charts/x-latest.tgz",
          namespace: "fortress-soc",
          values: {},
        }),
      ],
    },
    {
      name: "command piping get.docker.com to sh",
      resources: [command("docker", "curl -fsSL https://get.docker.com | sh")],
    },
    {
      name: "command installing a Go tool @latest",
      resources: [command("nuclei", "go install github.com/projectdiscovery/nuclei/v3/cmd/nuclei@latest")],
    },
    {
      name: "command cloning a rules repository's default branch",
      resources: [command("sigma", "git clone https://github.com/SigmaHQ/sigma.git /opt/sigma")],
    },
    {
      name: "command reading dl.k8s.io's stable.txt",
      resources: [
        command(
          "kubectl",
          'curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl"',
        ),
      ],
    },
    {
      name: "Namespace without a Pod Security enforce label",
      resources: [k8sNamespace("fortress-tools", { "pod-security.kubernetes.io/warn": "restricted" })],
      variant: true,
    },
    {
      name: "Namespace enforcing baseline outside the sensors",
      resources: [k8sNamespace("fortress-soc", { "pod-security.kubernetes.io/enforce": "baseline" })],
    },
    {
      name: "NamespacePatch lowering a namespace to privileged",
      resources: [
        planResource(`${SDK_TYPES.k8sNamespace}Patch`, "lower", {
          metadata: {
            name: "fortress-identity",
            labels: { "pod-security.kubernetes.io/enforce": "privileged" },
          },
        }),
      ],
    },
    {
      name: "command applying a manifest with kubectl -n",
      resources: [command("tools", "sudo k3s kubectl -n fortress-soc apply -f /tmp/tools.yaml")],
    },
    {
      name: "cloud-init snippet installing a chart with helm",
      resources: [
        planResource(SDK_TYPES.proxmoxFile, "agent-user-data", {
          contentType: "snippets",
          sourceRaw: {
            fileName: "agent.yaml",
            data: "#cloud-config\nruncmd:\n  - helm install falco falcosecurity/falco --namespace falco\n",
          },
        }),
      ],
    },
    {
      name: "command writing a static pod manifest",
      resources: [
        command("sniffer", "sudo cp sniffer.yaml /var/lib/rancher/k3s/agent/pod-manifests/sniffer.yaml"),
      ],
    },
  ],
  twins: [
    {
      name: "OpenSearch LoadBalancer for the Wazuh manager's one address, no node ports",
      resources: [indexerRoute()],
    },
    {
      name: "privileged Pod Security only for fortress-sensors",
      resources: [
        k8sNamespace("fortress-sensors", { "pod-security.kubernetes.io/enforce": "privileged" }),
        k8sNamespace("fortress-soc", { "pod-security.kubernetes.io/enforce": "restricted" }),
        defaultDeny("fortress-sensors"),
        defaultDeny("fortress-soc"),
      ],
    },
    {
      name: "command that only reads the cluster",
      resources: [
        command(
          "wait",
          "until sudo k3s kubectl get --raw /readyz; do sleep 5; done && kubectl -n kube-system get pods",
        ),
      ],
    },
    {
      name: "ConfigGroup carrying a restricted Deployment",
      resources: [
        configGroup("app", {
          objs: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              metadata: { name: "app", namespace: "fortress-soc" },
              spec: { template: { spec: pod([app()]) } },
            },
          ],
        }),
      ],
    },
    {
      name: "Gateway listening for HTTPS with an HTTPRoute to Keycloak",
      resources: [
        planResource(GATEWAY("Gateway"), "gw", {
          metadata: { name: "gw", namespace: "fortress-soc" },
          spec: { gatewayClassName: "traefik", listeners: [{ name: "https", protocol: "HTTPS", port: 443 }] },
        }),
        planResource(GATEWAY("HTTPRoute"), "kc", {
          metadata: { name: "kc", namespace: "fortress-identity" },
          spec: { rules: [{ backendRefs: [{ name: "keycloak", port: 8443 }] }] },
        }),
      ],
    },
    {
      name: "command cloning a tag",
      resources: [
        command(
          "sigma",
          "git clone --depth 1 --branch r2025-06-01 https://github.com/SigmaHQ/sigma.git /opt/sigma",
        ),
      ],
    },
    {
      name: "syslog LoadBalancer on 514 and 6514",
      resources: [
        k8sService("syslog", "fortress-siem", {
          type: "LoadBalancer",
          ports: [{ port: 514, protocol: "UDP" }, { port: 6514 }],
        }),
      ],
    },
    {
      name: "Wazuh agent DaemonSet binding hostPort 1514",
      resources: [
        workload(
          K8S.daemonSet,
          "relay",
          "fortress-siem",
          pod([app({ ports: [{ containerPort: 1514, hostPort: 1514 }] })]),
        ),
      ],
    },
    { name: "TLS Ingress to Keycloak's HTTPS port", resources: [tlsIngress("keycloak", 8443)] },
    {
      name: "management-zone Ingress to OpenSearch",
      resources: [tlsIngress("opensearch", 9200, { annotations: { "fortress.io/zone": "management" } })],
    },
    {
      name: "NetworkPolicy allowing DNS egress for every pod",
      resources: [
        netpol("dns", {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: "UDP" }] }],
        }),
      ],
    },
    {
      name: "k3s HelmChart carrying its chart archive",
      resources: [k3sHelmChart("local", { chartContent: "H4sIAAAAAAAA" })],
    },
    {
      name: "installer at a commit, checked by sha256",
      resources: [
        command(
          "k3s",
          "curl -sfL -o install.sh 'https://raw.githubusercontent.com/k3s-io/k3s/0136cf258954a458da1404858396342724b93d24/install.sh' && echo 'x  install.sh' | sha256sum -c",
        ),
      ],
    },
    {
      name: "Traefik IngressRoute on websecure with TLS to Keycloak",
      resources: [
        planResource(TRAEFIK("IngressRoute"), "kc", {
          metadata: { name: "kc", namespace: "fortress-identity" },
          spec: {
            entryPoints: ["websecure"],
            tls: { secretName: "kc-tls" },
            routes: [{ match: "Host(`kc.home.arpa`)", services: [{ name: "keycloak", port: 8080 }] }],
          },
        }),
      ],
    },
    {
      name: "a CronJob with restricted pods and no host access",
      resources: [workload(K8S.cronJob, "report", "fortress-soc", pod([app()]))],
    },
    {
      name: "Ingress without rules but TLS, as a default backend",
      resources: [
        ingress("default", {
          tls: [{ secretName: "x" }],
          defaultBackend: { service: { name: "web", port: { number: 8080 } } },
        }),
      ],
    },
  ],
};

import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { homeCluster, K8S } from "./k8s-no-privileged.fixtures";

type Inputs = Record<string, unknown>;

/** A Service named `name` in `namespace`, with extra metadata and spec. */
export const k8sService = (name: string, namespace: string, spec: Inputs, metadata: Inputs = {}) =>
  planResource(K8S.service, name, { metadata: { name, namespace, ...metadata }, spec });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a ClusterIP Keycloak and a Grafana LoadBalancer on the management network",
      resources: homeCluster(),
    },
    {
      name: "a NodePort for syslog, which is no UI",
      resources: [
        k8sService("syslog", "fortress-soc", {
          type: "NodePort",
          ports: [{ name: "syslog", port: 514, protocol: "UDP", nodePort: 30514 }],
        }),
      ],
    },
  ],
  failing: [
    {
      name: "the Wazuh dashboard as a LoadBalancer without a zone",
      resources: [
        k8sService("wazuh-dashboard", "fortress-soc", {
          type: "LoadBalancer",
          ports: [{ name: "https", port: 443, targetPort: 5601 }],
        }),
      ],
    },
    {
      name: "a labelled UI in the management zone open to the servers network",
      resources: [
        k8sService(
          "proxmox-backup-ui",
          "fortress-ops",
          {
            type: "LoadBalancer",
            loadBalancerSourceRanges: ["10.10.10.0/24", "10.10.20.0/24"],
            ports: [{ port: 80 }],
          },
          {
            labels: { "fortress.io/management-ui": "true" },
            annotations: { "fortress.io/zone": "management" },
          },
        ),
      ],
    },
  ],
};

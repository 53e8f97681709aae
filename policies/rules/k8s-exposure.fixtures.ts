import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { k8sService } from "./k8s-no-exposed-management-ui.fixtures";
import {
  homeCluster,
  K8S,
  RESTRICTED_POD_SECURITY,
  restrictedContainer,
  workload,
} from "./k8s-no-privileged.fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

type Inputs = Record<string, unknown>;
export const INGRESS = SDK_TYPES.k8sNetworkPolicy.replace("NetworkPolicy", "Ingress");

export const ingress = (name: string, spec: Inputs, metadata: Inputs = {}) =>
  planResource(INGRESS, name, { metadata: { name, namespace: "fortress-identity", ...metadata }, spec });

export const tlsIngress = (name: string, port: number, metadata: Inputs = {}) =>
  ingress(
    name,
    {
      tls: [{ hosts: [`${name}.home.arpa`], secretName: `${name}-tls` }],
      rules: [
        {
          host: `${name}.home.arpa`,
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name, port: { number: port } } } },
            ],
          },
        },
      ],
    },
    metadata,
  );

/** The indexer as a LoadBalancer on 9200 for the manager's Filebeat (components/siem/indexerRoute.ts), with `spec` over it. */
export const indexerRoute = (spec: Inputs = {}, metadata: Inputs = {}) =>
  k8sService(
    "wazuh-indexer-manager",
    "fortress-siem",
    {
      type: "LoadBalancer",
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: "Cluster",
      loadBalancerSourceRanges: ["10.10.20.30/32"],
      ports: [{ name: "https", port: 9200, targetPort: "https", protocol: "TCP" }],
      ...spec,
    },
    metadata,
  );

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the home cluster: ClusterIP services, a management-zone UI, a sensor without ports",
      resources: homeCluster(),
    },
    {
      name: "a Wazuh manager LoadBalancer on the agent ports and Keycloak behind a TLS Ingress",
      resources: [
        k8sService("wazuh-manager", "fortress-siem", {
          type: "LoadBalancer",
          ports: [
            { name: "agents", port: 1514 },
            { name: "enrollment", port: 1515 },
          ],
        }),
        tlsIngress("keycloak", 8080),
      ],
    },
    {
      name: "OpenSearch as a LoadBalancer without node ports, open to the Wazuh manager's address only",
      resources: [indexerRoute()],
    },
  ],
  failing: [
    {
      name: "OpenSearch as a LoadBalancer with no source ranges (open to everything that reaches the nodes)",
      resources: [indexerRoute({ loadBalancerSourceRanges: undefined })],
    },
    {
      name: "OpenSearch as a LoadBalancer open to a whole network",
      resources: [indexerRoute({ loadBalancerSourceRanges: ["10.10.20.0/24"] })],
    },
    {
      name: "OpenSearch as a LoadBalancer open to the manager, but with a nodePort on every node",
      resources: [indexerRoute({ allocateLoadBalancerNodePorts: undefined })],
    },
    {
      name: "OpenSearch as a NodePort",
      resources: [
        k8sService("indexer", "fortress-siem", {
          type: "NodePort",
          ports: [{ port: 9200, nodePort: 30920 }],
        }),
      ],
    },
    {
      name: "a Deployment binding hostPort 5432",
      resources: [
        workload(K8S.deployment, "postgres", "fortress-identity", {
          securityContext: RESTRICTED_POD_SECURITY,
          containers: [
            restrictedContainer("postgres", "postgres:17.5", {
              ports: [{ containerPort: 5432, hostPort: 5432 }],
            }),
          ],
        }),
      ],
    },
    {
      name: "an Ingress without TLS",
      resources: [ingress("plain", { rules: [{ host: "plain.home.arpa" }] })],
    },
  ],
};

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
  ],
  failing: [
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

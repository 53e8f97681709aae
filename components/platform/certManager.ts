/**
 * cert-manager and the lab's CA issuer: the chart in its own fenced namespace (with the webhook open to
 * the API server), then the chain internal CA (made in the program, internalCa.ts) → CA Secret → the
 * `fortress-ca` ClusterIssuer every workload's certificate comes from.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type ChartPin, pinnedChart } from "../kubernetes/helmRelease";
import { requestsAndLimits as resources } from "../kubernetes/resources";
import { type InternalCa, internalCa } from "./internalCa";
import { apiServerEgress, type FencedNamespace } from "./namespaces";

export const CERT_MANAGER_NAMESPACE = "cert-manager";
export const CERT_MANAGER_CHART: ChartPin = {
  chart: "cert-manager",
  version: "v1.19.4",
  repo: "https://charts.jetstack.io",
};

export const CA_ISSUER = "fortress-ca";
export const CA_SECRET = "fortress-ca";

export interface CaIssuer {
  readonly clusterIssuer: k8s.apiextensions.CustomResource;
  /** The internal CA's certificate (PEM, public). */
  readonly caCertificatePem: pulumi.Output<string>;
  /** The internal CA itself, its key secret: for certificates Fortress signs outside the cluster. */
  readonly ca: InternalCa;
}

/** The chart's default hook annotations, each deleted (a null removes a default key in Helm's values). */
const HOOK_ANNOTATIONS_REMOVED = {
  "helm.sh/hook": null,
  "helm.sh/hook-weight": null,
  "helm.sh/hook-delete-policy": null,
} as const;

/** cert-manager in `fenced` (the cert-manager namespace), and the CA ClusterIssuer on it. */
export function certManagerWithCa(
  name: string,
  caCommonName: string,
  fenced: FencedNamespace,
  parent: pulumi.Resource,
): CaIssuer {
  apiServerEgress(name, fenced, parent);
  fenced.guards.push(
    new k8s.networking.v1.NetworkPolicy(
      `${name}-webhook-${CERT_MANAGER_NAMESPACE}`,
      {
        metadata: { name: "fortress-allow-webhook", namespace: fenced.namespace.metadata.name },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/component": "webhook" } },
          policyTypes: ["Ingress"],
          ingress: [{ ports: [{ port: 10250, protocol: "TCP" }] }],
        },
      },
      { parent },
    ),
  );

  const certManager = pinnedChart(
    `${name}-cert-manager`,
    {
      name: "cert-manager",
      chart: CERT_MANAGER_CHART,
      namespace: fenced.name,
      values: {
        crds: { enabled: true, keep: true },
        global: { leaderElection: { namespace: CERT_MANAGER_NAMESPACE } },
        replicaCount: 1,
        resources: resources({ cpu: "20m", memory: "96Mi" }, { cpu: "500m", memory: "256Mi" }),
        webhook: { resources: resources({ cpu: "10m", memory: "32Mi" }, { cpu: "200m", memory: "96Mi" }) },
        cainjector: {
          resources: resources({ cpu: "10m", memory: "64Mi" }, { cpu: "200m", memory: "256Mi" }),
        },
        // The startup API check waits until the webhook answers, so that the ClusterIssuer below (which
        // depends on the Chart, so on every object it renders) is not refused by a webhook without its CA
        // on a first install. Its Job, RBAC and ServiceAccount are post-install hooks by their annotations
        // (cert-manager/cert-manager@v1.19.4 deploy/charts/cert-manager/values.yaml:
        // `startupapicheck.jobAnnotations`, `.rbac.annotations`, `.serviceAccount.annotations`), and a
        // helm.v4 Chart omits hook resources: a null deletes a default key in Helm's values, so the
        // annotations go and the Job is an ordinary object that Pulumi awaits to completion.
        startupapicheck: {
          enabled: true,
          jobAnnotations: HOOK_ANNOTATIONS_REMOVED,
          rbac: { annotations: HOOK_ANNOTATIONS_REMOVED },
          serviceAccount: { annotations: HOOK_ANNOTATIONS_REMOVED },
          resources: resources({ cpu: "10m", memory: "32Mi" }, { cpu: "100m", memory: "64Mi" }),
        },
      },
    },
    { parent, dependsOn: fenced.guards },
  );

  // The CA is handed to cert-manager as the CA issuer's Secret: a ClusterIssuer reads it from
  // cert-manager's cluster resource namespace.
  const ca = internalCa(`${name}-ca`, caCommonName, parent);
  const caSecret = new k8s.core.v1.Secret(
    `${name}-ca-secret`,
    {
      metadata: { name: CA_SECRET, namespace: fenced.namespace.metadata.name },
      type: "kubernetes.io/tls",
      stringData: { "tls.crt": ca.certificatePem, "tls.key": ca.privateKeyPem },
    },
    { parent, dependsOn: fenced.guards },
  );
  const clusterIssuer = new k8s.apiextensions.CustomResource(
    `${name}-ca-issuer`,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: CA_ISSUER },
      spec: { ca: { secretName: CA_SECRET } },
    },
    { parent, dependsOn: [certManager, caSecret] },
  );
  return { clusterIssuer, caCertificatePem: ca.certificatePem, ca };
}

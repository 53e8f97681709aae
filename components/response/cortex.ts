/**
 * Cortex 4 in the cluster (StrangeBee's chart, pinned): its index on the shared Wazuh indexer through
 * its own user (the chart's `standalone-opensearch` scenario: `elasticsearch.enabled: false`, an
 * external URI and credentials), analyzers and responders as Kubernetes Jobs sharing a job directory
 * on the ReadWriteMany class (the chart's PVC: "ReadWriteMany accessMode is MANDATORY"), the HTTP
 * secret from `random`, reached through the ingress with a certificate from the internal CA.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { tlsSecretName } from "../kubernetes/certificate";
import { pinnedChart } from "../kubernetes/helmRelease";
import { httpsIngress } from "../kubernetes/ingress";
import { RESPONSE_PINS } from "./pins";
import { cortexPolicies, PORTS } from "./policies";
import type { IndexerLogin } from "./thehive";
import { truststoreCertificate } from "./truststore";
import { cortexValues, RESPONSE_SECRETS } from "./values";

export const CORTEX_TYPE = COMPONENT_TYPES.cortex;

export interface CortexArgs {
  readonly namespace: string;
  readonly hostname: string;
  readonly clusterIssuer: string;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  /** The baseline's ReadWriteMany class (`storageClasses.rwx`); Cortex refuses to be built without it. */
  readonly rwxStorageClass: string | undefined;
  readonly indexer: IndexerLogin;
  /** A registry prefix the neuron images are pulled through (pull-through cache, air gap). */
  readonly neuronRegistryPrefix?: string;
}

/** Cortex's Jobs share their job directory with Cortex: without a ReadWriteMany class there is none. */
export function requireRwx(rwxStorageClass: string | undefined): string {
  if (!rwxStorageClass)
    throw new Error(
      "cortex: the platform has no ReadWriteMany storage class (storageClasses.rwx). Cortex runs its analyzers and responders as Kubernetes Jobs that share its job directory, which the chart requires on a ReadWriteMany volume: give the platform an NFS export (fortress:platform rwx) or leave cortex out of fortress:services",
    );
  return rwxStorageClass;
}

export class Cortex extends pulumi.ComponentResource {
  readonly url: string;
  /** Cortex as TheHive reaches it in the cluster. */
  readonly service: { readonly host: string; readonly port: number };
  readonly chart: k8s.helm.v4.Chart;

  constructor(name: string, args: CortexArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CORTEX_TYPE, name, { hostname: args.hostname }, opts);
    const rwx = requireRwx(args.rwxStorageClass);
    const child = { parent: this };
    const ns = args.namespace;
    const secrets = RESPONSE_SECRETS.cortex;
    const generated = (id: string, length: number) =>
      new random.RandomPassword(`${name}-${id}`, { length, special: false }, child).result;
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: secrets.name, namespace: ns },
        type: "Opaque",
        stringData: {
          [secrets.httpSecretKey]: generated("http-secret", 64),
          [secrets.indexKey]: args.indexer.password,
          [secrets.truststorePasswordKey]: generated("truststore-password", 32),
        },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    const certificate = truststoreCertificate(
      `${name}-certificate`,
      {
        id: "cortex",
        namespace: ns,
        dnsNames: [args.hostname],
        clusterIssuer: args.clusterIssuer,
        password: { secret: secrets.name, key: secrets.truststorePasswordKey },
      },
      { ...child, dependsOn: [secret] },
    );
    const policies = cortexPolicies(name, ns, args.ingressNamespace, child);
    this.chart = pinnedChart(
      `${name}-chart`,
      {
        name: "cortex",
        namespace: ns,
        chart: RESPONSE_PINS.cortexChart,
        values: cortexValues({
          rwxStorageClass: rwx,
          indexer: { host: args.indexer.host, port: args.indexer.port, username: args.indexer.username },
          truststoreSecret: tlsSecretName("cortex"),
          ...(args.neuronRegistryPrefix ? { neuronRegistryPrefix: args.neuronRegistryPrefix } : {}),
        }),
      },
      { parent: this, dependsOn: [secret, certificate, ...policies] },
    );
    httpsIngress(
      `${name}-ingress`,
      {
        name: "cortex",
        namespace: ns,
        host: args.hostname,
        service: "cortex",
        tlsSecret: tlsSecretName("cortex"),
        ingressClassName: args.ingressClassName,
      },
      { ...child, dependsOn: [this.chart, certificate] },
    );
    this.url = `https://${args.hostname}`;
    this.service = { host: "cortex", port: PORTS.cortex };
    this.registerOutputs({ url: this.url });
  }
}

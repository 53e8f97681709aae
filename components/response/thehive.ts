/**
 * TheHive 5 in the cluster (StrangeBee's chart, pinned): its index on the shared Wazuh indexer through
 * its own index-scoped user, Cassandra from the chart, attachments on a volume, every shipped secret
 * replaced from `random`, local accounts only (the free edition), reached through the ingress with a
 * certificate from the internal CA. Hands the Wazuh manager what it needs to post alerts
 * (`wazuhBridge`): the integration blocks, the script, the Secret holding the service account's key
 * and the CA that signed TheHive's certificate.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { Integration } from "../siem/manager/ossecConf";
import { tlsSecretName } from "../kubernetes/certificate";
import { pinnedChart } from "../kubernetes/helmRelease";
import { httpsIngress } from "../kubernetes/ingress";
import { theHiveAccounts } from "./accounts";
import { RESPONSE_PINS } from "./pins";
import { type ExternalEndpoint, PORTS, theHivePolicies } from "./policies";
import { truststoreCertificate } from "./truststore";
import { type IndexerEndpoint, RESPONSE_SECRETS, theHiveValues } from "./values";
import { theHiveIntegrations, theHiveIntegrationScript } from "./wazuh/integration";

export const THEHIVE_TYPE = COMPONENT_TYPES.theHive;

export interface IndexerLogin extends IndexerEndpoint {
  readonly password: pulumi.Input<string>;
}

export interface TheHiveArgs {
  readonly namespace: string;
  /** The UI's and API's DNS name (a certificate from the internal CA). */
  readonly hostname: string;
  readonly clusterIssuer: string;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  /** The baseline's default class: Cassandra's and the attachments' volumes. */
  readonly storageClass: string;
  /** TheHive's user on the shared indexer (siem.indexerAccess("thehive")), at its in-cluster name. */
  readonly indexer: IndexerLogin;
  /** Cortex in the same namespace, with the key Cortex's accounts Job gives TheHive's user there. */
  readonly cortex?: {
    readonly host: string;
    readonly port: number;
    readonly key: pulumi.Input<string>;
    readonly ready: readonly pulumi.Resource[];
  };
  /** The PEM of the internal CA (the platform's), which the manager trusts TheHive's certificate by. */
  readonly caCertificatePem: pulumi.Input<string>;
  /** MISP for TheHive's MISP connector (ResponseArgs.misp). */
  readonly misp?: {
    readonly url: string;
    readonly key: pulumi.Input<string>;
    readonly caCertificatePem: pulumi.Input<string>;
    readonly endpoint: ExternalEndpoint;
    readonly exportCases?: boolean;
  };
}

/** What the Wazuh manager needs to post alerts to TheHive (the lead wires it into the manager). */
export interface WazuhBridge {
  /** The `<integration>` blocks for ossec.conf (ManagerConfig.integrations). */
  readonly integrations: readonly Integration[];
  /** /var/ossec/integrations/custom-thehive, root:wazuh 0750. */
  readonly script: string;
  /** The Secret and key holding the Wazuh service account's API key (filled by the accounts Job). */
  readonly keySecret: { readonly namespace: string; readonly name: string; readonly key: string };
  /** The CA that signed TheHive's certificate: /var/ossec/etc/fortress/thehive-ca.pem. */
  readonly caCertificatePem: pulumi.Input<string>;
  /** What must exist before the key can be read: the Job that makes it. */
  readonly ready: readonly pulumi.Resource[];
}

const FILES_CLAIM = "thehive-files";
const MISP_CA_CONFIGMAP = "thehive-misp-ca";

export class TheHive extends pulumi.ComponentResource {
  readonly url: string;
  readonly chart: k8s.helm.v4.Chart;
  /** The shipped administrator, with the generated password (secret). */
  readonly admin: { readonly login: string; readonly password: pulumi.Output<string> };
  /** The lab's analyst account (secret password). */
  readonly analyst: { readonly login: string; readonly password: pulumi.Output<string> };
  readonly wazuhBridge: WazuhBridge;

  constructor(name: string, args: TheHiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(THEHIVE_TYPE, name, { hostname: args.hostname }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    const secrets = RESPONSE_SECRETS.theHive;
    const generated = (id: string, length: number) =>
      new random.RandomPassword(`${name}-${id}`, { length, special: false }, child).result;

    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: secrets.name, namespace: ns },
        type: "Opaque",
        stringData: {
          [secrets.httpSecretKey]: generated("http-secret", 64),
          [secrets.cassandraKey]: generated("cassandra-password", 40),
          [secrets.indexKey]: args.indexer.password,
          [secrets.s3Key]: generated("s3-secret-key", 40),
          [secrets.truststorePasswordKey]: generated("truststore-password", 32),
          ...(args.cortex ? { [secrets.cortexKeysKey]: args.cortex.key } : {}),
          ...(args.misp ? { [secrets.mispKeyKey]: args.misp.key } : {}),
        },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    const certificate = truststoreCertificate(
      `${name}-certificate`,
      {
        id: "thehive",
        namespace: ns,
        dnsNames: [args.hostname],
        clusterIssuer: args.clusterIssuer,
        password: { secret: secrets.name, key: secrets.truststorePasswordKey },
      },
      { ...child, dependsOn: [secret] },
    );
    const files = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-files`,
      {
        metadata: { name: FILES_CLAIM, namespace: ns },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.storageClass,
          resources: { requests: { storage: "10Gi" } },
        },
      },
      { ...child, protect: true, retainOnDelete: true },
    );
    const policies = theHivePolicies(name, ns, args.ingressNamespace, child, args.misp?.endpoint);
    const mispCa = args.misp
      ? [
          new k8s.core.v1.ConfigMap(
            `${name}-misp-ca`,
            {
              metadata: { name: MISP_CA_CONFIGMAP, namespace: ns },
              data: { "ca.pem": args.misp.caCertificatePem },
            },
            child,
          ),
        ]
      : [];
    this.chart = pinnedChart(
      `${name}-chart`,
      {
        name: "thehive",
        namespace: ns,
        chart: RESPONSE_PINS.theHiveChart,
        values: theHiveValues({
          storageClass: args.storageClass,
          indexer: { host: args.indexer.host, port: args.indexer.port, username: args.indexer.username },
          truststoreSecret: tlsSecretName("thehive"),
          filesClaim: FILES_CLAIM,
          ...(args.cortex ? { cortex: { host: args.cortex.host, port: args.cortex.port } } : {}),
          ...(args.misp
            ? {
                misp: {
                  url: args.misp.url,
                  caConfigMap: MISP_CA_CONFIGMAP,
                  purpose: args.misp.exportCases ? ("ImportAndExport" as const) : ("ImportOnly" as const),
                },
              }
            : {}),
        }),
      },
      // After Cortex's accounts Job, so that the key TheHive starts with already works.
      {
        parent: this,
        dependsOn: [secret, certificate, files, ...mispCa, ...policies, ...(args.cortex?.ready ?? [])],
      },
    );
    httpsIngress(
      `${name}-ingress`,
      {
        name: "thehive",
        namespace: ns,
        host: args.hostname,
        service: "thehive",
        tlsSecret: tlsSecretName("thehive"),
        ingressClassName: args.ingressClassName,
      },
      { ...child, dependsOn: [this.chart, certificate] },
    );
    const accounts = theHiveAccounts(name, { namespace: ns, url: `http://thehive:${PORTS.thehive}` }, this, [
      this.chart,
    ]);
    this.url = `https://${args.hostname}`;
    this.admin = accounts.admin;
    this.analyst = accounts.analyst;
    const wazuhKey = accounts.keySecrets.wazuh;
    if (!wazuhKey) throw new Error("thehive: the Wazuh service account is missing from SERVICE_ACCOUNTS");
    this.wazuhBridge = {
      integrations: theHiveIntegrations(this.url),
      script: theHiveIntegrationScript(),
      keySecret: { namespace: ns, ...wazuhKey },
      caCertificatePem: args.caCertificatePem,
      ready: [accounts.job],
    };
    this.registerOutputs({ url: this.url, admin: this.admin.login, analyst: this.analyst.login });
  }
}

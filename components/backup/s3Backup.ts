/**
 * A nightly copy of one claim's directory or one PostgreSQL database to S3-compatible storage
 * (s3://<bucket>/<prefix>/<name>/), by rclone in a CronJob (./cronJob.ts). The two keys live in a
 * Secret of the job's namespace and reach rclone only by secretKeyRef. The backup pods may reach the
 * storage's port and DNS, and (a dump) the database's port; the database is opened to them on it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { kubeDnsEgress } from "../kubernetes/networkPolicy";
import { backupCronJob, backupLabels, jobName } from "./cronJob";
import { CREDENTIAL_KEYS, type S3Target, type Transfer } from "./rclone";
import type { BackupSource } from "./source";

export const S3_BACKUP_TYPE = COMPONENT_TYPES.s3Backup;

export interface S3BackupArgs {
  readonly namespace: string;
  /** Cron, UTC. */
  readonly schedule: string;
  readonly target: S3Target;
  readonly accessKeyId: pulumi.Input<string>;
  readonly secretAccessKey: pulumi.Input<string>;
  readonly transfer: Transfer;
  readonly source: BackupSource;
}

/** The storage's address and port, as a NetworkPolicy egress rule: an IPv4 endpoint by /32, a name by its port only. */
export function storageEgress(endpoint: string) {
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname);
  // A name resolves at run time, to an address the policy cannot know: only the port is held.
  return {
    to: [{ ipBlock: { cidr: ipv4 ? `${url.hostname}/32` : "0.0.0.0/0" } }],
    ports: [{ protocol: "TCP", port }],
  };
}

export class S3Backup extends pulumi.ComponentResource {
  readonly cronJob: k8s.batch.v1.CronJob;
  readonly secret: k8s.core.v1.Secret;

  /** `name` is the copy's: the CronJob `s3-backup-<name>` writes to `<prefix>/<name>`. */
  constructor(name: string, args: S3BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(S3_BACKUP_TYPE, name, { namespace: args.namespace, schedule: args.schedule }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    const secretName = `${jobName(name)}-s3`;
    this.secret = new k8s.core.v1.Secret(
      `${name}-s3-keys`,
      {
        metadata: { name: secretName, namespace: ns },
        type: "Opaque",
        stringData: {
          [CREDENTIAL_KEYS.accessKeyId]: pulumi.secret(args.accessKeyId),
          [CREDENTIAL_KEYS.secretAccessKey]: pulumi.secret(args.secretAccessKey),
        },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    const labels = backupLabels(name);
    const { source } = args;
    const database =
      source.kind === "pgDump"
        ? {
            to: [{ podSelector: { matchLabels: { ...source.serverLabels } } }],
            ports: [{ protocol: "TCP", port: source.port }],
          }
        : undefined;
    new k8s.networking.v1.NetworkPolicy(
      `${name}-egress`,
      {
        metadata: { name: `${jobName(name)}-egress`, namespace: ns },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [storageEgress(args.target.endpoint), kubeDnsEgress(), ...(database ? [database] : [])],
        },
      },
      child,
    );
    if (source.kind === "pgDump")
      new k8s.networking.v1.NetworkPolicy(
        `${name}-database`,
        {
          metadata: { name: `${jobName(name)}-to-database`, namespace: ns },
          spec: {
            podSelector: { matchLabels: { ...source.serverLabels } },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [{ podSelector: { matchLabels: labels } }],
                ports: [{ protocol: "TCP", port: source.port }],
              },
            ],
          },
        },
        child,
      );
    this.cronJob = new k8s.batch.v1.CronJob(
      `${name}-cronjob`,
      backupCronJob({
        name,
        namespace: ns,
        schedule: args.schedule,
        target: args.target,
        transfer: args.transfer,
        source,
        credentialsSecret: secretName,
      }),
      { ...child, dependsOn: [this.secret] },
    );
    this.registerOutputs({ cronJob: jobName(name) });
  }
}

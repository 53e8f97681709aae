/**
 * Keycloak's own PostgreSQL: the official image in a single-replica StatefulSet on a Retain volume,
 * its password generated and passed only by secretKeyRef, reachable only from Keycloak's pods.
 */
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { generatedSecret, movedChild } from "./moved";
import { PINS, RESOURCES } from "./pins";

export const POSTGRES_TYPE = COMPONENT_TYPES.postgres;

/** The database, its user, the Service clients connect to, and the Secret holding the password. */
export const KEYCLOAK_DB = {
  name: "keycloak",
  user: "keycloak",
  service: "keycloak-postgres",
  port: 5432,
  secret: "keycloak-db",
} as const;

/** uid 999 is the postgres user of the official Debian-based image. */
export const POSTGRES_UID = 999;

/** The server's pods. */
export const POSTGRES_LABELS = {
  "app.kubernetes.io/name": "postgres",
  "app.kubernetes.io/instance": "keycloak",
} as const;

export interface PostgresArgs {
  readonly namespace: string;
  readonly storageClass: string;
  /** The pods allowed to connect (Keycloak's). */
  readonly clientLabels: Readonly<Record<string, string>>;
}

export class Postgres extends pulumi.ComponentResource {
  readonly labels: Readonly<Record<string, string>>;
  /** The Secret `keycloak-db` (username, password). */
  readonly secret: k8s.core.v1.Secret;
  readonly service: k8s.core.v1.Service;
  readonly statefulSet: k8s.apps.v1.StatefulSet;

  /** `name` is the identity layer's: the children keep the names they had under it. */
  constructor(name: string, args: PostgresArgs, opts: pulumi.ComponentResourceOptions) {
    super(POSTGRES_TYPE, name, { namespace: args.namespace }, opts);
    const child = movedChild(this, opts.parent);
    const ns = args.namespace;
    const labels = { ...POSTGRES_LABELS };
    this.labels = labels;

    const password = generatedSecret(`${name}-keycloak-db-password`, 40, child);
    this.secret = new k8s.core.v1.Secret(
      `${name}-keycloak-db`,
      {
        metadata: { name: KEYCLOAK_DB.secret, namespace: ns },
        type: "Opaque",
        stringData: { username: KEYCLOAK_DB.user, password },
      },
      child,
    );
    this.service = new k8s.core.v1.Service(
      `${name}-postgres-service`,
      {
        metadata: { name: KEYCLOAK_DB.service, namespace: ns, labels },
        spec: {
          type: "ClusterIP",
          selector: labels,
          ports: [{ name: "postgres", port: KEYCLOAK_DB.port, targetPort: "postgres", protocol: "TCP" }],
        },
      },
      child,
    );
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-postgres`,
      statefulSetSpec(ns, labels, args.storageClass),
      { ...child, dependsOn: [this.secret] },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-postgres-from-keycloak`,
      {
        metadata: { name: "postgres-from-keycloak", namespace: ns },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: args.clientLabels } }],
              ports: [{ protocol: "TCP", port: KEYCLOAK_DB.port }],
            },
          ],
        },
      },
      child,
    );
    this.registerOutputs({});
  }
}

function statefulSetSpec(
  ns: string,
  labels: Record<string, string>,
  storageClass: string,
): k8s.apps.v1.StatefulSetArgs {
  const ready = ["pg_isready", "-U", KEYCLOAK_DB.user, "-d", KEYCLOAK_DB.name];
  return {
    metadata: { name: KEYCLOAK_DB.service, namespace: ns, labels },
    spec: {
      serviceName: KEYCLOAK_DB.service,
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurity(POSTGRES_UID),
          containers: [
            {
              name: "postgres",
              image: PINS.postgresImage,
              imagePullPolicy: "IfNotPresent",
              env: [
                { name: "POSTGRES_USER", value: KEYCLOAK_DB.user },
                { name: "POSTGRES_DB", value: KEYCLOAK_DB.name },
                {
                  name: "POSTGRES_PASSWORD",
                  valueFrom: { secretKeyRef: { name: KEYCLOAK_DB.secret, key: "password" } },
                },
                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
              ],
              ports: [{ name: "postgres", containerPort: KEYCLOAK_DB.port, protocol: "TCP" }],
              readinessProbe: { exec: { command: ready }, periodSeconds: 10 },
              livenessProbe: { exec: { command: ready }, initialDelaySeconds: 30, periodSeconds: 20 },
              resources: RESOURCES.postgres,
              securityContext: restrictedContainerSecurity(POSTGRES_UID),
              volumeMounts: [
                { name: "data", mountPath: "/var/lib/postgresql/data" },
                { name: "run", mountPath: "/var/run/postgresql" },
              ],
            },
          ],
          volumes: [{ name: "run", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: storageClass,
            resources: { requests: { storage: "5Gi" } },
          },
        },
      ],
    },
  };
}

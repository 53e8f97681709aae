/**
 * A product's own PostgreSQL (Keycloak's; Grafana's when it runs replicas): the official image in a
 * single-replica StatefulSet on a Retain volume, its password generated and passed only by
 * secretKeyRef, reachable only from its client's pods. Keycloak's keeps the names it always had.
 */
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { generatedSecret, movedChild } from "./moved";
import { PINS, RESOURCES } from "./pins";

export const POSTGRES_TYPE = COMPONENT_TYPES.postgres;

/** The database, its user, the Service clients connect to, and the Secret holding the password. */
export interface PostgresDatabase {
  readonly name: string;
  readonly user: string;
  readonly service: string;
  readonly port: number;
  readonly secret: string;
}

export const KEYCLOAK_DB = {
  name: "keycloak",
  user: "keycloak",
  service: "keycloak-postgres",
  port: 5432,
  secret: "keycloak-db",
} as const satisfies PostgresDatabase;

/** The name of the claim the StatefulSet's `data` template gives its one pod (`<template>-<set>-0`). */
export const postgresClaimName = (db: PostgresDatabase) => `data-${db.service}-0`;
export const POSTGRES_VOLUME_GI = 5;

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
  /**
   * Whose database this is: its name in the resources' names, the NetworkPolicy's and the pods'
   * `app.kubernetes.io/instance` label, and the database itself. None: Keycloak's (KEYCLOAK_DB).
   */
  readonly client?: {
    readonly id: string;
    readonly database: PostgresDatabase;
    /** The component's type token, naming its client's layer (Keycloak's: POSTGRES_TYPE, identity). */
    readonly type: string;
  };
  /**
   * Create the pod's claim in the plan (by the name the StatefulSet gives it, which the controller
   * then adopts) with `protect` and `retainOnDelete`. Keycloak's claim has always been the
   * StatefulSet's own.
   */
  readonly protectedClaim?: boolean;
}

export class Postgres extends pulumi.ComponentResource {
  readonly labels: Readonly<Record<string, string>>;
  /** The Secret `keycloak-db` (username, password). */
  readonly secret: k8s.core.v1.Secret;
  readonly service: k8s.core.v1.Service;
  readonly statefulSet: k8s.apps.v1.StatefulSet;

  /** `name` is the identity layer's: the children keep the names they had under it. */
  constructor(name: string, args: PostgresArgs, opts: pulumi.ComponentResourceOptions) {
    super(args.client?.type ?? POSTGRES_TYPE, name, { namespace: args.namespace }, opts);
    // Keycloak's moved under this component in issue 9 (moved.ts); another client's never sat elsewhere.
    const child = movedChild(this, args.client ? undefined : opts.parent);
    const ns = args.namespace;
    const client = args.client?.id ?? "keycloak";
    const db: PostgresDatabase = args.client?.database ?? KEYCLOAK_DB;
    // Keycloak's are POSTGRES_LABELS (its backup's pods select them: components/backup).
    const labels = { "app.kubernetes.io/name": "postgres", "app.kubernetes.io/instance": client };
    this.labels = labels;

    const password = generatedSecret(`${name}-${client}-db-password`, 40, child);
    this.secret = new k8s.core.v1.Secret(
      `${name}-${client}-db`,
      {
        metadata: { name: db.secret, namespace: ns },
        type: "Opaque",
        stringData: { username: db.user, password },
      },
      args.client ? { ...child, additionalSecretOutputs: ["stringData", "data"] } : child,
    );
    this.service = new k8s.core.v1.Service(
      `${name}-postgres-service`,
      {
        metadata: { name: db.service, namespace: ns, labels },
        spec: {
          type: "ClusterIP",
          selector: labels,
          ports: [{ name: "postgres", port: db.port, targetPort: "postgres", protocol: "TCP" }],
        },
      },
      child,
    );
    const claim = args.protectedClaim
      ? [
          new k8s.core.v1.PersistentVolumeClaim(
            `${name}-postgres-data`,
            {
              metadata: { name: postgresClaimName(db), namespace: ns, labels },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storageClass,
                resources: { requests: { storage: `${POSTGRES_VOLUME_GI}Gi` } },
              },
            },
            { ...child, protect: true, retainOnDelete: true },
          ),
        ]
      : [];
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-postgres`,
      statefulSetSpec(ns, labels, args.storageClass, db),
      { ...child, dependsOn: [this.secret, ...claim] },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-postgres-from-${client}`,
      {
        metadata: { name: `postgres-from-${client}`, namespace: ns },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: args.clientLabels } }],
              ports: [{ protocol: "TCP", port: db.port }],
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
  db: PostgresDatabase,
): k8s.apps.v1.StatefulSetArgs {
  const ready = ["pg_isready", "-U", db.user, "-d", db.name];
  return {
    metadata: { name: db.service, namespace: ns, labels },
    spec: {
      serviceName: db.service,
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
                { name: "POSTGRES_USER", value: db.user },
                { name: "POSTGRES_DB", value: db.name },
                {
                  name: "POSTGRES_PASSWORD",
                  valueFrom: { secretKeyRef: { name: db.secret, key: "password" } },
                },
                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
              ],
              ports: [{ name: "postgres", containerPort: db.port, protocol: "TCP" }],
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
            resources: { requests: { storage: `${POSTGRES_VOLUME_GI}Gi` } },
          },
        },
      ],
    },
  };
}

import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { helmRelease } from "./k8s-chart-values.fixtures";
import { PDB_TYPE } from "./k8s-replicas-resilient";
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

type Inputs = Record<string, unknown>;
const LABELS = { "app.kubernetes.io/name": "keycloak", "app.kubernetes.io/instance": "keycloak" };
const NS = "fortress-identity";

export const spreadTerm = (labels: Inputs = LABELS) => ({
  labelSelector: { matchLabels: labels },
  topologyKey: "kubernetes.io/hostname",
});
export const requiredSpread = (labels: Inputs = LABELS) => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [spreadTerm(labels)] },
});
export const preferredSpread = (labels: Inputs = LABELS) => ({
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: spreadTerm(labels) }],
  },
});

/** A StatefulSet of `replicas` pods labelled LABELS, with an optional affinity. */
export const statefulSet = (replicas: number, affinity?: Inputs, name = "keycloak"): PlanResource =>
  planResource(pulumiTypeOf(k8s.apps.v1.StatefulSet), name, {
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: { ...LABELS, "app.kubernetes.io/component": "server" } },
        spec: { ...(affinity ? { affinity } : {}), containers: [{ name }] },
      },
    },
  });

export const budget = (spec: Inputs = { maxUnavailable: 1 }, namespace = NS, labels: Inputs = LABELS) =>
  planResource(PDB_TYPE, `pdb-${namespace}`, {
    metadata: { name: "keycloak", namespace },
    spec: { selector: { matchLabels: labels }, ...spec },
  });

/** keycloakx's values as Fortress gives them for two replicas (affinity as YAML text: the chart runs it through tpl). */
export const keycloakxValues = (extra: Inputs = {}) => ({
  replicas: 2,
  cache: { stack: "default" },
  podDisruptionBudget: { maxUnavailable: 1 },
  affinity:
    "podAntiAffinity:\n  requiredDuringSchedulingIgnoredDuringExecution:\n    - labelSelector:\n        matchLabels:\n          app.kubernetes.io/name: keycloak\n      topologyKey: kubernetes.io/hostname",
  ...extra,
});

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "one replica needs neither", resources: [statefulSet(1)] },
    {
      name: "two replicas, a PDB and required spreading",
      resources: [statefulSet(2, requiredSpread()), budget()],
    },
    {
      name: "three replicas, minAvailable 2 and preferred spreading",
      resources: [statefulSet(3, preferredSpread()), budget({ minAvailable: 2 })],
    },
    {
      name: "a chart's two replicas with both values",
      resources: [helmRelease("keycloakx", NS, keycloakxValues())],
    },
  ],
  failing: [
    { name: "two replicas, no PDB", resources: [statefulSet(2, requiredSpread())] },
    { name: "two replicas, no spreading", resources: [statefulSet(2), budget()] },
    {
      name: "a PDB in another namespace, spreading on the zone",
      resources: [
        statefulSet(2, {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { ...spreadTerm(), topologyKey: "topology.kubernetes.io/zone" },
            ],
          },
        }),
        budget({ maxUnavailable: 1 }, "fortress-monitoring"),
      ],
    },
    {
      name: "a chart's two replicas without a budget or affinity",
      resources: [helmRelease("grafana", "fortress-monitoring", { grafana: { replicas: 2 } })],
    },
  ],
};

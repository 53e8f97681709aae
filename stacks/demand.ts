/**
 * What the enabled k3s services ask of the cluster, pod by pod: the catalog's budget (or the profile's),
 * grown or shrunk by what `fortress:workloads` changes from the profile's sizes, once per replica.
 * The inventory packs it into agent VMs (or the servers); with an existing cluster, the lab places it
 * on the cluster's nodes.
 */
import { type K3sPool, type ServiceId, serviceSpec } from "./catalog";
import type { PlainConfig } from "./config/schema";
import { PROFILES, profileOfConfig, type SizedWorkload, workloadsOf } from "./profiles";

export interface ServiceDemand {
  readonly service: ServiceId;
  readonly pool: K3sPool;
  /** Each pod's budget, GB; replicas of one service are spread over distinct nodes. */
  readonly pods: readonly number[];
  /** Each pod's name in the plan (a service's replicas numbered; Grafana's beside the Prometheus stack's). */
  readonly names: readonly string[];
}

type DemandConfig = Pick<PlainConfig, "services" | "lab"> & Partial<Pick<PlainConfig, "workloads">>;

/** The service whose budget holds each sized workload (Grafana is part of the Prometheus stack's). */
const BUDGET_OF: Readonly<Record<SizedWorkload, ServiceId>> = {
  "wazuh-indexer": "wazuh-indexer",
  keycloak: "keycloak",
  grafana: "prometheus",
  prometheus: "prometheus",
  loki: "loki",
};

/** Budgets are per pod for these: one more replica is one more pod of the same size. */
const REPLICATED: ReadonlySet<SizedWorkload> = new Set(["wazuh-indexer", "keycloak"]);

/** Grafana's PostgreSQL, when Grafana runs replicas: its memory limit. */
const GRAFANA_DATABASE_GB = 0.5;

const quarter = (gb: number) => Math.ceil(gb * 4 - 1e-9) / 4;

export function serviceDemand(config: DemandConfig): ServiceDemand[] {
  const profile = profileOfConfig(config);
  const workloads = workloadsOf(config);
  const demands: ServiceDemand[] = [];
  for (const service of new Set(config.services)) {
    const placement = serviceSpec(service).placement;
    if (placement.kind !== "k3s") continue;
    const ownBudget = profile.budgets[service];
    const base = ownBudget ?? placement.memoryGb;
    // The catalog's budgets are for home's sizes; a profile's own budgets for its own.
    const reference = ownBudget === undefined ? PROFILES.home.workloads : profile.workloads;
    let pods = [base];
    let names: string[] = [service];
    for (const name of Object.keys(BUDGET_OF) as SizedWorkload[]) {
      if (BUDGET_OF[name] !== service) continue;
      const own = workloads[name];
      const planned = reference[name];
      const delta = own.memoryGb - planned.memoryGb;
      if (REPLICATED.has(name)) {
        pods = Array.from({ length: own.replicas }, () => quarter(Math.max(0.25, base + delta)));
        names = pods.map((_, index) => (own.replicas > 1 ? `${service}-${index + 1}` : service));
      } else {
        pods[0] = quarter(Math.max(0.25, (pods[0] ?? base) + delta));
        // Further replicas (Grafana) are pods of their own beside the stack's.
        for (let extra = 1; extra < own.replicas; extra++) {
          pods.push(quarter(own.memoryGb));
          names.push(`${name}-${extra + 1}`);
        }
        // Grafana's replicas share a PostgreSQL of their own (components/monitoring/grafana: 512 MiB limit).
        if (name === "grafana" && own.replicas > 1) {
          pods.push(GRAFANA_DATABASE_GB);
          names.push("grafana-postgres");
        }
      }
    }
    demands.push({ service, pool: placement.pool, pods, names });
  }
  return demands;
}

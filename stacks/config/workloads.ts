/**
 * `fortress:workloads`: per-workload overrides of what the lab's profile sizes (stacks/profiles.ts):
 * replicas, memory, the indexer's heap and the data claims. Every field is optional; the door fills
 * the rest from the profile and records which values the profile decided.
 */
import { z } from "zod";
import type { SizedWorkload } from "../profiles";

const gb = (max: number) => z.number().positive().max(max);

const size = z.strictObject({
  replicas: z.int().min(1).max(9).optional(),
  memoryGb: gb(64).optional(),
  storageGb: gb(10_000).optional(),
});

/** Prometheus and Loki run one pod each (no deduplicating HA pair, Loki's filesystem store is single-node). */
const single = size.extend({
  replicas: z.literal(1, { error: "must be 1: this workload runs one pod" }).optional(),
});

/**
 * Grafana: one pod keeps its state in its SQLite; with replicas Fortress gives it a PostgreSQL of its
 * own and the alerting peers (grafana/grafana docs/sources/setup-grafana/set-up-for-high-availability.md;
 * components/monitoring/grafana/values.ts haIni).
 */
const grafana = size;

export const workloadsSchema = z.strictObject({
  "wazuh-indexer": size
    .extend({
      replicas: z
        .union([z.literal(1), z.literal(3), z.literal(5)], {
          error: "must be 1, 3 or 5 (cluster-manager-eligible nodes need a majority)",
        })
        .optional(),
      heapGb: gb(32).optional(),
    })
    .optional(),
  keycloak: size.optional(),
  grafana: grafana.optional(),
  prometheus: single.optional(),
  loki: single.optional(),
} satisfies Record<SizedWorkload, z.ZodType>);

export type WorkloadOverrides = z.infer<typeof workloadsSchema>;

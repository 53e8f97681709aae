/**
 * How long the indexer keeps Wazuh's events, sized so that ingest × days stays below the high disk
 * watermark, and the index lifecycle (ISM) and snapshot management (SM) policies that say so. Pure.
 *
 * Bodies as OpenSearch 2.19 takes them (the Wazuh indexer 4.14 is OpenSearch 2.19): ISM
 * `PUT _plugins/_ism/policies/<id>` with `policy.states[].transitions[].conditions.min_index_age` and
 * `ism_template` (docs.opensearch.org im-plugin/ism/policies), SM `POST|PUT _plugins/_sm/policies/<name>`
 * with `creation`, `deletion.condition`, `snapshot_config` (docs.opensearch.org
 * tuning-your-cluster/availability-and-recovery/snapshots/sm-api), a shared-file-system repository
 * `PUT _snapshot/<repo>` `{type: fs, settings: {location}}` under `path.repo`.
 */
import { DISK_WATERMARKS, INDEXER_PATHS } from "./opensearchYml";
import { SHIPPED_INDICES, SYSLOG_INDICES } from "../shipping/streams";
import { WAZUH_EVENT_INDICES } from "./securityConfig";

export interface RetentionSizing {
  /** The indexer's data volume, GB. */
  readonly dataDiskGb: number;
  /** What the lab indexes per day (alerts and archives, on disk after indexing), GB. */
  readonly ingestGbPerDay: number;
  /** The most days wanted; fewer when the disk cannot hold them. */
  readonly maxDays: number;
  /** Replica copies per shard (0 on one node). */
  readonly replicas?: number;
  /** The fraction of the disk OpenSearch stops allocating at (the high watermark). */
  readonly highWatermark?: number;
}

export interface Retention {
  readonly days: number;
  /** GB the retained days take at the estimate, and the GB usable below the high watermark. */
  readonly retainedGb: number;
  readonly usableGb: number;
}

/**
 * Days kept = the whole days that fit below the high watermark, one day less for the index being
 * written (it is deleted a day after it reaches the age), at most `maxDays`. Refuses a disk that
 * cannot hold one day.
 */
export function retention(sizing: RetentionSizing): Retention {
  const high = sizing.highWatermark ?? DISK_WATERMARKS.high;
  const perDay = sizing.ingestGbPerDay * (1 + (sizing.replicas ?? 0));
  if (!(sizing.dataDiskGb > 0 && perDay > 0 && sizing.maxDays >= 1))
    throw new Error("retention: the disk, the ingest estimate and the days wanted must be positive");
  const usableGb = sizing.dataDiskGb * high;
  const fit = Math.floor(usableGb / perDay) - 1;
  if (fit < 1)
    throw new Error(
      `retention: ${sizing.dataDiskGb} GB below the ${Math.round(high * 100)} % watermark cannot hold two days of ${perDay} GB`,
    );
  const days = Math.min(fit, Math.floor(sizing.maxDays));
  return { days, retainedGb: (days + 1) * perDay, usableGb };
}

/** Where the security plugin writes its audit log (index `security-auditlog-YYYY.MM.dd`). */
export const AUDIT_LOG_INDICES = "security-auditlog-*";

export const ISM_POLICY_ID = "fortress-wazuh-retention";
export const SM_POLICY_NAME = "fortress-wazuh-daily";
export const SNAPSHOT_REPOSITORY = "fortress-snapshots";

/** Hot until `days` old, then deleted; applied to every new alerts, archives, audit and shipped-stream index. */
export function ismPolicy(days: number): Record<string, unknown> {
  if (!Number.isInteger(days) || days < 1) throw new Error("ISM: retention must be whole days, at least 1");
  return {
    policy: {
      description: `Fortress: Wazuh events, the security audit log and the shipped streams are kept ${days} days, then deleted`,
      default_state: "hot",
      states: [
        {
          name: "hot",
          actions: [],
          transitions: [{ state_name: "delete", conditions: { min_index_age: `${days}d` } }],
        },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      // The security plugin's audit log (opensearch.yml `audit.type: internal_opensearch`) and the streams
      // Vector ships (Zeek, NetFlow, Greenbone) and the aggregator's syslog age out with the events.
      ism_template: [
        {
          index_patterns: [...WAZUH_EVENT_INDICES, AUDIT_LOG_INDICES, ...SHIPPED_INDICES, ...SYSLOG_INDICES],
          priority: 100,
        },
      ],
    },
  };
}

export interface SnapshotSchedule {
  /** Cron (UTC) of the daily snapshot, and of the deletion of expired ones. */
  readonly cron: string;
  readonly deleteCron: string;
  /** Snapshots kept: the newest `keep`, none older than `maxAgeDays`, never fewer than 3. */
  readonly keep: number;
  readonly maxAgeDays: number;
}

export const DEFAULT_SNAPSHOTS: SnapshotSchedule = {
  cron: "30 2 * * *",
  deleteCron: "30 4 * * *",
  keep: 14,
  maxAgeDays: 14,
};

/**
 * The shared-file-system repository under `path.repo`. Not `s3`, even with fortress:backup.s3: the
 * wazuh-indexer 4.14.6 image ships no repository-s3 plugin (wazuh/wazuh-docker@v4.14.6
 * build-docker-images/wazuh-indexer/Dockerfile installs the package alone; wazuh/wazuh-indexer
 * build-scripts/assemble.sh `plugins=(…)` lists no repository plugin), and a repository of type `s3`
 * on a node without it is refused (components/siem/README.md).
 */
export function snapshotRepository(): Record<string, unknown> {
  return { type: "fs", settings: { location: INDEXER_PATHS.snapshots, compress: true } };
}

export function smPolicy(schedule: SnapshotSchedule): Record<string, unknown> {
  if (schedule.keep < 3) throw new Error("SM: keep at least 3 snapshots");
  return {
    description: "Fortress: daily snapshot of the Wazuh indices into the snapshot repository",
    enabled: true,
    creation: { schedule: { cron: { expression: schedule.cron, timezone: "UTC" } }, time_limit: "1h" },
    deletion: {
      schedule: { cron: { expression: schedule.deleteCron, timezone: "UTC" } },
      condition: { max_age: `${schedule.maxAgeDays}d`, max_count: schedule.keep, min_count: 3 },
      time_limit: "1h",
    },
    snapshot_config: {
      indices: "wazuh-*",
      repository: SNAPSHOT_REPOSITORY,
      ignore_unavailable: "true",
      include_global_state: "false",
      partial: "false",
    },
  };
}

/**
 * The profile at the door: before a key's shape is checked, what the stack config leaves out of it is
 * filled from the lab's profile (stacks/profiles.ts), and each value so filled is recorded as a
 * decision, which the plan prints. The config's own values always win.
 */
import {
  DEFAULT_PROFILE,
  PROFILE_NAMES,
  PROFILES,
  type Profile,
  type ProfileName,
  SIZED_WORKLOADS,
} from "../profiles";
import type { ConfigIssue } from "./errors";
import type { PlainKey } from "./schema";

/** A value the profile decided because the config left it out, by its config path. */
export interface ProfileDecision {
  readonly path: string;
  readonly value: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The profile a raw `fortress:lab` names; the default when it names none (or one zod will refuse). */
export function profileOf(rawLab: unknown): Profile {
  const name = isRecord(rawLab) ? rawLab.profile : undefined;
  const known = PROFILE_NAMES.find((candidate) => candidate === name);
  return PROFILES[(known ?? DEFAULT_PROFILE) as ProfileName];
}

/** Fills `fields` into `target` where it has none, recording each fill at `prefix.field`. */
function fill(
  target: Record<string, unknown>,
  fields: Readonly<Record<string, unknown>>,
  prefix: string,
  decisions: ProfileDecision[],
): Record<string, unknown> {
  const out = { ...target };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || out[field] !== undefined) continue;
    out[field] = value;
    decisions.push({ path: `${prefix}.${field}`, value });
  }
  return out;
}

/**
 * The key's raw value with the profile's defaults filled in, and what was filled. A value of the wrong
 * shape is left alone: zod reports it, and the profile does not paper over it.
 */
export function withProfileDefaults(
  key: PlainKey,
  input: unknown,
  profile: Profile,
): { input: unknown; decisions: ProfileDecision[] } {
  const decisions: ProfileDecision[] = [];
  const object = (value: unknown) => (value === undefined ? {} : isRecord(value) ? value : undefined);
  switch (key) {
    case "services":
      if (input !== undefined) return { input, decisions };
      decisions.push({ path: "services", value: [...profile.services] });
      return { input: [...profile.services], decisions };
    case "lab": {
      const lab = object(input);
      if (!lab) return { input, decisions };
      const fields = { k3sServers: profile.k3sServers, k3sWorkloadsOn: profile.k3sLayout };
      return { input: fill(lab, fields, "lab", decisions), decisions };
    }
    case "platform": {
      const platform = object(input);
      if (!platform) return { input, decisions };
      return { input: fill(platform, { mode: profile.platformMode }, "platform", decisions), decisions };
    }
    case "monitoring": {
      const monitoring = object(input);
      const retention = monitoring && object(monitoring.retention);
      if (!monitoring || !retention) return { input, decisions };
      const filled = fill(retention, profile.retention, "monitoring.retention", decisions);
      return { input: { ...monitoring, retention: filled }, decisions };
    }
    case "workloads": {
      const workloads = object(input);
      if (!workloads) return { input, decisions };
      const out: Record<string, unknown> = { ...workloads };
      for (const name of SIZED_WORKLOADS) {
        const own = object(workloads[name]);
        if (!own) continue;
        out[name] = fill(own, { ...profile.workloads[name] }, `workloads.${name}`, decisions);
      }
      return { input: out, decisions };
    }
    default:
      return { input, decisions };
  }
}

/** Checks that span the profile's keys; `values` are the keys as the door read them (profile filled in). */
export function checkProfile(values: {
  readonly lab?: {
    readonly profile?: string;
    readonly k3sWorkloadsOn?: string;
    readonly minK3sAgents?: number;
  };
  readonly platform?: { readonly mode?: string; readonly cluster?: unknown; readonly rwx?: unknown };
  readonly backup?: { readonly s3?: unknown };
  readonly workloads?: {
    readonly "wazuh-indexer"?: {
      readonly replicas?: number;
      readonly memoryGb?: number;
      readonly heapGb?: number;
    };
  };
}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { lab, platform, backup, workloads } = values;
  if (lab?.profile === "smb" && backup && backup.s3 === undefined) {
    issues.push({
      path: "backup.s3",
      message: "is not set, and the smb profile keeps its backups off the lab, on S3-compatible storage",
      hint: 'add backup.s3 {endpoint, bucket} with fortress:s3AccessKeyId and fortress:s3SecretAccessKey (README, "Profiles"), or choose lab.profile: home',
    });
  }
  if (lab?.k3sWorkloadsOn === "servers" && (lab.minK3sAgents ?? 0) > 0) {
    issues.push({
      path: "lab.minK3sAgents",
      message: "asks for general agents, and lab.k3sWorkloadsOn is servers (the servers run every workload)",
      hint: "remove lab.minK3sAgents, or set lab.k3sWorkloadsOn: agents",
    });
  }
  if (platform?.cluster !== undefined && platform.mode !== "existing") {
    issues.push({
      path: "platform.cluster",
      message: "describes an existing cluster, and platform.mode is k3s (Fortress sizes its own k3s VMs)",
      hint: "remove platform.cluster, or set platform.mode: existing with fortress:kubeconfig",
    });
  }
  const indexer = workloads?.["wazuh-indexer"];
  if ((indexer?.replicas ?? 1) > 1 && platform && platform.rwx === undefined) {
    issues.push({
      path: "platform.rwx",
      message: `is not set, and an indexer of ${indexer?.replicas} nodes writes its snapshots to one shared file system (OpenSearch's fs repository on every node)`,
      hint: "set platform.rwx {nfsServer, nfsPath} to an NFS export for the ReadWriteMany class, or workloads.wazuh-indexer.replicas: 1",
    });
  }
  if (
    indexer?.heapGb !== undefined &&
    indexer.memoryGb !== undefined &&
    indexer.heapGb * 2 > indexer.memoryGb
  ) {
    issues.push({
      path: "workloads.wazuh-indexer.heapGb",
      message: `${indexer.heapGb} GB is more than half of the indexer's ${indexer.memoryGb} GB (OpenSearch wants the other half for the file cache)`,
      hint: `set heapGb to at most ${indexer.memoryGb / 2}, or raise workloads.wazuh-indexer.memoryGb`,
    });
  }
  return issues;
}

/**
 * Runs the semantic checks over what the shape checks left. A key that is set but (partly) malformed
 * is "broken": its sound entries are still checked among themselves, but a check that looks something
 * up in it is skipped, so that its shape problem is reported once and not again as a knock-on
 * ("is not set", "none is declared", "no VM named …").
 */
import { deriveVms } from "../inventory";
import {
  checkBackup,
  checkFirewall,
  checkLayers,
  checkNetworks,
  checkNodes,
  checkPlatform,
  checkServices,
  checkVmOverrides,
} from "./checks";
import { checkClusterRoutes } from "./clusterRoutes";
import { checkContainmentReach } from "./containment";
import type { ConfigIssue } from "./errors";
import { remapIndexes } from "./salvage";
import type { PlainConfig, PlainKey } from "./schema";
import { checkSensors } from "./sensors";
import { checkProfile } from "./profile";
import { checkZones } from "./zones";

export interface ReadKeys {
  /** Parsed values; for a broken list or map key, its entries that parse on their own. */
  readonly values: Partial<PlainConfig>;
  /** Keys present in the stack config. */
  readonly set: ReadonlySet<PlainKey>;
  /** Keys present but not (wholly) valid. */
  readonly broken: ReadonlySet<PlainKey>;
  /** For a salvaged list: the stack-file index of each entry in `values`. */
  readonly indexes: Partial<Record<PlainKey, readonly number[]>>;
  /** For a broken object key: its fields that parse on their own. */
  readonly fields: Partial<Record<PlainKey, Readonly<Record<string, unknown>>>>;
}

/** A key's value, or for a broken object key the fields of it that parsed. */
function fieldsOf<K extends "proxmox" | "platform">(
  { values, fields }: ReadKeys,
  key: K,
): Partial<NonNullable<PlainConfig[K]>> | undefined {
  return values[key] ?? (fields[key] as Partial<NonNullable<PlainConfig[K]>> | undefined);
}

export function semanticIssues(keys: ReadKeys): ConfigIssue[] {
  const { values, set, broken, indexes } = keys;
  const sound = <K extends PlainKey>(key: K): PlainConfig[K] | undefined =>
    broken.has(key) ? undefined : values[key];
  const { nodes, networks, services, vms, zones, lab } = values;
  const layers = sound("layers");
  const soundNetworks = sound("networks");
  const soundServices = sound("services");
  const issues: ConfigIssue[] = [];
  const { backup, vmDatastore } = fieldsOf(keys, "proxmox") ?? {};
  if (backup && vmDatastore) issues.push(...checkBackup({ backup, vmDatastore }));
  if (networks) issues.push(...checkNetworks(networks, !broken.has("networks")));
  if (nodes) issues.push(...checkNodes(nodes, soundNetworks));
  if (layers) issues.push(...checkLayers(layers));
  if (zones && soundNetworks) issues.push(...checkZones(zones, soundNetworks));
  if (!broken.has("layers") && (networks || layers)) {
    issues.push(...checkFirewall(values.opnsense, networks, layers, set.has("opnsense")));
  }
  const { mode, ...k3sOnly } = fieldsOf(keys, "platform") ?? {};
  if (soundServices && mode && !broken.has("layers")) {
    issues.push(...checkPlatform({ mode, ...k3sOnly }, soundServices, layers));
    if (mode === "existing")
      issues.push(
        ...checkClusterRoutes(
          k3sOnly.cluster?.loadBalancer,
          soundServices,
          layers,
          {
            networks: soundNetworks,
            nodes: sound("nodes"),
            firewall: values.opnsense !== undefined || broken.has("opnsense"),
          },
          k3sOnly.cluster?.ingressAddress,
        ),
      );
  }
  if (services) {
    issues.push(...checkServices(services, layers, sound("nodes"), soundNetworks, !broken.has("services")));
  }
  if (soundServices && !broken.has("layers") && !broken.has("opnsense"))
    issues.push(...checkContainmentReach(values.opnsense, soundServices, layers));
  const sensors = sound("sensors");
  if (sensors) issues.push(...checkSensors(sensors, soundServices));
  const platform = sound("platform");
  issues.push(...checkProfile({ lab, platform, backup: sound("backup"), workloads: sound("workloads") }));
  if (vms && soundServices && lab && platform) {
    const workloads = sound("workloads");
    const names = new Set(
      deriveVms({ services: soundServices, vms: {}, lab, platform, ...(workloads ? { workloads } : {}) }).map(
        (vm) => vm.name,
      ),
    );
    issues.push(...checkVmOverrides(vms, names, sound("nodes")));
  }
  return Object.entries(indexes).reduce<ConfigIssue[]>(
    (remapped, [key, keyIndexes]) => remapIndexes(remapped, key, keyIndexes),
    issues,
  );
}

/**
 * Scan targets as the lead derives them from the plan (one per VLAN, and per role where useful), checked
 * and turned into the desired state the GMP client on the VM reconciles: per target a Fortress-named
 * target, a weekly schedule and a "Full and fast" task, with the GMP commands that make them.
 */
import * as ipaddr from "ipaddr.js";
import {
  ALL_IANA_TCP_PORT_LIST,
  FULL_AND_FAST_CONFIG,
  MAX_HOSTS_PER_TARGET,
  createCredential,
  createSchedule,
  createTarget,
  createTask,
  icalendar,
  modifyCredential,
  modifySchedule,
  modifyTarget,
} from "./gmp";

/** One scan target: a name (lower-case, dashes) and the CIDRs or addresses it covers. */
export interface ScanTarget {
  readonly name: string;
  readonly hosts: readonly string[];
}

/** What gvmd objects Fortress owns are called: the prefix marks them, and only them are ever deleted. */
export const OBJECT_PREFIX = "fortress-";
export const SCAN_USER = "fortress-scan";
export const CREDENTIAL_NAME = `${OBJECT_PREFIX}scan-ssh`;
const NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
/** Scans start at 02:00 UTC, one target a day of the week in turn. */
const SCAN_HOUR = 2;
const SCHEDULE_START = "20260104";

/** How many addresses a host entry covers (an address is one). */
export function addressCount(host: string): number {
  if (host.includes("/")) {
    const [address, bits] = ipaddr.parseCIDR(host);
    return 2 ** ((address.kind() === "ipv4" ? 32 : 128) - bits);
  }
  ipaddr.parse(host);
  return 1;
}

/** The problems of a target list (empty when gvmd will accept it). */
export function targetProblems(targets: readonly ScanTarget[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    if (!NAME.test(target.name)) problems.push(`target ${target.name}: a name is 1–40 of a-z, 0-9 and -`);
    if (seen.has(target.name)) problems.push(`target ${target.name}: named twice`);
    seen.add(target.name);
    if (target.hosts.length === 0) problems.push(`target ${target.name}: no hosts`);
    let count = 0;
    for (const host of target.hosts) {
      try {
        if (host.includes("/") && !ipaddr.isValidCIDR(host)) throw new Error("bad CIDR");
        count += addressCount(host);
      } catch {
        problems.push(`target ${target.name}: ${host} is not an address or CIDR`);
      }
    }
    if (count > MAX_HOSTS_PER_TARGET)
      problems.push(
        `target ${target.name}: ${count} addresses, more than gvmd's ${MAX_HOSTS_PER_TARGET} per target: split it`,
      );
  }
  return problems;
}

export interface DesiredTarget {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly createTarget: string;
  readonly modifyTarget: string;
  readonly createSchedule: string;
  /** The schedule's iCalendar as sent; the client compares its DTSTART and RRULE with gvmd's stored one. */
  readonly icalendar: string;
  readonly modifySchedule: string;
  readonly createTask: string;
}

export interface DesiredState {
  /**
   * Feed objects the tasks and targets need (gvmd loads them from the data-objects feed some time after
   * its first start); until both exist the client exits 75 (retry later) instead of failing create_task.
   */
  readonly requires: { readonly config: string; readonly port_list: string };
  readonly credential: { readonly name: string; readonly create: string; readonly modify: string } | null;
  readonly targets: readonly DesiredTarget[];
}

/** The desired state for the VM's reconcile (pure; the same input gives the same JSON). */
export function desiredState(targets: readonly ScanTarget[], authenticated: boolean): DesiredState {
  const problems = targetProblems(targets);
  if (problems.length > 0) throw new Error(`Greenbone scan targets: ${problems.join("; ")}`);
  const sorted = [...targets].sort((a, b) => a.name.localeCompare(b.name));
  return {
    requires: { config: FULL_AND_FAST_CONFIG, port_list: ALL_IANA_TCP_PORT_LIST },
    credential: authenticated
      ? {
          name: CREDENTIAL_NAME,
          create: createCredential({
            name: CREDENTIAL_NAME,
            login: SCAN_USER,
            comment: "Fortress: SSH key of the scan user on Fortress's VMs",
          }),
          modify: modifyCredential(),
        }
      : null,
    targets: sorted.map((target, index) => {
      const name = `${OBJECT_PREFIX}${target.name}`;
      const hosts = [...target.hosts].sort();
      const spec = { name, hosts, comment: `Fortress: ${target.name}`, sshCredential: authenticated };
      const schedule = {
        name,
        weekday: WEEKDAYS[index % WEEKDAYS.length] ?? "SU",
        hour: SCAN_HOUR,
        minute: 0,
        startDate: SCHEDULE_START,
      } as const;
      return {
        name,
        hosts,
        createTarget: createTarget(spec),
        modifyTarget: modifyTarget(spec),
        createSchedule: createSchedule(schedule),
        icalendar: icalendar(schedule),
        modifySchedule: modifySchedule(schedule),
        createTask: createTask({ name, comment: `Fortress: full and fast scan of ${target.name}` }),
      };
    }),
  };
}

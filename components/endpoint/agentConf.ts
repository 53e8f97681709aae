/**
 * The centralised agent.conf of each Fortress agent group, rendered by a pure function from the VM's
 * role: file integrity monitoring on what that role must not see change (scheduled scans of system
 * paths; in real time where files arrive), and log collection from journald (Debian 12 cloud images
 * ship no rsyslog, so there is no /var/log/syslog to read: research/next-layers.md §2). The elements
 * are the ones agentConfElements.ts allows, after the 4.14 reference.
 *
 * The hook for the ClamAV helper's `fortress-clamdscan` active response: the manager binds it to the
 * FIM rules for a new or changed file (FIM_NEW_OR_CHANGED_RULES, vocabulary/agents.ts) with `<location>local</location>`, so
 * it runs on the agent that reported the file, on `syscheck.path`. Which files reach it is decided
 * here: the real-time directories of each role (`scanOnArrival`), where the alert comes within
 * seconds instead of at the next 12 h scan.
 */
import { AGENT_PATHS } from "./clamav/activeResponse";

export interface WatchedDirectory {
  readonly path: string;
  /**
   * inotify: the alert comes when the file is written, not at the next scan. Chosen over `whodata`,
   * which needs auditd on every VM (not on Debian's cloud image) and adds who wrote the file, which
   * the scan does not need.
   */
  readonly realtime: boolean;
}

export interface AgentProfile {
  /** The group's name on the manager (the lab's enrollment plan names it: stacks/enrollment.ts). */
  readonly group: string;
  /** Why these paths, in one line (written into the file as a comment). */
  readonly why: string;
  readonly directories: readonly WatchedDirectory[];
  /** Paths under the watched directories that change by themselves and would only make noise. */
  readonly ignore: readonly string[];
}

/** Every Linux VM: the system's binaries and configuration, scanned every 12 h (ossec-agent.conf's own default set). */
const SYSTEM: readonly WatchedDirectory[] = [
  { path: "/etc", realtime: false },
  { path: "/usr/bin", realtime: false },
  { path: "/usr/sbin", realtime: false },
  { path: "/bin", realtime: false },
  { path: "/sbin", realtime: false },
  { path: "/boot", realtime: false },
  // A new key here is a new way in: in real time.
  { path: "/root/.ssh", realtime: true },
];

/** From wazuh/wazuh@v4.14.6 etc/ossec-agent.conf: files under /etc that change on their own. */
const SYSTEM_IGNORE = ["/etc/mtab", "/etc/hosts.deny", "/etc/random-seed", "/etc/adjtime"];

/** What a role's agents watch; the group it goes to is the enrollment plan's (stacks/enrollment.ts). */
export type RoleWatch = Omit<AgentProfile, "group">;

const k3sNode = (server: boolean): RoleWatch => ({
  why: server
    ? "a k3s server: its config, and the auto-deploy manifests directory, where a dropped file is applied to the cluster"
    : "a k3s node: its config and the kubelet's",
  directories: [
    ...SYSTEM,
    { path: "/etc/rancher/k3s", realtime: true },
    ...(server ? [{ path: "/var/lib/rancher/k3s/server/manifests", realtime: true }] : []),
  ],
  ignore: SYSTEM_IGNORE,
});

/**
 * The profile of each VM role (stacks/catalog.ts ROLES, and the workstation). The workstation watches
 * where downloads land, in real time: /home (browsers save to ~/Downloads, XDG's default), /root/Downloads
 * (a root session's), /tmp (where curl, wget and browsers' partial files go); that is the worked
 * example's "a malicious file lands on a machine". /home is watched whole rather than per user, since
 * users come and go without Fortress knowing them.
 */
export const ROLE_WATCHES: Readonly<Record<string, RoleWatch>> = {
  "k3s-server": k3sNode(true),
  "k3s-agent": k3sNode(false),
  "k3s-indexer": k3sNode(false),
  "k3s-gpu": k3sNode(false),
  zeek: {
    why: "the Zeek sensor: its configuration and site scripts",
    directories: [
      ...SYSTEM,
      { path: "/opt/zeek/etc", realtime: true },
      { path: "/opt/zeek/share/zeek/site", realtime: true },
    ],
    ignore: SYSTEM_IGNORE,
  },
  greenbone: {
    why: "the Greenbone scanner: its compose files and configuration",
    directories: [...SYSTEM, { path: "/opt/greenbone", realtime: true }],
    ignore: SYSTEM_IGNORE,
  },
  misp: {
    why: "MISP: its configuration and the web root",
    directories: [...SYSTEM, { path: "/opt/misp", realtime: true }],
    ignore: SYSTEM_IGNORE,
  },
  workstation: {
    why: "the user's workstation: where downloads land, in real time, for the ClamAV scan on arrival",
    directories: [
      ...SYSTEM,
      { path: "/home", realtime: true },
      { path: "/root/Downloads", realtime: true },
      { path: "/tmp", realtime: true },
    ],
    // Browser caches churn constantly and are no download.
    ignore: [...SYSTEM_IGNORE, "/home/.*/\\.cache/"],
  },
};

/** The profile of a role's agents in `group`, or an error naming the roles that have one. */
export function profileFor(role: string, group: string): AgentProfile {
  const watch = ROLE_WATCHES[role];
  if (!watch)
    throw new Error(
      `no Wazuh agent profile for VM role ${role} (known: ${Object.keys(ROLE_WATCHES).join(", ")})`,
    );
  return { group, ...watch };
}

/** The directories a role scans on arrival: the real-time ones. */
export const scanOnArrival = (profile: AgentProfile) =>
  profile.directories.filter((directory) => directory.realtime).map((directory) => directory.path);

const escapeXml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** agent.conf for one profile: one `<agent_config os="Linux">` block (every Fortress VM is Debian). */
export function renderAgentConf(profile: AgentProfile): string {
  for (const directory of profile.directories) {
    if (!directory.path.startsWith("/") || /[,\s]/.test(directory.path))
      throw new Error(`internal: ${directory.path} is no absolute path without commas or spaces`);
  }
  const directories = profile.directories.map(
    (directory) =>
      `    <directories check_all="yes"${directory.realtime ? ' realtime="yes"' : ""}>${escapeXml(directory.path)}</directories>`,
  );
  const ignores = profile.ignore.map((path) =>
    /[*\\^$]/.test(path)
      ? `    <ignore type="sregex">${escapeXml(path)}</ignore>`
      : `    <ignore>${escapeXml(path)}</ignore>`,
  );
  return [
    `<!-- Fortress agent group ${profile.group}: ${escapeXml(profile.why).replace(/--/g, "-")} -->`,
    '<agent_config os="Linux">',
    "  <syscheck>",
    "    <disabled>no</disabled>",
    "    <frequency>43200</frequency>",
    "    <scan_on_start>yes</scan_on_start>",
    ...directories,
    ...ignores,
    "    <skip_nfs>yes</skip_nfs>",
    "    <skip_dev>yes</skip_dev>",
    "    <skip_proc>yes</skip_proc>",
    "    <skip_sys>yes</skip_sys>",
    "  </syscheck>",
    // journald: every unit's log, sshd and sudo included (localfile.rst, 4.14: location and format `journald`).
    "  <localfile>",
    "    <location>journald</location>",
    "    <log_format>journald</log_format>",
    "  </localfile>",
    // What the fortress-clamdscan active response writes (the default agent ossec.conf reads it too).
    "  <localfile>",
    "    <location>/var/ossec/logs/active-responses.log</location>",
    "    <log_format>syslog</log_format>",
    "  </localfile>",
    // Its verdicts, written as clamd logs them, read as syslog so that the pre-decoder takes `clamd`
    // as the program and Wazuh's clamd decoders and rules 52502-52504 fire (clamav/activeResponse.ts).
    "  <localfile>",
    `    <location>${AGENT_PATHS.detectionLog}</location>`,
    "    <log_format>syslog</log_format>",
    "  </localfile>",
    "  <labels>",
    `    <label key="fortress.group">${escapeXml(profile.group)}</label>`,
    "  </labels>",
    "</agent_config>",
    "",
  ].join("\n");
}

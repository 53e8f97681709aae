/**
 * GMP commands Fortress sends gvmd, built by pure functions with every value escaped. Shapes from
 * gvmd's GMP schema (greenbone/gvmd@54eaa5c2:src/schema_formats/XML/GMP.xml.in, the `<command>` of
 * each name) and its handlers (src/gmp.c). Ids gvmd assigns at run time are placeholders
 * (`@TARGET_ID@`, `@SCHEDULE_ID@`, `@CREDENTIAL_ID@`, `@PRIVATE_KEY@`) that the GMP client on the VM
 * (gvmProgram.ts) fills with checked UUIDs and the escaped key; no other `@…@` may appear.
 */

/** Scan config "Full and fast" (data-objects feed file Full-and-Fast--daba56c8-….xml; gvmd src/manage_configs.c). */
export const FULL_AND_FAST_CONFIG = "daba56c8-73ec-11df-a475-002264764cea";
/** Port list "All IANA assigned TCP" (GMP.xml.in create_target example; data-objects feed). */
export const ALL_IANA_TCP_PORT_LIST = "33d0cd82-57c6-11e1-8ed1-406186ea4fc5";
/** The default OpenVAS scanner (gvmd src/manage_sql.h SCANNER_UUID_DEFAULT). */
export const OPENVAS_DEFAULT_SCANNER = "08b69003-5fc2-4037-a479-93b440211c73";
/** gvmd's default cap on a target's addresses (src/manage_targets.h MANAGE_MAX_HOSTS). */
export const MAX_HOSTS_PER_TARGET = 4095;

export const PLACEHOLDERS = {
  targetId: "@TARGET_ID@",
  scheduleId: "@SCHEDULE_ID@",
  credentialId: "@CREDENTIAL_ID@",
  privateKey: "@PRIVATE_KEY@",
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLACEHOLDER_VALUES: readonly string[] = Object.values(PLACEHOLDERS);

/** XML text and attribute escaping (the five predefined entities). */
export function xmlEscape(value: string): string {
  // Characters XML 1.0 does not allow at all cannot be escaped: refuse them.
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      code === 0xfffe ||
      code === 0xffff
    )
      throw new Error("a GMP value holds a character XML cannot carry");
  }
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** An id attribute: a UUID, or one of the placeholders the client fills. */
function id(value: string): string {
  if (!UUID.test(value) && !PLACEHOLDER_VALUES.includes(value)) throw new Error(`not a GMP id: ${value}`);
  return value;
}

const element = (name: string, text: string) => `<${name}>${xmlEscape(text)}</${name}>`;

export interface TargetSpec {
  /** The gvmd object name (Fortress-prefixed). */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly comment: string;
  /** Whether the target carries the SSH credential (authenticated scans). */
  readonly sshCredential: boolean;
}

const hostsText = (hosts: readonly string[]) => {
  if (hosts.length === 0) throw new Error("a target has no hosts");
  for (const host of hosts)
    if (!/^[0-9a-fA-F.:/]+$/.test(host)) throw new Error(`not an address or CIDR: ${host}`);
  return hosts.join(",");
};

/** SSH on port 22 with the scan user's credential (schema: ssh_credential id, optional port). */
const sshCredential = (spec: TargetSpec) =>
  spec.sshCredential
    ? `<ssh_credential id="${id(PLACEHOLDERS.credentialId)}"><port>22</port></ssh_credential>`
    : "";

/** create_target: name, comment, hosts, ssh_credential, port_list (schema order). */
export function createTarget(spec: TargetSpec, portListId = ALL_IANA_TCP_PORT_LIST): string {
  return (
    `<create_target>${element("name", spec.name)}${element("comment", spec.comment)}` +
    `${element("hosts", hostsText(spec.hosts))}${sshCredential(spec)}` +
    `<port_list id="${id(portListId)}"/></create_target>`
  );
}

/**
 * modify_target of the hosts and the credential: gvmd answers "HOSTS requires an EXCLUDE_HOSTS"
 * without exclude_hosts (src/gmp.c, modify_target), so an empty one goes with the hosts.
 */
export function modifyTarget(spec: TargetSpec, targetId: string = PLACEHOLDERS.targetId): string {
  return (
    `<modify_target target_id="${id(targetId)}">${element("comment", spec.comment)}` +
    `${element("name", spec.name)}${element("hosts", hostsText(spec.hosts))}<exclude_hosts></exclude_hosts>` +
    // Without a credential the target must drop the one it has: a left-out element means "unchanged",
    // only id "0" clears it (greenbone/gvmd@54eaa5c2:src/manage_sql_targets.c modify_target,
    // `strcmp (ssh_credential_id, "0")` else set_target_login_data (target, "ssh", 0, 0)).
    `<ssh_credential id="${spec.sshCredential ? id(PLACEHOLDERS.credentialId) : "0"}"/>` +
    `</modify_target>`
  );
}

export interface ScheduleSpec {
  readonly name: string;
  /** Weekly on this day (RFC 5545 BYDAY: MO … SU), at this UTC hour and minute. */
  readonly weekday: "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
  readonly hour: number;
  readonly minute: number;
  /** DTSTART's date (YYYYMMDD), fixed so that the rendered command does not change from run to run. */
  readonly startDate: string;
}

/** The iCalendar gvmd reads (schema example of create_schedule: VCALENDAR with one VEVENT and an RRULE). */
export function icalendar(spec: ScheduleSpec): string {
  if (!Number.isInteger(spec.hour) || spec.hour < 0 || spec.hour > 23) throw new Error("an hour is 0–23");
  if (!Number.isInteger(spec.minute) || spec.minute < 0 || spec.minute > 59)
    throw new Error("a minute is 0–59");
  if (!/^\d{8}$/.test(spec.startDate)) throw new Error("a start date is YYYYMMDD");
  const time = `${String(spec.hour).padStart(2, "0")}${String(spec.minute).padStart(2, "0")}00`;
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Fortress//Greenbone schedules//EN",
    "BEGIN:VEVENT",
    `DTSTART:${spec.startDate}T${time}Z`,
    `RRULE:FREQ=WEEKLY;BYDAY=${spec.weekday}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");
}

/** create_schedule: name, icalendar, timezone. */
export function createSchedule(spec: ScheduleSpec): string {
  return `<create_schedule>${element("name", spec.name)}${element("icalendar", icalendar(spec))}${element("timezone", "UTC")}</create_schedule>`;
}

/**
 * modify_schedule of the icalendar (schema: schedule_id; optional comment, name, icalendar, timezone),
 * for a schedule whose weekday moved when the target list changed.
 */
export function modifySchedule(spec: ScheduleSpec, scheduleId: string = PLACEHOLDERS.scheduleId): string {
  return (
    `<modify_schedule schedule_id="${id(scheduleId)}">${element("name", spec.name)}` +
    `${element("icalendar", icalendar(spec))}${element("timezone", "UTC")}</modify_schedule>`
  );
}

export interface TaskSpec {
  readonly name: string;
  readonly comment: string;
  readonly configId?: string;
  readonly scannerId?: string;
}

/** create_task: name, comment, config, target, scanner, schedule (schema: config, target and scanner required). */
export function createTask(
  spec: TaskSpec,
  targetId: string = PLACEHOLDERS.targetId,
  scheduleId: string = PLACEHOLDERS.scheduleId,
): string {
  return (
    `<create_task>${element("name", spec.name)}${element("comment", spec.comment)}` +
    `<config id="${id(spec.configId ?? FULL_AND_FAST_CONFIG)}"/><target id="${id(targetId)}"/>` +
    `<scanner id="${id(spec.scannerId ?? OPENVAS_DEFAULT_SCANNER)}"/><schedule id="${id(scheduleId)}"/></create_task>`
  );
}

/** start_task: the task_id attribute only; gvmd answers with the new report_id. */
export function startTask(taskId: string): string {
  return `<start_task task_id="${id(taskId)}"/>`;
}

export interface CredentialSpec {
  readonly name: string;
  readonly login: string;
  readonly comment: string;
}

/**
 * create_credential of type `usk` (username + SSH key: gvmd src/manage.c credential type
 * abbreviations; src/manage_openvas.c hands `usk` to the scanner as SSH login): name, comment,
 * key/private, login, type. The key is the placeholder, filled on the VM from a root-only file.
 */
export function createCredential(spec: CredentialSpec): string {
  if (!/^[a-z_][a-z0-9_-]*$/.test(spec.login)) throw new Error(`not a login name: ${spec.login}`);
  return (
    `<create_credential>${element("name", spec.name)}${element("comment", spec.comment)}` +
    `<key><private>${PLACEHOLDERS.privateKey}</private></key>${element("login", spec.login)}` +
    `<type>usk</type></create_credential>`
  );
}

/** modify_credential of the key, for a rotated scan key. */
export function modifyCredential(credentialId: string = PLACEHOLDERS.credentialId): string {
  return `<modify_credential credential_id="${id(credentialId)}"><key><private>${PLACEHOLDERS.privateKey}</private></key></modify_credential>`;
}

/**
 * The loopback API's Intrusion Detection, NetFlow and Cron models (ids.ts serves them), transcribed from
 * opnsense/core at 25.7.3, 26.1.2 and 26.7.1: models/OPNsense/IDS/IDS.xml, scripts/suricata/metadata/
 * rules/{et-open,sslbl}.xml, models/OPNsense/Diagnostics/Netflow.xml with FieldTypes/IPPortField.php's
 * message, models/OPNsense/Cron/Cron.xml.
 */
import { compareVersions } from "./acl";
import {
  bool,
  container,
  custom,
  type Field,
  int,
  interfaceField,
  isAddress,
  network,
  option,
  type Raw,
  type Schema,
  text,
} from "./fields";

const atLeast = (version: string, series: string) => compareVersions(version, series) >= 0;

/** et-open.xml's files at 25.7 and 26.1 (52), and what 26.7 changed. */
const ET_OPEN = [
  "botcc.portgrouped", "botcc", "ciarmy", "compromised", "drop", "dshield", "emerging-activex",
  "emerging-adware_pup", "emerging-attack_response", "emerging-chat", "emerging-coinminer",
  "emerging-current_events", "emerging-deleted", "emerging-dns", "emerging-dos", "emerging-exploit",
  "emerging-exploit_kit", "emerging-ftp", "emerging-games", "emerging-hunting", "emerging-icmp",
  "emerging-icmp_info", "emerging-imap", "emerging-inappropriate", "emerging-info", "emerging-ja3",
  "emerging-malware", "emerging-misc", "emerging-mobile_malware", "emerging-netbios", "emerging-p2p",
  "emerging-phishing", "emerging-policy", "emerging-pop3", "emerging-rpc", "emerging-scada", "emerging-scan",
  "emerging-shellcode", "emerging-smtp", "emerging-snmp", "emerging-sql", "emerging-telnet", "emerging-tftp",
  "emerging-user_agents", "emerging-voip", "emerging-web_client", "emerging-web_server",
  "emerging-web_specific_apps", "emerging-worm", "tor", "threatview_CS_c2",
]; // prettier-ignore
const ET_OPEN_UNTIL_26_7 = ["3coresec"];
const ET_OPEN_FROM_26_7 = [
  "emerging-dyn_dns",
  "emerging-file_sharing",
  "emerging-remote_access",
  "emerging-retired",
  "emerging-ta_abused_services",
];
const ABUSE_CH = ["sslblacklist", "sslipblacklist", "feodotracker", "urlhaus", "threatfox"];

/** `ids list installablerulesets`: file name → description ("<prefix>/<description>", metadata.py). */
export function installableRulesets(version: string): Map<string, string> {
  const et = [...ET_OPEN, ...(atLeast(version, "26.7") ? ET_OPEN_FROM_26_7 : ET_OPEN_UNTIL_26_7)];
  return new Map([
    ...et.map((name): [string, string] => [`${name}.rules`, `ET open/${name}`]),
    ...ABUSE_CH.map((name): [string, string] => [`abuse.ch.${name}.rules`, `abuse.ch/${name}`]),
  ]);
}

/** IDS.xml `general`, as the version has it. */
export function idsGeneralSchema(
  version: string,
  cronJobs: () => ReadonlyMap<string, Raw> = () => new Map(),
): Schema {
  const modeFields: Record<string, Field> = atLeast(version, "26.1")
    ? {
        mode: option(
          { pcap: "PCAP live mode (IDS)", netmap: "Netmap (IPS)", divert: "Divert (IPS)" },
          { default: "pcap", required: true, message: "Please select a valid mode." },
        ),
        divert_listeners: int({ default: "1", required: true, min: 1, max: 256 }),
      }
    : { ips: bool({ default: "0", required: true }) };
  const mpm: Record<string, string> = { ac: "Aho-Corasick" };
  if (!atLeast(version, "25.7.6")) mpm["ac-bs"] = "Aho-Corasick, reduced memory implementation";
  Object.assign(mpm, { "ac-ks": 'Aho-Corasick, "Ken Steele" variant', hs: "Hyperscan" });
  return {
    general: container({
      enabled: bool({ default: "0", required: true }),
      ...modeFields,
      promisc: bool({ default: "0", required: true }),
      interfaces: { ...interfaceField({ default: "wan", required: true, multiple: true }) },
      homenet: network({ default: "192.168.0.0/16,10.0.0.0/8,172.16.0.0/12", required: true, list: true }),
      defaultPacketSize: int({ min: 82, max: 65535, message: "Enter a valid packet size." }),
      // ModelRelationField to Cron's jobs.job with origin /IDS/, shown by description.
      UpdateCron: {
        ...custom((value) => (cronJobs().has(value) ? [] : ["Related cron not found."])),
        separator: ",",
        options: () =>
          new Map(
            [...cronJobs()]
              .filter(([, job]) => /IDS/.test(job.origin ?? ""))
              .map(([uuid, job]) => [uuid, job.description ?? ""]),
          ),
      },
      AlertLogrotate: option({ W0D23: "Weekly", D0: "Daily" }, { default: "W0D23", required: true }),
      AlertSaveLogs: int({ default: "4", required: true, min: 1, max: 1000 }),
      MPMAlgo: option(mpm, { blank: "Default" }),
      detect: container({
        Profile: option(
          { low: "Low", medium: "Medium", high: "High", custom: "Custom" },
          { blank: "Default", message: "Please select a valid detection profile." },
        ),
        toclient_groups: int({ min: 0, max: 65535 }),
        toserver_groups: int({ min: 0, max: 65535 }),
      }),
      syslog: bool({ default: "0", required: true }),
      syslog_eve: bool({ default: "0", required: true }),
      LogPayload: bool({ default: "0", required: true }),
      verbosity: option(
        { v: "INFO (1)", vv: "PERF (2)", vvv: "CONFIG (3)", vvvv: "DEBUG (4)" },
        { blank: "DEFAULT (0)" },
      ),
    }),
  };
}

/** Diagnostics/Netflow.xml. */
export const NETFLOW_SCHEMA: Schema = {
  capture: container({
    interfaces: interfaceField({ multiple: true }),
    egress_only: interfaceField({ multiple: true }),
    version: option({ v5: "v5", v9: "v9" }, { default: "v9", required: true }),
    targets: custom(
      (value) =>
        value
          .split(",")
          .filter((entry) => entry !== "")
          .flatMap((entry) => {
            const [address = "", port = "", extra] = entry.split(":");
            const valid =
              extra === undefined &&
              isAddress(address, "ipv4") &&
              /^\d{1,5}$/.test(port) &&
              Number(port) >= 1 &&
              Number(port) <= 65535;
            return valid ? [] : [`"${entry}" is invalid. Invalid IP-port combination.`];
          }),
      { list: true, separator: "," },
    ),
  }),
  collect: container({ enable: bool({ default: "0", required: true }) }),
  activeTimeout: int({
    default: "1800",
    required: true,
    min: 1,
    max: 86400,
    message: "Active timeout needs to be an integer value between 1 and 86400.",
  }),
  inactiveTimeout: int({
    default: "15",
    required: true,
    min: 1,
    max: 86400,
    message: "Inactive timeout needs to be an integer value between 1 and 86400.",
  }),
};

/** Cron/Cron.xml `jobs.job` (the same at 25.7, 26.1, 26.7 but for a validation text). */
export const CRON_JOB_SCHEMA: Schema = {
  origin: text({ default: "cron", required: true, mask: /^([a-z,A-Z,1-9]){0,30}$/ }),
  enabled: bool({ default: "1", required: true }),
  minutes: text({
    default: "0",
    required: true,
    mask: /^((?:\*|[1-5][0-9]|0[0-9]|[0-9])(,{1}|-{1}|\/{1}|$))+$/,
    message:
      "Value needs to be between 0 and 59; multiple values, ranges, steps and asterisk are supported (ex. 1,10,20,30 or 1-30).",
  }),
  hours: text({
    default: "0",
    required: true,
    mask: /^((?:\*|([1][0-9]|[2][0-3])|0[0-9]|[0-9])(,{1}|-{1}|\/{1}|$))+$/,
    message:
      "Value needs to be between 0 and 23; multiple values, ranges, steps and asterisk are supported (ex. 1,2,8 or 0-8).",
  }),
  days: text({ default: "*", required: true }),
  months: text({ default: "*", required: true }),
  weekdays: text({ default: "*", required: true }),
  who: text({ default: "root", required: true }),
  command: text({ required: true }),
  parameters: text(),
  description: text({ required: true }),
};

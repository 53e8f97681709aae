/* eslint-disable max-lines-per-function -- one closure holds the IDS and NetFlow state of a server, as startOpnsenseApi (server.ts) does */
/**
 * The loopback API's Intrusion Detection and NetFlow, written from opnsense/core at 25.7.3, 26.1.2 and
 * 26.7.1 (checked against 25.7.11, 26.1.11, 26.7.2):
 * - models/OPNsense/IDS/IDS.xml (`general`: 25.7 `ips` BooleanField; 26.1+ `mode` OptionField pcap|netmap|
 *   divert and `divert_listeners`; MPMAlgo's `ac-bs` until 25.7.5), IDS.php getFileNode;
 * - controllers/OPNsense/IDS/Api/SettingsController.php (get/set of `general`, list_rulesets — a bare array
 *   of rows on 25.7.3 only ("Tabulator expects an array"), `{rows,…}` on every other tag —, toggle_ruleset,
 *   set_ruleset, the policy commands) and ServiceController.php (reconfigure: the daily "ids rule updates"
 *   cron job made disabled on the first run, template reload, rules installed, Suricata started when
 *   enabled, `{"status": "OK"}`; update_rules: `ids update`, which answers OK (actions_ids.conf errors:no));
 * - scripts/suricata/metadata/rules/{et-open,sslbl}.xml: the installable file names (26.7 drops
 *   3coresec.rules and adds five);
 * - models/OPNsense/Diagnostics/Netflow.xml, Netflow.php (egress_only within interfaces), FieldTypes/
 *   IPPortField.php, controllers/OPNsense/Diagnostics/Api/NetflowController.php (getconfig, setconfig with
 *   validations under `netflow.` and 127.0.0.1:2056 added for local collection, reconfigure `{"status":"ok"}`).
 */
import { randomUUID } from "node:crypto";
import { compareVersions } from "./acl";
import {
  bool,
  container,
  custom,
  defaults,
  description,
  type Field,
  type FieldContext,
  int,
  interfaceField,
  isAddress,
  network,
  option,
  type Raw,
  render,
  type Schema,
  setNodes,
  validateItem,
} from "./fields";
import type { ItemModel } from "./models";

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound = (): Reply => ({ status: 404, body: { errorMessage: "Endpoint not found" } });
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
export function idsGeneralSchema(version: string): Schema {
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
      UpdateCron: custom(() => []),
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

/** What the tests read of the double's IDS and NetFlow. */
export interface IdsState {
  /** `general.*` as stored (dotted keys). */
  general(): Raw;
  /** Ruleset files with a node in the config: file name → enabled ("0"/"1"). */
  files(): Record<string, string>;
  /** The uuid of a file's node. */
  fileUuid(filename: string): string | undefined;
  /** Files whose rules `ids update` downloaded. */
  downloaded(): string[];
  /** Files whose rules the last reconfigure installed (enabled and downloaded). */
  installed(): string[];
  /** Whether Suricata runs, as the last reconfigure left it. */
  running(): boolean;
  /** The "ids rule updates" cron job reconfigure made, if any: its uuid and whether it is enabled. */
  cronJob(): { uuid: string; enabled: string } | undefined;
  netflow(): Raw;
  /** Whether the last netflow reconfigure started the export (NetflowController::isEnabledAction's test). */
  exporting(): boolean;
  /** Turn a ruleset off, as a person does in the GUI. */
  disableFile(filename: string): void;
}

/** The IDS and NetFlow parts of the loopback API for one OPNsense version. */
export function idsApi(version: string, context: () => FieldContext, count: (service: string) => void) {
  const installable = installableRulesets(version);
  const generalSchema = idsGeneralSchema(version);
  let general: Raw = defaults(generalSchema);
  const files = new Map<string, { uuid: string; enabled: string }>();
  const downloaded = new Set<string>();
  let installed: string[] = [];
  let running = false;
  let cron: { uuid: string; enabled: string } | undefined;
  let netflow: Raw = defaults(NETFLOW_SCHEMA);
  let exporting = false;

  const enabledFiles = () => [...files].filter(([, file]) => file.enabled === "1");

  /** IDS.xml `policies.policy`; `rulesets` relates to the enabled `files.file` nodes, shown by file name. */
  const policyModel: ItemModel = {
    id: "ids/policies",
    moduleController: "ids/settings",
    key: "policy",
    suffix: "policy",
    source: "IDS/IDS.xml (policies.policy)",
    schema: {
      enabled: bool({ default: "1", required: true }),
      prio: int({ default: "0", required: true, message: "Priority should be a number." }),
      action: option({ disable: "Disabled", alert: "Alert", drop: "Drop" }, { multiple: true }),
      rulesets: {
        ...custom((value) =>
          value
            .split(",")
            .filter((uuid) => uuid !== "")
            .every((uuid) => enabledFiles().some(([, file]) => file.uuid === uuid))
            ? []
            : ["Related ruleset not found."],
        ),
        separator: ",",
        options: () => new Map(enabledFiles().map(([name, file]) => [file.uuid, name])),
      },
      content: custom((value) => (value === "" ? [] : ["Policy rule not found."])),
      new_action: option(
        { default: "Default", alert: "Alert", drop: "Drop", disable: "Disable" },
        { default: "alert", required: true },
      ),
      description: description(),
    },
  };

  /** SettingsController get/set: `{"ids": {"general": …}}`, validations under `ids.general.`. */
  function settings(command: string, method: string, body: Record<string, unknown>): Reply {
    if (command === "get")
      return ok(method === "GET" ? { ids: render(generalSchema, general, context()) } : []);
    if (method !== "POST") return ok({ result: "failed" });
    const next = { ...general };
    setNodes(generalSchema, next, body.ids);
    const messages = validateItem(generalSchema, next, [], context());
    if (messages.size > 0) {
      const validations = Object.fromEntries(
        [...messages].map(([field, list]) => [`ids.${field}`, list.length === 1 ? list[0] : list]),
      );
      return ok({ result: "failed", validations });
    }
    general = next;
    return ok({ result: "saved" });
  }

  function listRulesets(): Reply {
    const rows = [...installable].map(([filename, description]) => ({
      description,
      filename,
      documentation_url: "",
      documentation: null,
      modified_local: downloaded.has(filename) ? "2026/11/30 12:00" : null,
      enabled: files.get(filename)?.enabled ?? "0",
    }));
    rows.sort((a, b) => a.description.localeCompare(b.description));
    if (version === "25.7.3") return ok(rows);
    return ok({ rows, rowCount: rows.length, total: rows.length, current: 1 });
  }

  /** IDS.php getFileNode: the file's node, added the first time. */
  function fileNode(filename: string) {
    let node = files.get(filename);
    if (!node) {
      node = { uuid: randomUUID(), enabled: "0" };
      files.set(filename, node);
    }
    return node;
  }

  function toggleRuleset(method: string, params: string[]): Reply {
    const [names = "", enabled] = params;
    const result = { status: "none" };
    if (method !== "POST") return ok(result);
    for (const filename of names.split(",")) {
      if (!installable.has(filename)) {
        result.status = "error";
        continue;
      }
      const node = fileNode(filename);
      node.enabled = enabled === "0" || enabled === "1" ? enabled : node.enabled === "1" ? "0" : "1";
      if (result.status !== "error") result.status = node.enabled;
    }
    return ok(result);
  }

  function setRuleset(method: string, filename: string | undefined, body: Record<string, unknown>): Reply {
    if (method !== "POST" || !filename || !installable.has(filename)) return ok({ result: "failed" });
    const enabled = body.enabled;
    if (enabled !== undefined && enabled !== "0" && enabled !== "1")
      return ok({
        result: "failed",
        validations: {
          [`ids.files.file.${fileNode(filename).uuid}.enabled`]: "Value should be a boolean (0,1).",
        },
      });
    if (enabled !== undefined) fileNode(filename).enabled = enabled;
    return ok({ result: "saved" });
  }

  function service(command: string, method: string): Reply {
    if (command === "reconfigure") {
      if (method !== "POST") return ok({ status: "failed" });
      count("ids/service");
      cron ??= { uuid: randomUUID(), enabled: "0" };
      running = general["general.enabled"] === "1";
      installed = running
        ? enabledFiles()
            .map(([name]) => name)
            .filter((name) => downloaded.has(name))
        : installed;
      return ok({ status: "OK" });
    }
    if (command === "update_rules") {
      if (method !== "POST") return ok({ status: "failed" });
      count("ids/update_rules");
      for (const [name] of enabledFiles()) downloaded.add(name);
      installed = enabledFiles().map(([name]) => name);
      return ok({ status: "OK" });
    }
    return notFound();
  }

  function netflowCommand(command: string, method: string, body: Record<string, unknown>): Reply {
    if (command === "getconfig")
      return ok(method === "GET" ? { netflow: render(NETFLOW_SCHEMA, netflow, context()) } : []);
    if (command === "setconfig") {
      if (body.netflow === undefined) return ok({ result: "failed" });
      const next = { ...netflow };
      setNodes(NETFLOW_SCHEMA, next, body.netflow);
      if (next["collect.enable"] === "1" && !(next["capture.targets"] ?? "").includes("127.0.0.1:2056"))
        next["capture.targets"] = [
          ...(next["capture.targets"] ?? "").split(",").filter((t) => t !== ""),
          "127.0.0.1:2056",
        ].join(",");
      const messages = validateItem(NETFLOW_SCHEMA, next, [], context());
      const list = (value: string | undefined) => (value ?? "").split(",").filter((v) => v !== "");
      const missing = list(next["capture.egress_only"]).filter(
        (i) => !list(next["capture.interfaces"]).includes(i),
      );
      if (missing.length > 0)
        messages.set("capture.interfaces", [
          ...(messages.get("capture.interfaces") ?? []),
          `WAN interfaces missing in listening interfaces: ${missing.join(", ")}`,
        ]);
      if (messages.size > 0) {
        const validations = Object.fromEntries(
          [...messages].map(([field, texts]) => [`netflow.${field}`, texts.length === 1 ? texts[0] : texts]),
        );
        return ok({ result: "failed", validations });
      }
      netflow = next;
      return ok({ result: "saved" });
    }
    if (command === "reconfigure") {
      if (method !== "POST") return ok({ status: "error" });
      count("diagnostics/netflow");
      exporting = (netflow["capture.targets"] ?? "") !== "" && (netflow["capture.interfaces"] ?? "") !== "";
      return ok({ status: "ok" });
    }
    return notFound();
  }

  /** Routes `ids/settings` (but the policy commands), `ids/service` and `diagnostics/netflow`; null for others. */
  function dispatch(
    moduleController: string,
    command: string,
    method: string,
    params: string[],
    body: Record<string, unknown>,
  ): Reply | null {
    if (moduleController === "ids/settings") {
      if (command === "get" || command === "set") return settings(command, method, body);
      if (command === "list_rulesets") return listRulesets();
      if (command === "toggle_ruleset") return toggleRuleset(method, params);
      if (command === "set_ruleset") return setRuleset(method, params[0], body);
      return notFound();
    }
    if (moduleController === "ids/service") return service(command, method);
    if (moduleController === "diagnostics/netflow") return netflowCommand(command, method, body);
    return null;
  }

  const state: IdsState = {
    general: () => Object.fromEntries(Object.entries(general).filter(([key]) => key.startsWith("general."))),
    files: () => Object.fromEntries([...files].map(([name, file]) => [name, file.enabled])),
    fileUuid: (filename) => files.get(filename)?.uuid,
    downloaded: () => [...downloaded].sort(),
    installed: () => [...installed].sort(),
    running: () => running,
    cronJob: () => (cron ? { ...cron } : undefined),
    netflow: () => ({ ...netflow }),
    exporting: () => exporting,
    disableFile(filename) {
      fileNode(filename).enabled = "0";
    },
  };

  return { policyModel, dispatch, state };
}

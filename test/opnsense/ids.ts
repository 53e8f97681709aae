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
 * - scripts/suricata/installRules.py with lib/rulecache.py list_local (every *.rules file on disk is
 *   installed, its ruleset enabled or not) and rule-updater.py (downloads the enabled files, deletes the
 *   others): a ruleset turned off stays loaded until `ids update` runs;
 * - scripts/suricata/metadata/rules/{et-open,sslbl}.xml: the installable file names (26.7 drops
 *   3coresec.rules and adds five);
 * - models/OPNsense/Cron/Cron.xml, controllers/OPNsense/Cron/Api/{Settings,Service}Controller.php (get_job,
 *   set_job refusing a changed command or parameters on a job another service made, reconfigure);
 * - models/OPNsense/Diagnostics/Netflow.xml, Netflow.php (egress_only within interfaces), FieldTypes/
 *   IPPortField.php, controllers/OPNsense/Diagnostics/Api/NetflowController.php (getconfig, setconfig with
 *   validations under `netflow.` and 127.0.0.1:2056 added for local collection, reconfigure `{"status":"ok"}`).
 */
import { randomUUID } from "node:crypto";
import {
  bool,
  custom,
  defaults,
  description,
  type FieldContext,
  int,
  option,
  type Raw,
  render,
  setNodes,
  validateItem,
} from "./fields";
import { CRON_JOB_SCHEMA, idsGeneralSchema, installableRulesets, NETFLOW_SCHEMA } from "./idsModels";
import type { ItemModel } from "./models";

export { installableRulesets } from "./idsModels";

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound = (): Reply => ({ status: 404, body: { errorMessage: "Endpoint not found" } });

/** What the tests read of the double's IDS and NetFlow. */
export interface IdsState {
  /** `general.*` as stored (dotted keys). */
  general(): Raw;
  /** Ruleset files with a node in the config: file name → enabled ("0"/"1"). */
  files(): Record<string, string>;
  /** The uuid of a file's node. */
  fileUuid(filename: string): string | undefined;
  /** Ruleset files on disk (rule_source_directory): `ids update` downloads the enabled ones and deletes the rest. */
  downloaded(): string[];
  /** Files whose rules the last install (reconfigure, or `ids update`) loaded: every file on disk, enabled or not. */
  installed(): string[];
  /** Whether Suricata runs, as the last reconfigure left it. */
  running(): boolean;
  /** The cron job `general.UpdateCron` points at, with its uuid; undefined before the first reconfigure. */
  cronJob(): (Raw & { uuid: string }) | undefined;
  /** Whether cron was restarted since the job last changed (cron/service/reconfigure). */
  cronApplied(): boolean;
  netflow(): Raw;
  /** Whether the last netflow reconfigure started the export (NetflowController::isEnabledAction's test). */
  exporting(): boolean;
  /** Turn a ruleset off, as a person does in the GUI. */
  disableFile(filename: string): void;
}

/** The IDS and NetFlow parts of the loopback API for one OPNsense version. */
export function idsApi(version: string, context: () => FieldContext, count: (service: string) => void) {
  const installable = installableRulesets(version);
  const cronJobs = new Map<string, Raw>();
  const generalSchema = idsGeneralSchema(version, () => cronJobs);
  let general: Raw = defaults(generalSchema);
  const files = new Map<string, { uuid: string; enabled: string }>();
  const downloaded = new Set<string>();
  let installed: string[] = [];
  let running = false;
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
      if ((general["general.UpdateCron"] ?? "") === "") {
        // Cron.php newDailyJob("IDS", "ids update", "ids rule updates", "*", "0").
        const uuid = randomUUID();
        cronJobs.set(uuid, {
          ...defaults(CRON_JOB_SCHEMA),
          origin: "IDS",
          command: "ids update",
          description: "ids rule updates",
          weekdays: "*",
          enabled: "0",
        });
        general["general.UpdateCron"] = uuid;
      }
      running = general["general.enabled"] === "1";
      // `ids install rules` (installRules.py) installs every *.rules file on disk (lib/rulecache.py
      // list_local globs the directory), whether its ruleset is enabled or not.
      if (running) installed = [...downloaded];
      return ok({ status: "OK" });
    }
    if (command === "update_rules") {
      if (method !== "POST") return ok({ status: "failed" });
      count("ids/update_rules");
      // actions_ids.conf [update]: rule-updater.py downloads the files enabled in rule-updater.config
      // (the `files.file` nodes) and deletes every other installable file on disk (no et-open or sslbl
      // file is `required`); then installRules.py installs what is on disk.
      const enabled = new Set(enabledFiles().map(([name]) => name));
      for (const name of installable.keys()) {
        if (enabled.has(name)) downloaded.add(name);
        else downloaded.delete(name);
      }
      installed = [...downloaded];
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

  let cronApplied = true;

  /** Cron/Api/SettingsController.php get_job and set_job (a job another service made keeps its command), ServiceController reconfigure. */
  function cronCommand(
    controller: string,
    command: string,
    method: string,
    params: string[],
    body: Record<string, unknown>,
  ): Reply {
    if (controller === "service") {
      if (command !== "reconfigure") return notFound();
      if (method !== "POST") return ok({ status: "failed" });
      count("cron/service");
      cronApplied = true;
      return ok({ status: "ok" });
    }
    const job = cronJobs.get(params[0] ?? "");
    if (command === "get_job") return ok(job ? { job: render(CRON_JOB_SCHEMA, job, context()) } : []);
    if (command !== "set_job") return notFound();
    const posted = body.job as Record<string, unknown> | undefined;
    if (method !== "POST" || !posted || !job) return ok({ result: "failed" });
    const validations: Record<string, string> = {};
    if (job.origin !== "cron") {
      if (posted.command !== job.command)
        validations["job.command"] =
          "This item has been created by another service, command and parameter may not be changed.";
      if (String(posted.parameters ?? "") !== (job.parameters ?? ""))
        validations["job.parameters"] =
          `This item has been created by another service, command and parameter may not be changed. (was: ${job.parameters ?? ""})`;
    }
    const next = { ...job };
    setNodes(CRON_JOB_SCHEMA, next, posted);
    for (const [field, list] of validateItem(CRON_JOB_SCHEMA, next, [], context()))
      validations[`job.${field}`] = list[0] ?? "";
    if (Object.keys(validations).length > 0) return ok({ result: "failed", validations });
    cronJobs.set(params[0] ?? "", next);
    cronApplied = false;
    return ok({ result: "saved" });
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
    if (moduleController === "cron/settings" || moduleController === "cron/service")
      return cronCommand(moduleController.slice(5), command, method, params, body);
    return null;
  }

  const state: IdsState = {
    general: () => Object.fromEntries(Object.entries(general).filter(([key]) => key.startsWith("general."))),
    files: () => Object.fromEntries([...files].map(([name, file]) => [name, file.enabled])),
    fileUuid: (filename) => files.get(filename)?.uuid,
    downloaded: () => [...downloaded].sort(),
    installed: () => [...installed].sort(),
    running: () => running,
    cronJob: () => {
      const uuid = general["general.UpdateCron"] ?? "";
      const job = cronJobs.get(uuid);
      return job ? { ...job, uuid } : undefined;
    },
    cronApplied: () => cronApplied,
    netflow: () => ({ ...netflow }),
    exporting: () => exporting,
    disableFile(filename) {
      fileNode(filename).enabled = "0";
    },
  };

  return { policyModel, dispatch, state };
}

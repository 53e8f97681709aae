/* eslint-disable max-lines, max-lines-per-function -- split pending: issue #9 item 8 (the loopback OPNsense API: a 984-line startOpnsenseApi, into one file per API area) */
/**
 * A fake OPNsense API on 127.0.0.1 for tests that must run the provider's real HTTP code. It answers
 * the endpoints the provider uses the way OPNsense documents and implements them (opnsense/core,
 * opnsense/plugins, opnsense/docs; each fact is cited where it is used):
 *
 * - `/api/<module>/<controller>/<command>[/<param>...]`, HTTP Basic auth with key:secret.
 *   Unknown or wrong credentials: 401 `{"status":401,"message":"Authentication Failed"}`
 *   (Base/ApiControllerBase.php @ cde8b431c221). A user without a privilege that grants the path:
 *   403 `{"status":403,"message":"Forbidden"}` (body as quoted in opnsense/core#9961), never naming it.
 * - A POST with `Content-Type: application/json` and an empty or unparsable body: 400
 *   `{"message":"Invalid JSON syntax","status":400}` (ApiControllerBase.php @ cde8b431c221).
 * - An action called without a required parameter (set_item without uuid, ...): since 25.7
 *   Mvc/Dispatcher.php `resolve()` throws ParameterMismatchException, a DispatchException, which
 *   www/api.php answers 404 `{"errorMessage":"Endpoint not found"}`; the router resolves before the
 *   controller authenticates, so this comes before any 401 (opnsense/core tags 25.7–26.7).
 * - Model CRUD as ApiMutableModelControllerBase.php @ 044217f07979 does it: search (any method),
 *   get, add, set (an "upsert" for an unknown but well-formed uuid), del, toggle; write commands answer
 *   `{"result":"failed"}` to GET; validation failures are HTTP 200 `{"result":"failed","validations":{...}}`.
 * - Reconfigure as ApiMutableServiceControllerBase.php @ 0bf8a3827513: POST `{"status":"ok"}`, GET
 *   `{"status":"failed"}` (both HTTP 200).
 * - A thrown UserException (deleting an alias in use, a VLAN that is assigned) is HTTP 500 (api.php
 *   renders every exception as 500, opnsense/core#10430) with `{"errorMessage","errorTitle"}`; those
 *   body keys are the GUI's, not confirmed for the API.
 * - Unknown endpoints: 404 `{"errorMessage":"Endpoint not found"}` (status and body not confirmed).
 *
 * Filter rules have a saved set (what search/get show) and an active set (what pf runs): `apply`
 * copies saved to active. Safe apply follows Firewall/Api/FilterBaseController.php and
 * scripts/filter/rollback_timer.php at tags 25.7 and 26.1: `savepoint` snapshots the saved rules and
 * answers `{"status":"ok","retention":"60","revision":"<seconds>.<2 digits>"}`; `apply/<rev>` arms a timer
 * (`rollbackMs`, 60 s on OPNsense) that `cancel_rollback/<rev>` stops. What the timer does when it runs
 * out follows the version, as the real one does:
 * - 25.7 to 26.1.x: nothing. Config.php writes the revision as sprintf('%0.2f', microtime(true)) but names
 *   the backup file from the full-precision microtime, so getBackupFilename(<rev>) finds no file and
 *   Filter::rollback() reverts nothing (opnsense/core#10721). `brokenRollback` defaults to true there.
 * - 26.7 and later: savepoint, cancel_rollback and revert no longer exist (core commit 17b84612eb,
 *   #10411). The router answers a missing action with 404 `{"errorMessage":"Endpoint not found"}`
 *   before it authenticates anyone (www/api.php catches DispatchException; Mvc/Dispatcher.php resolves
 *   the method before beforeExecuteRoute). `apply` takes no revision (extra path parts are ignored).
 * - Before 25.7 (which Fortress does not support; the revision was not rounded then, commit
 *   c81509ddd6 introduced the rounding) and with `brokenRollback: false`: the timer restores the snapshot.
 * Privileges follow OPNsense's own ACL.xml names per version (./acl.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import * as http from "node:http";
import type { Socket } from "node:net";
import { aclFor, compareVersions, normalizeApiPath } from "./acl";
import { type PfStateEntry, PfTables } from "./pf";
import {
  defaults,
  type FieldContext,
  type Raw,
  render,
  type Schema,
  searchRow,
  setNodes,
  validateItem,
} from "./fields";
import { idsApi, type IdsState } from "./ids";
import { Firmware, NODE_EXPORTER_PLUGIN, nodeExporterSchema, rcConf } from "./nodeExporter";
import {
  ALIAS_MODEL,
  CHRONY_SCHEMA,
  DNSMASQ_HOST_MODEL,
  syslogDestinationModel,
  DNSMASQ_SETTINGS_SCHEMA,
  type ItemModel,
  KEA_DHCPV4_SETTINGS_SCHEMA,
  KEA_RESERVATION_MODEL,
  keaSubnetModel,
  RULE_MODEL,
  UNBOUND_HOST_MODEL,
  vlanModel,
} from "./models";

export interface ApiUser {
  readonly key: string;
  readonly secret: string;
  /** Privilege names as the firewall's version lists them (./acl.ts, from OPNsense's ACL.xml), or "all". */
  readonly privileges: readonly string[] | "all";
  /** Shown in the request log; defaults to the key. */
  readonly name?: string;
}

export interface AssignedInterface {
  /** `lan`, `wan`, `opt1`, ... */
  readonly identifier: string;
  /** The device, e.g. `vtnet1` or `vlan01`. */
  readonly device: string;
  /** Defaults to the identifier in capitals, as OPNsense shows it. */
  readonly description?: string;
  /** `10.0.0.1/24`. */
  readonly ipv4?: string;
  /** Default true; an interface assigned through interfaces/assignment starts disabled. */
  readonly enabled?: boolean;
}

export interface ServerOptions {
  readonly users: readonly ApiUser[];
  /** product_version of core/firmware/info, e.g. "25.7.3". */
  readonly version: string;
  /** Installed plugin packages, e.g. ["os-chrony"]. Chrony's endpoints exist only with os-chrony. */
  readonly plugins: readonly string[];
  readonly assignedInterfaces: readonly AssignedInterface[];
  /** Devices a VLAN may sit on; when absent any device-like name (igb0, vtnet1, ...) is accepted. */
  readonly parentDevices?: readonly string[];
  /** The filter rollback timer (OPNsense: 60 s). */
  readonly rollbackMs: number;
  /** false: OPNsense 26.7, without savepoint / cancel_rollback / revert. Default: by `version`. */
  readonly savepoints?: boolean;
  /** true: the rollback timer fires but reverts nothing (opnsense/core#10721). Default: by `version`. */
  readonly brokenRollback?: boolean;
  /**
   * config.xml `system/timeservers`; undefined when unset. Default: what src/etc/config.xml.sample ships
   * (tags 25.7–26.7), four opnsense.pool.ntp.org servers, which turns ntpd on.
   */
  readonly timeservers?: string | undefined;
}

export type ResolvedOptions = ServerOptions & {
  readonly savepoints: boolean;
  readonly brokenRollback: boolean;
};

/** What the given version does about savepoints, as its source does (see the header). */
export function rollbackBehaviour(version: string): { savepoints: boolean; brokenRollback: boolean } {
  const savepoints = compareVersions(version, "26.7") < 0;
  return { savepoints, brokenRollback: savepoints && compareVersions(version, "25.7") >= 0 };
}

/** src/etc/config.xml.sample `<timeservers>` at tags 25.7, 26.1 and 26.7. */
export const SAMPLE_TIMESERVERS =
  "0.opnsense.pool.ntp.org 1.opnsense.pool.ntp.org 2.opnsense.pool.ntp.org 3.opnsense.pool.ntp.org";

export const DEFAULT_KEY = "fortress-test-key";
export const DEFAULT_SECRET = "fortress-test-secret";

export const DEFAULT_OPTIONS: ServerOptions = {
  users: [{ key: DEFAULT_KEY, secret: DEFAULT_SECRET, privileges: "all" }],
  version: "25.7.3",
  plugins: ["os-chrony"],
  assignedInterfaces: [
    { identifier: "wan", device: "vtnet0", description: "WAN", ipv4: "192.0.2.2/24" },
    { identifier: "lan", device: "vtnet1", description: "LAN", ipv4: "10.0.0.1/24" },
  ],
  rollbackMs: 60_000,
};

/** "userException": HTTP 500 with `{errorMessage, errorTitle}`, as api.php renders a thrown UserException. */
/**
 * "truncated": headers and part of the body, then the connection closes (Python's IncompleteRead);
 * "badStatus": a line that is not an HTTP status line, then close (BadStatusLine) — a web server
 * going away mid-answer, as during a firewall restart.
 */
export type FaultKind = "5xx" | "timeout" | "401" | "reset" | "userException" | "truncated" | "badStatus";

export interface FaultSpec {
  /**
   * A string matches the API path without `/api/` and query (`firewall/filter/apply`) and everything
   * below it (`firewall/filter/apply/1700000000.12`); a RegExp is tested against that same path.
   */
  readonly path: RegExp | string;
  readonly kind: FaultKind;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  /** Only this HTTP method. */
  readonly method?: string;
  /** For "5xx": the status (default 500). */
  readonly status?: number;
  /** For "userException": the exception's message and title (a reconfigure's template failure, ...). */
  readonly message?: string;
  readonly title?: string;
  /**
   * true: the request is carried out (state changes) and only the answer is lost or replaced —
   * the case where a retried add creates a duplicate. Default false: it never reaches OPNsense.
   */
  readonly after?: boolean;
}

export interface RequestRecord {
  readonly method: string;
  /** As sent, `/api/...` with the query string. */
  readonly path: string;
  /** The user's name (or key) once authenticated. */
  user?: string;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
  /** HTTP status answered; undefined when no answer was sent (timeout, reset, dark). */
  status?: number;
  /** A fault that hit this request, or "dark" while the server was not answering. */
  fault?: FaultKind | "dark";
}

export type ItemRecord = Raw & { readonly uuid: string };

export interface ApiState {
  /**
   * Stored items of a collection: `firewall/alias`, `firewall/filter` (saved rules),
   * `interfaces/vlan_settings`, `unbound/settings` (host overrides), `dnsmasq/settings` (hosts),
   * `kea/dhcpv4` with itemKey `subnet4` or `reservation`. Values are strings as in config.xml,
   * container fields with dotted keys (`option_data.routers`).
   */
  items(moduleController: string, itemKey?: string): ItemRecord[];
  /** Store an item without validation (defaults filled in); filter rules also become active. */
  put(moduleController: string, fields: Record<string, string>, itemKey?: string): string;
  /** The filter rules pf runs (the saved ones as of the last apply or rollback). */
  activeRules(): ItemRecord[];
  /** Chrony's general settings. */
  chrony(): Raw;
  /** The os-node_exporter plugin's settings, and the rc.conf.d its last reconfigure rendered. */
  nodeExporter(): Raw;
  nodeExporterRcConf(): string | undefined;
  /** The plugins and their firmware jobs (nodeExporter.ts). */
  readonly firmware: Firmware;
  /** Kea DHCPv4's settings (`general.enabled`, `general.interfaces`, ...). */
  keaDhcpv4(): Raw;
  /** Dnsmasq's general settings (`enable`, `interface`, `port`, `dhcp.*`). */
  dnsmasq(): Raw;
  /**
   * Whether the service's rc.conf.d, as its last reconfigure rendered it, starts the daemon:
   * `kea/service` (Kea/rc.conf.d: general.enabled and general.interfaces), `dnsmasq/service`
   * (Dnsmasq/rc.conf.d: enable), `chrony/service` (chrony.inc: enabled).
   */
  running(service: string): boolean;
  /** Reconfigure / apply calls that went through, by `<module>/<controller>` (`firewall/filter` counts apply). */
  readonly reconfigures: Record<string, number>;
  readonly requests: RequestRecord[];
  /** Safe-apply events in order: `savepoint <rev>`, `apply <rev>`, `cancel <rev>`, `rollback <rev>`, `rollback-failed <rev>`, `revert <rev>`. */
  readonly events: string[];
  /** Revisions whose rollback timer is running. */
  pendingRollbacks(): string[];
  /** Assign (or reassign) an interface, as a person does in Interfaces > Assignments. */
  assign(iface: AssignedInterface): void;
  /** Entries of an alias's live pf table (alias_util), as `pfctl -T show` lists them. */
  liveTable(alias: string): string[];
  /** The firewall rebooted: pf tables empty (an external alias is never refilled), no states. */
  pfReboot(): void;
  /** configd stops (false) or starts (true) answering the controllers (Backend::configdRun returns ''). */
  setConfigd(up: boolean): void;
  /** pf's open states (what diagnostics/firewall/kill_states drops). */
  pfStates(): readonly PfStateEntry[];
  /** Open a state, as traffic through the firewall does. */
  addPfState(state: Omit<PfStateEntry, "id">): void;
  /**
   * The DHCP servers that answer on an interface, as their last reconfigure left them: "kea" when it
   * runs with the interface in `general.interfaces`; "dnsmasq" when it runs listening there (`interface`,
   * empty for all), has a DHCP range there and the interface is not in `dhcp.no_interface` (dnsmasq.conf
   * `no-dhcp-interface`, templates/OPNsense/Dnsmasq/dnsmasq.conf).
   */
  dhcpServers(iface: string): string[];
  /** Set or (undefined) unset `system/timeservers`, as Services > Network Time > General does. */
  setTimeservers(servers: string | undefined): void;
  /** The Intrusion Detection and NetFlow (ids.ts). */
  readonly ids: IdsState;
}

export interface Faults {
  inject(fault: FaultSpec): void;
  /**
   * After the next `apply` is answered, stop answering every request — "hang" (accept and never
   * answer, as when pf drops the packets; the default) or "reset" (destroy the socket) — until the
   * rollback timer of that apply's revision has fired and reverted the rules. With no revision, or
   * with `brokenRollback`, the server stays dark until close(). Requests that came in while dark stay
   * unanswered afterwards too (like dropped packets); close() ends them.
   *
   * "new-connections" is what a real lockout looks like from a client that keeps its connection open:
   * a filter reload keeps pf's existing states (filter.inc kills states only for scheduled rules), and
   * lighttpd keeps an API connection open for up to 15 requests or 30 s idle (plugins.inc.d/webgui.inc
   * `server.max-keep-alive-requests`/`-idle`, tags 25.7–26.7). So connections open at the apply keep
   * being answered, and every connection opened afterwards is dropped (reset here, to keep tests fast).
   */
  stopAnsweringAfterApply(mode?: "hang" | "reset" | "new-connections"): void;
  /** Remove pending faults and leave dark mode. */
  clear(): void;
  /** Whether the server is currently not answering. */
  readonly dark: boolean;
}

export interface OpnsenseApi {
  /** `http://127.0.0.1:<port>` (the API lives under `/api`). */
  readonly url: string;
  readonly port: number;
  readonly options: ResolvedOptions;
  readonly state: ApiState;
  readonly faults: Faults;
  /** `Basic ...` for a user (the first one by default). */
  authorization(key?: string): string;
  /** Close the server, every socket (hanging ones too) and every timer. */
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** configd's answer for a script action that succeeded (the status of apply / cancel_rollback). */
const CONFIGD_OK = "OK\n\n";

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
/** api.php error_output() for a UserException: its title is "" unless the thrower gave one (Base/UserException.php). */
const userException = (message: string, title = ""): Reply => ({
  status: 500,
  body: { errorMessage: message, errorTitle: title },
});
const notFound = (): Reply => ({ status: 404, body: { errorMessage: "Endpoint not found" } });
/** Mvc/Dispatcher.php ParameterMismatchException → api.php's 404 (see the header); `handle` answers it first. */
const missingParameter = (_command: string): Reply => notFound();

/**
 * How many path parameters an action requires (the controller method's non-optional parameters):
 * setXAction($uuid), delXAction($uuid), toggleXAction($uuid, $enabled = null) of the model
 * controllers, FilterBaseController cancelRollbackAction($rollback_revision) / revertAction($revision),
 * AliasUtilController list/flush/delete/addAction($alias) (opnsense/core tag 26.1).
 */
function requiredParameters(module: string, controller: string, command: string): number {
  if (module === "firewall" && controller === "alias_util")
    return ["list", "flush", "delete", "add"].includes(command) ? 1 : 0;
  if (["cancel_rollback", "revert"].includes(command)) return 1;
  // FirmwareController::installAction($pkg_name) / removeAction($pkg_name).
  if (module === "core" && controller === "firmware") return ["install", "remove"].includes(command) ? 1 : 0;
  if (/^toggle_\w+_log$/.test(command)) return 2;
  return /^(set|del|toggle)_[a-z0-9_]+$/.test(command) ? 1 : 0;
}

function clone(items: Map<string, Raw>): Map<string, Raw> {
  return new Map([...items].map(([uuid, item]) => [uuid, { ...item }]));
}

/** `version` is `series` or later ("26.7.1" ≥ "26.7"). */
function atLeast(version: string, series: string): boolean {
  return compareVersions(version, series) >= 0;
}

function snake(command: string): string {
  return command.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export async function startOpnsenseApi(overrides: Partial<ServerOptions> = {}): Promise<OpnsenseApi> {
  const merged = { ...DEFAULT_OPTIONS, ...overrides };
  const options: ResolvedOptions = {
    ...merged,
    ...rollbackBehaviour(merged.version),
    ...(overrides.savepoints === undefined ? {} : { savepoints: overrides.savepoints }),
    ...(overrides.brokenRollback === undefined ? {} : { brokenRollback: overrides.brokenRollback }),
  };
  if (options.users.length === 0) throw new Error("startOpnsenseApi needs at least one user");

  const vlan = vlanModel(options.parentDevices);
  const ids = idsApi(
    options.version,
    () => context(),
    (service) => countReconfigure(service),
  );
  const models: ItemModel[] = [
    ALIAS_MODEL,
    RULE_MODEL,
    vlan,
    UNBOUND_HOST_MODEL,
    keaSubnetModel(options.version),
    KEA_RESERVATION_MODEL,
    DNSMASQ_HOST_MODEL,
    syslogDestinationModel(options.version),
    ids.policyModel,
  ];
  const collections = new Map<string, Map<string, Raw>>(models.map((m) => [m.id, new Map()]));
  const store = (id: string): Map<string, Raw> => {
    const found = collections.get(id);
    if (!found) throw new Error(`no collection ${id}`);
    return found;
  };

  let interfaces: AssignedInterface[] = [...options.assignedInterfaces];
  let timeservers: string | undefined =
    "timeservers" in overrides ? overrides.timeservers : SAMPLE_TIMESERVERS;
  let activeRules = new Map<string, Raw>();
  let chrony: Raw = defaults(CHRONY_SCHEMA);
  const firmwareJobs = new Firmware(options.plugins);
  const nodeExporterSchemaOf = nodeExporterSchema(options.version);
  let nodeExporter: Raw = defaults(nodeExporterSchemaOf);
  let nodeExporterRc: string | undefined;
  let keaDhcpv4: Raw = defaults(KEA_DHCPV4_SETTINGS_SCHEMA);
  // src/etc/config.xml.sample ships Dnsmasq on, on lan, with a DHCP range on lan (192.168.1.100–199;
  // 26.1 adds an IPv6 one, also on lan) and port 0 (25.7) or 53053 (26.1, 26.7) (opnsense/core tags).
  let dnsmasq: Raw = {
    ...defaults(DNSMASQ_SETTINGS_SCHEMA),
    enable: "1",
    interface: "lan",
    port: atLeast(options.version, "26.1") ? "53053" : "0",
  };
  /** The sample's dhcp_ranges (not served through the API here): Dnsmasq hands out leases where one exists. */
  const dnsmasqRangeInterfaces = new Set(["lan"]);
  const running = new Map<string, boolean>([["dnsmasq/service", true]]);
  /** Each service's settings as its last reconfigure rendered them (what the daemon runs with). */
  const rendered = new Map<string, Raw>([["dnsmasq/service", { ...dnsmasq }]]);
  /** VLAN devices that exist on the box (created by vlan_settings/reconfigure). */
  let configuredVlans: Raw[] = [];
  const pf = new PfTables();
  const snapshots = new Map<string, Map<string, Raw>>();
  const rollbackTimers = new Map<string, NodeJS.Timeout>();
  let lastRevision = 0;

  const reconfigures: Record<string, number> = {};
  const requests: RequestRecord[] = [];
  const events: string[] = [];
  const pendingFaults: { spec: FaultSpec; remaining: number }[] = [];
  type DarkMode = "hang" | "reset" | "new-connections";
  let darkArmed: DarkMode | null = null;
  let dark: { mode: DarkMode; revision: string | null; established: Set<Socket> } | null = null;

  const sockets = new Set<Socket>();
  let closed = false;

  const countReconfigure = (moduleController: string) => {
    reconfigures[moduleController] = (reconfigures[moduleController] ?? 0) + 1;
  };

  const context = (): FieldContext => ({
    interfaces: new Map(interfaces.map((i) => [i.identifier, i.description ?? i.identifier.toUpperCase()])),
    aliasNames: new Set([...store(ALIAS_MODEL.id).values()].map((alias) => alias.name ?? "")),
    items: (id) => collections.get(id) ?? new Map(),
  });

  // -------------------------------------------------------------------------------------------
  // Validation and the generic model commands.

  function validations(model: ItemModel, uuid: string, item: Raw): Record<string, string | string[]> | null {
    const ctx = context();
    const others = [...store(model.id)].filter(([other]) => other !== uuid).map(([, raw]) => raw);
    const messages = validateItem(model.schema, item, others, ctx);
    for (const [field, message] of model.validate?.(item, ctx) ?? []) {
      const list = messages.get(field) ?? [];
      if (!list.includes(message)) list.push(message);
      messages.set(field, list);
    }
    if (messages.size === 0) return null;
    const out: Record<string, string | string[]> = {};
    for (const [field, list] of messages)
      out[`${model.key}.${field}`] = list.length === 1 ? (list[0] ?? "") : list;
    return out;
  }

  /**
   * FilterController::searchRuleAction lists a rule by its interfaces: without `interface` only the
   * rules on none or several (floating); with it, on 25.7 the rules on exactly that one, from 26.1 the
   * rules on exactly those (an inverted one only with `show_all`). 26.7 rewrote it (tag 26.7 ~89–147):
   * without an `interface` parameter every rule; with an empty one the floating rules (not on exactly
   * one interface, or inverted); with interfaces, the rules with no interface, the inverted ones that
   * name none of them, and every rule whose interfaces include one of them. Interface groups are not
   * modelled.
   */
  function ruleListed(rule: Raw, params: Record<string, unknown>): boolean {
    const asked = typeof params.interface === "string" ? params.interface : "";
    const showAll = params.show_all !== undefined && params.show_all !== "" && params.show_all !== "0";
    const own = (rule.interface ?? "").split(",").filter((i) => i !== "");
    const inverted = rule.interfacenot === "1";
    if (atLeast(options.version, "26.7")) {
      if (params.interface === undefined || own.length === 0) return true;
      const filter = asked.split(",").filter((i) => i !== "");
      const overlaps = filter.some((i) => own.includes(i));
      if (inverted) return !overlaps;
      if (filter.length === 0) return own.length !== 1;
      return overlaps;
    }
    if (!atLeast(options.version, "26.1")) {
      if (asked === "") return own.length !== 1;
      if (showAll) return own.includes(asked) || own.length === 0;
      return own.length === 1 && own[0] === asked;
    }
    const wanted = asked.split(",").filter((i) => i !== "");
    if (wanted.length === 0) return own.length !== 1 || inverted;
    const overlaps = wanted.some((i) => own.includes(i));
    const intersects = inverted ? !overlaps : overlaps;
    if (showAll) return intersects || own.length === 0;
    if (inverted) return false;
    return intersects && wanted.length === own.length;
  }

  /**
   * 26.7's searchRuleAction also merges the rules pf gets from outside the MVC model (`configctl filter
   * list non_mvc_rules`, scripts/filter/list_non_mvc_rules.php): `legacy: true`, `uuid` the rule's pf
   * label, `description` its descr. Two that every 26.7 firewall has: the default deny
   * (filter.lib.inc, no interface) and the GUI's anti-lockout on the LAN (filter.lib.inc).
   */
  function nonMvcRules(): Record<string, unknown>[] {
    if (!atLeast(options.version, "26.7")) return [];
    const row = (description: string, iface: string, action: string) => ({
      uuid: createHash("md5").update(description).digest("hex"),
      enabled: "1",
      legacy: true,
      is_automatic: true,
      interface: iface,
      action,
      direction: "in",
      description,
      sort_order: "",
    });
    return [
      row("Default deny / state violation rule", "", "block"),
      ...(interfaces.some((i) => i.identifier === "lan") ? [row("anti-lockout rule", "lan", "pass")] : []),
    ];
  }

  function search(model: ItemModel, params: Record<string, unknown>): Reply {
    const ctx = context();
    const rows: Record<string, unknown>[] = [...store(model.id)]
      .filter(([, item]) => model !== RULE_MODEL || ruleListed(item, params))
      .map(([uuid, item]) => searchRow(model.schema, uuid, item, ctx));
    if (model === RULE_MODEL) {
      rows.sort((a, b) => Number(a.sequence) - Number(b.sequence));
      rows.push(
        ...nonMvcRules().filter((rule) =>
          ruleListed({ interface: String(rule.interface), interfacenot: "0" }, params),
        ),
      );
    }
    if (model === vlan) {
      // VlanSettingsController::searchItemAction shows an assigned device as "vlan01 [LAN]".
      for (const row of rows) {
        const assigned = interfaces.find((i) => i.device === row.vlanif);
        if (assigned)
          row.vlanif = `${row.vlanif} [${assigned.description ?? assigned.identifier.toUpperCase()}]`;
      }
    }
    return ok(page(rows, params));
  }

  function get(model: ItemModel, uuid: string | undefined): Reply {
    const ctx = context();
    if (uuid === undefined) return ok({ [model.key]: render(model.schema, defaults(model.schema), ctx) });
    const item = store(model.id).get(uuid);
    // getBase() returns [] (a JSON array) for an unknown uuid.
    return ok(item ? { [model.key]: render(model.schema, item, ctx) } : []);
  }

  function add(model: ItemModel, method: string, body: Record<string, unknown>, overlay?: Raw): Reply {
    const posted = body[model.key];
    if (method !== "POST" || posted === undefined) return ok({ result: "failed" });
    const uuid = randomUUID();
    const item = defaults(model.schema);
    setNodes(model.schema, item, posted);
    if (overlay) Object.assign(item, overlay);
    const failed = validations(model, uuid, item);
    if (failed) return ok({ result: "failed", validations: failed });
    store(model.id).set(uuid, item);
    return ok({ result: "saved", uuid });
  }

  function set(
    model: ItemModel,
    method: string,
    uuid: string,
    body: Record<string, unknown>,
    overlay?: Raw,
  ): Reply {
    const posted = body[model.key];
    if (method !== "POST" || posted === undefined) return ok({ result: "failed" });
    const existing = store(model.id).get(uuid);
    // setBase() is an upsert for a well-formed uuid it does not know, and fails for anything else.
    if (!existing && !UUID.test(uuid)) return ok({ result: "failed" });
    const item = existing ? { ...existing } : defaults(model.schema);
    setNodes(model.schema, item, posted);
    if (overlay) Object.assign(item, overlay);
    const failed = validations(model, uuid, item);
    if (failed) return ok({ result: "failed", validations: failed });
    store(model.id).set(uuid, item);
    return ok({ result: "saved" });
  }

  function del(model: ItemModel, method: string, uuids: string): Reply {
    if (method !== "POST") return ok({ result: "failed" });
    let result = "failed";
    for (const uuid of uuids.split(",").filter((u) => u !== "")) {
      result = store(model.id).delete(uuid) ? "deleted" : "not found";
    }
    return ok({ result });
  }

  function toggle(model: ItemModel, method: string, uuid: string, enabled: string | undefined): Reply {
    if (method !== "POST") return ok({ result: "failed" });
    const item = store(model.id).get(uuid);
    if (!item) return ok({ result: "failed" });
    const next = enabled === "0" || enabled === "1" ? enabled : item.enabled === "1" ? "0" : "1";
    const changed = item.enabled !== next;
    item.enabled = next;
    return ok({ result: next === "1" ? "Enabled" : "Disabled", changed });
  }

  // -------------------------------------------------------------------------------------------
  // Controller specifics.

  /** VlanSettingsController::generateVlanIfName. */
  function vlanIfName(posted: Record<string, unknown>, current: Raw | undefined): string {
    const parent = typeof posted.if === "string" ? posted.if : (current?.if ?? "");
    const tag = typeof posted.tag === "string" || typeof posted.tag === "number" ? String(posted.tag) : "";
    const prefix = parent.includes("vlan") ? "qinq" : "vlan";
    if (typeof posted.vlanif === "string" && posted.vlanif !== "") return posted.vlanif;
    if (current && current.vlanif === `${parent}_vlan${tag}`) return current.vlanif;
    if (current && !(current.vlanif ?? "").includes("_vlan") && (current.vlanif ?? "").startsWith(prefix)) {
      return current.vlanif ?? "";
    }
    let highest = 0;
    for (const item of store(vlan.id).values()) {
      const match = new RegExp(`^${prefix}(\\d+)$`).exec(item.vlanif ?? "");
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    return `${prefix}0${highest + 1}`;
  }

  const assigned = (device: string) => interfaces.some((i) => i.device === device);

  function vlanCommand(
    command: string,
    method: string,
    params: string[],
    body: Record<string, unknown>,
  ): Reply | null {
    const posted = (typeof body.vlan === "object" && body.vlan !== null ? body.vlan : {}) as Record<
      string,
      unknown
    >;
    if (command === "add_item") {
      return add(vlan, method, body, { vlanif: vlanIfName(posted, undefined) });
    }
    if (command === "set_item") {
      const uuid = params[0];
      if (uuid === undefined) return missingParameter(command);
      if (method !== "POST" || body.vlan === undefined) return ok({ result: "failed" });
      const current = store(vlan.id).get(uuid);
      const oldName = current?.vlanif;
      const newName = vlanIfName(posted, current);
      const children = [...store(vlan.id).values()].filter(
        (v) => oldName !== undefined && v.if === oldName,
      ).length;
      if (oldName !== undefined && oldName !== newName && children > 0) {
        return ok({
          result: "failed",
          validations: {
            "vlan.vlanif": "This VLAN cannot be deleted because it is used in QinQ interfaces.",
          },
        });
      }
      if (oldName !== undefined && oldName !== newName && assigned(oldName)) {
        const tagChanged = posted.tag !== undefined && String(posted.tag) !== current?.tag;
        return ok({
          result: "failed",
          validations: tagChanged
            ? { "vlan.tag": "Interface is assigned and you cannot change the VLAN tag while assigned." }
            : {
                "vlan.vlanif": "Interface is assigned and you cannot change the device name while assigned.",
              },
        });
      }
      return set(vlan, method, uuid, body, { vlanif: newName });
    }
    if (command === "del_item") {
      const uuid = params[0];
      if (uuid === undefined) return missingParameter(command);
      const current = store(vlan.id).get(uuid);
      const name = current?.vlanif;
      if (method === "POST" && name !== undefined) {
        if ([...store(vlan.id).values()].some((v) => v.if === name)) {
          return userException("This VLAN cannot be deleted because it is used in QinQ interfaces.");
        }
        if (assigned(name)) {
          return userException("This VLAN cannot be deleted because it is assigned as an interface.");
        }
      }
      return del(vlan, method, uuid);
    }
    if (command === "reconfigure") {
      if (method !== "POST") return ok({ status: "failed" });
      configuredVlans = [...store(vlan.id).values()].map((v) => ({ ...v }));
      countReconfigure(vlan.moduleController);
      return ok({ status: "ok" });
    }
    return null;
  }

  /**
   * Alias::whereUsed() (Firewall/Alias.php): searchConfig() over the MVC filter rules' source_net,
   * source_port, destination_net, destination_port (key `<path>.<index>/<field>`, value the node's
   * `descr`, which MVC rules do not have), then the aliases that list it (key the item's reference,
   * value its description or name).
   */
  function aliasInUse(name: string): [string, string][] {
    const uses: [string, string][] = [];
    for (const field of ["source_net", "source_port", "destination_net", "destination_port"]) {
      [...store(RULE_MODEL.id).values()].forEach((rule, index) => {
        if ((rule[field] ?? "").split(",").includes(name)) {
          uses.push([`OPNsense.Firewall.Filter.rules.rule.${index}/${field}`, ""]);
        }
      });
    }
    for (const [uuid, alias] of store(ALIAS_MODEL.id)) {
      if (["geoip", "urltable"].includes(alias.type ?? "")) continue;
      if ((alias.content ?? "").split("\n").includes(name)) {
        uses.push([`aliases.alias.${uuid}`, alias.description || (alias.name ?? "")]);
      }
    }
    return uses;
  }

  /** AliasController::delItemAction: the message names the alias from 26.7 on. */
  function aliasInUseMessage(name: string, uses: [string, string][]): string {
    const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const list = uses.map(([key, value]) => escape(`\n[${key}] ${value}`)).join("");
    return atLeast(options.version, "26.7")
      ? `Cannot delete alias ${name}. Currently in use by ${list}`
      : `Cannot delete alias. Currently in use by ${list}`;
  }

  /**
   * AliasController::getItemAction: getBase(), then `content` becomes AliasContentField::getNodeData()
   * (the stored text split on "\n", untrimmed, each `{value, selected: 1}`; an empty content is the one
   * entry "") plus every other alias as `{selected: 0, value}`, and every alias entry gains its
   * `description`. For an unknown uuid getBase() returns [] and array_keys() of the missing content
   * throws: api.php's catch-all answers HTTP 500.
   */
  function aliasGet(uuid: string | undefined): Reply {
    const item = uuid === undefined ? defaults(ALIAS_MODEL.schema) : store(ALIAS_MODEL.id).get(uuid);
    if (!item) return { status: 500, body: { errorMessage: "Unexpected error, check log for details" } };
    const rendered = render(ALIAS_MODEL.schema, item, context());
    const content: Record<string, { selected: number; value: string; description?: string }> = {};
    for (const entry of (item.content ?? "").split("\n")) content[entry] = { value: entry, selected: 1 };
    for (const other of store(ALIAS_MODEL.id).values()) {
      const name = other.name ?? "";
      const entry = (content[name] ??= { selected: 0, value: name });
      entry.description = other.description ?? "";
    }
    rendered.content = content;
    return ok({ alias: rendered });
  }

  function aliasCommand(command: string, method: string, params: string[]): Reply | null {
    if (command === "get_item") return aliasGet(params[0]);
    if (command === "del_item") {
      const uuid = params[0];
      if (uuid === undefined) return missingParameter(command);
      const alias = store(ALIAS_MODEL.id).get(uuid);
      if (method === "POST" && alias) {
        const uses = aliasInUse(alias.name ?? "");
        if (uses.length > 0) return userException(aliasInUseMessage(alias.name ?? "", uses), "Alias in use");
      }
      return del(ALIAS_MODEL, method, uuid);
    }
    if (command === "reconfigure") {
      if (method !== "POST") return ok({ status: "failed" });
      countReconfigure(ALIAS_MODEL.moduleController);
      return ok({ status: "ok" });
    }
    return null;
  }

  /** alias_util on the pf tables (./pf.ts), with the alias's config entry it may rewrite. */
  function aliasUtil(
    command: string,
    method: string,
    params: string[],
    body: Record<string, unknown>,
  ): Reply {
    const name = command === "aliases" ? "" : params[0];
    if (name === undefined) return missingParameter(command);
    const item = [...store(ALIAS_MODEL.id).values()].find((a) => a.name === name) as
      Record<string, string> | undefined;
    const configAlias = item
      ? {
          type: item.type ?? "",
          get content() {
            return item.content ?? "";
          },
          set content(value: string) {
            item.content = value;
          },
        }
      : undefined;
    const names = [...store(ALIAS_MODEL.id).values()].map((a) => String((a as Record<string, string>).name));
    const reply = pf.aliasUtil(command, method, name, body, configAlias, names);
    return command === "list" && reply.status === 200
      ? ok(page(reply.body as Record<string, unknown>[], body))
      : reply;
  }

  function nextRevision(): string {
    // Config.php writes revision/time as sprintf('%0.2f', microtime(true)) (opnsense/core#10721).
    let revision = Math.round(Date.now() / 10) / 100;
    if (revision <= lastRevision) revision = Math.round((lastRevision + 0.01) * 100) / 100;
    lastRevision = revision;
    return revision.toFixed(2);
  }

  function fireRollback(revision: string) {
    rollbackTimers.delete(revision);
    const snapshot = snapshots.get(revision);
    if (options.brokenRollback || !snapshot) {
      events.push(`rollback-failed ${revision}`);
      return;
    }
    collections.set(RULE_MODEL.id, clone(snapshot));
    activeRules = clone(snapshot);
    events.push(`rollback ${revision}`);
    if (dark && dark.revision === revision) dark = null;
  }

  function filterCommand(command: string, method: string, params: string[]): Reply | null {
    const savepointOnly = ["savepoint", "cancel_rollback", "revert"];
    if (savepointOnly.includes(command) && !options.savepoints) return notFound();
    if (command === "savepoint") {
      if (method !== "POST") return ok({ status: "error" });
      const revision = nextRevision();
      snapshots.set(revision, clone(store(RULE_MODEL.id)));
      events.push(`savepoint ${revision}`);
      return ok({ status: "ok", retention: "60", revision });
    }
    if (command === "apply") {
      if (method !== "POST") return ok({ status: "error" });
      activeRules = clone(store(RULE_MODEL.id));
      countReconfigure(RULE_MODEL.moduleController);
      const revision = options.savepoints ? params[0] : undefined;
      events.push(revision ? `apply ${revision}` : "apply");
      if (revision !== undefined && !rollbackTimers.has(revision)) {
        // rollback_timer.php: a second apply of the same revision does not extend the first timer.
        rollbackTimers.set(
          revision,
          setTimeout(() => fireRollback(revision), options.rollbackMs),
        );
      }
      return ok({ status: CONFIGD_OK });
    }
    if (command === "cancel_rollback") {
      const revision = params[0];
      if (revision === undefined) return missingParameter(command);
      if (method !== "POST") return ok({ status: "error" });
      const timer = rollbackTimers.get(revision);
      if (!timer) return ok({ status: "Execute error" });
      clearTimeout(timer);
      rollbackTimers.delete(revision);
      events.push(`cancel ${revision}`);
      return ok({ status: CONFIGD_OK });
    }
    if (command === "revert") {
      const revision = params[0];
      if (revision === undefined) return missingParameter(command);
      if (method !== "POST") return ok({ status: "error" });
      const snapshot = snapshots.get(revision);
      if (!snapshot) return ok({ status: "unknown (or removed) savepoint" });
      collections.set(RULE_MODEL.id, clone(snapshot));
      activeRules = clone(snapshot);
      events.push(`revert ${revision}`);
      return ok({ status: "ok" });
    }
    return null;
  }

  /**
   * Core/Api/ServiceController.php searchAction over `configctl service list` (plugins_services()):
   * `{id, locked, running, description, name}`. ntpd is listed whenever `system/timeservers` is set
   * (plugins.inc.d/ntpd.inc ntpd_enabled() is isset(), ntpd_services()), and then runs, bound to UDP 123
   * on every address unless Services > Network Time > General names interfaces (ntpd.inc
   * ntpd_configure_do).
   */
  function serviceRows(): Record<string, unknown>[] {
    const row = (name: string, description: string, isRunning: boolean) => ({
      id: name,
      locked: 0,
      running: isRunning ? 1 : 0,
      description,
      name,
    });
    // Only ntpd is modelled: the names other services get in `service list` are not needed here.
    return timeservers !== undefined ? [row("ntpd", "Network Time Daemon", true)] : [];
  }

  /** Diagnostics/Api/SystemController.php systemInformationAction: name, versions, updates. */
  function systemInformation(): Reply {
    return ok({
      name: "OPNsense.internal",
      versions: [`OPNsense ${options.version}-amd64`, "FreeBSD 14.3-RELEASE-p5", "OpenSSL 3.0.17 1 Jul 2025"],
      updates: "Click to check for updates.",
    });
  }

  function firmware(command: string, method: string, params: string[]): Reply {
    const [major = "0", minor = "0"] = options.version.split(".");
    const series = `${major}.${minor}`;
    const product = {
      product_name: "OPNsense",
      product_version: options.version,
      product_series: series,
      product_abi: series,
      product_arch: "amd64",
      product_id: "opnsense",
    };
    if (command === "status") return ok({ product, status: "none" });
    if (command === "install" || command === "remove")
      return ok(firmwareJobs.start(command, params[0] ?? "", method));
    if (command === "upgradestatus") return ok(firmwareJobs.status());
    if (command !== "info") return notFound();
    const pkg = (name: string, version: string, comment: string, plugin: boolean) => ({
      name,
      version,
      comment,
      flatsize: "N/A",
      locked: "N/A",
      license: "BSD2CLAUSE",
      repository: "OPNsense",
      origin: plugin ? `opnsense/${name}` : "opnsense/opnsense",
      provided: "1",
      installed: "1",
      path: plugin ? `OPNsense/opnsense/${name}` : "OPNsense/opnsense/opnsense",
      configured: plugin ? "1" : "0",
    });
    const plugins = firmwareJobs.pluginRows((name, version, installed) => ({
      ...pkg(name, version, `${name} plugin`, true),
      installed: installed ? "1" : "0",
      configured: installed ? "1" : "0",
    }));
    return ok({
      product_name: "OPNsense",
      product_version: options.version,
      product,
      package: [
        pkg("opnsense", options.version, "OPNsense firewall and routing platform", false),
        ...plugins.filter((row) => row.installed === "1"),
      ],
      plugin: plugins,
      changelog: [],
    });
  }

  /** interfaces/overview: devices that exist (physical ones and configured VLANs), assigned or not. */
  function overviewRows(): Record<string, unknown>[] {
    const vlanByDevice = new Map(configuredVlans.map((v) => [v.vlanif ?? "", v]));
    const rows: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const [index, iface] of interfaces.entries()) {
      const vlanItem = vlanByDevice.get(iface.device);
      const isVlanName = /^(vlan|qinq)0\d+$|_vlan\d+$/.test(iface.device);
      if (isVlanName && !vlanItem) continue; // assigned to a device that does not exist (yet)
      seen.add(iface.device);
      rows.push({
        device: iface.device,
        identifier: iface.identifier,
        description: iface.description ?? iface.identifier.toUpperCase(),
        enabled: iface.enabled ?? true,
        status: "up",
        flags: ["up", "broadcast", "running", "simplex", "multicast"],
        mtu: "1500",
        macaddr: `00:00:5e:00:53:${(index + 1).toString(16).padStart(2, "0")}`,
        is_physical: !isVlanName,
        link_type: iface.ipv4 ? "static" : "none",
        addr4: iface.ipv4 ?? "",
        addr6: "",
        ipv4: iface.ipv4 ? [{ ipaddr: iface.ipv4 }] : [],
        vlan_tag: vlanItem?.tag ?? null,
        gateways: [],
        routes: [],
      });
    }
    for (const item of configuredVlans) {
      if (seen.has(item.vlanif ?? "")) continue;
      rows.push({
        device: item.vlanif,
        identifier: "",
        description: "Unassigned Interface",
        status: "up",
        flags: ["up", "broadcast", "running", "simplex", "multicast"],
        mtu: "1500",
        is_physical: false,
        vlan: { tag: item.tag, parent: item.if, pcp: item.pcp },
      });
    }
    return rows;
  }

  /**
   * interfaces/assignment (26.7, Interfaces/Api/AssignmentController.php and NetworkInterface.{xml,php}):
   * search/get/add/set/del_item over `interface` items keyed by identifier, `reconfigure`. An add takes
   * `{interface: {if, descr, lock}}` and becomes the lowest free `optN` (serializeToConfig); it carries
   * no `enable` and no address: the model has no such fields. `if` must be an unassigned device
   * (DeviceField lists `interface list assign-opts`) and unique ("Can not assign a device to more
   * interfaces.").
   */
  function assignmentCommand(
    command: string,
    method: string,
    params: string[],
    body: Record<string, unknown>,
    query: Record<string, unknown>,
  ): Reply {
    const row = (iface: AssignedInterface) => ({
      uuid: iface.identifier,
      identifier: iface.identifier,
      descr: iface.description ?? "",
      if: iface.device,
      lock: "0",
    });
    if (command === "search_item") return ok(page(interfaces.map(row), { ...query, ...body }));
    if (command === "get_item") {
      const found = interfaces.find((iface) => iface.identifier === params[0]);
      return ok(found ? { interface: row(found) } : []);
    }
    if (command === "reconfigure") {
      if (method !== "POST") return ok({ status: "failed" });
      countReconfigure("interfaces/assignment");
      return ok({ status: "ok" });
    }
    if (command === "add_item") {
      const posted = body.interface;
      if (method !== "POST" || typeof posted !== "object" || posted === null) return ok({ result: "failed" });
      const fields = posted as Record<string, unknown>;
      const device = typeof fields.if === "string" ? fields.if : "";
      const options = new Set([...physicalDevices(), ...configuredVlans.map((v) => v.vlanif ?? "")]);
      const validations: Record<string, string> = {};
      if (device === "") validations["interface.if"] = "A value is required.";
      else if (interfaces.some((iface) => iface.device === device))
        validations["interface.if"] = "Can not assign a device to more interfaces.";
      else if (!options.has(device)) validations["interface.if"] = "Option not in list.";
      if (Object.keys(validations).length > 0) return ok({ result: "failed", validations });
      const taken = new Set(interfaces.map((iface) => iface.identifier));
      let next = 1;
      while (taken.has(`opt${next}`)) next++;
      interfaces = [
        ...interfaces,
        {
          identifier: `opt${next}`,
          device,
          description: typeof fields.descr === "string" && fields.descr !== "" ? fields.descr : `OPT${next}`,
          enabled: false,
        },
      ];
      return ok({ result: "saved", uuid: randomUUID() });
    }
    return notFound();
  }

  /** Physical devices: the parents VLANs may use, or those of the assigned interfaces. */
  function physicalDevices(): string[] {
    return [
      ...(options.parentDevices ?? []),
      ...options.assignedInterfaces.map((iface) => iface.device).filter((d) => !/vlan|qinq/.test(d)),
    ];
  }

  function overview(command: string, params: Record<string, unknown>): Reply {
    if (command === "export") return ok(overviewRows());
    if (command === "interfaces_info") return ok(page(overviewRows(), params));
    return notFound();
  }

  function chronyCommand(
    controller: string,
    command: string,
    method: string,
    body: Record<string, unknown>,
  ): Reply {
    if (!firmwareJobs.installed.has("os-chrony")) return notFound();
    if (controller === "service" && command === "reconfigure")
      return serviceReconfigure("chrony/service", method);
    if (controller !== "general") return notFound();
    return settingsCommand(
      CHRONY_SCHEMA,
      "general",
      command,
      method,
      body,
      () => chrony,
      (next) => {
        chrony = next;
      },
    );
  }

  /** os-node_exporter: General.xml under `general`; reconfigure renders rc.conf.d (nodeExporter.ts rcConf). */
  function nodeExporterCommand(
    controller: string,
    command: string,
    method: string,
    body: Record<string, unknown>,
  ): Reply {
    if (controller === "service" && command === "reconfigure") {
      if (method === "POST") nodeExporterRc = rcConf(nodeExporter);
      return serviceReconfigure("nodeexporter/service", method);
    }
    if (controller !== "general") return notFound();
    return settingsCommand(
      nodeExporterSchemaOf,
      "general",
      command,
      method,
      body,
      () => nodeExporter,
      (next) => {
        nodeExporter = next;
      },
    );
  }

  /** What each service's rc.conf.d template decides at reconfigure time. */
  function startsService(moduleController: string): boolean | undefined {
    switch (moduleController) {
      case "kea/service":
        return keaDhcpv4["general.enabled"] === "1" && (keaDhcpv4["general.interfaces"] ?? "") !== "";
      case "dnsmasq/service":
        return dnsmasq.enable === "1";
      case "chrony/service":
        return chrony.enabled === "1";
      case "nodeexporter/service":
        return nodeExporter.enabled === "1";
      default:
        return undefined;
    }
  }

  function serviceReconfigure(moduleController: string, method: string): Reply {
    if (method !== "POST") return ok({ status: "failed" });
    countReconfigure(moduleController);
    const starts = startsService(moduleController);
    if (starts !== undefined) running.set(moduleController, starts);
    if (moduleController === "dnsmasq/service") rendered.set(moduleController, { ...dnsmasq });
    if (moduleController === "kea/service") rendered.set(moduleController, { ...keaDhcpv4 });
    return ok({ status: "ok" });
  }

  /**
   * ApiMutableModelControllerBase getAction (GET only, `{<key>: getNodes()}`) and setAction (POST,
   * setNodes() of the posted `<key>`, validation under `<key>.<path>`, `{"result":"saved"}`).
   */
  function settingsCommand(
    schema: Schema,
    key: string,
    command: string,
    method: string,
    body: Record<string, unknown>,
    current: () => Raw,
    store: (next: Raw) => void,
    extra: Record<string, unknown> = {},
  ): Reply {
    if (command === "get") {
      return ok(method === "GET" ? { [key]: { ...render(schema, current(), context()), ...extra } } : []);
    }
    if (command !== "set") return notFound();
    if (method !== "POST") return ok({ result: "failed" });
    const next = { ...current() };
    setNodes(schema, next, body[key]);
    const messages = validateItem(schema, next, [], context());
    if (messages.size > 0) {
      const out: Record<string, string | string[]> = {};
      for (const [field, list] of messages)
        out[`${key}.${field}`] = list.length === 1 ? (list[0] ?? "") : list;
      return ok({ result: "failed", validations: out });
    }
    store(next);
    return ok({ result: "saved" });
  }

  // -------------------------------------------------------------------------------------------
  // Dispatch.

  function dispatch(
    method: string,
    segments: string[],
    query: Record<string, unknown>,
    body: Record<string, unknown>,
  ): Reply {
    const [module = "", controller = "", rawCommand = "", ...params] = segments;
    const command = snake(rawCommand);
    const moduleController = `${module}/${controller}`;
    const params0 = params[0];

    if (moduleController === "interfaces/vlan_settings") {
      const special = vlanCommand(command, method, params, body);
      if (special) return special;
    }
    if (moduleController === "firewall/alias") {
      const special = aliasCommand(command, method, params);
      if (special) return special;
    }
    if (moduleController === "firewall/filter") {
      const special = filterCommand(command, method, params);
      if (special) return special;
    }

    for (const model of models) {
      if (model.moduleController !== moduleController) continue;
      const suffix = `_${model.suffix}`;
      const verb =
        model.searchCommand === command
          ? "search"
          : command.endsWith(suffix)
            ? command.slice(0, -suffix.length)
            : "";
      if (verb === "") continue;
      switch (verb) {
        case "search":
          return search(model, { ...query, ...body });
        case "get":
          return get(model, params0);
        case "add":
          return add(model, method, body);
        case "set":
          return params0 === undefined ? missingParameter(command) : set(model, method, params0, body);
        case "del":
          return params0 === undefined ? missingParameter(command) : del(model, method, params0);
        case "toggle":
          return params0 === undefined
            ? missingParameter(command)
            : toggle(model, method, params0, params[1]);
        default:
          break;
      }
    }

    const idsReply = ids.dispatch(moduleController, command, method, params, body);
    if (idsReply) return idsReply;

    switch (moduleController) {
      case "kea/dhcpv4":
        // Dhcpv4Controller::getAction returns general, lexpire, ha and this_hostname.
        return settingsCommand(
          KEA_DHCPV4_SETTINGS_SCHEMA,
          "dhcpv4",
          command,
          method,
          body,
          () => keaDhcpv4,
          (next) => {
            keaDhcpv4 = next;
          },
          { this_hostname: "OPNsense" },
        );
      case "dnsmasq/settings":
        return settingsCommand(
          DNSMASQ_SETTINGS_SCHEMA,
          "dnsmasq",
          command,
          method,
          body,
          () => dnsmasq,
          (next) => {
            dnsmasq = next;
          },
        );
      case "firewall/alias_util":
        return aliasUtil(command, method, params, { ...query, ...body });
      case "unbound/service":
      case "kea/service":
      case "dnsmasq/service":
      case "syslog/service":
        return command === "reconfigure" ? serviceReconfigure(moduleController, method) : notFound();
      case "chrony/general":
      case "chrony/service":
        return chronyCommand(controller, command, method, body);
      case "core/firmware":
        return firmware(command, method, params);
      case "nodeexporter/general":
      case "nodeexporter/service":
        return nodeExporterCommand(controller, command, method, body);
      case "core/service":
        return command === "search" ? ok(page(serviceRows(), { ...query, ...body })) : notFound();
      case "diagnostics/firewall":
        return command === "kill_states" ? pf.killStates(method, { ...query, ...body }) : notFound();
      case "diagnostics/system":
        return command === "system_information" ? systemInformation() : notFound();
      case "interfaces/assignment":
        return assignmentCommand(command, method, params, body, query);
      case "interfaces/overview":
        return overview(command, { ...query, ...body });
      default:
        return notFound();
    }
  }

  // -------------------------------------------------------------------------------------------
  // HTTP.

  function authenticate(header: string | undefined): ApiUser | undefined {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    return options.users.find((user) => user.key === key && user.secret === secret);
  }

  const acl = aclFor(options.version);
  /** interfaces/assignment/* exists from 26.7 (Interfaces/Api/AssignmentController.php). */
  const assignmentApi = compareVersions(options.version, "26.7") >= 0;

  function allowed(user: ApiUser, apiPath: string): boolean {
    if (user.privileges === "all") return true;
    const granting = acl.granting(`api/${apiPath}`);
    return user.privileges.some((privilege) => granting.includes(privilege));
  }

  /** Controllers and actions this version (or its plugins) lacks: the router answers 404 before authentication. */
  function missingAction(apiPath: string): boolean {
    const [module, controller, command = ""] = apiPath.split("/");
    if (module === "firewall" && controller === "filter" && !options.savepoints) {
      return ["savepoint", "cancel_rollback", "revert"].includes(snake(command));
    }
    if (module === "interfaces" && controller === "assignment") return !assignmentApi;
    // Without the plugin its controllers do not exist: the router finds no namespace (InvalidUriException).
    if (module === "chrony") return !firmwareJobs.installed.has("os-chrony");
    if (module === "nodeexporter") return !firmwareJobs.installed.has(NODE_EXPORTER_PLUGIN);
    return false;
  }

  function lacksParameter(apiPath: string): boolean {
    const [module = "", controller = "", command = "", ...params] = apiPath
      .split("/")
      .filter((s) => s !== "");
    return params.length < requiredParameters(module, controller, snake(command));
  }

  function takeFault(apiPath: string, method: string, after: boolean): FaultSpec | undefined {
    for (const pending of pendingFaults) {
      const spec = pending.spec;
      if ((spec.after ?? false) !== after || pending.remaining <= 0) continue;
      if (spec.method && spec.method.toUpperCase() !== method) continue;
      const hit =
        typeof spec.path === "string"
          ? apiPath === normalizeApiPath(spec.path) || apiPath.startsWith(`${normalizeApiPath(spec.path)}/`)
          : spec.path.test(apiPath);
      if (!hit) continue;
      pending.remaining -= 1;
      return spec;
    }
    return undefined;
  }

  function send(res: http.ServerResponse, record: RequestRecord, reply: Reply) {
    // A controller that returns null (aliasesAction when configd fails) is sent as an empty body.
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    record.status = reply.status;
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=UTF-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  /** Carry out a fault; true when the request is done with (answered, hanging or reset). */
  function applyFault(
    fault: FaultSpec,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
  ) {
    record.fault = fault.kind;
    switch (fault.kind) {
      case "timeout":
        return; // accepted, never answered; close() destroys the socket
      case "reset":
        req.socket.destroy();
        return;
      case "401":
        send(res, record, { status: 401, body: { status: 401, message: "Authentication Failed" } });
        return;
      case "5xx": {
        // A failure in front of PHP (the web server, php-cgi gone): lighttpd's own HTML error page,
        // not an OPNsense JSON error. api.php's own 500s are the server's answers above.
        const status = fault.status ?? 500;
        const reason = http.STATUS_CODES[status] ?? "Error";
        const page = `<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1></body></html>\n`;
        record.status = status;
        res.writeHead(status, { "content-type": "text/html", "content-length": Buffer.byteLength(page) });
        res.end(page);
        return;
      }
      case "userException":
        send(res, record, userException(fault.message ?? "", fault.title ?? ""));
        return;
      case "truncated":
        res.writeHead(200, { "content-type": "application/json; charset=UTF-8", "content-length": 4096 });
        res.write('{"rows":[');
        setImmediate(() => req.socket.destroy());
        return;
      case "badStatus":
        req.socket.end("SSH-2.0-not-http\r\n\r\n");
        return;
    }
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string, tooBig: boolean) {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    let parsed: unknown = undefined;
    let jsonError = false;
    if (rawBody !== "") {
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        parsed = rawBody;
        jsonError = true;
      }
    }
    const record: RequestRecord = { method, path: `${url.pathname}${url.search}`, body: parsed };
    requests.push(record);

    if (dark && !(dark.mode === "new-connections" && dark.established.has(req.socket))) {
      record.fault = "dark";
      if (dark.mode !== "hang") req.socket.destroy();
      return;
    }
    const apiPath = normalizeApiPath(url.pathname);
    const before = takeFault(apiPath, method, false);
    if (before) {
      applyFault(before, req, res, record);
      return;
    }

    if (missingAction(apiPath) || lacksParameter(apiPath)) {
      send(res, record, notFound());
      return;
    }
    const user = authenticate(req.headers.authorization);
    if (!user) {
      send(res, record, { status: 401, body: { status: 401, message: "Authentication Failed" } });
      return;
    }
    record.user = user.name ?? user.key;
    if (tooBig) {
      send(res, record, { status: 413, body: { message: "Request Entity Too Large", status: 413 } });
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      send(res, record, notFound());
      return;
    }
    if (!allowed(user, apiPath)) {
      send(res, record, { status: 403, body: { status: 403, message: "Forbidden" } });
      return;
    }
    if (
      method === "POST" &&
      contentType.startsWith("application/json") &&
      (rawBody.trim() === "" || jsonError)
    ) {
      send(res, record, { status: 400, body: { message: "Invalid JSON syntax", status: 400 } });
      return;
    }

    const segments = apiPath
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
    const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const body =
      parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    let reply: Reply;
    try {
      reply = dispatch(method, segments, query, body);
    } catch (error) {
      reply = { status: 500, body: { errorMessage: `fake OPNsense failed: ${String(error)}` } };
    }

    const after = takeFault(apiPath, method, true);
    if (after) {
      applyFault(after, req, res, record);
    } else {
      send(res, record, reply);
    }
    if (
      darkArmed &&
      segments[2] !== undefined &&
      snake(segments[2]) === "apply" &&
      apiPath.startsWith("firewall/filter/")
    ) {
      if (reply.status === 200 && method === "POST") {
        const revision = options.savepoints ? (segments[3] ?? null) : null;
        dark = { mode: darkArmed, revision, established: new Set(sockets) };
        darkArmed = null;
      }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(chunk);
    });
    req.on("error", () => undefined);
    req.on("end", () => {
      if (closed) return;
      handle(req, res, tooBig ? "" : Buffer.concat(chunks).toString("utf8"), tooBig);
    });
  });
  server.on("connection", (socket) => {
    if (dark?.mode === "new-connections") {
      socket.destroy(); // pf has no state for it and the rules now drop it
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake OPNsense has no TCP address");
  const port = address.port;

  const collectionFor = (moduleController: string, itemKey?: string): ItemModel => {
    const candidates = models.filter((m) => m.moduleController === moduleController);
    const model = itemKey ? candidates.find((m) => m.key === itemKey) : candidates[0];
    if (!model || (!itemKey && candidates.length > 1)) {
      throw new Error(
        `no single collection for ${moduleController}${itemKey ? `/${itemKey}` : ""}; ` +
          `known: ${models.map((m) => `${m.moduleController} (${m.key})`).join(", ")}`,
      );
    }
    return model;
  };
  const records = (items: Map<string, Raw>): ItemRecord[] =>
    [...items].map(([uuid, item]) => ({ ...item, uuid }) as ItemRecord);

  const state: ApiState = {
    items: (moduleController, itemKey) => records(store(collectionFor(moduleController, itemKey).id)),
    put(moduleController, fields, itemKey) {
      const model = collectionFor(moduleController, itemKey);
      const uuid = randomUUID();
      const item = { ...defaults(model.schema), ...fields };
      store(model.id).set(uuid, item);
      if (model === RULE_MODEL) activeRules.set(uuid, { ...item });
      return uuid;
    },
    activeRules: () => records(activeRules),
    chrony: () => ({ ...chrony }),
    nodeExporter: () => ({ ...nodeExporter }),
    nodeExporterRcConf: () => nodeExporterRc,
    firmware: firmwareJobs,
    keaDhcpv4: () => ({ ...keaDhcpv4 }),
    dnsmasq: () => ({ ...dnsmasq }),
    running: (service) => running.get(service) ?? false,
    reconfigures,
    requests,
    events,
    pendingRollbacks: () => [...rollbackTimers.keys()],
    assign(iface) {
      interfaces = [...interfaces.filter((i) => i.identifier !== iface.identifier), iface];
    },
    liveTable: (alias) => pf.table(alias),
    pfReboot: () => pf.reboot(),
    setConfigd: (up) => {
      pf.configdUp = up;
    },
    pfStates: () => pf.openStates(),
    addPfState: (state) => pf.addState(state),
    setTimeservers(servers) {
      timeservers = servers;
    },
    ids: ids.state,
    dhcpServers(iface) {
      const list = (value: string | undefined) => (value ?? "").split(",").filter((v) => v !== "");
      const servers: string[] = [];
      const dm = rendered.get("dnsmasq/service");
      if (
        running.get("dnsmasq/service") &&
        dm &&
        (list(dm.interface).length === 0 || list(dm.interface).includes(iface)) &&
        !list(dm["dhcp.no_interface"]).includes(iface) &&
        dnsmasqRangeInterfaces.has(iface)
      ) {
        servers.push("dnsmasq");
      }
      const kea = rendered.get("kea/service");
      if (running.get("kea/service") && kea && list(kea["general.interfaces"]).includes(iface))
        servers.push("kea");
      return servers;
    },
  };

  const faults: Faults = {
    inject(fault) {
      pendingFaults.push({ spec: fault, remaining: fault.times ?? 1 });
    },
    stopAnsweringAfterApply(mode = "hang") {
      darkArmed = mode;
    },
    clear() {
      pendingFaults.length = 0;
      darkArmed = null;
      dark = null;
    },
    get dark() {
      return dark !== null;
    },
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    options,
    state,
    faults,
    authorization(key) {
      const user = key === undefined ? options.users[0] : options.users.find((u) => u.key === key);
      if (!user) throw new Error(`no user with key ${key}`);
      return `Basic ${Buffer.from(`${user.key}:${user.secret}`).toString("base64")}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of rollbackTimers.values()) clearTimeout(timer);
      rollbackTimers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await done;
    },
  };
}

/** searchBase()/searchRecordsetBase() paging: current (1-based), rowCount (-1 or absent: all), searchPhrase. */
function page(rows: Record<string, unknown>[], params: Record<string, unknown>) {
  const phrase = typeof params.searchPhrase === "string" ? params.searchPhrase : "";
  const tokens = phrase
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== "");
  const matching = rows.filter((row) =>
    tokens.every((token) =>
      Object.values(row).some((value) =>
        JSON.stringify(value ?? "")
          .toLowerCase()
          .includes(token),
      ),
    ),
  );
  const rowCount = Number(params.rowCount ?? -1);
  const current = Math.max(1, Number(params.current ?? 1) || 1);
  const pageRows = rowCount > 0 ? matching.slice((current - 1) * rowCount, current * rowCount) : matching;
  return { rows: pageRows, rowCount: pageRows.length, total: matching.length, current };
}

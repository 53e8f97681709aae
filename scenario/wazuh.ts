/**
 * The manager's side of hop 2, offline: a clamd log line, as the agent forwards it, turned into the
 * alert Wazuh 4.14 writes to alerts.json and hands integratord and execd. Pure.
 *
 * Decoding and rule matching are the ported analysisd of components/endpoint/clamav/wazuh/analysisd.ts
 * over Wazuh's own files (wazuh/wazuh@v4.14.6 ruleset/decoders/0075-clamav_decoders.xml, the
 * `clamd-found` decoder: url, extra_data, id; ruleset/rules/0320-clam_av_rules.xml, 52500 → 52502
 * "ClamAV: Virus detected"), then Fortress's local_rules.xml as the manager gets it (ossecConf.ts
 * renderLocalRules(DEFAULT_LOCAL_RULES): 100200, if_sid 52502, level 12). analysisd emits one alert,
 * for the deepest rule that matched: 100200; the chain is kept for the printout.
 *
 * The alert's shape is to_json.c `Eventinfo_to_jsonstr` and json_extended.c `W_ParseJSON` of
 * wazuh/wazuh@v4.14.6 (src/analysisd/format/): `timestamp` (`%FT%T.mmm%z`), `rule` {level,
 * description, id, firedtimes, mail, groups — the enclosing `<group name>` then the rule's `<group>`,
 * split on commas, compliance prefixes moved to their own arrays}, `agent` {id, name, ip (the
 * `_agent_ip` label)}, `manager` {name}, `id` (`<seconds>.<alert counter>`), `cluster`, `full_log`,
 * `predecoder` {program_name, timestamp, hostname}, `decoder` {parent, name}, `data` {id, url,
 * extra_data}, `location` (the part after `->` of `(agent) any->/path`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decode, matchRules, preDecode } from "../components/endpoint/clamav/wazuh/analysisd";
import { AGENT_PATHS } from "../components/endpoint/clamav/activeResponse";
import { DEFAULT_LOCAL_RULES, renderLocalRules } from "../components/siem/manager/ossecConf";
import type { Integration } from "../components/siem/manager/ossecConf";

const FIXTURES = join(__dirname, "../components/endpoint/clamav/fixtures");
/** wazuh/wazuh@v4.14.6 ruleset/decoders/0075-clamav_decoders.xml (verbatim fixture). */
export const CLAMD_DECODERS = readFileSync(join(FIXTURES, "wazuh-v4.14.6-0075-clamav_decoders.xml"), "utf8");
/** wazuh/wazuh@v4.14.6 ruleset/rules/0320-clam_av_rules.xml, rules 52500–52504 (verbatim fixture). */
export const CLAMD_RULES = readFileSync(
  join(FIXTURES, "wazuh-v4.14.6-0320-clam_av_rules.excerpt.xml"),
  "utf8",
);
/** Fortress's local_rules.xml as the manager has it. */
export const LOCAL_RULES = renderLocalRules(DEFAULT_LOCAL_RULES);
/** Wazuh's rules, then the local ones: analysisd loads local_rules.xml last. */
const RULESET = CLAMD_RULES + LOCAL_RULES;

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly ip: string;
}

export interface WazuhAlert {
  readonly timestamp: string;
  readonly rule: {
    readonly level: number;
    readonly description: string;
    readonly id: string;
    readonly firedtimes: number;
    readonly mail: boolean;
    readonly groups: readonly string[];
    readonly [compliance: string]: unknown;
  };
  readonly agent: Agent;
  readonly manager: { readonly name: string };
  readonly id: string;
  readonly cluster: { readonly name: string; readonly node: string };
  readonly full_log: string;
  readonly predecoder: {
    readonly program_name: string;
    readonly timestamp: string;
    readonly hostname: string;
  };
  readonly decoder: { readonly parent: string; readonly name: string };
  readonly data: Readonly<Record<string, string>>;
  readonly location: string;
}

export interface Decision {
  readonly alert: WazuhAlert;
  /** Wazuh's rule and the leaf that fired, e.g. 52502, 100200. */
  readonly chain: readonly string[];
}

/** json_extended.c add_group*: a group with one of these prefixes goes to its own array. */
const COMPLIANCE: readonly [string, string][] = [
  ["pci_dss_", "pci_dss"],
  ["cis_", "cis"],
  ["gdpr_", "gdpr"],
  ["gpg13_", "gpg13"],
  ["hipaa_", "hipaa"],
  ["nist_800_53_", "nist_800_53"],
  ["tsc_", "tsc"],
];

/** The `<group name>` that encloses rule `id` in a rules file (rules.c: it heads the rule's groups). */
function enclosingGroup(xml: string, id: string): string {
  const at = xml.indexOf(`<rule id="${id}"`);
  const before = at < 0 ? "" : xml.slice(0, at);
  const names = [...before.matchAll(/<group name="([^"]*)">/g)];
  return names.at(-1)?.[1] ?? "";
}

function ruleGroups(groups: string): { groups: string[]; compliance: Record<string, string[]> } {
  const plain: string[] = [];
  const compliance: Record<string, string[]> = {};
  for (const token of groups.split(",").filter(Boolean)) {
    const kind = COMPLIANCE.find(([prefix]) => token.startsWith(prefix));
    if (kind) (compliance[kind[1]] ??= []).push(token.slice(kind[0].length));
    else plain.push(token);
  }
  return { groups: plain, compliance };
}

/** The rules a clamd line climbs, root to leaf, across Wazuh's file and Fortress's local rules. */
function ruleChain(line: string) {
  const event = preDecode(line);
  if (!event) throw new Error(`not a syslog line Wazuh's pre-decoder reads: ${line}`);
  const decoded = decode(CLAMD_DECODERS, event);
  if (decoded?.decoder !== "clamd-found") throw new Error(`not decoded as clamd-found: ${line}`);
  const stock = matchRules(CLAMD_RULES, event, decoded);
  const leaf = matchRules(RULESET, event, decoded);
  if (!stock || !leaf) throw new Error(`no rule matched: ${line}`);
  const chain = [...new Set([stock.id, leaf.id])];
  return { event, decoded, leaf, chain };
}

/** The local-time timestamp analysisd writes (W_JSON_AddTimestamp), in UTC here: `+0000`. */
export function wazuhTimestamp(time: Date): string {
  return time.toISOString().replace("Z", "+0000");
}

export interface AlertContext {
  readonly agent: Agent;
  readonly manager: string;
  /** When analysisd received the event. */
  readonly time: Date;
  /** analysisd's alert counter (get_global_alert_second_id), and how often the rule fired so far. */
  readonly counter: number;
  readonly firedtimes: number;
}

/** The alert for one clamd line from an agent's detection log (components/endpoint AGENT_PATHS.detectionLog). */
export function alertFromClamdLine(line: string, context: AlertContext): Decision {
  const { event, decoded, leaf, chain } = ruleChain(line);
  const { groups, compliance } = ruleGroups(`${enclosingGroup(RULESET, leaf.id)}${leaf.groups.join(",")}`);
  const header = /^([A-Z][a-z]{2} [ 0-3]\d \d{2}:\d{2}:\d{2}) (\S+)/.exec(line);
  const alert: WazuhAlert = {
    timestamp: wazuhTimestamp(context.time),
    rule: {
      level: leaf.level,
      description: leaf.description,
      id: leaf.id,
      firedtimes: context.firedtimes,
      mail: false,
      groups,
      ...compliance,
    },
    agent: { id: context.agent.id, name: context.agent.name, ip: context.agent.ip },
    manager: { name: context.manager },
    id: `${Math.floor(context.time.getTime() / 1000)}.${context.counter}`,
    cluster: { name: "wazuh", node: context.manager },
    full_log: line,
    predecoder: {
      program_name: event.programName ?? "",
      timestamp: header?.[1] ?? "",
      hostname: header?.[2] ?? "",
    },
    decoder: { parent: decoded.decodedAs, name: decoded.decoder },
    // to_json.c adds id, url, extra_data in that order.
    data: Object.fromEntries(
      ["id", "url", "extra_data"]
        .filter((key) => decoded.fields[key])
        .map((key) => [key, decoded.fields[key]!]),
    ),
    location: AGENT_PATHS.detectionLog,
  };
  return { alert, chain };
}

/**
 * What execd writes on an active response's stdin (wazuh/wazuh@v4.14.6 src/analysisd/ar_json.c builds
 * it with the whole alert; src/os_execd/execd.c ExecdRun, lines 276-281, sets `command` to add, the
 * module to wazuh-execd and adds `program`). Only a response with a timeout ever gets `delete`, from
 * execd's timeout list (execd.c 150-197); Fortress's containment response has none.
 */
export function execdMessage(command: "add" | "delete", alert: object, executable: string): string {
  return `${JSON.stringify({
    version: 1,
    origin: { name: "node01", module: "wazuh-execd" },
    command,
    parameters: { extra_args: [], alert, program: `active-response/bin/${executable}` },
  })}\n`;
}

/**
 * execd's answer to a keys line: the same message with `command` replaced (execd.c 446-455 prints
 * json_root again). `abort` only for keys already in the timeout list, which needs a timeout (345).
 */
export function execdAnswer(message: string, answer: "continue" | "abort"): string {
  return `${JSON.stringify({ ...(JSON.parse(message) as object), command: answer })}\n`;
}

/**
 * The `<integration>` blocks an alert passes (src/os_integrator/integrator.c: a block's level, group and
 * rule filters are ANDed; `group` matches one of the alert's rule.groups exactly). integratord runs the
 * script once per block that passes.
 */
export function integrationsFor(alert: WazuhAlert, blocks: readonly Integration[]): Integration[] {
  // `ruleIds` (<rule_id>) is being added to Integration by another helper; read it where it is there.
  const ruleIds = (block: Integration) => (block as { ruleIds?: readonly number[] }).ruleIds;
  return blocks.filter(
    (block) =>
      (block.level === undefined || alert.rule.level >= block.level) &&
      (block.groups === undefined || block.groups.some((group) => alert.rule.groups.includes(group))) &&
      (ruleIds(block) === undefined || ruleIds(block)!.includes(Number(alert.rule.id))),
  );
}

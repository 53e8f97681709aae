/**
 * The Intrusion Detection's rulesets Fortress enables, by file name (`emerging-malware.rules`), as
 * OPNsense's IDS/Api/SettingsController.php offers them @ 25.7, 26.1, 26.7:
 * - `GET ids/settings/list_rulesets`: every installable ruleset (`ids list installablerulesets`, from
 *   scripts/suricata/metadata/rules/*.xml) with `filename`, `description` and `enabled`; a bare array of
 *   rows up to 25.7.x's early patches, `{rows, rowCount, total, current}` after (searchRecordsetBase).
 * - `POST ids/settings/toggle_ruleset/{f1,f2,…}/{0|1}`: sets each known name (IDS.php getFileNode adds
 *   its `files.file` node the first time) and answers `{"status": "0"|"1"}`, or `"error"` when a name is
 *   not installable; an unknown name changes nothing for itself, so names are checked first.
 * - `GET ids/settings/get_policy` (no uuid): a blank policy, whose `rulesets` options are the enabled
 *   files' node uuids with their file names: what a policy's `rulesets` takes.
 * - `POST ids/service/reconfigure` runs `ids install rules`: installRules.py installs every *.rules file
 *   on disk (lib/rulecache.py list_local globs the directory), its ruleset enabled or not. `POST
 *   ids/service/update_rules` (no parameter: it waits) runs `ids update` (actions_ids.conf: rule-updater.py,
 *   installRules.py, a reload): rule-updater.py downloads the enabled files and deletes the disabled ones.
 *   So a newly enabled file has no rule before it, and a disabled one stays loaded (and in IPS keeps
 *   dropping) until it runs: every change that adds or removes a ruleset ends with update_rules.
 *   (opnsense/core@25.7.3…26.7.2: src/opnsense/scripts/suricata/{installRules.py,rule-updater.py,
 *   lib/rulecache.py}, service/conf/actions.d/actions_ids.conf, IDS/Api/ServiceController.php.)
 */
import { call, type Connection, withWriteLock } from "./client";
import { OpnsenseError } from "./errors";
import { flattenValue } from "./items";
import { type FirewallRef, OpnsenseProvider } from "./provider";
import type * as pulumi from "@pulumi/pulumi";

export const RULESETS_KIND = "idsRulesets";

export interface RulesetsInputs {
  /** Routes the resource to this provider (dispatch.ts). */
  readonly kind: typeof RULESETS_KIND;
  readonly firewall: FirewallRef;
  /** The enabled file names, sorted, comma-joined. */
  readonly filenames: string;
  /** Where the names come from, for errors (`sensors.suricata.rulesets`). */
  readonly argument: string;
}

export interface RulesetsOutputs extends RulesetsInputs {
  /** Each enabled file's node uuid (what a policy's `rulesets` takes), by file name. */
  readonly fileUuids: Record<string, string>;
}

const RECONFIGURE = "ids/service/reconfigure";
/** `ids update` downloads every enabled ruleset (even when one is only removed): minutes on a slow link. Not retried (a second would download again). */
const DOWNLOAD_TIMEOUT_MS = 600_000;

export const splitNames = (joined: string): string[] =>
  [...new Set(joined.split(",").filter((name) => name !== ""))].sort();

interface RulesetRow {
  readonly filename?: unknown;
  readonly enabled?: unknown;
}

/** list_rulesets, in either of its shapes. */
export function rulesetRows(answer: unknown): RulesetRow[] {
  if (Array.isArray(answer)) return answer as RulesetRow[];
  const rows = (answer as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as RulesetRow[]) : [];
}

/** The names not among the firewall's installable rulesets, as an error naming the argument. */
export function unknownRulesets(
  wanted: readonly string[],
  known: readonly string[],
  argument: string,
): string | undefined {
  const offered = new Set(known);
  const unknown = wanted.filter((name) => !offered.has(name));
  if (unknown.length === 0) return undefined;
  const close = known
    .filter((name) => unknown.some((bad) => name.startsWith(bad.replace(/\.rules$/, ""))))
    .slice(0, 5);
  return (
    `${argument}: ${unknown.map((name) => `"${name}"`).join(", ")} ${unknown.length === 1 ? "is not a ruleset" : "are not rulesets"} ` +
    `this firewall offers (ids/settings/list_rulesets lists ${known.length}, by file name such as ` +
    `${(close.length > 0 ? close : known.slice(0, 3)).map((name) => `"${name}"`).join(", ")}). Fix the names, then run again`
  );
}

export class RulesetsProvider
  extends OpnsenseProvider
  implements pulumi.dynamic.ResourceProvider<RulesetsInputs, RulesetsOutputs>
{
  private async list(connection: Connection): Promise<RulesetRow[]> {
    return rulesetRows(
      await call(connection, "GET", "ids/settings/list_rulesets", undefined, this.timing.retry),
    );
  }

  private async toggle(connection: Connection, names: readonly string[], enabled: "0" | "1"): Promise<void> {
    if (names.length === 0) return;
    const path = `ids/settings/toggle_ruleset/${names.map(encodeURIComponent).join(",")}/${enabled}`;
    const answer = (await call(connection, "POST", path, {}, this.timing.retry)) as { status?: unknown };
    if (answer.status !== enabled) {
      throw new OpnsenseError(
        `OPNsense did not set the rulesets ${names.join(", ")} to ${enabled}: ${JSON.stringify(answer)}`,
      );
    }
  }

  /** The enabled files' node uuids, from a blank policy's `rulesets` options. */
  private async fileUuids(connection: Connection, names: readonly string[]): Promise<Record<string, string>> {
    const answer = (await call(
      connection,
      "GET",
      "ids/settings/get_policy",
      undefined,
      this.timing.retry,
    )) as {
      policy?: { rulesets?: Record<string, { value?: unknown }> };
    };
    const byName = new Map(
      Object.entries(answer.policy?.rulesets ?? {})
        .filter(([uuid]) => uuid !== "")
        .map(([uuid, option]) => [String(option.value ?? ""), uuid]),
    );
    const missing = names.filter((name) => !byName.has(name));
    if (missing.length > 0) {
      throw new OpnsenseError(
        `OPNsense lists no enabled ruleset file node for ${missing.join(", ")} (ids/settings/get_policy)`,
      );
    }
    return Object.fromEntries(names.map((name) => [name, byName.get(name) ?? ""]));
  }

  /**
   * `ids update`: downloads the enabled files, deletes the disabled ones (rule-updater.py) and installs
   * what is on disk. Without it a removed ruleset stays loaded: reconfigure installs every file on disk.
   */
  private async updateRules(connection: Connection): Promise<void> {
    const answer = (await call(
      connection,
      "POST",
      "ids/service/update_rules",
      {},
      {
        ...this.timing.retry,
        timeoutMs: Math.max(this.timing.retry.timeoutMs, DOWNLOAD_TIMEOUT_MS),
        retries: 0,
      },
    )) as { status?: unknown };
    // `ids update` answers OK whatever the download did (actions_ids.conf `errors:no`,
    // service/modules/actions/script.py); only a template failure ("template error") shows here.
    if (
      String(answer.status ?? "")
        .trim()
        .toUpperCase() !== "OK"
    ) {
      throw new OpnsenseError(
        `OPNsense could not update the rulesets (ids/service/update_rules: ${JSON.stringify(answer).slice(0, 200)}): ` +
          "check that the firewall reaches rules.emergingthreats.net, and System > Log Files > Backend",
      );
    }
  }

  /** Enables `add`, disables `remove`, makes it live, downloads what is new and drops what is gone; answers the uuids. */
  private async change(
    inputs: RulesetsInputs,
    add: readonly string[],
    remove: readonly string[],
  ): Promise<Record<string, string>> {
    const connection = this.connect(inputs.firewall);
    const wanted = splitNames(inputs.filenames);
    const known = (await this.list(connection)).map((row) => String(row.filename ?? ""));
    const problem = unknownRulesets(wanted, known, inputs.argument);
    if (problem) throw new OpnsenseError(problem);
    return withWriteLock(connection, async () => {
      await this.applying(connection, { kind: "reconfigure", path: RECONFIGURE }, async () => {
        await this.toggle(connection, remove, "0");
        await this.toggle(connection, add, "1");
      });
      // Removing needs it too: a disabled file stays on disk, and installed, until rule-updater.py deletes it.
      if (add.length > 0 || remove.length > 0) await this.updateRules(connection);
      return this.fileUuids(connection, wanted);
    });
  }

  async diff(_id: string, olds: RulesetsOutputs, news: RulesetsInputs): Promise<pulumi.dynamic.DiffResult> {
    const moved = olds.firewall.url !== news.firewall.url;
    return {
      changes: moved || olds.filenames !== news.filenames || olds.firewall.caCert !== news.firewall.caCert,
      replaces: moved ? ["firewall"] : [],
      deleteBeforeReplace: moved,
    };
  }

  async create(inputs: RulesetsInputs): Promise<pulumi.dynamic.CreateResult<RulesetsOutputs>> {
    const fileUuids = await this.change(inputs, splitNames(inputs.filenames), []);
    return { id: `${inputs.firewall.url}#ids-rulesets`, outs: { ...inputs, fileUuids } };
  }

  /** The recorded files that are still enabled: one disabled by hand shows as a change. */
  async read(id: string, props?: RulesetsOutputs): Promise<pulumi.dynamic.ReadResult<RulesetsOutputs>> {
    if (!props)
      throw new OpnsenseError(
        `cannot read the Intrusion Detection rulesets ${id} without their recorded state`,
      );
    const rows = await this.list(this.connect(props.firewall));
    const enabled = new Set(
      rows.filter((row) => flattenValue(row.enabled) === "1").map((row) => String(row.filename)),
    );
    const still = splitNames(props.filenames).filter((name) => enabled.has(name));
    return { id, props: { ...props, filenames: still.join(",") } };
  }

  async update(
    _id: string,
    olds: RulesetsOutputs,
    news: RulesetsInputs,
  ): Promise<pulumi.dynamic.UpdateResult<RulesetsOutputs>> {
    const before = new Set(splitNames(olds.filenames));
    const after = splitNames(news.filenames);
    const add = after.filter((name) => !before.has(name));
    const remove = [...before].filter((name) => !after.includes(name));
    const fileUuids = await this.change(news, add, remove);
    return { outs: { ...news, fileUuids } };
  }

  /** Turns Fortress's rulesets off again and has `ids update` delete their files, so Suricata drops their rules. */
  async delete(_id: string, props: RulesetsOutputs): Promise<void> {
    const connection = this.connect(props.firewall);
    const known = new Set((await this.list(connection)).map((row) => String(row.filename ?? "")));
    const ours = splitNames(props.filenames).filter((name) => known.has(name));
    await withWriteLock(connection, async () => {
      await this.applying(connection, { kind: "reconfigure", path: RECONFIGURE }, () =>
        this.toggle(connection, ours, "0"),
      );
      if (ours.length > 0) await this.updateRules(connection);
    });
  }
}

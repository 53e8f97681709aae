/**
 * The loopback OPNsense's pf tables and states, behind the two APIs containment calls, written from
 * opnsense/core@26.7.2 (the same code at 25.7.11 and 26.1.11):
 *
 * `firewall/alias_util/*` (mvc/app/controllers/OPNsense/Firewall/Api/AliasUtilController.php):
 * - add/{alias} (POST, `address`): an address with a character outside `[0-9a-f:./_]` answers
 *   `{"status":"not_an_address"}` before anything else (upper-case hex included). For an alias of type
 *   host or network the controller also writes the address into the alias's `content` in config
 *   (network: with /32 or /128 added), unless `array_search` finds it — which is falsy for index 0, so
 *   an address stored first is appended again (the index-0 bug). Then, for any alias that exists in
 *   config, `filter add table` (`pfctl -t <alias> -T add <address>`, actions_filter.conf) and
 *   `{"status":"done"}`, whatever pfctl said; no alias: `{"status":"failed","status_msg":"nonexistent
 *   alias <alias>"}`. Without POST or `address`: `{"status":"failed"}`.
 * - delete/{alias} (POST, `address`): for host/network aliases it removes the address (and address/32)
 *   from `content`; then `filter delete table` (scripts/filter/delete_table.py: deletes only a line of
 *   `pfctl -T show` equal to the argument) and `{"status":"done"}`, for an alias that does not exist
 *   too; no format check.
 * - list/{alias}: `searchRecordsetBase` over list_table.py's items, `{"ip": ...}` per entry.
 * - flush/{alias} (POST): `filter delete table <alias> ALL`, `{"status":"done"}`; GET: `failed`.
 * - aliases (GET): `json_decode(configdRun("filter list tables"))` (scripts/filter/list_tables.py,
 *   `pfctl -sT`), sorted natural and case-insensitive; the tables pf has, which after a filter load
 *   are every alias in config (filter.inc declares `table <name> persist` for each).
 * pf keeps a table as a set and shows a host without its /32 (/128).
 *
 * configd down (Core/Backend.php configdRun returns '' on a failed connect or read): `aliases`
 * returns null, which ApiControllerBase::afterExecuteRoute sends as an empty 200; `list` decodes
 * nothing (`?? []`) and answers 200 with no rows; add and delete still answer done, having done
 * nothing; kill_states answers `{"result":"failed"}` (its json_decode gives null).
 * reboot: every table comes back empty, as filter.inc loads an external alias as `table <name>
 * persist` without a file and update_tables.py never fills an external alias; states are gone.
 *
 * `diagnostics/firewall/kill_states` (Diagnostics/Api/FirewallController.php `killStatesAction`): POST
 * with `filter` (SanitizeFilter 'query': every character but `0-9a-zA-Z ,*-_.#` dropped, so `:` and
 * `/` go) or `ruleid`; kill_states.py drops the states query_states() matches — a filter word that
 * parses as an address or network matches a state whose source, destination, NAT address or gateway
 * overlaps it, another word must occur in the state's text — and the controller answers
 * `{"result":"ok","dropped_states":<n>}`; neither parameter, or not POST: `{"result":"failed"}`.
 */
import { BlockList, isIP } from "node:net";

export interface PfStateEntry {
  readonly id: string;
  readonly proto: string;
  readonly src_addr: string;
  readonly src_port: string;
  readonly dst_addr: string;
  readonly dst_port: string;
}

/** The alias in config as alias_util sees it: its type and content, which it may rewrite. */
export interface ConfigAlias {
  readonly type: string;
  content: string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}
const ok = (body: unknown): Reply => ({ status: 200, body });

/** What pfctl shows for an address it took, or undefined when pfctl refuses it. */
function pfEntry(address: string): string | undefined {
  const [host = "", mask, ...rest] = address.split("/");
  const family = isIP(host);
  if (family === 0 || rest.length > 0) return undefined;
  if (mask === undefined) return host;
  const bits = Number(mask);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(mask) || bits > max) return undefined;
  return bits === max ? host : `${host}/${bits}`;
}

/** Python's ipaddress.ip_network(strict=True) for one filter word, as a BlockList, or undefined. */
function networkOf(word: string): BlockList | undefined {
  const [host = "", mask, ...rest] = word.split("/");
  const family = isIP(host);
  if (family === 0 || rest.length > 0) return undefined;
  const type = family === 4 ? "ipv4" : "ipv6";
  const list = new BlockList();
  if (mask === undefined) {
    list.addAddress(host, type);
    return list;
  }
  const bits = Number(mask);
  if (!/^\d{1,3}$/.test(mask) || bits > (family === 4 ? 32 : 128)) return undefined;
  list.addSubnet(host, bits, type);
  // strict: host bits set is a ValueError (then the word is a text clause)
  if (family === 4) {
    const value = host.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
    if (bits < 32 && value % 2 ** (32 - bits) !== 0) return undefined;
  }
  return list;
}

export class PfTables {
  private readonly tables = new Map<string, Set<string>>();
  private states: PfStateEntry[] = [];
  /** false: configd does not answer (Backend::configdRun returns ''). */
  configdUp = true;

  /** The firewall rebooted: every table empty (still declared), no states. */
  reboot(): void {
    for (const table of this.tables.values()) table.clear();
    this.states = [];
  }

  table(alias: string): string[] {
    return [...(this.tables.get(alias) ?? [])];
  }

  /** Open states (as `pfctl -vvs state` would list them). */
  openStates(): readonly PfStateEntry[] {
    return this.states;
  }

  addState(state: Omit<PfStateEntry, "id">): void {
    this.states.push({ ...state, id: `${(this.states.length + 1).toString(16).padStart(16, "0")}/00000001` });
  }

  aliasUtil(
    command: string,
    method: string,
    alias: string,
    body: Record<string, unknown>,
    configAlias: ConfigAlias | undefined,
    configAliases: readonly string[] = [],
  ): Reply {
    const post = method === "POST";
    const address = typeof body.address === "string" ? body.address : undefined;
    switch (command) {
      case "aliases":
        return this.configdUp ? ok(this.tableNames(configAliases)) : ok(undefined);
      case "list":
        return ok(this.configdUp ? this.table(alias).map((ip) => ({ ip })) : []);
      case "flush":
        if (!post) return ok({ status: "failed" });
        this.tables.delete(alias);
        return ok({ status: "done" });
      case "add":
        if (!post || address === undefined) return ok({ status: "failed" });
        if (/[^0-9a-f:./_]/.test(address)) return ok({ status: "not_an_address" });
        if (configAlias && ["host", "network"].includes(configAlias.type))
          this.writeContent(configAlias, address);
        if (!configAlias) return ok({ status: "failed", status_msg: `nonexistent alias ${alias}` });
        if (this.configdUp) this.pfAdd(alias, address);
        return ok({ status: "done" });
      case "delete":
        if (!post || address === undefined) return ok({ status: "failed" });
        if (configAlias && ["host", "network"].includes(configAlias.type))
          this.removeContent(configAlias, address);
        if (this.configdUp) this.tables.get(alias)?.delete(address.trim());
        return ok({ status: "done" });
      default:
        return { status: 404, body: { errorMessage: "Endpoint not found" } };
    }
  }

  killStates(method: string, body: Record<string, unknown>): Reply {
    if (method !== "POST") return ok({ result: "failed" });
    const raw = typeof body.filter === "string" ? body.filter : "";
    const filter = raw.replace(/[^0-9a-zA-Z ,*\-_.#]/g, "");
    const ruleid = typeof body.ruleid === "string" ? body.ruleid.replace(/[^0-9a-zA-Z.]/g, "") : "";
    if ((filter === "" && ruleid === "") || !this.configdUp) return ok({ result: "failed" });
    const words = filter.split(/\s+/).filter((word) => word !== "");
    const nets = words.map(networkOf);
    const texts = words.filter((_, index) => nets[index] === undefined);
    const matches = (state: PfStateEntry) =>
      nets.every(
        (net) =>
          net === undefined ||
          [state.src_addr, state.dst_addr].some((addr) =>
            net.check(addr, isIP(addr) === 6 ? "ipv6" : "ipv4"),
          ),
      ) && texts.every((text) => Object.values(state).join(" ").includes(text));
    const dropped = this.states.filter(matches);
    this.states = this.states.filter((state) => !dropped.includes(state));
    return ok({ result: "ok", dropped_states: dropped.length });
  }

  /** `pfctl -sT`: the tables filter.inc declared (every alias in config) and those pfctl add created. */
  private tableNames(configAliases: readonly string[]): string[] {
    const names = new Set([...configAliases, ...this.tables.keys()]);
    return [...names].sort((a, b) => a.localeCompare(b, "en", { numeric: true, sensitivity: "base" }));
  }

  private pfAdd(alias: string, address: string) {
    const entry = pfEntry(address);
    if (entry === undefined) return; // pfctl refuses it; the controller still answers done
    const table = this.tables.get(alias) ?? new Set<string>();
    table.add(entry);
    this.tables.set(alias, table);
  }

  /** addAction's config side, with `if (!array_search($address, $items))` as written. */
  private writeContent(alias: ConfigAlias, given: string) {
    const items = alias.content !== "" ? alias.content.split("\n") : [];
    let address = given;
    if (!address.includes("/") && alias.type === "network") address += address.includes(":") ? "/128" : "/32";
    const index = items.indexOf(address);
    if (index <= 0) {
      items.push(address);
      alias.content = items.join("\n");
    }
  }

  private removeContent(alias: ConfigAlias, address: string) {
    const items = alias.content !== "" ? alias.content.split("\n") : [];
    const masked = address.includes("/") ? address : `${address}/${address.includes(":") ? "128" : "32"}`;
    const kept = [...items];
    for (const item of [masked, address]) {
      const index = kept.indexOf(item);
      if (index >= 0) kept.splice(index, 1);
    }
    if (kept.length !== items.length) alias.content = kept.join("\n");
  }
}

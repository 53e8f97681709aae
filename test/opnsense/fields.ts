/* eslint-disable max-lines -- split pending: issue #9 item 8 (the loopback OPNsense field types) */
/**
 * Field types of the fake OPNsense models, after OPNsense's MVC field types (BooleanField,
 * OptionField, NetworkField, ...). Each knows its default, whether it is required, how a posted
 * value is stored (setNodes), how it is checked, and how `get*` renders it (getNodes).
 *
 * Stored values are strings, as in config.xml. Messages are OPNsense's own where the model XML or
 * PHP gives one (cited where the field is used); the generic ones ("A value is required.", the
 * number range text, ...) are stand-ins: the provider must rely on the validation keys, not texts.
 */
import { isIP, isIPv4, isIPv6 } from "node:net";

/** A stored item: field path (dotted inside containers, e.g. `option_data.routers`) → value. */
export type Raw = Record<string, string>;

export interface Choice {
  readonly label: string;
}

/** What a field can see while validating or rendering. */
export interface FieldContext {
  /** Assigned interfaces: identifier (lan, opt1) → description. */
  readonly interfaces: ReadonlyMap<string, string>;
  /** Names of the configured firewall aliases. */
  readonly aliasNames: ReadonlySet<string>;
  /** Items of another collection (for ModelRelationField), by uuid. */
  items(collection: string): ReadonlyMap<string, Raw>;
}

export interface Field {
  readonly kind: "field";
  readonly default?: string;
  readonly required?: boolean;
  /** Separator used when an array is posted and for list rendering. */
  readonly separator?: string;
  /** AsList / Multiple: rendered as `{item: {value, selected: 1}}` when it has no fixed options. */
  readonly list?: boolean;
  /** Fixed or computed options: rendered as `{key: {value: label, selected: 0|1}}`. */
  options?(ctx: FieldContext): ReadonlyMap<string, string>;
  /** Blank option label for a non-required option field (OPNsense's BlankDesc, "None" by default). */
  readonly blank?: string;
  /** Checks of a non-empty value. */
  check?(value: string, ctx: FieldContext): string[];
  /** UniqueConstraint within the collection. */
  readonly unique?: {
    readonly message: string;
    readonly caseInsensitive?: boolean;
    readonly with?: string[];
  };
}

export interface Container {
  readonly kind: "container";
  readonly children: Readonly<Record<string, Field | Container>>;
}

export type Schema = Readonly<Record<string, Field | Container>>;

export const REQUIRED = "A value is required.";
export const NOT_IN_LIST = "Option not in list.";

// ---------------------------------------------------------------------------------------------
// Address helpers (OPNsense's Util::isIpAddress / isSubnet / isDomain, approximately).

export function isSubnet(value: string, family?: "ipv4" | "ipv6"): boolean {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!match) return false;
  const [, address = "", bits = ""] = match;
  const version = isIP(address);
  if (version === 0) return false;
  if (family === "ipv4" && version !== 4) return false;
  if (family === "ipv6" && version !== 6) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

export function isAddress(value: string, family?: "ipv4" | "ipv6"): boolean {
  if (family === "ipv4") return isIPv4(value);
  if (family === "ipv6") return isIPv6(value);
  return isIP(value) !== 0;
}

function ipv4ToInt(address: string): number {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Util::isIPInCIDR for IPv4. */
export function ipv4InCidr(address: string, cidr: string): boolean {
  if (!isIPv4(address) || !isSubnet(cidr, "ipv4")) return false;
  const [network = "", bitsText = "0"] = cidr.split("/");
  const bits = Number(bitsText);
  const size = 2 ** (32 - bits);
  const base = Math.floor(ipv4ToInt(network) / size) * size;
  const value = ipv4ToInt(address);
  return value >= base && value < base + size;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

export function isHostname(value: string, wildcard = false): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.replace(/\.$/, "").split(".");
  return labels.every((label, index) => (wildcard && index === 0 && label === "*") || LABEL.test(label));
}

export function isMac(value: string): boolean {
  return /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(value);
}

function split(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Field constructors.

interface Common {
  default?: string;
  required?: boolean;
  message?: string;
}

export function container(children: Record<string, Field | Container>): Container {
  return { kind: "container", children };
}

/** BooleanField: "0" or "1". */
export function bool(options: { default?: "0" | "1"; required?: boolean } = {}): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    check: (value) => (value === "0" || value === "1" ? [] : ["Value should be a boolean (0,1)."]),
  };
}

/** TextField, with an optional Mask. */
export function text(
  options: Common & { mask?: RegExp; unique?: Field["unique"]; check?: Field["check"] } = {},
): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    unique: options.unique,
    check: (value, ctx) => {
      if (options.mask && !options.mask.test(value)) return [options.message ?? "Invalid value."];
      return options.check ? options.check(value, ctx) : [];
    },
  };
}

/** DescriptionField: up to 255 characters. */
export function description(): Field {
  return text({
    mask: /^[\s\S]{0,255}$/u,
    message: "Description should be a string between 1 and 255 characters.",
  });
}

/** IntegerField with MinimumValue / MaximumValue. */
export function int(options: Common & { min?: number; max?: number } = {}): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    check: (value) => {
      const number = Number(value);
      const ok =
        /^-?\d+$/.test(value) &&
        (options.min === undefined || number >= options.min) &&
        (options.max === undefined || number <= options.max);
      if (ok) return [];
      return [options.message ?? `Value should be between ${options.min ?? "-"} and ${options.max ?? "-"}.`];
    },
  };
}

/** OptionField (Multiple: comma separated). */
export function option(
  choices: Record<string, string>,
  options: Common & { multiple?: boolean; blank?: string } = {},
): Field {
  const map = new Map(Object.entries(choices));
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator: ",",
    blank: options.blank,
    options: () => map,
    check: (value) => {
      const values = options.multiple ? split(value, ",") : [value];
      return values.every((v) => map.has(v)) ? [] : [options.message ?? NOT_IN_LIST];
    },
  };
}

/** NetworkField: an address or network; NetMaskRequired / NetMaskAllowed; AsList. */
export function network(
  options: Common & {
    family?: "ipv4" | "ipv6";
    netmask?: "required" | "allowed" | "forbidden";
    list?: boolean;
    separator?: string;
    unique?: Field["unique"];
  } = {},
): Field {
  const separator = options.separator ?? ",";
  const netmask = options.netmask ?? "allowed";
  const one = (value: string): boolean => {
    if (netmask !== "forbidden" && isSubnet(value, options.family)) return true;
    return netmask !== "required" && isAddress(value, options.family);
  };
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator,
    list: options.list,
    unique: options.unique,
    check: (value) => {
      const values = options.list ? split(value, separator) : [value];
      return values.every(one)
        ? []
        : [options.message ?? "Please specify a valid network segment or IP address."];
    },
  };
}

/** HostnameField: IpAllowed (default yes), HostWildcardAllowed, AsList. */
export function hostname(
  options: Common & { ipAllowed?: boolean; wildcard?: boolean; list?: boolean; separator?: string } = {},
): Field {
  const separator = options.separator ?? ",";
  const ipAllowed = options.ipAllowed ?? true;
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator,
    list: options.list,
    check: (value) => {
      const values = options.list ? split(value, separator) : [value];
      const ok = values.every((v) => (ipAllowed && isIP(v) !== 0) || isHostname(v, options.wildcard));
      return ok ? [] : [options.message ?? "Please specify a valid IP address or hostname."];
    },
  };
}

/** MacAddressField (AsList possible). */
export function mac(options: Common & { list?: boolean; unique?: Field["unique"] } = {}): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator: ",",
    list: options.list,
    unique: options.unique,
    check: (value) => {
      const values = options.list ? split(value, ",") : [value];
      return values.every(isMac) ? [] : [options.message ?? "Invalid MAC address."];
    },
  };
}

/** Well-known service names PortField accepts with EnableWellKnown (a subset of OPNsense's list). */
const WELL_KNOWN_PORTS = new Set([
  "cvsup",
  "domain",
  "ftp",
  "hbci",
  "http",
  "https",
  "aol",
  "auth",
  "imap",
  "imaps",
  "ipsec-msft",
  "isakmp",
  "l2f",
  "ldap",
  "ms-streaming",
  "afs3-fileserver",
  "microsoft-ds",
  "ms-wbt-server",
  "wins",
  "msnp",
  "nntp",
  "ntp",
  "netbios-dgm",
  "netbios-ns",
  "netbios-ssn",
  "openvpn",
  "pop3",
  "pop3s",
  "pptp",
  "radius",
  "radius-acct",
  "avt-profile-1",
  "sip",
  "smtp",
  "igmpv3lite",
  "urd",
  "snmp",
  "snmptrap",
  "ssh",
  "nat-stun-port",
  "submission",
  "teredo",
  "telnet",
  "tftp",
  "rfb",
]);

function isPort(value: string): boolean {
  return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
}

/** PortField: a port, well-known name, range (`a-b` or `a:b`) or port alias. */
export function port(
  options: Common & { wellKnown?: boolean; ranges?: boolean; alias?: boolean } = {},
): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    check: (value, ctx) => {
      const range = /^(\d{1,5})[-:](\d{1,5})$/.exec(value);
      const ok =
        isPort(value) ||
        (options.wellKnown === true && WELL_KNOWN_PORTS.has(value.toLowerCase())) ||
        (options.ranges === true && range !== null && isPort(range[1] ?? "") && isPort(range[2] ?? "")) ||
        (options.alias === true && ctx.aliasNames.has(value));
      return ok ? [] : [options.message ?? "Please specify a valid port number (1-65535)."];
    },
  };
}

/** ModelRelationField: uuid(s) of items in another collection. */
export function relation(
  collection: string,
  display: (item: Raw) => string,
  options: Common & { multiple?: boolean; blank?: string } = {},
): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator: ",",
    blank: options.blank,
    options: (ctx) => {
      const map = new Map<string, string>();
      for (const [uuid, item] of ctx.items(collection)) map.set(uuid, display(item));
      return map;
    },
    check: (value, ctx) => {
      const values = options.multiple ? split(value, ",") : [value];
      const items = ctx.items(collection);
      return values.every((v) => items.has(v)) ? [] : [options.message ?? NOT_IN_LIST];
    },
  };
}

/** InterfaceField: identifiers of assigned interfaces (lan, wan, opt1, ...). */
export function interfaceField(options: Common & { multiple?: boolean } = {}): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator: ",",
    options: (ctx) => ctx.interfaces,
    check: (value, ctx) => {
      const values = options.multiple ? split(value, ",") : [value];
      return values.every((v) => ctx.interfaces.has(v)) ? [] : [options.message ?? NOT_IN_LIST];
    },
  };
}

/** A field with a custom check (and optionally list rendering). */
export function custom(
  check: (value: string, ctx: FieldContext) => string[],
  options: Common & { list?: boolean; separator?: string; unique?: Field["unique"] } = {},
): Field {
  return {
    kind: "field",
    default: options.default ?? "",
    required: options.required,
    separator: options.separator,
    list: options.list,
    unique: options.unique,
    check,
  };
}

// ---------------------------------------------------------------------------------------------
// Walking a schema.

export function leaves(schema: Schema, prefix = ""): [string, Field][] {
  const result: [string, Field][] = [];
  for (const [name, node] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (node.kind === "container") result.push(...leaves(node.children, path));
    else result.push([path, node]);
  }
  return result;
}

export function defaults(schema: Schema): Raw {
  const raw: Raw = {};
  for (const [path, field] of leaves(schema)) raw[path] = field.default ?? "";
  return raw;
}

/**
 * setNodes(): copy the posted keys that exist in the schema onto `target`; unknown keys are ignored
 * (as OPNsense does). Booleans become "1" / "" (PHP's string cast), numbers strings, arrays are
 * joined with the field's separator, and a `{key: {selected: 1}}` map (what `get` returns) is
 * turned back into the selected keys.
 */
export function setNodes(schema: Schema, target: Raw, posted: unknown, prefix = ""): void {
  if (posted === null || typeof posted !== "object" || Array.isArray(posted)) return;
  for (const [name, value] of Object.entries(posted as Record<string, unknown>)) {
    const node = schema[name];
    if (!node) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    if (node.kind === "container") {
      setNodes(node.children, target, value, path);
      continue;
    }
    const converted = toStored(value, node.separator ?? ",");
    if (converted !== undefined) target[path] = converted;
  }
}

function toStored(value: unknown, separator: string): string | undefined {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "1" : "";
  if (Array.isArray(value)) return value.map((v) => toStored(v, separator) ?? "").join(separator);
  if (typeof value === "object") {
    const selected = Object.entries(value as Record<string, unknown>)
      .filter(
        ([, v]) =>
          typeof v === "object" && v !== null && Number((v as { selected?: unknown }).selected) === 1,
      )
      .map(([k]) => k)
      .filter((k) => k !== "");
    return selected.join(separator);
  }
  return undefined;
}

/** Field checks of one item; `others` are the collection's other items (for UniqueConstraint). */
export function validateItem(
  schema: Schema,
  item: Raw,
  others: readonly Raw[],
  ctx: FieldContext,
): Map<string, string[]> {
  const messages = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const list = messages.get(path) ?? [];
    if (!list.includes(message)) list.push(message);
    messages.set(path, list);
  };
  for (const [path, field] of leaves(schema)) {
    const value = item[path] ?? "";
    if (value === "") {
      if (field.required) add(path, REQUIRED);
      continue;
    }
    for (const message of field.check?.(value, ctx) ?? []) add(path, message);
    if (field.unique) {
      const norm = (v: string) => (field.unique?.caseInsensitive ? v.toLowerCase() : v);
      const clash = others.some(
        (other) =>
          norm(other[path] ?? "") === norm(value) &&
          (field.unique?.with ?? []).every((extra) => (other[extra] ?? "") === (item[extra] ?? "")),
      );
      if (clash) add(path, field.unique.message);
    }
  }
  return messages;
}

/** getNodes(): nested object, option-like fields as `{key: {value, selected}}`. */
export function render(schema: Schema, item: Raw, ctx: FieldContext, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (node.kind === "container") {
      out[name] = render(node.children, item, ctx, path);
      continue;
    }
    const value = item[path] ?? "";
    const separator = node.separator ?? ",";
    if (node.options) {
      const selected = new Set(split(value, separator));
      const rendered: Record<string, { value: string; selected: number }> = {};
      if (!node.required)
        rendered[""] = { value: node.blank ?? "None", selected: selected.size === 0 ? 1 : 0 };
      for (const [key, label] of node.options(ctx))
        rendered[key] = { value: label, selected: selected.has(key) ? 1 : 0 };
      out[name] = rendered;
    } else if (node.list) {
      const rendered: Record<string, { value: string; selected: number }> = {};
      for (const entry of split(value, separator)) rendered[entry] = { value: entry, selected: 1 };
      out[name] = rendered;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** A search row: stored values, plus `%field` descriptions for option-like fields. */
export function searchRow(
  schema: Schema,
  uuid: string,
  item: Raw,
  ctx: FieldContext,
): Record<string, string> {
  const row: Record<string, string> = { uuid };
  for (const [path, field] of leaves(schema)) {
    const value = item[path] ?? "";
    row[path] = value;
    if (field.options) {
      const options = field.options(ctx);
      row[`%${path}`] = split(value, field.separator ?? ",")
        .map((key) => options.get(key) ?? key)
        .join(", ");
    }
  }
  return row;
}

/* eslint-disable max-lines -- split pending: issue #9 item 8 (the loopback OPNsense models, into one file per model) */
/**
 * The OPNsense models the fake server keeps, each after its model XML (and the model class's
 * performValidation) in opnsense/core or opnsense/plugins. Only the fields the provider can touch,
 * plus the ones that carry defaults a `get` shows, are modelled; unknown posted keys are ignored
 * as OPNsense's setNodes() ignores them.
 */
import { isIP } from "node:net";
import {
  bool,
  container,
  custom,
  description,
  type FieldContext,
  hostname,
  int,
  interfaceField,
  ipv4InCidr,
  isAddress,
  isHostname,
  isSubnet,
  mac,
  network,
  option,
  port,
  type Raw,
  relation,
  type Schema,
  text,
} from "./fields";
import { compareVersions } from "./acl";

/** A model collection served by the generic search/get/add/set/del commands. */
export interface ItemModel {
  /** Collection id used by `api.state.items()`. */
  readonly id: string;
  /** `<module>/<controller>` of its endpoints. */
  readonly moduleController: string;
  /** The key the item is wrapped under in requests and answers (`{"rule": {...}}`). */
  readonly key: string;
  /** Command suffix: `add_<suffix>`, `search_<suffix>`, ... */
  readonly suffix: string;
  /** The search command when it is not `search_<suffix>` (Syslog's `search_destinations`). */
  readonly searchCommand?: string;
  readonly schema: Schema;
  /** performValidation() of the model class: [field path, message] pairs for one item. */
  validate?(item: Raw, ctx: FieldContext): [string, string][];
  /** Where the rules come from. */
  readonly source: string;
}

// ---------------------------------------------------------------------------------------------
// Firewall aliases: src/opnsense/mvc/app/models/OPNsense/Firewall/Alias.xml @ 936ab34ab833,
// FieldTypes/AliasNameField.php @ 002647aa23cd, FieldTypes/AliasContentField.php @ 06e1c552d96c.

/** pf reserved words (AliasNameField.php, from pfctl's parse.y). */
const PF_RESERVED = new Set(
  (
    "all allow-opts altq anchor antispoof any bandwidth binat binat-anchor bitmask block block-policy buckets " +
    "cbq code codelq crop debug divert-reply divert-to drop drop-ovl dup-to fail-policy fairq fastroute file " +
    "fingerprints flags floating flush for fragment from global group hfsc hogs hostid icmp-type icmp6-type " +
    "if-bound in include inet inet6 interval keep label limit linkshare load log loginterface max max-mss " +
    "max-src-conn max-src-conn-rate max-src-nodes max-src-states min-ttl modulate nat nat-anchor no no-df " +
    "no-route no-sync on optimization os out overload pass port prio priority priq probability proto qlimit " +
    "queue quick random random-id rdr rdr-anchor realtime reassemble reply-to require-order return " +
    "return-icmp return-icmp6 return-rst round-robin route route-to rtable rule ruleset-optimization scrub " +
    "set set-tos skip sloppy source-hash source-track state state-defaults state-policy static-port " +
    "sticky-address synproxy table tag tagged target tbrsize timeout to tos ttl upperlimit urpf-failed user"
  ).split(" "),
);

/** A few of the names getservbyname()/getprotobyname() know on OPNsense (stand-in for the real lists). */
const SERVICE_OR_PROTOCOL = new Set([
  "ah",
  "domain",
  "esp",
  "ftp",
  "gre",
  "http",
  "https",
  "icmp",
  "imap",
  "ip",
  "ldap",
  "ntp",
  "pop3",
  "smtp",
  "snmp",
  "ssh",
  "tcp",
  "telnet",
  "tftp",
  "udp",
]);

const aliasName = custom(
  (value) => {
    const messages: string[] = [];
    if (PF_RESERVED.has(value))
      messages.push(`The name cannot be the internally reserved keyword "${value}".`);
    if (!/^([a-zA-Z]|([_a-zA-Z][a-zA-Z0-9][_a-zA-Z0-9]{0,29}))$/.test(value)) {
      messages.push(
        "The name must start with a letter or single underscore, be less than 32 characters and only consist of alphanumeric characters or underscores.",
      );
    }
    if (SERVICE_OR_PROTOCOL.has(value.toLowerCase()))
      messages.push("Reserved protocol or service names may not be used");
    return messages;
  },
  { required: true, unique: { message: "An alias with this name already exists." } },
);

function aliasContentMessages(type: string, content: string, ctx: FieldContext): string[] {
  const entries = content.split("\n").filter((entry) => entry !== "");
  const messages: string[] = [];
  for (const entry of entries) {
    const negated = entry.startsWith("!") ? entry.slice(1) : null;
    switch (type) {
      case "host":
        if (negated !== null && isAddress(negated)) break;
        if (!ctx.aliasNames.has(entry) && !isAddress(entry) && !isHostname(entry)) {
          messages.push(`Entry "${entry}" is not a valid hostname or IP address.`);
        }
        break;
      case "network": {
        if (negated !== null && (isAddress(negated) || isSubnet(negated))) break;
        const range = entry.split("-");
        const isRange = range.length === 2 && range.every((part) => isAddress(part));
        if (!ctx.aliasNames.has(entry) && !isAddress(entry) && !isSubnet(entry) && !isRange) {
          messages.push(`Entry "${entry}" is not a network.`);
        }
        break;
      }
      case "port": {
        const range = /^(\d{1,5})[:-](\d{1,5})$/.exec(entry);
        const okPort = (p: string) => /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535;
        if (
          !ctx.aliasNames.has(entry) &&
          !okPort(entry) &&
          !(range && okPort(range[1] ?? "") && okPort(range[2] ?? ""))
        ) {
          messages.push(`Entry "${entry}" is not a valid port number.`);
        }
        break;
      }
      case "networkgroup":
        if (!ctx.aliasNames.has(entry)) messages.push(`Entry "${entry}" is not a valid alias.`);
        break;
      case "mac":
        if (!/^[0-9A-Fa-f]{2}(?:[:][0-9A-Fa-f]{2}){1,5}$/i.test(entry)) {
          messages.push(`Entry "${entry}" is not a valid (partial) MAC address.`);
        }
        break;
      case "geoip":
        // The real check reads iso3166.tab; two capital letters stands in for it.
        if (!/^[A-Z]{2}$/.test(entry)) messages.push(`Entry "${entry}" is not a valid country code.`);
        break;
      default:
        break;
    }
  }
  return messages;
}

export const ALIAS_MODEL: ItemModel = {
  id: "firewall/alias",
  moduleController: "firewall/alias",
  key: "alias",
  suffix: "item",
  source: "Firewall/Alias.xml, FieldTypes/AliasNameField.php, FieldTypes/AliasContentField.php",
  schema: {
    enabled: bool({ default: "1", required: true }),
    name: aliasName,
    type: option(
      {
        host: "Host(s)",
        network: "Network(s)",
        port: "Port(s)",
        url: "URL (IPs)",
        urltable: "URL Table (IPs)",
        geoip: "GeoIP",
        networkgroup: "Network group",
        mac: "MAC address",
        dynipv6host: "Dynamic IPv6 Host",
        external: "External (advanced)",
      },
      { required: true },
    ),
    proto: option({ IPv4: "IPv4", IPv6: "IPv6" }, { multiple: true }),
    counters: bool({ default: "0" }),
    updatefreq: text({
      mask: /^\d*\.?\d*$/,
      message: "Days and hours should be numeric values or left empty",
    }),
    // AliasContentField: newline separated, checked per type below.
    content: custom(() => [], { list: true, separator: "\n" }),
    description: text({
      mask: /^(.){1,255}$/u,
      message: "Description should be a string between 1 and 255 characters",
    }),
  },
  validate(item, ctx) {
    return aliasContentMessages(item.type ?? "", item.content ?? "", ctx).map((m) => ["content", m]);
  },
};

// ---------------------------------------------------------------------------------------------
// Filter rules: src/opnsense/mvc/app/models/OPNsense/Firewall/Filter.xml @ 02b1b47383bb (version 1.0.4),
// Filter.php @ 08447de57ee1 (performValidation).

/** ProtocolField: "any", /etc/protocols names upper-cased (a subset here), plus TCP/UDP. */
const PROTOCOLS = [
  "any",
  "ICMP",
  "IGMP",
  "GGP",
  "TCP",
  "UDP",
  "TCP/UDP",
  "GRE",
  "ESP",
  "AH",
  "IPV6-ICMP",
  "EIGRP",
  "OSPF",
  "PIM",
  "VRRP",
  "CARP",
  "PFSYNC",
  "L2TP",
  "SCTP",
  "IPIP",
  "IPV6",
  "IPENCAP",
  "ETHERIP",
  "MOBILE",
  "DIVERT",
];

/** NetworkAliasField: any, (self), an interface network/address, an alias, an address or a network. */
function networkAlias(ctx: FieldContext, value: string): boolean {
  if (value === "any" || value === "(self)") return true;
  if (ctx.interfaces.has(value)) return true;
  if (value.endsWith("ip") && ctx.interfaces.has(value.slice(0, -2))) return true;
  if (ctx.aliasNames.has(value)) return true;
  return isAddress(value) || isSubnet(value);
}

function netAliasField(): ReturnType<typeof custom> {
  return custom(
    (value, ctx) =>
      value.split(",").every((v) => networkAlias(ctx, v.trim()))
        ? []
        : ["Please specify a valid network segment, address or alias."],
    { default: "any", required: true, separator: "," },
  );
}

const PRIORITIES = {
  "1": "Background (1, lowest)",
  "0": "Best Effort (0, default)",
  "2": "Excellent Effort (2)",
  "3": "Critical Applications (3)",
  "4": "Video (4)",
  "5": "Voice (5)",
  "6": "Internetwork Control (6)",
  "7": "Network Control (7, highest)",
};

const TCP_FLAGS = {
  syn: "syn",
  ack: "ack",
  fin: "fin",
  rst: "rst",
  psh: "psh",
  urg: "urg",
  ece: "ece",
  cwr: "cwr",
};

const ICMP_TYPES = {
  echoreq: "Echo Request",
  echorep: "Echo Reply",
  unreach: "Destination Unreachable",
  redir: "Redirect",
  routeradv: "Router Advertisement",
  routersol: "Router Solicitation",
  timex: "Time Exceeded",
  paramprob: "Parameter Problem",
  timereq: "Timestamp",
  timerep: "Timestamp Reply",
  photuris: "Photuris",
};

const PORT_MESSAGE = "Please specify a valid portnumber, name, alias or range.";
const BIG = 2147483647;

export const RULE_MODEL: ItemModel = {
  id: "firewall/filter",
  moduleController: "firewall/filter",
  key: "rule",
  suffix: "rule",
  source: "Firewall/Filter.xml (1.0.4), Firewall/Filter.php",
  schema: {
    enabled: bool({ default: "1", required: true }),
    statetype: option(
      {
        keep: "keep state",
        sloppy: "sloppy state",
        modulate: "modulate state",
        synproxy: "synproxy state",
        none: "no state",
      },
      { default: "keep", required: true },
    ),
    "state-policy": option(
      { "if-bound": "Bind states to interface", floating: "Floating states" },
      { blank: "default" },
    ),
    sequence: int({
      min: 1,
      max: 999999,
      default: "1",
      required: true,
      message: "Sequence shall be between 1 and 999999.",
    }),
    action: option({ pass: "Pass", block: "Block", reject: "Reject" }, { default: "pass", required: true }),
    quick: bool({ default: "1", required: true }),
    interfacenot: bool({ default: "0", required: true }),
    interface: interfaceField({ multiple: true }),
    direction: option({ in: "In", out: "Out", any: "Both" }, { default: "in", required: true }),
    ipprotocol: option({ inet: "IPv4", inet6: "IPv6", inet46: "any" }, { default: "inet", required: true }),
    protocol: option(Object.fromEntries(PROTOCOLS.map((p) => [p, p])), { default: "any", required: true }),
    icmptype: option(ICMP_TYPES, { multiple: true }),
    source_net: netAliasField(),
    source_not: bool({ default: "0", required: true }),
    source_port: port({ wellKnown: true, ranges: true, alias: true, message: PORT_MESSAGE }),
    destination_net: netAliasField(),
    destination_not: bool({ default: "0", required: true }),
    destination_port: port({ wellKnown: true, ranges: true, alias: true, message: PORT_MESSAGE }),
    gateway: text(),
    replyto: text(),
    disablereplyto: bool({ default: "0", required: true }),
    log: bool({ default: "0", required: true }),
    allowopts: bool({ default: "0", required: true }),
    nosync: bool({ default: "0", required: true }),
    nopfsync: bool({ default: "0", required: true }),
    statetimeout: int({ min: 1, max: BIG }),
    "max-src-nodes": int({ min: 1, max: BIG }),
    "max-src-states": int({ min: 1, max: BIG }),
    "max-src-conn": int({ min: 1, max: BIG }),
    max: int({ min: 1, max: BIG }),
    "max-src-conn-rate": int({ min: 1, max: 4294967 }),
    "max-src-conn-rates": int({ min: 1, max: BIG }),
    overload: relation("firewall/alias", (alias) => alias.name ?? "", { message: "Alias not found." }),
    adaptivestart: int({ min: 0, max: BIG }),
    adaptiveend: int({ min: 0, max: BIG }),
    prio: option(PRIORITIES, { blank: "Any priority" }),
    "set-prio": option(PRIORITIES, { blank: "Keep current priority" }),
    "set-prio-low": option(PRIORITIES, { blank: "Keep current priority" }),
    tag: text({ mask: /^([0-9a-zA-Z.,_-]){0,512}$/u }),
    tagged: text({ mask: /^([0-9a-zA-Z.,_-]){0,512}$/u }),
    tcpflags1: option(TCP_FLAGS, { multiple: true }),
    tcpflags2: option(TCP_FLAGS, { multiple: true }),
    tcpflags_any: bool(),
    // No category model in the fake: any category uuid is "not found", as with an empty category list.
    categories: relation("firewall/category", (c) => c.name ?? "", {
      multiple: true,
      message: "Related category not found.",
    }),
    description: description(),
  },
  validate(rule) {
    const out: [string, string][] = [];
    const portProtos = ["TCP", "UDP", "TCP/UDP"];
    const protocol = rule.protocol ?? "";
    if ((rule.source_port ?? "") !== "" && !portProtos.includes(protocol)) {
      out.push(["source_port", "Source ports are only valid for tcp or udp type rules."]);
    }
    if ((rule.destination_port ?? "") !== "" && !portProtos.includes(protocol)) {
      out.push(["destination_port", "Destination ports are only valid for tcp or udp type rules."]);
    }
    for (const [field, label] of [
      ["destination_net", "Destination"],
      ["source_net", "Source"],
    ] as const) {
      const net = rule[field] ?? "";
      const isAddr = isSubnet(net) || isAddress(net);
      const family = net.includes(":") ? "inet6" : "inet";
      if (isAddr && family !== rule.ipprotocol) {
        out.push([field, `${label} address type should match selected TCP/IP protocol version.`]);
      }
      if (net.includes(",") && net.split(",").includes("any")) {
        out.push([field, "Any can not be combined with other aliases"]);
      }
    }
    if ((rule.icmptype ?? "") !== "" && protocol !== "ICMP") {
      out.push(["icmptype", "Option only applies to ICMP packets"]);
    }
    if ((rule.source_net ?? "").includes(",") && rule.source_not === "1") {
      out.push([
        "source_not",
        "Inverting sources is only allowed for single targets to avoid mis-interpretations",
      ]);
    }
    if ((rule.destination_net ?? "").includes(",") && rule.destination_not === "1") {
      // Filter.php attaches this one to destination_net (sic).
      out.push([
        "destination_net",
        "Inverting destinations is only allowed for single targets to avoid mis-interpretations",
      ]);
    }
    const interfaces = (rule.interface ?? "").split(",").filter((i) => i !== "");
    if ((rule.interfacenot ?? "") === "1" && interfaces.length !== 1) {
      out.push([
        "interfacenot",
        "Inverting interfaces is only allowed for single targets to avoid mis-interpretations",
      ]);
    }
    if (!["TCP", "TCP/UDP"].includes(protocol)) {
      for (const field of [
        "statetimeout",
        "max-src-conn",
        "tcpflags1",
        "tcpflags2",
        "tcpflags_any",
        "max-src-conn-rate",
        "max-src-conn-rates",
        "overload",
      ]) {
        if ((rule[field] ?? "") !== "" && rule[field] !== "0") {
          out.push([field, "Invalid option for other than TCP protocol choices."]);
        }
      }
    }
    if ((rule.tcpflags1 ?? "") !== "" && (rule.tcpflags2 ?? "") === "") {
      out.push([
        "tcpflags2",
        "If you specify TCP flags that should be set you should specify out of which flags as well.",
      ]);
    }
    if ((rule["set-prio"] ?? "") === "" && (rule["set-prio-low"] ?? "") !== "") {
      out.push([
        "set-prio-low",
        "Set priority for low latency and acknowledgements requires a set priority for normal packets.",
      ]);
    }
    if ((rule.gateway ?? "") !== "" && (rule.replyto ?? "") !== "") {
      out.push(["replyto", "You can not assign a reply-to destination to a rule that uses a gateway."]);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// VLAN devices: src/opnsense/mvc/app/models/OPNsense/Interfaces/Vlan.xml @ 0a4ccc54a83a,
// controllers/OPNsense/Interfaces/Api/VlanSettingsController.php @ 01ac41f66529.

/** VlanInterfaceField: a parent device. The option `parentDevices` of the server narrows it. */
export function vlanParent(parents: readonly string[] | undefined): ReturnType<typeof custom> {
  return custom(
    (value) => {
      const ok = parents ? parents.includes(value) : /^[a-z][a-z0-9_]*\d$/.test(value) && value !== "lo0";
      return ok ? [] : ["Option not in list."];
    },
    { required: true },
  );
}

export function vlanModel(parents: readonly string[] | undefined): ItemModel {
  return {
    id: "interfaces/vlan_settings",
    moduleController: "interfaces/vlan_settings",
    key: "vlan",
    suffix: "item",
    source: "Interfaces/Vlan.xml, Interfaces/Api/VlanSettingsController.php",
    schema: {
      if: vlanParent(parents),
      tag: {
        ...int({ min: 1, max: 4094, required: true }),
        unique: { message: "Tag for this device must be unique.", with: ["if"] },
      },
      pcp: option(PRIORITIES, { default: "0", required: true }),
      proto: option({ "802.1q": "802.1Q", "802.1ad": "802.1ad" }, { blank: "Auto" }),
      descr: description(),
      vlanif: text({ required: true, unique: { message: "The device name must be unique." } }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Unbound host overrides: src/opnsense/mvc/app/models/OPNsense/Unbound/Unbound.xml @ 013719911539 (hosts.host).

const DOMAIN_MASK =
  /^(?:(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/i;

export const UNBOUND_HOST_MODEL: ItemModel = {
  id: "unbound/settings",
  moduleController: "unbound/settings",
  key: "host",
  suffix: "host_override",
  source: "Unbound/Unbound.xml (hosts.host)",
  schema: {
    enabled: bool({ default: "1", required: true }),
    hostname: hostname({ wildcard: true, ipAllowed: false }),
    domain: text({ required: true, mask: DOMAIN_MASK, message: "A valid domain must be specified." }),
    rr: option(
      { A: "A (IPv4 address)", AAAA: "AAAA (IPv6 address)", MX: "MX (Mail server)" },
      { default: "A", required: true },
    ),
    mxprio: int(),
    mx: hostname(),
    ttl: int({ min: 0, max: BIG }),
    server: network(),
    description: description(),
  },
  validate(host) {
    const out: [string, string][] = [];
    // SetIfConstraint checks of Unbound.xml.
    if (host.rr === "MX" && (host.mxprio ?? "") === "")
      out.push(["mxprio", "The field MX Priority is required."]);
    if (host.rr === "MX" && (host.mx ?? "") === "") out.push(["mx", "The field MX Host is required."]);
    if ((host.rr === "A" || host.rr === "AAAA") && (host.server ?? "") === "") {
      out.push(["server", "The field IP address is required."]);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// Kea DHCPv4: src/opnsense/mvc/app/models/OPNsense/Kea/KeaDhcpv4.xml @ 0105c9bb6a3a,
// KeaDhcpv4.php @ 0105c9bb6a3a (performValidation), Kea/Api/Dhcpv4Controller.php @ 31bf0b0e6d4f.

function keaOptionData(): ReturnType<typeof container> {
  return container({
    domain_name_servers: network({ family: "ipv4", netmask: "forbidden", list: true }),
    domain_search: hostname({
      ipAllowed: false,
      list: true,
      message: "Please specify a valid list of domains.",
    }),
    routers: network({ family: "ipv4", netmask: "forbidden", list: true }),
    domain_name: hostname({ ipAllowed: false }),
    ntp_servers: network({ family: "ipv4", netmask: "forbidden", list: true }),
    time_servers: network({ family: "ipv4", netmask: "forbidden", list: true }),
  });
}

/**
 * KeaPoolsField (Kea/FieldTypes/KeaPoolsField.php): one pool a line, `from - to` or a CIDR. A plain
 * BaseField: get returns the text as stored, not an option map.
 */
const keaPools = custom(
  (value) =>
    value
      .split("\n")
      .filter((entry) => entry !== "")
      .filter((entry) => {
        const parts = entry.split("-").map((part) => part.trim());
        return !(isSubnet(entry) || (parts.length === 2 && parts.every((part) => isAddress(part))));
      })
      .map((entry) => `Entry "${entry}" is not a valid range or subnet.`),
  { separator: "\n" },
);

/** Subnets are unique from 26.1 on (opnsense/core 6d1ff4c975, #9435); 25.7 takes a second copy. */
export const keaSubnetModel = (version: string): ItemModel => ({
  id: "kea/dhcpv4/subnet4",
  moduleController: "kea/dhcpv4",
  key: "subnet4",
  suffix: "subnet",
  source: "Kea/KeaDhcpv4.xml (subnets.subnet4)",
  schema: {
    subnet: network({
      family: "ipv4",
      netmask: "required",
      required: true,
      ...(Number.parseFloat(version) >= 26.1 ? { unique: { message: "Subnet must be unique." } } : {}),
    }),
    valid_lifetime: int({ min: 0 }),
    next_server: network({ family: "ipv4", netmask: "forbidden" }),
    option_data_autocollect: bool({ default: "1", required: true }),
    option_data: keaOptionData(),
    "match-client-id": bool({ default: "1", required: true }),
    allocator: option(
      { iterative: "Iterative", random: "Random", flq: "Free Lease Queue" },
      { blank: "Default" },
    ),
    pools: keaPools,
    description: description(),
  },
  validate(subnet) {
    const out: [string, string][] = [];
    for (const line of (subnet.pools ?? "").split("\n").map((l) => l.trim())) {
      if (line === "" || !isSubnet(subnet.subnet ?? "", "ipv4")) continue;
      const ends = isSubnet(line) ? [line.split("/")[0] ?? ""] : line.split("-").map((p) => p.trim());
      if (!ends.every((end) => ipv4InCidr(end, subnet.subnet ?? ""))) {
        out.push(["pools", `Pool ${line} is not within subnet ${subnet.subnet}`]);
      }
    }
    return out;
  },
});

export const KEA_RESERVATION_MODEL: ItemModel = {
  id: "kea/dhcpv4/reservation",
  moduleController: "kea/dhcpv4",
  key: "reservation",
  suffix: "reservation",
  source: "Kea/KeaDhcpv4.xml (reservations.reservation), Kea/KeaDhcpv4.php",
  schema: {
    subnet: relation("kea/dhcpv4/subnet4", (s) => s.subnet ?? "", {
      required: true,
      message: "Related subnet not found.",
    }),
    ip_address: network({
      family: "ipv4",
      netmask: "forbidden",
      unique: { message: "Duplicate entry exists." },
    }),
    hw_address: mac({
      unique: { message: "Duplicate entry exists.", caseInsensitive: true, with: ["subnet"] },
    }),
    client_id: text({
      mask: /^(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$/,
      message: "Value must be a colon-separated hexadecimal sequence (e.g., 01:02:f3).",
      unique: { message: "Duplicate entry exists.", with: ["subnet"] },
    }),
    hostname: hostname(),
    description: description(),
    option_data: keaOptionData(),
  },
  validate(reservation, ctx) {
    const out: [string, string][] = [];
    const subnet = ctx.items("kea/dhcpv4/subnet4").get(reservation.subnet ?? "")?.subnet ?? "";
    if (!ipv4InCidr(reservation.ip_address ?? "", subnet))
      out.push(["ip_address", "Address not in specified subnet"]);
    const hasClient = (reservation.client_id ?? "") !== "";
    const hasMac = (reservation.hw_address ?? "") !== "";
    if (hasClient && hasMac) {
      out.push(["hw_address", "Either a client ID or a MAC address should be specified, but not both"]);
    } else if (!hasClient && !hasMac) {
      out.push(["hw_address", "Either a client ID or a MAC address should be specified."]);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// Dnsmasq hosts: src/opnsense/mvc/app/models/OPNsense/Dnsmasq/Dnsmasq.xml @ 03656f0e357c (hosts),
// Dnsmasq.php @ 01f364e1bdbd (performValidation).

export const DNSMASQ_HOST_MODEL: ItemModel = {
  id: "dnsmasq/settings",
  moduleController: "dnsmasq/settings",
  key: "host",
  suffix: "host",
  source: "Dnsmasq/Dnsmasq.xml (hosts), Dnsmasq/Dnsmasq.php",
  schema: {
    host: hostname({ wildcard: true, ipAllowed: false }),
    domain: text({ mask: DOMAIN_MASK, message: "A valid domain must be specified." }),
    local: bool(),
    ip: network({ netmask: "forbidden", list: true }),
    cnames: hostname({ ipAllowed: false, list: true }),
    client_id: text({
      mask: /^(?:\*|(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+))$/,
      message: 'Value must be a colon-separated hexadecimal sequence (e.g., 01:02:f3) or "*".',
    }),
    hwaddr: mac({ list: true }),
    lease_time: int(),
    ignore: bool(),
    descr: text(),
    comments: text(),
    aliases: hostname({ ipAllowed: false, list: true }),
  },
  validate(host) {
    const out: [string, string][] = [];
    if ((host.hwaddr ?? "") !== "" && (host.ip ?? "").includes(":")) {
      out.push(["ip", "Only IPv4 reservations are currently supported"]);
    }
    if ((host.host ?? "") === "" && (host.hwaddr ?? "") === "") {
      // Verbatim, typo included.
      out.push(["host", "Hostnames my only be omitted when a hardware address is offered."]);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// Chrony (os-chrony): opnsense/plugins master (2026-08-19, 8e4722853f81)
// net/chrony/src/opnsense/mvc/app/models/OPNsense/Chrony/General.xml; controllers Chrony/Api/
// GeneralController.php (key "general"), ServiceController.php. Its template (Chrony/chrony.conf)
// writes `port {{ port }}`: chrony's NTP server port, 323 by default, not 123.

export const CHRONY_SCHEMA: Schema = {
  enabled: bool({ default: "0", required: true }),
  port: port({ default: "323", required: true }),
  ntsclient: bool({ default: "0", required: true }),
  ntsnocert: bool({ default: "0", required: true }),
  peers: hostname({ default: "0.opnsense.pool.ntp.org", required: true, list: true }),
  fallbackpeers: hostname(),
  allowednetworks: network({ list: true }),
};

// ---------------------------------------------------------------------------------------------
// Kea DHCPv4 general settings: Kea/KeaDhcpv4.xml `general` (identical at 25.7 and 26.1; 26.7 adds
// fields with defaults), served by Kea/Api/Dhcpv4Controller.php get/set under the key "dhcpv4".
// Kea runs only when `enabled` is 1 and `interfaces` is not empty (templates/OPNsense/Kea/rc.conf.d,
// KeaDhcpv4::isEnabled()).

export const KEA_DHCPV4_SETTINGS_SCHEMA: Schema = {
  general: container({
    enabled: bool({ default: "0", required: true }),
    manual_config: bool(),
    interfaces: interfaceField({ multiple: true }),
    valid_lifetime: int({ default: "4000", required: true }),
    fwrules: bool({ default: "1", required: true }),
    dhcp_socket_type: option({ udp: "udp", raw: "raw" }, { default: "raw", required: true }),
  }),
};

// ---------------------------------------------------------------------------------------------
// Dnsmasq general settings: Dnsmasq/Dnsmasq.xml @ 25.7 (1.0.7) and 26.1 (1.0.8, adds dhcp.local),
// the top-level fields and `dhcp`, served by Dnsmasq/Api/SettingsController.php get/set under the key
// "dnsmasq". rc.conf.d enables it with `enable`; dnsmasq.conf listens on `interface` and on `port`
// (empty: dnsmasq's default 53; 0: no DNS, DHCP only).

export const DNSMASQ_SETTINGS_SCHEMA: Schema = {
  enable: bool(),
  regdhcp: bool(),
  regdhcpstatic: bool(),
  interface: interfaceField({ multiple: true }),
  port: int({ min: 0, max: 65535 }),
  dhcp: container({
    no_interface: interfaceField({ multiple: true }),
    fqdn: bool({ default: "1", required: true }),
    domain: hostname({ ipAllowed: false }),
    authoritative: bool(),
    default_fw_rules: bool({ default: "1", required: true }),
  }),
};

// ---------------------------------------------------------------------------------------------
// Syslog destinations: src/opnsense/mvc/app/models/OPNsense/Syslog/Syslog.xml (version 1.0.2, the same
// fields at 25.7, 26.1 and 26.7), Syslog.php performValidation (identical at the three tags),
// Syslog/Api/SettingsController.php (search_destinations; get/add/set/del/toggle_destination),
// FieldTypes/HostnameField.php (its message changed in 26.7), FieldTypes/CertificateField.php.

const SYSLOG_FACILITIES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "security",
  "console",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
];

/** A few of what `configctl syslog list applications` lists on a fresh install (a stand-in for it). */
const SYSLOG_APPLICATIONS = [
  "audit",
  "configd.py",
  "filterlog",
  "firewall",
  "lighttpd",
  "suricata",
  "unbound",
];

export const syslogDestinationModel = (version: string): ItemModel => ({
  id: "syslog/settings",
  moduleController: "syslog/settings",
  key: "destination",
  suffix: "destination",
  searchCommand: "search_destinations",
  source: "Syslog/Syslog.xml (destinations.destination), Syslog/Syslog.php",
  schema: {
    enabled: bool({ default: "1", required: true }),
    // <Default>udp</Default> is no option value: an item must name its transport.
    transport: option(
      { udp4: "UDP(4)", tcp4: "TCP(4)", udp6: "UDP(6)", tcp6: "TCP(6)", tls4: "TLS(4)", tls6: "TLS(6)" },
      { default: "udp", required: true },
    ),
    program: custom(
      (value) =>
        value === "" || value.split(",").every((app) => SYSLOG_APPLICATIONS.includes(app))
          ? []
          : ["Specify valid source applications."],
      { separator: "," },
    ),
    level: option(
      {
        debug: "debug",
        info: "info",
        notice: "notice",
        warn: "warn",
        err: "error",
        crit: "critical",
        alert: "alert",
        emerg: "emergency",
      },
      { multiple: true },
    ),
    facility: option(Object.fromEntries(SYSLOG_FACILITIES.map((name) => [name, name])), { multiple: true }),
    // HostnameField's message: 26.7 names the value (BaseField::getValidationMessage sprintf's a single %s).
    hostname: custom(
      (value) =>
        isIP(value) !== 0 || isHostname(value)
          ? []
          : [
              compareVersions(version, "26.7") >= 0
                ? `[${value}] is not a valid IP address or hostname.`
                : "Please specify a valid IP address or hostname.",
            ],
      { required: true },
    ),
    // No certificate exists on the double: any reference is unknown.
    certificate: custom((value) =>
      value === "" ? [] : ["Please select a valid certificate from the list."],
    ),
    port: port({ default: "514", required: true }),
    rfc5424: bool({ default: "0", required: true }),
    description: description(),
  },
  validate(item) {
    const out: [string, string][] = [];
    const transport = item.transport ?? "";
    const host = item.hostname ?? "";
    if (/^(udp|tcp|tls)[46]$/.test(transport) && isAddress(host)) {
      const hostFamily = host.includes(":") ? "6" : "4";
      if (transport[3] !== hostFamily)
        out.push(["hostname", "Transport protocol does not match address in hostname"]);
    }
    if ((transport === "tls4" || transport === "tls6") && (item.certificate ?? "") === "")
      out.push(["certificate", "A certificate is required for tls types"]);
    return out;
  },
});

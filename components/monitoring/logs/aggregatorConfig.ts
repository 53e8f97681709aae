/**
 * The Vector aggregator's configuration (the chart's `customConfig`), rendered by a pure function:
 *
 * - `syslog_udp`: syslog from OPNsense and the hosts on 514/UDP, the lab's syslog transport
 *   (vocabulary/services.ts `syslog`: 514/UDP, and 6514/TCP for TLS, which this source does not serve).
 * - `shippers` (when given): a `vector` source the VM shippers send Zeek's JSON and Greenbone's
 *   reports to over TLS, for Loki only (they write the indexer themselves, components/shipping). Why
 *   through the aggregator and not a `loki` sink on each VM: Loki stays inside the cluster behind its
 *   NetworkPolicy (no route from the VLANs to it), one place decides the labels, and the VMs' Vector
 *   gets one more sink of a kind it already speaks.
 * - A `remap` per input that stamps `fortress.stream`, `fortress.host` and `fortress.layer` from a
 *   fixed table of the lab's senders, so that Loki's labels are a small closed set: a sender outside
 *   the table is `other`/`unknown`, whatever name its messages claim (the name stays in the event).
 * - Sinks: syslog into the indexer (`elasticsearch`, `api_version: v7`, daily `fortress-syslog-*`, the
 *   fortress-vector-aggregator user) and everything into Loki, each with a disk buffer on the
 *   aggregator's protected claim, `when_full: block`, so a restart or an outage loses nothing.
 *
 * Keys as Vector 0.57.0 documents them (vectordotdev/vector@v0.57.0 website/cue/reference/, checked by
 * components/shipping/vectorSchema.fixtures.ts):
 * - components/sources/generated/syslog.cue (`address`, `mode` tcp|udp|unix), vector.cue (`address`,
 *   `tls`, `version` "2"), sinks/generated/loki.cue (`endpoint`, `encoding.codec`, `labels`,
 *   `out_of_order_action`), generated/configuration.cue (`api.enabled`, `api.address`).
 * - Vector 0.57.0 confines every templated sink value, Loki's labels too (src/sinks/loki/sink.rs
 *   `confine_template_map`; src/template.rs `ConfinementChecker::for_template`: a template with an event
 *   field needs a literal prefix, else the sink is refused at startup, `NoDerivableBase`), so each
 *   label value carries a fixed prefix (LOKI_LABEL_PREFIX): `{stream="fortress-syslog"}`.
 * - The syslog source writes the message's host name to `hostname` and the sender's address to
 *   `source_ip` (src/sources/syslog.rs `enrich_syslog_event`). Behind k3s's ServiceLB the address is
 *   the svclb pod's (it masquerades, components/siem/indexerRoute.ts), so the table matches the name
 *   first; the address matches senders that reach the pod directly.
 * - The chart passes `customConfig` through Helm's `tpl` (charts/vector/templates/configmap.yaml), so
 *   aggregatorValues.ts escapes every `{{` of it for Helm.
 */
import { MIN_DISK_BUFFER_BYTES, dailyIndex } from "../../shipping/vectorConfig";
import { SYSLOG_INDEX } from "../../shipping/streams";
import { VECTOR_API_PORT } from "./pins";

/** A sender the aggregator knows: the names and address its syslog may carry, and its labels. */
export interface LogSender {
  /** Inventory name: the `host` label. */
  readonly name: string;
  /** The blueprint layer: the `layer` label. */
  readonly layer: string;
  /** Its address on the lab network: the route admits it, and the table knows it by it. */
  readonly address: string;
  /** The host names its messages may carry (short, fqdn), besides the address. */
  readonly aliases: readonly string[];
}

/** Every name a sender is known by in the table: its address and its aliases, lowercased. */
const namesOf = (sender: LogSender) =>
  [sender.address, ...sender.aliases].map((alias) => alias.toLowerCase());

export interface AggregatorShippers {
  readonly port: number;
  /** The VM shippers by inventory name, each with its layer. */
  readonly hosts: readonly { readonly name: string; readonly layer: string }[];
  /**
   * The server certificate (paths in the pod), from the internal CA the shippers already trust for the
   * indexer. Server TLS only: the shippers have no client certificate; who may connect is the route's
   * source ranges and the NetworkPolicy (aggregatorRoute.ts).
   */
  readonly tls: { readonly crtFile: string; readonly keyFile: string };
}

export interface AggregatorConfigSpec {
  readonly senders: readonly LogSender[];
  readonly syslogPort: number;
  /** https URL of the indexer in the cluster. */
  readonly indexerUrl: string;
  readonly indexerUsername: string;
  /** The Loki push URL (Loki.url). */
  readonly lokiUrl: string;
  readonly shippers?: AggregatorShippers;
  readonly bufferBytes?: number;
}

/** Where the pod has what the configuration names (aggregatorValues.ts mounts them). */
export const AGGREGATOR_PATHS = {
  dataDir: "/vector-data-dir",
  secretsDir: "/etc/fortress/secrets",
  indexerCa: "/etc/fortress/indexer-ca/ca.pem",
  tlsDir: "/etc/fortress/tls",
} as const;
export const AGGREGATOR_SECRET_BACKEND = "fortress";
export const INDEXER_PASSWORD_KEY = "indexer_password";

/** Loki's labels: a small fixed set, each value `fortress-<value>`. */
export const LOKI_LABELS = ["stream", "host", "layer"] as const;
export const LOKI_LABEL_PREFIX = "fortress-";
/** The label value Loki stores for a value Fortress stamps (what dashboards query). */
export const lokiLabelValue = (value: string) => `${LOKI_LABEL_PREFIX}${value}`;
export const UNKNOWN_HOST = "other";
export const UNKNOWN_LAYER = "unknown";
export const SYSLOG_STREAM = "syslog";

/**
 * The components that each receive one log source alone, so that Vector's own
 * `vector_component_received_events_total{component_id}` says when that source went silent (the
 * monitoring rules' LogSourceSilent): the firewall's syslog but Suricata's, Suricata's EVE (the
 * firewall's `suricata` program), Zeek's logs from its VM's shipper.
 */
export const LOG_SOURCE_COMPONENTS = {
  opnsense: "opnsense_syslog",
  suricata: "suricata_eve",
  zeek: "zeek_logs",
} as const;

/** The firewall's syslog sender's name (its LogSender's `name`: the `host` label of its streams). */
export const FIREWALL_SENDER = "opnsense";
/** The blueprint layer the firewall's syslog sender carries (its LogSender's `layer`). */
export const FIREWALL_LAYER = "network";
/** The Zeek sensor's stream id (components/sensors/zeek/zeekSensor.ts). */
export const ZEEK_STREAM = "zeek";
/** Where Vector's own metrics are served for Prometheus (the prometheus_exporter sink's default port). */
export const VECTOR_METRICS_PORT = 9598;

const NAME = /^[a-z0-9][a-z0-9.:-]{0,62}$/;
const LABEL = /^[a-z][a-z0-9-]{0,31}$/;

function checkSpec(spec: AggregatorConfigSpec): void {
  if (spec.senders.length === 0) throw new Error("aggregator: no syslog sender");
  const aliases = spec.senders.flatMap(namesOf);
  if (new Set(aliases).size !== aliases.length) throw new Error("aggregator: a sender alias repeats");
  for (const sender of spec.senders) {
    if (!LABEL.test(sender.name) && !NAME.test(sender.name))
      throw new Error(`aggregator: ${sender.name} is no name`);
    if (!LABEL.test(sender.layer)) throw new Error(`aggregator: ${sender.layer} is no layer`);
    for (const alias of namesOf(sender))
      if (!NAME.test(alias)) throw new Error(`aggregator: ${alias} is no host name or address`);
  }
  for (const host of spec.shippers?.hosts ?? []) {
    if (!NAME.test(host.name)) throw new Error(`aggregator: ${host.name} is no host name`);
    if (!LABEL.test(host.layer)) throw new Error(`aggregator: ${host.layer} is no layer`);
  }
  if (!/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(spec.indexerUrl))
    throw new Error(`aggregator: the indexer ${spec.indexerUrl} is no https URL`);
  if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(spec.lokiUrl))
    throw new Error(`aggregator: Loki ${spec.lokiUrl} is no URL`);
  const buffer = spec.bufferBytes ?? MIN_DISK_BUFFER_BYTES;
  if (!Number.isInteger(buffer) || buffer < MIN_DISK_BUFFER_BYTES)
    throw new Error(`aggregator: a disk buffer holds at least ${MIN_DISK_BUFFER_BYTES} bytes`);
}

const vrlObject = (entries: readonly (readonly [string, string])[]) =>
  `{ ${entries.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(", ")} }`;

/**
 * The syslog remap: the sender looked up by its message's host name, then by its address, in the
 * fixed table; Fortress's fields set last. VRL as vectordotdev/vrl@33fec9b defines it (Vector
 * 0.57.0's): src/stdlib/get.rs (fallible: `?? null`), string.rs (fallible on any), downcase.rs.
 */
export function syslogProgram(senders: readonly LogSender[]): string {
  const hosts = senders.flatMap((s) => namesOf(s).map((alias) => [alias, s.name] as const));
  const layers = senders.flatMap((s) => namesOf(s).map((alias) => [alias, s.layer] as const));
  return [
    `hosts = ${vrlObject(hosts)}`,
    `layers = ${vrlObject(layers)}`,
    'by_name = downcase(string(.hostname) ?? "")',
    'by_address = downcase(string(.source_ip) ?? "")',
    "host = get(hosts, [by_name]) ?? null",
    "layer = get(layers, [by_name]) ?? null",
    "if host == null {",
    "  host = get(hosts, [by_address]) ?? null",
    "  layer = get(layers, [by_address]) ?? null",
    "}",
    // Behind ServiceLB the source address is the svclb pod's (it masquerades), and a sender's own
    // host name may be none the table knows (OPNsense's is its system hostname). The route admits
    // the senders' addresses alone (aggregatorRoute.ts, before the masquerade), so with one sender
    // every message that arrives is that sender's.
    ...(senders.length === 1 && senders[0]
      ? [
          "if host == null {",
          `  host = ${JSON.stringify(senders[0].name)}`,
          `  layer = ${JSON.stringify(senders[0].layer)}`,
          "}",
        ]
      : []),
    `.fortress.stream = ${JSON.stringify(SYSLOG_STREAM)}`,
    `.fortress.host = string(host) ?? ${JSON.stringify(UNKNOWN_HOST)}`,
    `.fortress.layer = string(layer) ?? ${JSON.stringify(UNKNOWN_LAYER)}`,
    "",
  ].join("\n");
}

/**
 * The shippers' remap: their own `fortress.stream`/`fortress.host` (components/shipping
 * vectorConfig.ts `remapProgram`) kept only when they are in the table, the layer from the table.
 */
export function shippedProgram(shippers: AggregatorShippers, streams: readonly string[]): string {
  const layers = shippers.hosts.map((host) => [host.name, host.layer] as const);
  return [
    `layers = ${vrlObject(layers)}`,
    `streams = ${vrlObject(streams.map((stream) => [stream, stream] as const))}`,
    'name = string(.fortress.host) ?? ""',
    'stream = string(.fortress.stream) ?? ""',
    "layer = get(layers, [name]) ?? null",
    "known_stream = get(streams, [stream]) ?? null",
    `.fortress.host = if layer == null { ${JSON.stringify(UNKNOWN_HOST)} } else { name }`,
    `.fortress.layer = string(layer) ?? ${JSON.stringify(UNKNOWN_LAYER)}`,
    `.fortress.stream = string(known_stream) ?? ${JSON.stringify(UNKNOWN_LAYER)}`,
    "",
  ].join("\n");
}

const diskBuffer = (bytes: number) => ({ type: "disk", max_size: bytes, when_full: "block" });

export function aggregatorConfigDocument(
  spec: AggregatorConfigSpec,
  shippedStreams: readonly string[] = [],
): Record<string, unknown> {
  checkSpec(spec);
  const buffer = diskBuffer(spec.bufferBytes ?? MIN_DISK_BUFFER_BYTES);
  const address = (port: number) => `0.0.0.0:${port}`;
  const sources: Record<string, unknown> = {
    syslog_udp: { type: "syslog", mode: "udp", address: address(spec.syslogPort) },
  };
  const transforms: Record<string, unknown> = {
    syslog_fields: {
      type: "remap",
      inputs: ["syslog_udp"],
      source: syslogProgram(spec.senders),
    },
  };
  const routed = ["syslog_fields"];
  if (spec.shippers) {
    const { tls } = spec.shippers;
    sources.shippers = {
      type: "vector",
      address: address(spec.shippers.port),
      version: "2",
      tls: { enabled: true, crt_file: tls.crtFile, key_file: tls.keyFile, verify_certificate: false },
    };
    transforms.shipped_fields = {
      type: "remap",
      inputs: ["shippers"],
      source: shippedProgram(spec.shippers, shippedStreams),
    };
    routed.push("shipped_fields");
  }
  // Each source through a component of its own (LOG_SOURCE_COMPONENTS), then into Loki; the rest too.
  const firewall = `.fortress.layer == ${JSON.stringify(FIREWALL_LAYER)}`;
  const suricata = `${firewall} && .appname == "suricata"`;
  transforms.log_sources = {
    type: "route",
    inputs: routed,
    route: {
      suricata,
      opnsense: `${firewall} && .appname != "suricata"`,
      ...(spec.shippers ? { zeek: `.fortress.stream == ${JSON.stringify(ZEEK_STREAM)}` } : {}),
    },
  };
  const perSource = Object.entries({
    [LOG_SOURCE_COMPONENTS.opnsense]: "opnsense",
    [LOG_SOURCE_COMPONENTS.suricata]: "suricata",
    ...(spec.shippers ? { [LOG_SOURCE_COMPONENTS.zeek]: "zeek" } : {}),
  });
  for (const [id, route] of perSource)
    transforms[id] = {
      type: "remap",
      inputs: [`log_sources.${route}`],
      source: `.fortress.source = ${JSON.stringify(route)}\n`,
    };
  const lokiInputs = [...perSource.map(([id]) => id), "log_sources._unmatched"];
  sources.vector_metrics = { type: "internal_metrics" };
  // Component ids are one namespace across sources, transforms and sinks: Vector refuses a repeat
  // (vectordotdev/vector@v0.57.0 src/config/validation.rs `check_shape`).
  const sinks = {
    prometheus: {
      type: "prometheus_exporter",
      inputs: ["vector_metrics"],
      address: address(VECTOR_METRICS_PORT),
    },
    syslog_indexer: {
      type: "elasticsearch",
      inputs: ["syslog_fields"],
      endpoints: [spec.indexerUrl.replace(/\/$/, "")],
      api_version: "v7",
      mode: "bulk",
      bulk: { action: "index", index: dailyIndex(SYSLOG_INDEX) },
      auth: {
        strategy: "basic",
        user: spec.indexerUsername,
        password: `SECRET[${AGGREGATOR_SECRET_BACKEND}.${INDEXER_PASSWORD_KEY}]`,
      },
      tls: { ca_file: AGGREGATOR_PATHS.indexerCa, verify_certificate: true, verify_hostname: true },
      healthcheck: { enabled: true },
      buffer,
    },
    loki: {
      type: "loki",
      inputs: lokiInputs,
      endpoint: spec.lokiUrl.replace(/\/$/, ""),
      encoding: { codec: "json" },
      labels: Object.fromEntries(
        LOKI_LABELS.map((label) => [label, `${LOKI_LABEL_PREFIX}{{ fortress.${label} }}`]),
      ),
      out_of_order_action: "accept",
      healthcheck: { enabled: true },
      // Loki down long enough to fill its buffer drops Loki's newest events rather than hold back
      // the fan-out, which would stall the indexer's copy too (lib/vector-core/src/fanout.rs `send`
      // waits on every consumer): the SIEM keeps everything, Loki's copy is the convenience.
      buffer: { ...buffer, when_full: "drop_newest" },
    },
  };
  return {
    data_dir: AGGREGATOR_PATHS.dataDir,
    api: { enabled: true, address: address(VECTOR_API_PORT) },
    secret: {
      [AGGREGATOR_SECRET_BACKEND]: {
        type: "directory",
        path: AGGREGATOR_PATHS.secretsDir,
        remove_trailing_whitespace: true,
      },
    },
    sources,
    transforms,
    sinks,
  };
}

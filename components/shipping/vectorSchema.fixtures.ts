/**
 * Vector 0.57.0's documented configuration keys for what Fortress renders: the global options it
 * sets, the `file` source, the `remap` transform and the `elasticsearch` sink, with the common source,
 * transform and sink keys. Copied from the reference the release generates from its code
 * (vectordotdev/vector@v0.57.0, website/cue/reference/):
 * - generated/configuration.cue (`data_dir`, `secret.*` backends file/directory/exec);
 * - components/sources/generated/file.cue, components/generated/sources.cue (`proxy`, `graph`);
 * - components/transforms/generated/remap.cue, components/generated/transforms.cue (`inputs`);
 * - components/sinks/generated/elasticsearch.cue, components/generated/sinks.cue (`buffer`,
 *   `healthcheck`, `inputs`).
 * - For the monitoring layer's aggregator (components/monitoring/logs): components/sources/generated/
 *   syslog.cue, vector.cue and internal_metrics.cue, components/transforms/generated/route.cue,
 *   components/sinks/generated/loki.cue and prometheus_exporter.cue, and generated/configuration.cue
 *   (`api.address`, `api.enabled`).
 * Every key of each component is listed at its top level; nested options only where Fortress sets
 * them (a nested object Fortress does not set is `{ type: "object" }` and may not be used).
 */

export interface FieldSchema {
  /**
   * `map`: an object of named entries (components, secret backends), each checked on its own.
   * `templates`: an object whose keys and values are all templates (Loki's `labels`).
   */
  readonly type: "string" | "bool" | "uint" | "array" | "object" | "map" | "templates";
  readonly required?: true;
  readonly enum?: readonly string[];
  /** For objects: the documented options; absent, Fortress may not set the object. */
  readonly options?: Readonly<Record<string, FieldSchema>>;
  /** For arrays: the items' type. */
  readonly items?: FieldSchema["type"];
  /** For uints: the documented minimum. */
  readonly min?: number;
  /**
   * `template` (the reference's `syntax: "template"`): `{{ path }}` references are allowed, and a
   * templated value needs a literal prefix Vector 0.57.0 can confine it to, else the sink is refused at
   * startup (src/template.rs `ConfinementChecker::for_template`: `NoDerivableBase`, `DerivedBaseIsRoot`).
   */
  readonly syntax?: "template";
}

const object = { type: "object" } as const;
const str = { type: "string" } as const;
const bool = { type: "bool" } as const;
const uint = { type: "uint" } as const;

const graph = object;
const proxy = object;

export const FILE_SOURCE: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["file"] },
  acknowledgements: object,
  data_dir: str,
  encoding: object,
  exclude: { type: "array", items: "string" },
  file_key: str,
  fingerprint: {
    type: "object",
    options: {
      ignored_header_bytes: uint,
      lines: uint,
      strategy: { type: "string", enum: ["checksum", "device_and_inode"] },
    },
  },
  glob_minimum_cooldown_ms: uint,
  host_key: str,
  ignore_checkpoints: bool,
  ignore_not_found: bool,
  ignore_older_secs: uint,
  include: { type: "array", required: true, items: "string" },
  internal_metrics: object,
  line_delimiter: str,
  max_line_bytes: uint,
  max_read_bytes: uint,
  multiline: object,
  offset_key: str,
  oldest_first: bool,
  read_from: { type: "string", enum: ["beginning", "end"] },
  remove_after_secs: uint,
  rotate_wait_secs: uint,
  graph,
  proxy,
};

export const REMAP_TRANSFORM: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["remap"] },
  inputs: { type: "array", required: true, items: "string" },
  drop_on_abort: bool,
  drop_on_error: bool,
  file: str,
  files: { type: "array", items: "string" },
  metric_tag_values: { type: "string", enum: ["single", "full"] },
  reroute_dropped: bool,
  source: str,
  timezone: str,
  graph,
  measure_cpu_usage: bool,
};

export const ELASTICSEARCH_SINK: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["elasticsearch"] },
  inputs: { type: "array", required: true, items: "string" },
  acknowledgements: object,
  api_version: { type: "string", enum: ["auto", "v6", "v7", "v8"] },
  auth: {
    type: "object",
    options: {
      // strategy is required when auth is set; user and password when strategy = "basic".
      strategy: { type: "string", required: true, enum: ["aws", "basic"] },
      user: str,
      password: str,
      access_key_id: str,
      assume_role: str,
      credentials_file: str,
      external_id: str,
      imds: object,
      load_timeout_secs: uint,
      profile: str,
      region: str,
      secret_access_key: str,
      session_name: str,
      session_token: str,
    },
  },
  aws: object,
  batch: object,
  bulk: {
    type: "object",
    options: {
      action: str,
      // syntax: "template" (elasticsearch.cue bulk.index, examples "application-{{ application_id }}-%Y-%m-%d").
      index: { type: "string", syntax: "template" },
      template_fallback_index: str,
      version: str,
      version_type: { type: "string", enum: ["internal", "external", "external_gte"] },
    },
  },
  compression: { type: "string", enum: ["gzip", "none", "snappy", "zlib", "zstd"] },
  dangerously_allow_unconfined_template_resolution: bool,
  data_stream: object,
  distribution: object,
  doc_type: str,
  encoding: object,
  endpoint: str,
  endpoints: { type: "array", items: "string" },
  id_key: str,
  metrics: object,
  mode: { type: "string", enum: ["bulk", "data_stream"] },
  opensearch_service_type: { type: "string", enum: ["managed", "serverless"] },
  pipeline: str,
  query: object,
  request: object,
  request_retry_partial: bool,
  suppress_type_name: bool,
  tls: {
    type: "object",
    options: {
      alpn_protocols: { type: "array", items: "string" },
      ca_file: str,
      crt_file: str,
      key_file: str,
      key_pass: str,
      server_name: str,
      verify_certificate: bool,
      verify_hostname: bool,
    },
  },
  buffer: {
    type: "object",
    options: {
      max_events: uint,
      max_size: { type: "uint", required: true, min: 268_435_488 },
      type: { type: "string", enum: ["disk", "memory"] },
      when_full: { type: "string", enum: ["block", "drop_newest"] },
    },
  },
  healthcheck: { type: "object", options: { enabled: bool, timeout: uint, uri: str } },
  graph,
  proxy,
};

/** The TLS options of a listening source (sources/generated/syslog.cue and vector.cue `tls`). */
const SOURCE_TLS: FieldSchema = {
  type: "object",
  options: {
    alpn_protocols: { type: "array", items: "string" },
    ca_file: str,
    crt_file: str,
    enabled: bool,
    key_file: str,
    key_pass: str,
    server_name: str,
    verify_certificate: bool,
    verify_hostname: bool,
  },
};

/** The `syslog` source (sources/generated/syslog.cue). */
export const SYSLOG_SOURCE: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["syslog"] },
  // required when mode is tcp or udp
  address: str,
  connection_limit: uint,
  host_key: str,
  keepalive: object,
  max_length: uint,
  mode: { type: "string", required: true, enum: ["tcp", "udp", "unix"] },
  path: str,
  permit_origin: { type: "array", items: "string" },
  receive_buffer_bytes: uint,
  socket_file_mode: uint,
  tls: SOURCE_TLS,
  graph,
  proxy,
};

/** The `vector` source (sources/generated/vector.cue). */
export const VECTOR_SOURCE: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["vector"] },
  acknowledgements: object,
  address: { type: "string", required: true },
  keepalive: object,
  tls: SOURCE_TLS,
  version: { type: "string", enum: ["2"] },
  graph,
  proxy,
};

/** The `loki` sink (sinks/generated/loki.cue), with the common sink keys (generated/sinks.cue). */
export const LOKI_SINK: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["loki"] },
  inputs: { type: "array", required: true, items: "string" },
  acknowledgements: object,
  auth: object,
  batch: object,
  compression: { type: "string", enum: ["gzip", "none", "snappy", "zlib", "zstd"] },
  dangerously_allow_unconfined_template_resolution: bool,
  encoding: {
    type: "object",
    options: {
      codec: {
        type: "string",
        required: true,
        enum: [
          "avro",
          "cef",
          "csv",
          "gelf",
          "json",
          "logfmt",
          "native",
          "native_json",
          "otlp",
          "protobuf",
          "raw_message",
          "syslog",
          "text",
        ],
      },
      except_fields: { type: "array", items: "string" },
      only_fields: { type: "array", items: "string" },
      timestamp_format: str,
    },
  },
  endpoint: { type: "string", required: true },
  // Keys and values are templates (loki.cue `labels."*"`: syntax "template"), each confined.
  labels: { type: "templates" },
  out_of_order_action: { type: "string", enum: ["accept", "drop", "rewrite_timestamp"] },
  path: str,
  remove_label_fields: bool,
  remove_structured_metadata_fields: bool,
  remove_timestamp: bool,
  request: object,
  structured_metadata: object,
  tenant_id: { type: "string", syntax: "template" },
  tls: ELASTICSEARCH_SINK.tls as FieldSchema,
  buffer: ELASTICSEARCH_SINK.buffer as FieldSchema,
  healthcheck: ELASTICSEARCH_SINK.healthcheck as FieldSchema,
  graph,
  proxy,
};

/** The `vector` sink (sinks/generated/vector.cue; `address` is deprecated for `routing.endpoints`). */
export const VECTOR_SINK: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["vector"] },
  inputs: { type: "array", required: true, items: "string" },
  acknowledgements: object,
  batch: object,
  compression: { type: "string", enum: ["gzip", "none", "zstd"] },
  keepalive: object,
  request: object,
  routing: {
    type: "object",
    options: { endpoints: { type: "array", items: "string" }, health: object, strategy: str },
  },
  tls: SOURCE_TLS,
  version: { type: "string", enum: ["2"] },
  buffer: ELASTICSEARCH_SINK.buffer as FieldSchema,
  healthcheck: ELASTICSEARCH_SINK.healthcheck as FieldSchema,
  graph,
  proxy,
};

/** The `route` transform (transforms/generated/route.cue): each route a VRL condition. */
export const ROUTE_TRANSFORM: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["route"] },
  inputs: { type: "array", required: true, items: "string" },
  reroute_unmatched: bool,
  route: { type: "map" },
  graph,
};

/** The `internal_metrics` source (sources/generated/internal_metrics.cue). */
export const INTERNAL_METRICS_SOURCE: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["internal_metrics"] },
  namespace: str,
  scrape_interval_secs: uint,
  tags: object,
  graph,
  proxy,
};

/** The `prometheus_exporter` sink (sinks/generated/prometheus_exporter.cue). */
export const PROMETHEUS_EXPORTER_SINK: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["prometheus_exporter"] },
  inputs: { type: "array", required: true, items: "string" },
  acknowledgements: object,
  address: str,
  auth: object,
  buckets: object,
  default_namespace: str,
  distributions_as_summaries: bool,
  flush_period_secs: uint,
  quantiles: object,
  suppress_timestamp: bool,
  tls: object,
  buffer: ELASTICSEARCH_SINK.buffer as FieldSchema,
  healthcheck: ELASTICSEARCH_SINK.healthcheck as FieldSchema,
  graph,
  proxy,
};

/** The global options Fortress sets (generated/configuration.cue). */
export const GLOBAL: Readonly<Record<string, FieldSchema>> = {
  api: { type: "object", options: { address: str, enabled: bool } },
  data_dir: str,
  secret: { type: "map" },
  sources: { type: "map" },
  transforms: { type: "map" },
  sinks: { type: "map" },
};

/** The `directory` secret backend (generated/configuration.cue `secret`, src/secrets/directory.rs). */
export const DIRECTORY_SECRET: Readonly<Record<string, FieldSchema>> = {
  type: { type: "string", required: true, enum: ["directory", "file", "exec", "aws_secrets_manager"] },
  path: { type: "string", required: true },
  remove_trailing_whitespace: bool,
};

export const COMPONENTS = {
  sources: {
    file: FILE_SOURCE,
    syslog: SYSLOG_SOURCE,
    vector: VECTOR_SOURCE,
    internal_metrics: INTERNAL_METRICS_SOURCE,
  },
  transforms: { remap: REMAP_TRANSFORM, route: ROUTE_TRANSFORM },
  sinks: {
    elasticsearch: ELASTICSEARCH_SINK,
    loki: LOKI_SINK,
    vector: VECTOR_SINK,
    prometheus_exporter: PROMETHEUS_EXPORTER_SINK,
  },
} as const;

/**
 * Every key of `value` against `schema`: unknown keys, missing required ones, wrong types, values
 * outside an enum, uints below a minimum. Returns the problems, one line each.
 */
export function checkAgainst(
  value: Readonly<Record<string, unknown>>,
  schema: Readonly<Record<string, FieldSchema>>,
  where: string,
): string[] {
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema))
    if (field.required && value[key] === undefined) problems.push(`${where}.${key} is required`);
  for (const [key, item] of Object.entries(value)) {
    const field = schema[key];
    const at = `${where}.${key}`;
    if (!field) {
      problems.push(`${at} is no documented key`);
      continue;
    }
    problems.push(...checkField(item, field, at));
  }
  return problems;
}

function checkField(item: unknown, field: FieldSchema, at: string): string[] {
  switch (field.type) {
    case "string":
      if (typeof item !== "string") return [`${at} is not a string`];
      if (field.syntax === "template") return templateProblems(item, at);
      return field.enum && !field.enum.includes(item)
        ? [`${at}: ${item} is none of ${field.enum.join(", ")}`]
        : [];
    case "bool":
      return typeof item === "boolean" ? [] : [`${at} is not a bool`];
    case "uint":
      if (!Number.isInteger(item) || (item as number) < 0) return [`${at} is not a uint`];
      return field.min !== undefined && (item as number) < field.min ? [`${at} is below ${field.min}`] : [];
    case "array":
      if (!Array.isArray(item)) return [`${at} is not an array`];
      return field.items &&
        item.some((element) => typeof element !== (field.items === "uint" ? "number" : field.items))
        ? [`${at} holds an item that is not a ${field.items}`]
        : [];
    case "map":
      return typeof item === "object" && item !== null && !Array.isArray(item) ? [] : [`${at} is not a map`];
    case "templates":
      if (typeof item !== "object" || item === null || Array.isArray(item)) return [`${at} is not an object`];
      return Object.entries(item).flatMap(([key, value]) =>
        typeof value !== "string"
          ? [`${at}.${key} is not a string`]
          : [...templateProblems(key, `${at} key ${key}`), ...templateProblems(value, `${at}.${key}`)],
      );
    case "object":
      if (typeof item !== "object" || item === null || Array.isArray(item)) return [`${at} is not an object`];
      if (!field.options)
        return [`${at} is an object Fortress does not set (its options are not in the fixture)`];
      return checkAgainst(item as Record<string, unknown>, field.options, at);
  }
}

/** A template's references and confinement base, as Vector 0.57.0 parses them (src/template.rs). */
function templateProblems(template: string, at: string): string[] {
  const references = [...template.matchAll(/\{\{([^}]+)\}\}/g)].map((match) => (match[1] as string).trim());
  if (references.length === 0) return [];
  const problems = references
    .filter((path) => !/^[A-Za-z_@][\w@]*(\.[A-Za-z_@][\w@]*)*$/.test(path))
    .map((path) => `${at}: {{ ${path} }} is no field path Fortress renders`);
  const end = template.search(/\{\{|%/);
  const base = template.slice(0, end);
  if (base === "" || base === "/")
    problems.push(`${at}: ${template} has no literal prefix to confine it to (Vector refuses it at startup)`);
  return problems;
}

type Document = Record<string, Record<string, Record<string, unknown>>>;

/** Every component of a rendered document against the documented keys of its type, and its inputs. */
export function documentProblems(document: Document): string[] {
  const problems = checkAgainst(document, GLOBAL, "vector");
  for (const [name, backend] of Object.entries(document.secret ?? {}))
    problems.push(...checkAgainst(backend, DIRECTORY_SECRET, `secret.${name}`));
  for (const kind of ["sources", "transforms", "sinks"] as const) {
    const documented: Record<string, Readonly<Record<string, FieldSchema>>> = COMPONENTS[kind];
    for (const [name, component] of Object.entries(document[kind] ?? {})) {
      const schema = documented[String(component.type)];
      if (!schema)
        problems.push(`${kind}.${name}: type ${String(component.type)} is not one Fortress checks`);
      else problems.push(...checkAgainst(component, schema, `${kind}.${name}`));
    }
  }
  // Inputs name components that exist.
  const names = new Set([...Object.keys(document.sources ?? {}), ...Object.keys(document.transforms ?? {})]);
  // A route's outputs are `<name>.<route id>`, and `<name>._unmatched` unless reroute_unmatched is false
  // (transforms/generated/route.cue `route`, `reroute_unmatched`).
  for (const [name, component] of Object.entries(document.transforms ?? {}))
    if (component.type === "route") {
      for (const id of Object.keys((component.route as Record<string, unknown> | undefined) ?? {}))
        names.add(`${name}.${id}`);
      if (component.reroute_unmatched !== false) names.add(`${name}._unmatched`);
    }
  for (const kind of ["transforms", "sinks"] as const)
    for (const [name, component] of Object.entries(document[kind] ?? {}))
      for (const input of (component.inputs as string[] | undefined) ?? [])
        if (!names.has(input)) problems.push(`${kind}.${name} reads ${input}, which does not exist`);
  return problems;
}

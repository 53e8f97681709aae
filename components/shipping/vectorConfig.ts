/**
 * Vector's configuration on a shipper VM (/etc/vector/vector.yaml), rendered by a pure function:
 * per stream a `file` source (JSON lines), a `remap` that parses the line and stamps
 * `fortress.stream`/`fortress.host`, and an `elasticsearch` sink into the stream's daily index on
 * the Wazuh indexer (one per file name for a stream with `indexBy: "file"`), with a bounded disk buffer. No secret is in it: the password is the `SECRET[…]`
 * of a `directory` secret backend reading systemd's credentials directory (install.ts).
 *
 * Keys as Vector 0.57.0 documents them (vectordotdev/vector@v0.57.0 website/cue/reference/, checked by
 * vectorSchema.fixtures.ts):
 * - Vector 0.57.0 has no `opensearch` sink type: OpenSearch is served by the `elasticsearch` sink
 *   (components/sinks/elasticsearch.cue "OpenSearch Compatibility", `opensearch_service_type: managed`).
 * - `api_version: v7`, never `auto`: auto reads `version.number` from `GET /`, which OpenSearch 2.19
 *   answers with major 2, and below 7 the sink writes `_type` into every bulk action line
 *   (src/sinks/elasticsearch/common.rs `get_version`, `suppress_type_name = version >= 7`;
 *   encoder.rs), which OpenSearch 2 refuses. v7 omits `_type` and skips the `GET /` probe, so the
 *   fortress_vector role needs no access to `/`.
 * - Environment interpolation is off by default since 0.57.0 (docs/reference/environment_variables.md),
 *   so the password is no `${VAR}`: `secret.<backend>.type: directory` reads one file per key
 *   (src/secrets/directory.rs), referenced as `SECRET[<backend>.<key>]` (src/config/loading/secret.rs
 *   `COLLECTOR`).
 * - Disk buffers hold at least 268435488 bytes (components/generated/sinks.cue `buffer.max_size`).
 *
 * Loki (issue 15): with `aggregator`, one `vector` sink sends every stream's events, after the remap,
 * to the monitoring layer's Vector aggregator, which labels them and writes them to Loki
 * (components/monitoring/logs/aggregatorConfig.ts): Loki stays inside the cluster. Over TLS, the
 * aggregator's certificate checked with the same internal CA as the indexer's; `routing.endpoints`,
 * not the deprecated `address` (components/sinks/generated/vector.cue; src/sinks/vector/config.rs
 * `with_default_scheme`: https when TLS is on).
 */
import * as yaml from "js-yaml";
import { SHIPPED_STREAMS, shippedIndex } from "./streams";

/** One stream a shipper reads: JSON-lines files, into the daily indices `<index>-%Y.%m.%d`. */
export interface ShippedStreamSpec {
  /** Short name: stamped as `fortress.stream` and part of Vector's component ids. */
  readonly id: string;
  /** Absolute paths (globs allowed) of the JSON-lines files. */
  readonly paths: readonly string[];
  /** The index prefix, one the fortress_vector role may write (`fortress-zeek`, `fortress-netflow`, `fortress-greenbone`). */
  readonly index: string;
  /**
   * `file`: one daily index per file name, `<index>-<log>-%Y.%m.%d` (see {@link logNameProgram}), for
   * a stream whose files disagree on field types (Zeek's software.log logs `version` as a record,
   * ssl/http/ssh.log as a string or number: in one index the first to arrive fixes the mapping and
   * OpenSearch refuses the other). Absent: one daily index for the whole stream.
   */
  readonly indexBy?: "file";
}

export interface VectorConfigSpec {
  readonly streams: readonly ShippedStreamSpec[];
  /** https URL of the indexer as this VM reaches it. */
  readonly endpoint: string;
  readonly username: string;
  /** The VM's inventory name, stamped as `fortress.host`. */
  readonly hostName: string;
  /** Each sink's disk buffer, bytes (at least Vector's minimum). */
  readonly bufferBytes?: number;
  /** The monitoring layer's aggregator, `<address>:<port>` (VectorAggregator's route), for Loki. */
  readonly aggregator?: string;
}

/** Where the install puts what the configuration names. */
export const VECTOR_PATHS = {
  config: "/etc/vector/vector.yaml",
  dataDir: "/var/lib/vector",
  caFile: "/etc/vector/fortress/indexer-ca.pem",
  /** systemd's credentials directory of vector.service (LoadCredential=, systemd.exec(5)). */
  credentialsDir: "/run/credentials/vector.service",
} as const;

export const SECRET_BACKEND = "fortress";
export const PASSWORD_KEY = "indexer_password";
/** Vector's documented minimum for a disk buffer (generated/sinks.cue: "at least ~256 megabytes (268435488 bytes)"). */
export const MIN_DISK_BUFFER_BYTES = 268_435_488;
export const DEFAULT_BUFFER_BYTES = MIN_DISK_BUFFER_BYTES;

/** Bulk index per stream and day: the sink's strftime on each event's timestamp. */
export const dailyIndex = (index: string) => `${index}-%Y.%m.%d`;

/** The event field that names the log a line came from (streams with `indexBy: "file"`). */
export const LOG_NAME_FIELD = "fortress.log";
/** The file source's field with the path the line was read from (its default `file_key`). */
export const FILE_KEY = "file";
/** Longest log name in an index name (OpenSearch allows 255 bytes for the whole name). */
export const MAX_LOG_NAME = 64;
/** The log name of a line whose file path is missing or sanitises to nothing. */
export const UNKNOWN_LOG = "unknown";

/**
 * Bulk index per stream, file and day: `<index>-{{ fortress.log }}-%Y.%m.%d`. Vector 0.57.0 renders
 * `{{ path }}` from the event and strftime from its timestamp (vectordotdev/vector@v0.57.0:
 * src/template.rs `render_event`); it confines a templated `bulk.index` to its literal prefix,
 * `<index>-`, and drops an event whose index would leave it (template.rs `ConfinementChecker`,
 * changelog.d/template_confinement.breaking.md), so no line can steer into another index.
 */
export const perFileDailyIndex = (index: string) => `${index}-{{ ${LOG_NAME_FIELD} }}-%Y.%m.%d`;

/** The stream's bulk index template. */
export const streamIndex = (stream: ShippedStreamSpec) =>
  stream.indexBy === "file" ? perFileDailyIndex(stream.index) : dailyIndex(stream.index);

const STREAM_ID = /^[a-z][a-z0-9]{0,30}$/;
const HOST_NAME = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const PATH = /^\/[\w./*?[\]-]+$/;

const ALLOWED_INDICES: readonly string[] = SHIPPED_STREAMS.map((stream) => shippedIndex(stream));

function checkSpec(spec: VectorConfigSpec): void {
  if (spec.streams.length === 0) throw new Error("vector: no stream to ship");
  const ids = spec.streams.map((stream) => stream.id);
  if (new Set(ids).size !== ids.length) throw new Error(`vector: stream ids repeat: ${ids.join(", ")}`);
  for (const stream of spec.streams) {
    if (!STREAM_ID.test(stream.id)) throw new Error(`vector: ${stream.id} is no stream id (a-z, 0-9)`);
    if (!ALLOWED_INDICES.includes(stream.index))
      throw new Error(
        `vector: stream ${stream.id} writes ${stream.index}, which the fortress_vector role does not allow (${ALLOWED_INDICES.join(", ")})`,
      );
    if (stream.indexBy !== undefined && stream.indexBy !== "file")
      throw new Error(`vector: stream ${stream.id} is indexed by ${String(stream.indexBy)}, not by file`);
    if (stream.paths.length === 0) throw new Error(`vector: stream ${stream.id} has no path`);
    for (const path of stream.paths)
      if (!PATH.test(path) || path.split("/").includes(".."))
        throw new Error(`vector: ${path} is no absolute log path`);
  }
  if (!/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(spec.endpoint))
    throw new Error(`vector: the indexer endpoint ${spec.endpoint} is no https URL`);
  if (!HOST_NAME.test(spec.hostName)) throw new Error(`vector: ${spec.hostName} is no host name`);
  if (!/^[\w.-]+$/.test(spec.username)) throw new Error(`vector: ${spec.username} is no user name`);
  if (spec.aggregator !== undefined && !/^[\w.-]+:\d{1,5}$/.test(spec.aggregator))
    throw new Error(`vector: the aggregator ${spec.aggregator} is no host:port`);
  const buffer = spec.bufferBytes ?? DEFAULT_BUFFER_BYTES;
  if (!Number.isInteger(buffer) || buffer < MIN_DISK_BUFFER_BYTES)
    throw new Error(`vector: a disk buffer holds at least ${MIN_DISK_BUFFER_BYTES} bytes`);
}

/**
 * The stream's VRL: the line parsed as a JSON object and merged in, else kept as `message` with
 * `fortress.parse_error`; then Fortress's own fields, last, so that no line can overwrite them.
 * Functions as the VRL that Vector 0.57.0 builds (Cargo.lock: vrl 0.33.1, vectordotdev/vrl@33fec9b)
 * defines them: src/stdlib/parse_json.rs (fallible, hence `parsed, err =`), is_object.rs,
 * object.rs (`object!` asserts the type), merge.rs (`merge(to, from)`, both objects), del.rs. Not run
 * here (no Vector on this machine): `vector validate` runs it on the VM before every start.
 */
export function remapProgram(streamId: string, hostName: string, indexBy?: "file"): string {
  return [
    ...(indexBy === "file" ? logNameProgram() : []),
    "parsed, err = parse_json(.message)",
    "if err == null && is_object(parsed) {",
    "  . = merge(., object!(parsed))",
    "  del(.message)",
    "} else {",
    "  .fortress.parse_error = true",
    "}",
    `.fortress.stream = ${JSON.stringify(streamId)}`,
    `.fortress.host = ${JSON.stringify(hostName)}`,
    ...(indexBy === "file" ? [`.${LOG_NAME_FIELD} = log_name`] : []),
    "",
  ].join("\n");
}

/**
 * VRL that names a line's log from the path the file source recorded in `.file` (Vector 0.57.0
 * website/cue/reference/components/sources/generated/file.cue `file_key`, default "file": "the full
 * path to the file"; src/sources/file.rs `default_file_key`): the file name lowercased, without `.log`,
 * every run of characters outside [a-z0-9_] made `_`, at most 64 characters, `unknown` when empty.
 * Read before the line is merged (a line with its own `file` key cannot rename its log) and set
 * after it, with Fortress's other fields. VRL as vectordotdev/vrl@33fec9b defines it:
 * src/stdlib/string.rs (fallible on a value not known to be a string, hence `?? ""`: Vector's
 * `schema.enabled` is off by default, vectordotdev/vector@v0.57.0 src/config/schema.rs, and then the
 * remap sees the source's fields as any type, lib/vector-core/src/config/mod.rs `schema_definition`;
 * VRL refuses a `??` after an infallible call, src/compiler/expression/op.rs), replace.rs (regex, all matches), downcase.rs,
 * truncate.rs (characters, no suffix). The result is only [a-z0-9_], so the index name is lowercase
 * and has none of the characters OpenSearch refuses in one.
 */
export function logNameProgram(): string[] {
  return [
    `log_name = string(.${FILE_KEY}) ?? ""`,
    "log_name = replace(log_name, r'^.*/', \"\")",
    "log_name = downcase(log_name)",
    "log_name = replace(log_name, r'\\.log$', \"\")",
    "log_name = replace(log_name, r'[^a-z0-9_]+', \"_\")",
    `log_name = truncate(log_name, ${MAX_LOG_NAME})`,
    `if log_name == "" { log_name = ${JSON.stringify(UNKNOWN_LOG)} }`,
  ];
}

export function vectorConfigDocument(spec: VectorConfigSpec): Record<string, unknown> {
  checkSpec(spec);
  const sources: Record<string, unknown> = {};
  const transforms: Record<string, unknown> = {};
  const sinks: Record<string, unknown> = {};
  for (const stream of spec.streams) {
    const source = `${stream.id}_files`;
    const remap = `${stream.id}_fields`;
    sources[source] = {
      type: "file",
      include: [...stream.paths],
      read_from: "beginning",
      // The converters write each file whole and rename it into place: its inode names it.
      fingerprint: { strategy: "device_and_inode" },
      // Files a day old are history the indexer already has (or never will: retention starts there).
      ignore_older_secs: 86_400,
      // The path of each line's file, which names its index when the stream is indexed by file.
      file_key: FILE_KEY,
    };
    transforms[remap] = {
      type: "remap",
      inputs: [source],
      source: remapProgram(stream.id, spec.hostName, stream.indexBy),
    };
    sinks[`${stream.id}_indexer`] = {
      type: "elasticsearch",
      inputs: [remap],
      endpoints: [spec.endpoint.replace(/\/$/, "")],
      api_version: "v7",
      mode: "bulk",
      bulk: { action: "index", index: streamIndex(stream) },
      auth: { strategy: "basic", user: spec.username, password: `SECRET[${SECRET_BACKEND}.${PASSWORD_KEY}]` },
      tls: { ca_file: VECTOR_PATHS.caFile, verify_certificate: true, verify_hostname: true },
      healthcheck: { enabled: true },
      buffer: { type: "disk", max_size: spec.bufferBytes ?? DEFAULT_BUFFER_BYTES, when_full: "block" },
    };
  }
  if (spec.aggregator !== undefined)
    sinks.aggregator = {
      type: "vector",
      inputs: spec.streams.map((stream) => `${stream.id}_fields`),
      routing: { endpoints: [spec.aggregator] },
      version: "2",
      tls: { enabled: true, ca_file: VECTOR_PATHS.caFile, verify_certificate: true, verify_hostname: true },
      healthcheck: { enabled: true },
      buffer: { type: "disk", max_size: spec.bufferBytes ?? DEFAULT_BUFFER_BYTES, when_full: "block" },
    };
  return {
    data_dir: VECTOR_PATHS.dataDir,
    secret: {
      [SECRET_BACKEND]: {
        type: "directory",
        path: VECTOR_PATHS.credentialsDir,
        remove_trailing_whitespace: true,
      },
    },
    sources,
    transforms,
    sinks,
  };
}

export function renderVectorConfig(spec: VectorConfigSpec): string {
  return `---\n${yaml.dump(vectorConfigDocument(spec), { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}

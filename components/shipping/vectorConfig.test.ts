import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { run } from "../../test/support/debianTools";
import { ismPolicy } from "../siem/retention";
import { FORTRESS_ROLES } from "../siem/securityConfig";
import { evaluateLogName, literalPrefix, renderTemplate } from "./indexRouting.fixtures";
import {
  DEFAULT_BUFFER_BYTES,
  MIN_DISK_BUFFER_BYTES,
  renderVectorConfig,
  type VectorConfigSpec,
  VECTOR_PATHS,
  vectorConfigDocument,
} from "./vectorConfig";
import { documentProblems as schemaProblems } from "./vectorSchema.fixtures";

const SPEC: VectorConfigSpec = {
  streams: [
    { id: "zeek", paths: ["/opt/zeek/logs/current/*.log"], index: "fortress-zeek", indexBy: "file" },
    { id: "netflow", paths: ["/var/log/fortress/netflow/*.json"], index: "fortress-netflow" },
  ],
  endpoint: "https://10.10.20.21:9200",
  username: "fortress-vector",
  hostName: "zeek-1",
};

type Doc = Record<string, Record<string, Record<string, unknown>>>;

describe("Vector's configuration", () => {
  it("uses only keys and values Vector 0.57.0 documents for each component", () => {
    const document = yaml.load(renderVectorConfig(SPEC)) as Doc;
    assert.deepEqual(schemaProblems(document), []);
    assert.deepEqual(Object.keys(document.sinks), ["zeek_indexer", "netflow_indexer"]);
    // Confinement stays on: a templated index cannot leave its prefix.
    for (const sink of Object.values(document.sinks))
      assert.equal(sink.dangerously_allow_unconfined_template_resolution, undefined);
  });

  it("sends every stream, after its remap, to the monitoring layer's aggregator over verified TLS when given", () => {
    const document = vectorConfigDocument({ ...SPEC, aggregator: "10.10.20.21:6000" }) as Doc;
    assert.deepEqual(schemaProblems(document), []);
    const sink = document.sinks.aggregator as Record<string, any>;
    assert.equal(sink.type, "vector");
    assert.deepEqual(sink.inputs, ["zeek_fields", "netflow_fields"]);
    assert.deepEqual(sink.routing, { endpoints: ["10.10.20.21:6000"] });
    assert.deepEqual(sink.tls, {
      enabled: true,
      ca_file: VECTOR_PATHS.caFile,
      verify_certificate: true,
      verify_hostname: true,
    });
    assert.equal(sink.buffer.type, "disk");
    assert.equal((vectorConfigDocument(SPEC) as Doc).sinks.aggregator, undefined);
    assert.throws(() => vectorConfigDocument({ ...SPEC, aggregator: "https://x" }), /no host:port/);
  });

  it("fails the schema check on a key Vector does not document, a wrong enum, a missing input and a small disk buffer", () => {
    const document = vectorConfigDocument(SPEC) as Doc;
    const sink = document.sinks.netflow_indexer as Record<string, any>;
    const broken: Doc = {
      ...document,
      sinks: {
        ...document.sinks,
        netflow_indexer: {
          ...sink,
          type: "elasticsearch",
          auth: { ...sink.auth, username: "x" },
          api_version: "v2",
          inputs: ["nowhere"],
          buffer: { ...sink.buffer, max_size: 1024 },
        },
        zeek_indexer: {
          ...document.sinks.zeek_indexer,
          bulk: { action: "index", index: "{{ fortress.log }}-%Y" },
        },
        other: { type: "opensearch", inputs: [] },
      },
    };
    const problems = schemaProblems(broken).join("\n");
    assert.match(problems, /sinks\.netflow_indexer\.auth\.username is no documented key/);
    assert.match(problems, /api_version: v2 is none of auto, v6, v7, v8/);
    assert.match(problems, /reads nowhere, which does not exist/);
    assert.match(problems, /buffer\.max_size is below 268435488/);
    assert.match(problems, /type opensearch is not one Fortress checks/);
    assert.match(problems, /zeek_indexer\.bulk\.index: \{\{ fortress\.log \}\}-%Y has no literal prefix/);
  });

  it("writes each stream into its own daily index, which the fortress_vector role allows, as OpenSearch 2 takes it", () => {
    const document = vectorConfigDocument(SPEC) as Doc;
    const patterns = FORTRESS_ROLES.fortress_vector.index_permissions.flatMap((p) => p.index_patterns);
    for (const [id, index] of [
      ["zeek", "fortress-zeek-{{ fortress.log }}-%Y.%m.%d"],
      ["netflow", "fortress-netflow-%Y.%m.%d"],
    ] as const) {
      const sink = document.sinks[`${id}_indexer`] as Record<string, any>;
      assert.deepEqual(sink.bulk, { action: "index", index });
      assert.ok(patterns.includes(`fortress-${id}-*` as never), `${index} is allowed`);
      assert.equal(literalPrefix(index), `fortress-${id}-`);
      // v7: no `_type` in the bulk action lines and no `GET /` probe (auto would read 2.x as below 7).
      assert.equal(sink.api_version, "v7");
      assert.equal(sink.mode, "bulk");
      assert.deepEqual(sink.endpoints, ["https://10.10.20.21:9200"]);
      assert.deepEqual(sink.tls, {
        ca_file: VECTOR_PATHS.caFile,
        verify_certificate: true,
        verify_hostname: true,
      });
      assert.deepEqual(sink.auth, {
        strategy: "basic",
        user: "fortress-vector",
        password: "SECRET[fortress.indexer_password]",
      });
      assert.deepEqual(sink.buffer, { type: "disk", max_size: DEFAULT_BUFFER_BYTES, when_full: "block" });
      assert.deepEqual(sink.inputs, [`${id}_fields`]);
      const remap = document.transforms[`${id}_fields`] as Record<string, any>;
      assert.deepEqual(remap.inputs, [`${id}_files`]);
      assert.match(remap.source, new RegExp(`^\\.fortress\\.stream = "${id}"$`, "m"));
      assert.match(remap.source, /^\.fortress\.host = "zeek-1"$/m);
      // Fortress's fields come after the line's, so that no line overwrites them.
      assert.ok(remap.source.indexOf("merge(") < remap.source.indexOf(".fortress.stream"));
    }
    assert.deepEqual(document.secret, {
      fortress: {
        type: "directory",
        path: "/run/credentials/vector.service",
        remove_trailing_whitespace: true,
      },
    });
    assert.deepEqual((document.sources.netflow_files as any).include, ["/var/log/fortress/netflow/*.json"]);
  });

  it("refuses an index the role does not allow, a relative path, plain http, repeated ids and a buffer below Vector's minimum", () => {
    const stream = SPEC.streams[0] as VectorConfigSpec["streams"][number];
    assert.throws(
      () => vectorConfigDocument({ ...SPEC, streams: [{ ...stream, index: "wazuh-alerts-4.x" }] }),
      /does not allow/,
    );
    assert.throws(
      () => vectorConfigDocument({ ...SPEC, streams: [{ ...stream, paths: ["logs/*.log"] }] }),
      /no absolute log path/,
    );
    assert.throws(
      () => vectorConfigDocument({ ...SPEC, streams: [{ ...stream, paths: ["/var/log/../../etc/shadow"] }] }),
      /no absolute log path/,
    );
    assert.throws(
      () => vectorConfigDocument({ ...SPEC, endpoint: "http://10.10.20.21:9200" }),
      /no https URL/,
    );
    assert.throws(() => vectorConfigDocument({ ...SPEC, streams: [stream, stream] }), /repeat/);
    assert.throws(
      () => vectorConfigDocument({ ...SPEC, bufferBytes: MIN_DISK_BUFFER_BYTES - 1 }),
      /at least 268435488/,
    );
    assert.throws(() => vectorConfigDocument({ ...SPEC, streams: [] }), /no stream/);
  });

  it("sends each Zeek log to its own daily index (software.log's record `version` never meets ssl.log's string)", () => {
    const document = vectorConfigDocument(SPEC) as Doc;
    const program = (document.transforms.zeek_fields as Record<string, any>).source as string;
    const template = (document.sinks.zeek_indexer as Record<string, any>).bulk.index as string;
    const at = new Date(Date.UTC(2026, 10, 30, 14, 5));
    // An event as the file source emits it (the path under `file`), then the line merged in and
    // Fortress's fields set, in the remap's order.
    const indexOf = (file: string | undefined, line: Record<string, unknown>) => {
      const read =
        file === undefined ? { message: JSON.stringify(line) } : { file, message: JSON.stringify(line) };
      const { field, value } = evaluateLogName(program, read);
      assert.equal(field, "fortress.log");
      const merged = { ...read, ...line, fortress: { ...(line.fortress as object), log: value } };
      return renderTemplate(template, merged, at);
    };
    const software = indexOf("/opt/zeek/logs/current/software.log", {
      host: "10.10.30.5",
      name: "OpenSSH",
      "version.major": 9,
      "version.minor": 2,
    });
    const ssl = indexOf("/opt/zeek/logs/current/ssl.log", {
      version: "TLSv13",
      cipher: "TLS_AES_128_GCM_SHA256",
    });
    assert.notEqual(software, ssl);
    assert.equal(software, "fortress-zeek-software-2026.11.30");
    assert.equal(ssl, "fortress-zeek-ssl-2026.11.30");
    // A line cannot pick its index: its own `file` or `fortress.log` is read too late to count.
    assert.equal(
      indexOf("/opt/zeek/logs/current/ssl.log", {
        file: "/x/../../wazuh-alerts.log",
        fortress: { log: "../x" },
      }),
      ssl,
    );
    // Odd file names still give an index OpenSearch takes; no path gives `unknown`.
    assert.equal(
      indexOf("/opt/zeek/logs/current/Weird Name.v2.LOG", {}),
      "fortress-zeek-weird_name_v2-2026.11.30",
    );
    assert.equal(indexOf("/opt/zeek/logs/current/.log", {}), "fortress-zeek-unknown-2026.11.30");
    assert.equal(indexOf(undefined, {}), "fortress-zeek-unknown-2026.11.30");
    assert.equal(
      indexOf(`/opt/zeek/logs/current/${"a".repeat(300)}.log`, {}).length,
      "fortress-zeek--2026.11.30".length + 64,
    );
    // Every such index is one the fortress_vector role writes and the ISM policy ages out.
    const role = FORTRESS_ROLES.fortress_vector.index_permissions.flatMap(
      (p) => p.index_patterns,
    ) as string[];
    const ism = ((ismPolicy(30).policy as any).ism_template as { index_patterns: string[] }[]).flatMap(
      (t) => t.index_patterns,
    );
    const covered = (patterns: string[], index: string) =>
      patterns.some((pattern) =>
        new RegExp(`^${pattern.split("*").map(escapeRegex).join(".*")}$`).test(index),
      );
    for (const index of [software, ssl]) {
      assert.match(index, /^[a-z0-9][a-z0-9_.-]*$/, `${index} is a valid OpenSearch index name`);
      assert.ok(covered(role, index), `the role writes ${index}`);
      assert.ok(covered(ism, index), `ISM ages out ${index}`);
    }
    // The path is read before the line is merged and the field set after it.
    assert.ok(program.indexOf("string(.file)") < program.indexOf("parse_json"));
    assert.ok(program.indexOf(".fortress.log = log_name") > program.indexOf("merge("));
    assert.equal((document.sources.zeek_files as any).file_key, "file");
  });

  it("keeps one daily index for a stream not indexed by file, and the doubles refuse what they do not know", () => {
    const document = vectorConfigDocument(SPEC) as Doc;
    const netflow = (document.transforms.netflow_fields as Record<string, any>).source as string;
    assert.doesNotMatch(netflow, /log_name|fortress\.log/);
    const template = (document.sinks.netflow_indexer as Record<string, any>).bulk.index as string;
    assert.equal(renderTemplate(template, {}, new Date(Date.UTC(2026, 0, 2))), "fortress-netflow-2026.01.02");
    assert.throws(() => evaluateLogName(netflow, {}), /sets no field/);
    assert.throws(() => evaluateLogName("log_name = slice!(.file, 1)", {}), /no statement it knows/);
    assert.throws(
      () => renderTemplate("fortress-zeek-{{ fortress.log }}-%Y", {}, new Date()),
      /missing keys/,
    );
    assert.throws(() => renderTemplate("{{ index }}", { index: "x" }, new Date()), /no derivable base/);
    assert.throws(
      () => vectorConfigDocument({ ...SPEC, streams: [{ ...SPEC.streams[1]!, indexBy: "line" as never }] }),
      /not by file/,
    );
  });

  it("holds no secret and passes yamllint (strict)", () => {
    const text = renderVectorConfig(SPEC);
    assert.doesNotMatch(text, /password: (?!SECRET\[)/);
    const file = join(mkdtempSync(join(tmpdir(), "fortress-vector-")), "vector.yaml");
    writeFileSync(file, text);
    const result = run("yamllint", [
      "--strict",
      "-d",
      "{extends: default, rules: {line-length: {max: 200}}}",
      file,
    ]);
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ismPolicy } from "../../siem/retention";
import { FORTRESS_ROLES } from "../../siem/securityConfig";
import { MIN_DISK_BUFFER_BYTES } from "../../shipping/vectorConfig";
import { documentProblems } from "../../shipping/vectorSchema.fixtures";
import {
  LOG_SOURCE_COMPONENTS,
  type AggregatorConfigSpec,
  aggregatorConfigDocument,
  LOKI_LABELS,
  lokiLabelValue,
  syslogProgram,
} from "./aggregatorConfig";

const SPEC: AggregatorConfigSpec = {
  senders: [
    {
      name: "opnsense",
      layer: "network",
      address: "10.10.10.1",
      aliases: ["OPNsense.lab.example", "opnsense"],
    },
    { name: "pve-1", layer: "hypervisor", address: "10.10.1.11", aliases: ["pve-1", "pve-1.lab.example"] },
  ],
  syslogPort: 514,
  indexerUrl: "https://wazuh-indexer.fortress-siem.svc:9200",
  indexerUsername: "fortress-vector-aggregator",
  lokiUrl: "http://loki.fortress-monitoring.svc:3100",
  shippers: {
    port: 6000,
    hosts: [
      { name: "zeek-1", layer: "sensors" },
      { name: "greenbone-1", layer: "vuln" },
    ],
    tls: {
      crtFile: "/etc/fortress/tls/tls.crt",
      keyFile: "/etc/fortress/tls/tls.key",
    },
  },
};

type Doc = Record<string, Record<string, Record<string, unknown>>>;
const doc = () => aggregatorConfigDocument(SPEC, ["zeek", "greenbone"]) as Doc;

describe("the Vector aggregator's configuration", () => {
  it("uses only keys and values Vector 0.57.0 documents for each component, confinement on", () => {
    const document = doc();
    assert.deepEqual(documentProblems(document), []);
    assert.deepEqual(Object.keys(document.sources), ["syslog_udp", "shippers", "vector_metrics"]);
    assert.deepEqual(Object.keys(document.sinks), ["prometheus", "syslog_indexer", "loki"]);
    // One namespace of ids across sources, transforms and sinks (Vector refuses a repeat).
    const ids = ["sources", "transforms", "sinks"].flatMap((kind) => Object.keys(document[kind] ?? {}));
    assert.equal(new Set(ids).size, ids.length);
    for (const sink of Object.values(document.sinks))
      assert.equal(sink.dangerously_allow_unconfined_template_resolution, undefined);
    assert.deepEqual(document.api, { enabled: true, address: "0.0.0.0:8686" });
  });

  it("passes each log source through a component of its own, for the silence alerts, and everything into Loki once", () => {
    const { transforms, sinks } = doc();
    const route = transforms.log_sources as { inputs: string[]; route: Record<string, string> };
    assert.deepEqual(route.inputs, ["syslog_fields", "shipped_fields"]);
    assert.deepEqual(route.route, {
      suricata: '.fortress.layer == "network" && .appname == "suricata"',
      opnsense: '.fortress.layer == "network" && .appname != "suricata"',
      zeek: '.fortress.stream == "zeek"',
    });
    for (const [id, output] of [
      [LOG_SOURCE_COMPONENTS.opnsense, "opnsense"],
      [LOG_SOURCE_COMPONENTS.suricata, "suricata"],
      [LOG_SOURCE_COMPONENTS.zeek, "zeek"],
    ])
      assert.deepEqual(transforms[id]?.inputs, [`log_sources.${output}`]);
    assert.deepEqual((sinks.loki as { inputs: string[] }).inputs, [
      ...Object.values(LOG_SOURCE_COMPONENTS),
      "log_sources._unmatched",
    ]);
    // Without shippers, no Zeek route: its silence rule is not rendered either (stacks/monitoringRules.ts).
    const bare = aggregatorConfigDocument({ ...SPEC, shippers: undefined }) as Doc;
    assert.equal(bare.transforms[LOG_SOURCE_COMPONENTS.zeek], undefined);
    assert.deepEqual(documentProblems(bare), []);
  });

  it("serves Vector's own metrics for Prometheus", () => {
    const { sources, sinks } = doc();
    assert.deepEqual(sources.vector_metrics, { type: "internal_metrics" });
    assert.deepEqual(sinks.prometheus, {
      type: "prometheus_exporter",
      inputs: ["vector_metrics"],
      address: "0.0.0.0:9598",
    });
  });

  it("fails the schema check on an unconfined label, an undocumented key and a missing input", () => {
    const document = doc();
    const broken = {
      ...document,
      sinks: {
        ...document.sinks,
        loki: {
          ...document.sinks.loki,
          labels: { host: "{{ fortress.host }}" },
          inputs: ["nowhere"],
          colour: 1,
        },
      },
    } as Doc;
    const problems = documentProblems(broken).join("\n");
    assert.match(problems, /sinks\.loki\.labels\.host: \{\{ fortress\.host \}\} has no literal prefix/);
    assert.match(problems, /sinks\.loki\.colour is no documented key/);
    assert.match(problems, /sinks\.loki reads nowhere, which does not exist/);
  });

  it("labels Loki's streams with three fixed labels from Fortress's own fields, never from the message", () => {
    const labels = doc().sinks.loki.labels as Record<string, string>;
    assert.deepEqual(Object.keys(labels), [...LOKI_LABELS]);
    for (const [label, value] of Object.entries(labels))
      assert.equal(value, lokiLabelValue(`{{ fortress.${label} }}`));
    // The syslog program takes host and layer only from the table: no event field reaches a label as it is.
    const program = syslogProgram(SPEC.senders);
    assert.match(program, /\.fortress\.host = string\(host\) \?\? "other"/);
    assert.match(program, /"opnsense\.lab\.example": "opnsense"/);
    assert.match(program, /"10\.10\.10\.1": "network"/);
    assert.doesNotMatch(program, /\.fortress\.host = \.hostname/);
    // One sender: whatever passed its route (its address alone) is its own, whatever name it gives.
    const one = syslogProgram(SPEC.senders.slice(0, 1));
    assert.match(one, /if host == null \{\n {2}host = "opnsense"\n {2}layer = "network"\n\}/);
    assert.doesNotMatch(program, /host = "opnsense"/);
  });

  it("writes syslog into the daily index its own role allows, which the ISM policy ages out", () => {
    const sink = doc().sinks.syslog_indexer as Record<string, any>;
    assert.equal(sink.bulk.index, "fortress-syslog-%Y.%m.%d");
    assert.equal(sink.api_version, "v7");
    assert.equal(sink.auth.user, "fortress-vector-aggregator");
    assert.equal(sink.auth.password, "SECRET[fortress.indexer_password]");
    const role = FORTRESS_ROLES.fortress_syslog.index_permissions.flatMap((p) => p.index_patterns);
    assert.deepEqual(role, ["fortress-syslog-*"]);
    const ism = (ismPolicy(30) as any).policy.ism_template[0].index_patterns as string[];
    assert.ok(ism.includes("fortress-syslog-*"));
    // The VMs' user cannot write syslog.
    const vms: readonly string[] = FORTRESS_ROLES.fortress_vector.index_permissions.flatMap(
      (p) => p.index_patterns,
    );
    assert.ok(!vms.includes("fortress-syslog-*"));
  });

  it("buffers every sink on disk and blocks when full, so nothing is lost across a restart", () => {
    // Vector's own metrics are served, not shipped: nothing to lose there.
    const { sinks } = doc();
    assert.deepEqual(sinks.syslog_indexer?.buffer, {
      type: "disk",
      max_size: MIN_DISK_BUFFER_BYTES,
      when_full: "block",
    });
    // Loki's copy drops its newest when its buffer is full, so a long Loki outage cannot stall the indexer's.
    assert.deepEqual(sinks.loki?.buffer, {
      type: "disk",
      max_size: MIN_DISK_BUFFER_BYTES,
      when_full: "drop_newest",
    });
    assert.throws(() => aggregatorConfigDocument({ ...SPEC, bufferBytes: 1024 }), /at least 268435488/);
  });

  it("refuses what would break the table or the sinks", () => {
    assert.throws(() => aggregatorConfigDocument({ ...SPEC, senders: [] }), /no syslog sender/);
    assert.throws(
      () =>
        aggregatorConfigDocument({
          ...SPEC,
          senders: [
            ...SPEC.senders,
            { name: "x", layer: "network", address: "10.0.0.9", aliases: ["OPNSENSE"] },
          ],
        }),
      /alias repeats/,
    );
    assert.throws(() => aggregatorConfigDocument({ ...SPEC, indexerUrl: "http://x:9200" }), /no https URL/);
    assert.throws(
      () =>
        aggregatorConfigDocument({
          ...SPEC,
          senders: [{ name: "a", layer: "Bad Layer", address: "10.0.0.9", aliases: [] }],
        }),
      /no layer/,
    );
  });
});

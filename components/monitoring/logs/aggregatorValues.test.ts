/**
 * The aggregator's values against what the vector chart 0.57.0's templates do with them
 * (vectordotdev/helm-charts@1595b17 charts/vector/templates/, transcribed with each file):
 * configmap.yaml passes customConfig through `tpl`; _helpers.tpl `vector.containerPorts` and
 * `vector.ports` make a port of each source's `address` (its trailing digits) and `mode`
 * (upper-cased, TCP by default, TCP or UDP only), and the API's; _pod.tpl mounts
 * `persistence.existingClaim` as `data` for the Aggregator role and sets a readiness probe only
 * without customConfig; statefulset.yaml renders a claim template only without existingClaim.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VECTOR_PACKAGE } from "../../shipping/pins";
import { aggregatorConfigDocument } from "./aggregatorConfig";
import { AGGREGATOR_CLAIM, aggregatorValues, helmLiteral } from "./aggregatorValues";

type Values = Record<string, any>;

const config = aggregatorConfigDocument(
  {
    senders: [{ name: "opnsense", layer: "network", address: "10.10.10.1", aliases: ["opnsense"] }],
    syslogPort: 514,
    indexerUrl: "https://wazuh-indexer.fortress-siem.svc:9200",
    indexerUsername: "fortress-vector-aggregator",
    lokiUrl: "http://loki.fortress-monitoring.svc:3100",
    shippers: {
      port: 6000,
      hosts: [{ name: "zeek-1", layer: "sensors" }],
      tls: { crtFile: "/etc/fortress/tls/tls.crt", keyFile: "/etc/fortress/tls/tls.key" },
    },
  },
  ["zeek"],
);
const values = aggregatorValues({ config, shipperTls: true }) as Values;

/**
 * Go text/template over a string as Helm's `tpl` sees it, for what Fortress writes: the only action
 * allowed is the string constant `{{ "{{" }}`, which prints `{{`; any other action is an error (it
 * would be evaluated by Helm, or fail the render).
 */
function tpl(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const start = rest.indexOf("{{");
    if (start < 0) return out + rest;
    const escaped = '{{ "{{" }}';
    if (!rest.startsWith(escaped, start))
      throw new Error(`Helm would evaluate ${rest.slice(start, start + 30)}`);
    out += `${rest.slice(0, start)}{{`;
    rest = rest.slice(start + escaped.length);
  }
}
const tplAll = (value: unknown): unknown =>
  typeof value === "string"
    ? tpl(value)
    : Array.isArray(value)
      ? value.map(tplAll)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [tpl(k), tplAll(v)]))
        : value;

/** _helpers.tpl `vector.containerPorts` over customConfig (sources and sinks with an address, and api). */
function containerPorts(custom: Values): { name: string; port: number; protocol: string }[] {
  const ports: { name: string; port: number; protocol: string }[] = [];
  for (const kind of Object.keys(custom).sort()) {
    if (kind === "api" && custom.api.enabled)
      ports.push({ name: "api", port: Number(/[0-9]+$/.exec(custom.api.address)![0]), protocol: "TCP" });
    if (kind !== "sources" && kind !== "sinks") continue;
    for (const id of Object.keys(custom[kind]).sort()) {
      const component = custom[kind][id];
      if (!("address" in component)) continue;
      const protocol = String(component.mode ?? "TCP").toUpperCase();
      if (!["TCP", "UDP"].includes(protocol)) throw new Error(`${id}: mode ${protocol} fails the chart`);
      ports.push({
        name: id.replace(/_/g, "-"),
        port: Number(/[0-9]+$/.exec(component.address)![0]),
        protocol,
      });
    }
  }
  return ports;
}

describe("the aggregator's chart values", () => {
  it("reach Vector as rendered: Helm's tpl leaves the configuration as it was, Loki's label templates too", () => {
    assert.deepEqual(tplAll(values.customConfig), config);
    assert.throws(() => tplAll(config), /Helm would evaluate \{\{ fortress\./);
    assert.equal(helmLiteral("a {{ b }} c"), 'a {{ "{{" }} b }} c');
  });

  it("give the pod the ports of its sources and sinks: syslog on 514/UDP, the shippers on 6000, the API on 8686, its metrics on 9598", () => {
    assert.deepEqual(containerPorts(tplAll(values.customConfig) as Values), [
      { name: "api", port: 8686, protocol: "TCP" },
      { name: "prometheus", port: 9598, protocol: "TCP" },
      { name: "shippers", port: 6000, protocol: "TCP" },
      { name: "syslog-udp", port: 514, protocol: "UDP" },
    ]);
  });

  it("keep the buffers on Fortress's claim and probe the API (the chart sets no probe with customConfig)", () => {
    assert.equal(values.role, "Aggregator");
    assert.deepEqual(values.persistence, { enabled: true, existingClaim: AGGREGATOR_CLAIM });
    assert.equal(values.customConfig.data_dir, "/vector-data-dir");
    assert.deepEqual(values.readinessProbe.httpGet, { path: "/health", port: 8686 });
    assert.deepEqual(values.livenessProbe.httpGet, { path: "/health", port: 8686 });
    assert.equal(values.customConfig.api.enabled, true);
  });

  it("run the VM shippers' Vector release, non-root, read-only, with limits and no API token", () => {
    assert.equal(values.image.tag, `${VECTOR_PACKAGE.version.replace(/-1$/, "")}-distroless-libc`);
    assert.equal(values.image.tag, "0.57.0-distroless-libc");
    assert.equal(values.podSecurityContext.runAsNonRoot, true);
    assert.ok(values.podSecurityContext.runAsUser > 0);
    assert.deepEqual(values.podSecurityContext.sysctls, [
      { name: "net.ipv4.ip_unprivileged_port_start", value: "514" },
    ]);
    assert.equal(values.securityContext.allowPrivilegeEscalation, false);
    assert.equal(values.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(values.securityContext.capabilities, { drop: ["ALL"] });
    assert.match(values.resources.limits.memory, /^\d+Mi$/);
    assert.equal(values.serviceAccount.automountToken, false);
  });

  it("mount the secrets where the configuration reads them, readable by the pod's group only", () => {
    const mounts = Object.fromEntries(values.extraVolumeMounts.map((m: Values) => [m.name, m.mountPath]));
    assert.equal(mounts["fortress-secrets"], config.secret && (config.secret as Values).fortress.path);
    assert.equal(
      `${mounts["fortress-indexer-ca"]}/ca.pem`,
      (config.sinks as Values).syslog_indexer.tls.ca_file,
    );
    assert.equal(`${mounts["fortress-tls"]}/tls.crt`, (config.sources as Values).shippers.tls.crt_file);
    for (const volume of values.extraVolumes.filter((v: Values) => v.secret))
      assert.equal(volume.secret.defaultMode, 0o440);
  });
});

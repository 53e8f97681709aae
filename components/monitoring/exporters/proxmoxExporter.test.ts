import assert from "node:assert/strict";
import { PROXMOX_SCRAPE_JOB } from "../rules/availability";
import { before, describe, it } from "node:test";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { k8sNoPrivileged } from "../../../policies/rules/k8s-no-privileged";
import { k8sRunAsNonRootWithLimits } from "../../../policies/rules/k8s-run-as-non-root-with-limits";
import { pinnedVersions } from "../../../policies/rules/pinned-versions";
import { proxmoxTokenLeastPrivilege } from "../../../policies/rules/proxmox-token-least-privilege";
import { secretsFromRandomOrConfig } from "../../../policies/rules/secrets-from-random-or-config";
import { type CapturedResource, REDACTED } from "../../../stacks/plan/capture";
import { captureUnderMocks } from "../../../test/support/mockRuntime";
import { SDK_TYPES } from "../../../vocabulary/sdkTypes";
import { producerOf } from "../metrics";
import { EXPORTER_IMAGES, exporterImage } from "./pins";
import { PROXMOX_EXPORTER_ACCESS, tokenSecretOf } from "./proxmoxAccess";
import { PROXMOX_JOB, ProxmoxExporter, renderPveYml, verifySsl } from "./proxmoxExporter";

type Props = Record<string, any>;

const NODES = [
  { name: "pve1", address: "10.10.10.11" },
  { name: "pve2", address: "10.10.10.12" },
];
const SCRAPER = { "app.kubernetes.io/name": "prometheus" };
const CA = "-----BEGIN CERTIFICATE-----\nlab-proxmox-ca\n-----END CERTIFICATE-----\n";

async function build(extra: Partial<ConstructorParameters<typeof ProxmoxExporter>[1]> = {}) {
  const resources = await captureUnderMocks();
  const provider = new proxmoxve.Provider("proxmox", { endpoint: "https://pve1:8006/" });
  const exporter = new ProxmoxExporter("pve", {
    namespace: "fortress-monitoring",
    proxmoxProvider: provider,
    nodes: NODES,
    scraperLabels: SCRAPER,
    ...extra,
  });
  const pveYml = await new Promise<string>((resolve) =>
    pulumi.all([exporter.access.tokenId, exporter.access.tokenSecret]).apply(([id, secret]) => {
      resolve(renderPveYml(id, secret, verifySsl(extra)));
    }),
  );
  await pulumi.runtime.disconnect();
  return { resources, exporter, pveYml };
}

describe("ProxmoxExporter", () => {
  let resources: CapturedResource[] = [];
  let withCa: CapturedResource[] = [];
  let exporter: ProxmoxExporter;
  let pveYml = "";
  let pveYmlWithCa = "";
  const props = (name: string, from = resources): Props => {
    const resource = from.find((candidate) => candidate.name === name);
    assert.ok(resource, `no ${name}: ${from.map((r) => r.name).join(", ")}`);
    return resource.inputs as Props;
  };

  before(async () => {
    ({ resources, exporter, pveYml } = await build());
    ({ resources: withCa, pveYml: pveYmlWithCa } = await build({ caCertificatePem: CA }));
  });

  it("is one fortress:monitoring:ProxmoxExporter, parent of everything it makes", () => {
    const [root, ...others] = resources.filter((r) => r.type !== "pulumi:providers:proxmoxve");
    assert.equal(root?.type, "fortress:monitoring:ProxmoxExporter");
    for (const resource of others) assert.equal(resource.parent, root!.urn, resource.name);
    assert.deepEqual(
      others.map((r) => r.type).sort(),
      [
        SDK_TYPES.proxmoxAcl,
        SDK_TYPES.proxmoxAcl,
        SDK_TYPES.proxmoxUserLegacy,
        SDK_TYPES.proxmoxToken,
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:Service",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      ].sort(),
    );
  });

  it("makes its own user without password, a separated token, and PVEAuditor on / to both", () => {
    assert.deepEqual(props("pve-user"), {
      userId: "fortress-exporter@pve",
      enabled: true,
      comment: "Fortress monitoring: prometheus-pve-exporter (API token only)",
    });
    const token = props("pve-token");
    assert.equal(token.privilegesSeparation, true);
    assert.equal(token.tokenName, "prometheus");
    assert.deepEqual(
      [props("pve-user-audit"), props("pve-token-audit")].map((acl) => [
        acl.userId ?? acl.tokenId,
        acl.path,
        acl.roleId,
      ]),
      [
        ["fortress-exporter@pve", "/", "PVEAuditor"],
        ["fortress-exporter@pve!prometheus", "/", "PVEAuditor"],
      ],
    );
  });

  it("writes the token's secret into pve.yml only, the Secret's value, never env or args", () => {
    const parsed = yaml.load(pveYml) as Props;
    assert.deepEqual(parsed, {
      default: {
        user: "fortress-exporter@pve",
        token_name: "prometheus",
        token_value: "mock-pve-token",
        verify_ssl: true,
      },
    });
    // The whole stringData is secret: the plan records it redacted.
    assert.equal(props("pve-config").stringData, REDACTED);
    const container = props("pve-deployment").spec.template.spec.containers[0];
    assert.equal(container.env, undefined);
    assert.deepEqual(container.args, ["--config.file=/etc/fortress/pve/pve.yml"]);
    assert.ok(!JSON.stringify(resources.map((r) => r.inputs)).includes("mock-pve-token"));
  });

  it("verifies the API against the lab's Proxmox CA when given, else the trust store; insecure only if asked", () => {
    assert.equal((yaml.load(pveYmlWithCa) as Props).default.verify_ssl, "/etc/fortress/pve-ca/ca.crt");
    assert.deepEqual(props("pve-ca", withCa).data, { "ca.crt": CA });
    const pod = props("pve-deployment", withCa).spec.template.spec;
    assert.deepEqual(pod.containers[0].volumeMounts.at(-1), {
      name: "ca",
      mountPath: "/etc/fortress/pve-ca",
      readOnly: true,
    });
    assert.equal(verifySsl({}), true);
    assert.equal(verifySsl({ insecure: true }), false);
    assert.throws(() => verifySsl({ insecure: true, caCertificatePem: CA }), /CA and insecure together/);
  });

  it("runs the pinned image as its own non-root user, read-only, with limits and no API token", () => {
    const pod = props("pve-deployment").spec.template.spec;
    const [container] = pod.containers;
    assert.equal(
      container.image,
      `docker.io/prompve/prometheus-pve-exporter:3.10.0@${EXPORTER_IMAGES.proxmox.digest}`,
    );
    assert.equal(pod.securityContext.runAsUser, 101);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.resources.limits, { cpu: "250m", memory: "192Mi" });
    assert.deepEqual(pod.volumes[0], {
      name: "config",
      secret: { secretName: "proxmox-exporter-config", defaultMode: 0o440 },
    });
    assert.throws(() => exporterImage("proxmox", "latest"), /not sha256/);
  });

  it("lets in the scraper only, and out to the nodes' API port only", () => {
    const from = props("pve-from-scraper").spec;
    assert.deepEqual(from.ingress, [
      { from: [{ podSelector: { matchLabels: SCRAPER } }], ports: [{ protocol: "TCP", port: 9221 }] },
    ]);
    assert.deepEqual(props("pve-scraper-to").spec.podSelector, { matchLabels: SCRAPER });
    assert.deepEqual(props("pve-to-proxmox").spec.egress, [
      {
        to: [{ ipBlock: { cidr: "10.10.10.11/32" } }, { ipBlock: { cidr: "10.10.10.12/32" } }],
        ports: [{ protocol: "TCP", port: 8006 }],
      },
    ]);
  });

  it("hands Prometheus one multi-target job, one target per node, under the catalogue's job", () => {
    assert.deepEqual(exporter.scrapeJob, {
      job: "proxmox",
      scheme: "http",
      metricsPath: "/pve",
      params: { module: ["default"], cluster: ["1"], node: ["1"] },
      exporterAddress: "proxmox-exporter.fortress-monitoring.svc:9221",
      targets: [
        { address: "10.10.10.11", labels: { layer: "hypervisor", role: "proxmox-node" } },
        { address: "10.10.10.12", labels: { layer: "hypervisor", role: "proxmox-node" } },
      ],
    });
    assert.equal(producerOf("pve_up")?.job, PROXMOX_JOB);
    // The rules leave this job out of ScrapeTargetDown by its name.
    assert.equal(PROXMOX_SCRAPE_JOB, PROXMOX_JOB);
  });

  it("passes the pack: token least privilege, workloads, pinning and secrets", async () => {
    const rules = [
      proxmoxTokenLeastPrivilege,
      k8sRunAsNonRootWithLimits,
      k8sNoPrivileged,
      pinnedVersions,
      secretsFromRandomOrConfig,
    ];
    assert.deepEqual(await evaluatePolicies(rules, resources), []);
    assert.deepEqual(await evaluatePolicies(rules, withCa), []);
    // The rule knows this user as read-only by default: a wider grant to its token is refused.
    const schema = proxmoxTokenLeastPrivilege.configSchema?.properties as Props;
    assert.deepEqual(schema.readOnlyUsers.default, [PROXMOX_EXPORTER_ACCESS.userId]);
    const widened = resources.map((resource) =>
      resource.name === "pve-token-audit"
        ? { ...resource, inputs: { ...resource.inputs, roleId: "PVEVMUser" } }
        : resource,
    );
    const [violation] = await evaluatePolicies([proxmoxTokenLeastPrivilege], widened);
    assert.match(violation?.message ?? "", /fortress-exporter@pve only reads/);
  });

  it("refuses no node, an empty scraper selector, and a token value it cannot split", () => {
    const provider = {} as proxmoxve.Provider;
    const base = { namespace: "m", proxmoxProvider: provider, scraperLabels: SCRAPER };
    assert.throws(() => new ProxmoxExporter("none", { ...base, nodes: [] }), /no Proxmox node/);
    assert.throws(
      () => new ProxmoxExporter("named", { ...base, nodes: [{ name: "pve1", address: "pve1.home.arpa" }] }),
      /pve1: pve1.home.arpa is not an IPv4 address/,
    );
    assert.equal(tokenSecretOf("a@pve!t=1234-abcd"), "1234-abcd");
    assert.throws(() => tokenSecretOf("1234-abcd"), /not <token id>=<secret>/);
    assert.throws(() => renderPveYml("no-bang", "s", true), /not <user>@<realm>!<token>/);
  });
});

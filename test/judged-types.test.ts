/**
 * Each policy names the resource types it judges (policies/judgedTypes.ts) through the installed SDK
 * classes, and every provider type the home lab registers is named by a policy that judges it, or is
 * listed here with the reason it needs none. A new resource type in the lab, or a policy that stops
 * naming one, fails here instead of passing unjudged.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { ANY_TYPE, JUDGED_TYPES } from "../policies/judgedTypes";
import { POLICIES } from "../policies/registry";
import { EXIT, plan } from "../stacks/plan/cli";
import { COMPONENT_TYPES, OPNSENSE_TYPE_PREFIX } from "../vocabulary/typeTokens";

/** The token of every resource class an SDK exports, walking its modules. */
function tokensOf(module: object, depth = 0, seen = new Set<object>()): string[] {
  if (seen.has(module)) return [];
  seen.add(module);
  return Object.values(module).flatMap((value: unknown) => {
    if (typeof value === "function") {
      const token = (value as { __pulumiType?: unknown }).__pulumiType;
      return typeof token === "string" && token.includes(":") ? [token] : [];
    }
    return typeof value === "object" && value !== null && depth < 5 ? tokensOf(value, depth + 1, seen) : [];
  });
}

const SDKS: readonly object[] = [proxmoxve, k8s, random, tls, command];
const SDK_TOKENS = new Set(SDKS.flatMap((sdk) => tokensOf(sdk)));
const PROVIDER_TYPES = new Set(
  ["proxmoxve", "kubernetes", "random", "tls", "command"].map((pkg) => `pulumi:providers:${pkg}`),
);

/**
 * k3s's helm-controller kinds (k3s-io/helm-controller pkg/apis/helm.cattle.io/v1/types.go): custom
 * resources, so no SDK class carries their token; the lab registers them as CustomResources.
 */
const K3S_CUSTOM_RESOURCES = /^kubernetes:helm\.cattle\.io\/v1:HelmChart(Config)?$/;
/**
 * prometheus-operator's PrometheusRule (pkg/apis/monitoring/v1), a custom resource the monitoring layer
 * registers (kube-prometheus-stack installs its CRD); judged by monitoring-config-validated.
 */
const OPERATOR_CUSTOM_RESOURCES = /^kubernetes:monitoring\.coreos\.com\/v1:PrometheusRule$/;

/** Types the home lab registers that no policy needs to judge by type, and why. */
const UNJUDGED: Readonly<Record<string, string>> = {
  "kubernetes:core/v1:ServiceAccount":
    "an identity with no rights of its own: what it may do is its Roles' and RoleBindings' (k8s-rbac-least-privilege), its pods are judged as pods",
  [`${OPNSENSE_TYPE_PREFIX}vlan`]:
    "a VLAN device on the trunk: no address or rule; what passes between VLANs is the filter rules'",
  [`${OPNSENSE_TYPE_PREFIX}preflight`]: "reads the firewall and changes nothing",
  [`${OPNSENSE_TYPE_PREFIX}chrony`]: "the firewall's time service settings",
  [`${OPNSENSE_TYPE_PREFIX}keaSubnet`]:
    "a DHCP pool; which guest gets which address is judged through reservations (inventory)",
  [`${OPNSENSE_TYPE_PREFIX}keaDhcpv4`]: "the DHCP service switch",
  [`${OPNSENSE_TYPE_PREFIX}dnsmasqDhcp`]: "the DHCP service switch",
  [`${OPNSENSE_TYPE_PREFIX}idsGeneral`]:
    "Suricata's settings on the firewall: detection, no access; what passes is the filter rules'",
  [`${OPNSENSE_TYPE_PREFIX}idsRulesets`]: "which ET open rule files Suricata loads: detection content",
  [`${OPNSENSE_TYPE_PREFIX}idsUpdateSchedule`]: "the time of OPNsense's own daily rule download",
  [`${OPNSENSE_TYPE_PREFIX}netflow`]:
    "the firewall's flow export to the collector: outbound from the firewall, which no zone rule describes",
  "proxmoxve:index/timeLegacy:TimeLegacy": "a node's time zone",
  "proxmoxve:index/poolLegacy:PoolLegacy":
    "a grouping of guests; what a token may do in it is judged through its ACLs",
  "proxmoxve:hardware/mapping/pci:Pci":
    "maps the GPU by ID for one guest; who may change mappings is judged through ACLs (Mapping.Modify)",
  "proxmoxve:realm/openid:Openid":
    "Keycloak as a login source; its client secret is judged like every input (secrets-from-random-or-config)",
  "random:index/randomId:RandomId": "a name suffix",
  "tls:index/privateKey:PrivateKey": "key material generated into the state as a secret",
  "tls:index/selfSignedCert:SelfSignedCert": "a certificate for the lab's own CA; public material",
  "tls:index/certRequest:CertRequest":
    "a certificate request for a key already in the state; public material",
  "tls:index/locallySignedCert:LocallySignedCert":
    "a certificate the lab's CA signs (the Wazuh manager's); public material",
  "pulumi-nodejs:dynamic/fortress:wazuh:agentGroup":
    "an agent group and the files its agents watch; who is enrolled is judged by every-vm-has-an-agent",
  "pulumi-nodejs:dynamic/fortress:opnsense:nodeExporter":
    "the os-node_exporter plugin's settings: it listens on the firewall's servers-side address alone, and who reaches it there is the zone matrix's (opnsense-zone-matrix)",
  "pulumi-nodejs:dynamic/fortress:opnsense:syslogDestination":
    "where the firewall sends its logs: the manager's address, an Output of the siem layer",
  "pulumi:providers:kubernetes": "its kubeconfig is judged like every input (secrets-from-random-or-config)",
  "kubernetes:storage.k8s.io/v1:StorageClass": "where volumes go; their protection is judged on the claims",
  "kubernetes:core/v1:ResourceQuota": "a namespace's ceiling, which only narrows",
  "kubernetes:core/v1:LimitRange": "a namespace's default limits, which only narrow",
  "kubernetes:cert-manager.io/v1:ClusterIssuer": "issues from the lab's own CA",
  "kubernetes:cert-manager.io/v1:Certificate": "a certificate request",
};

let labTypes: Set<string>;

describe("the types the pack judges", () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "fortress-judged-"));
    const outcome = await plan({ configFile: join(__dirname, "..", "Pulumi.home.yaml"), outDir: out });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    const document = JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as {
      resources: { type: string }[];
    };
    labTypes = new Set(document.resources.map((resource) => resource.type));
  });

  it("are named for every policy of the registry, and only for those", () => {
    assert.deepEqual(Object.keys(JUDGED_TYPES).sort(), POLICIES.map((policy) => policy.name).sort());
  });

  it("are each an installed SDK class's token, a provider's, or Fortress's own", () => {
    const fortress = new Set<string>(Object.values(COMPONENT_TYPES));
    const unknown = Object.entries(JUDGED_TYPES).flatMap(([policy, types]) =>
      types
        .filter(
          (type) =>
            type !== ANY_TYPE &&
            !SDK_TOKENS.has(type) &&
            !PROVIDER_TYPES.has(type) &&
            !fortress.has(type) &&
            !type.startsWith(OPNSENSE_TYPE_PREFIX) &&
            !K3S_CUSTOM_RESOURCES.test(type) &&
            !OPERATOR_CUSTOM_RESOURCES.test(type),
        )
        .map((type) => `${policy}: ${type}`),
    );
    assert.deepEqual(unknown, []);
    assert.ok(SDK_TOKENS.has("proxmoxve:index/vmLegacy:VmLegacy") && SDK_TOKENS.size > 500);
  });

  it("cover every provider type the home lab registers, or say why it needs no judge", () => {
    const named = new Set(Object.values(JUDGED_TYPES).flat());
    const providerTypes = [...labTypes].filter(
      (type) => !type.startsWith("fortress:") && type !== "pulumi:pulumi:Stack",
    );
    const unjudged = providerTypes.filter((type) => !named.has(type) && UNJUDGED[type] === undefined);
    assert.deepEqual(unjudged, [], "types the lab uses that no policy names");
    const stale = Object.keys(UNJUDGED).filter((type) => named.has(type) || !labTypes.has(type));
    assert.deepEqual(stale, [], "listed as unjudged, but judged or no longer used");
  });
});

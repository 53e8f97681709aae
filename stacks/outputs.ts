/**
 * What the stack exports, defined once: `index.ts` exports this object as the module (Pulumi's stack
 * outputs are the entry module's exports), and the offline plan returns the same object to its stack.
 * A key whose layer is off (or not built) is undefined, and Pulumi then leaves it out.
 *
 *   pulumi stack output fortressCaCertificate > fortress-ca.crt
 *   pulumi stack output kubeconfig --show-secrets > ~/.kube/fortress
 *   pulumi stack output keycloakAdminPassword --show-secrets
 *   pulumi stack output vaultwardenAdminToken --show-secrets
 *   pulumi stack output wazuhBreakGlassPassword --show-secrets
 *   pulumi stack output wazuhPhysicalEnrollCommand > enroll-wazuh-agent.sh
 *   pulumi stack output greenboneAdminPassword --show-secrets
 *   pulumi stack output theHiveAnalystPassword --show-secrets
 */
import type * as pulumi from "@pulumi/pulumi";
import type { HypervisorVmOutputs } from "../components/hypervisor";
import type { Composition } from "./compose";
import type { LoadedLab } from "./config/load";
import type { NodeUsage } from "./placement";
import { scanTargets } from "./scanTargets";
import { RESCAN_PATH } from "../components/vuln/install";
import { GREENBONE_ADMIN_USER } from "../components/vuln/vuln";
import type { GreenboneImageKey } from "../vocabulary/greenbone";
import type { Response } from "../components/response/response";

export interface FortressOutputs {
  /** Each layer: built, not built yet, or disabled. */
  readonly layers: Composition["status"];
  /** Every VM: Proxmox id, node, address, name. */
  readonly vms: Readonly<Record<string, HypervisorVmOutputs>>;
  /** What each node holds and has left. */
  readonly placement: readonly NodeUsage[];
  /** Admin kubeconfig of the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string> | undefined;
  /** The internal CA's certificate (PEM, public): trust it in browsers and on the Pulumi host. */
  readonly fortressCaCertificate: pulumi.Output<string> | undefined;
  /** Keycloak's bootstrap admin: the user name (plain) and the password (secret). */
  readonly keycloakAdminUser: string | undefined;
  readonly keycloakAdminPassword: pulumi.Output<string> | undefined;
  /** The token for Vaultwarden's /admin page (secret); Vaultwarden holds only its Argon2id hash. */
  readonly vaultwardenAdminToken: pulumi.Output<string> | undefined;
  /** The Wazuh dashboard (sign in through Keycloak). */
  readonly wazuhDashboardUrl: string | undefined;
  /** The indexer's break-glass administrator, for when Keycloak is down: user (plain), password (secret). */
  readonly wazuhBreakGlassUser: string | undefined;
  readonly wazuhBreakGlassPassword: pulumi.Output<string> | undefined;
  /** The Wazuh manager: its address on the servers network and its server API (55000). */
  readonly wazuhManagerAddress: pulumi.Output<string> | undefined;
  readonly wazuhManagerApiUrl: pulumi.Output<string> | undefined;
  /** The agents' enrollment password (authd.pass; secret): stacks/layers/endpoint.ts ENROLLMENT_PASSWORD_WHERE names it. */
  readonly wazuhEnrollmentPassword: pulumi.Output<string> | undefined;
  /** The shell commands that enroll a physical device (no secret: the password is pasted at a prompt). */
  readonly wazuhPhysicalEnrollCommand: pulumi.Output<string> | undefined;
  /** Which VM is enrolled in which Wazuh agent group. */
  readonly wazuhAgentGroups: Readonly<Record<string, string>> | undefined;
  /** Days the indexer keeps events (ISM), at the configured ingest estimate on the indexer's data claim. */
  readonly wazuhRetentionDays: number | undefined;
  /** Suricata on the firewall: `ids` or `ips`, and the rule files it loads. */
  readonly suricataMode: string | undefined;
  readonly suricataRulesets: readonly string[] | undefined;
  /** The Zeek sensor's VM and where its JSON logs are on it. */
  readonly zeekSensor: { readonly vm: string; readonly logDir: pulumi.Output<string> } | undefined;
  /** Greenbone's web UI (from the management network) and its admin (plain) and password (secret). */
  readonly greenboneUrl: string | undefined;
  readonly greenboneAdminUser: string | undefined;
  readonly greenboneAdminPassword: pulumi.Output<string> | undefined;
  /** The scan targets, one per scanned network: target name → CIDRs. */
  readonly greenboneScanTargets: Readonly<Record<string, readonly string[]>> | undefined;
  /** How to rescan one target by hand (over SSH to the Greenbone VM), `<target>` one of greenboneScanTargets. */
  readonly greenboneRescanCommand: string | undefined;
  /** The image digests the Greenbone VM runs (as fortress:vuln.imageDigests takes them, to reproduce the pins). */
  readonly greenbonePinnedDigests: pulumi.Output<Partial<Record<GreenboneImageKey, string>>> | undefined;
  /** TheHive (local accounts only: the free edition): its URL, the admin's and the analyst's logins (plain) and passwords (secret). */
  readonly theHiveUrl: string | undefined;
  readonly theHiveAdminLogin: string | undefined;
  readonly theHiveAdminPassword: pulumi.Output<string> | undefined;
  readonly theHiveAnalystLogin: string | undefined;
  readonly theHiveAnalystPassword: pulumi.Output<string> | undefined;
  /** Cortex: its URL, its superadmin's login (plain) and password (secret). */
  readonly cortexUrl: string | undefined;
  readonly cortexAdminLogin: string | undefined;
  readonly cortexAdminPassword: pulumi.Output<string> | undefined;
  /** MISP: its URL, the break-glass admin's e-mail (plain), password and API key (secret). */
  readonly mispUrl: string | undefined;
  readonly mispAdminEmail: string | undefined;
  readonly mispAdminPassword: pulumi.Output<string> | undefined;
  readonly mispAdminKey: pulumi.Output<string> | undefined;
  /** Grafana (sign-in through Keycloak): its URL, the break-glass admin's login (plain) and password (secret). */
  readonly grafanaUrl: string | undefined;
  readonly grafanaAdminLogin: string | undefined;
  readonly grafanaAdminPassword: pulumi.Output<string> | undefined;
}

/** Every output, secret or plain: the one list of keys, and the order `index.ts` exports them in. */
export const OUTPUT_SECRECY = {
  layers: "plain",
  vms: "plain",
  placement: "plain",
  kubeconfig: "secret",
  fortressCaCertificate: "plain",
  keycloakAdminUser: "plain",
  keycloakAdminPassword: "secret",
  vaultwardenAdminToken: "secret",
  wazuhDashboardUrl: "plain",
  wazuhBreakGlassUser: "plain",
  wazuhBreakGlassPassword: "secret",
  wazuhManagerAddress: "plain",
  wazuhManagerApiUrl: "plain",
  wazuhEnrollmentPassword: "secret",
  wazuhPhysicalEnrollCommand: "plain",
  wazuhAgentGroups: "plain",
  wazuhRetentionDays: "plain",
  suricataMode: "plain",
  suricataRulesets: "plain",
  zeekSensor: "plain",
  greenboneUrl: "plain",
  greenboneAdminUser: "plain",
  greenboneAdminPassword: "secret",
  greenboneScanTargets: "plain",
  greenboneRescanCommand: "plain",
  greenbonePinnedDigests: "plain",
  theHiveUrl: "plain",
  theHiveAdminLogin: "plain",
  theHiveAdminPassword: "secret",
  theHiveAnalystLogin: "plain",
  theHiveAnalystPassword: "secret",
  cortexUrl: "plain",
  cortexAdminLogin: "plain",
  cortexAdminPassword: "secret",
  mispUrl: "plain",
  mispAdminEmail: "plain",
  mispAdminPassword: "secret",
  mispAdminKey: "secret",
  grafanaUrl: "plain",
  grafanaAdminLogin: "plain",
  grafanaAdminPassword: "secret",
} as const satisfies { readonly [Key in keyof FortressOutputs]-?: "secret" | "plain" };

type OutputKey = keyof typeof OUTPUT_SECRECY;

/** The exported keys, in the order `index.ts` exports them. */
export const OUTPUT_KEYS = Object.keys(OUTPUT_SECRECY) as OutputKey[];

/** The secret ones: `pulumi stack output` shows them only with --show-secrets. */
export const SECRET_OUTPUT_KEYS = OUTPUT_KEYS.filter((key) => OUTPUT_SECRECY[key] === "secret");

type ResponseOutputKey =
  | "theHiveUrl"
  | "theHiveAdminLogin"
  | "theHiveAdminPassword"
  | "theHiveAnalystLogin"
  | "theHiveAnalystPassword"
  | "cortexUrl"
  | "cortexAdminLogin"
  | "cortexAdminPassword"
  | "mispUrl"
  | "mispAdminEmail"
  | "mispAdminPassword"
  | "mispAdminKey";

function responseOutputs(response: Response | undefined): Pick<FortressOutputs, ResponseOutputKey> {
  const accounts = response?.accounts;
  return {
    theHiveUrl: response?.theHiveUrl,
    theHiveAdminLogin: accounts?.admin.login,
    theHiveAdminPassword: accounts?.admin.password,
    theHiveAnalystLogin: accounts?.analyst.login,
    theHiveAnalystPassword: accounts?.analyst.password,
    cortexUrl: response?.cortexUrl,
    cortexAdminLogin: accounts?.cortexAdmin?.login,
    cortexAdminPassword: accounts?.cortexAdmin?.password,
    mispUrl: response?.misp?.baseUrl,
    mispAdminEmail: response?.misp?.adminEmail,
    mispAdminPassword: response?.misp?.adminPassword,
    mispAdminKey: response?.misp?.adminKey,
  };
}

export function stackOutputs(loaded: LoadedLab, composition: Composition): FortressOutputs {
  const { hypervisor, platform, identity, siem, endpoint, sensors, vuln, response, monitoring } =
    composition.layers;
  const { config } = loaded.model;
  const greenbone = vuln?.greenbone;
  const manager = siem?.manager?.endpoint;
  const outputs: FortressOutputs = {
    layers: composition.status,
    vms: hypervisor?.vms ?? {},
    placement: loaded.model.placement.usage,
    kubeconfig: platform?.kubeconfig,
    fortressCaCertificate: platform?.baseline?.caCertificatePem,
    keycloakAdminUser: identity?.keycloakAdmin?.username,
    keycloakAdminPassword: identity?.keycloakAdmin?.password,
    vaultwardenAdminToken: identity?.vaultwardenAdminToken,
    wazuhDashboardUrl: siem?.dashboardUrl,
    wazuhBreakGlassUser: siem?.breakGlass.username,
    wazuhBreakGlassPassword: siem?.breakGlass.password,
    wazuhManagerAddress: manager?.address,
    wazuhManagerApiUrl: manager?.apiUrl,
    wazuhEnrollmentPassword: manager?.enrollmentPassword,
    wazuhPhysicalEnrollCommand: endpoint?.physicalEnrollCommand,
    wazuhAgentGroups: endpoint?.membership,
    wazuhRetentionDays: siem?.retention.days,
    suricataMode: sensors?.suricata ? (config.sensors?.ids.mode ?? "ids") : undefined,
    suricataRulesets: sensors?.suricata?.rulesetNames,
    zeekSensor: sensors?.zeek ? { vm: sensors.zeek.vm, logDir: sensors.zeek.logDir } : undefined,
    greenboneUrl: greenbone?.webUrl,
    greenboneAdminUser: greenbone ? GREENBONE_ADMIN_USER : undefined,
    greenboneAdminPassword: greenbone?.adminPassword,
    greenboneScanTargets: greenbone
      ? Object.fromEntries(scanTargets(loaded.model).map((target) => [target.name, [...target.hosts]]))
      : undefined,
    greenboneRescanCommand: greenbone
      ? `ssh ${config.lab.adminUser}@${vuln.greenboneHost} sudo ${RESCAN_PATH} <target>`
      : undefined,
    greenbonePinnedDigests: greenbone?.pinnedDigests,
    ...responseOutputs(response),
    grafanaUrl: monitoring?.grafanaUrl,
    grafanaAdminLogin: monitoring?.grafanaAdmin.login,
    grafanaAdminPassword: monitoring?.grafanaAdmin.password,
  };
  // In the order of OUTPUT_SECRECY, whatever the order above; a layer that is off leaves its keys out
  // (Pulumi warns about every undefined output, on every preview and up).
  return Object.fromEntries(
    OUTPUT_KEYS.filter((key) => outputs[key] !== undefined).map((key) => [key, outputs[key]]),
  ) as unknown as FortressOutputs;
}

/**
 * Maps the lab model onto the response layer (issue 14): TheHive, and Cortex when the lab runs it, in
 * the layer's namespace on the platform's cluster, each with its own index-scoped user on the shared
 * Wazuh indexer; MISP on its VM, signed in through Keycloak when the lab runs it; the manager's side of
 * Wazuh → TheHive (its script, CA and key over SSH) while the lab runs TheHive; and the containment on
 * the manager while it contains (`quarantine`). Each part only when its service is on: the minimal
 * profile's layer is the containment alone. The manager's `<integration>` and `<active-response>` blocks are
 * the siem layer's (responseOnManager, below, is what it renders them from), since ossec.conf is written
 * whole where the manager is installed.
 */
import * as pulumi from "@pulumi/pulumi";
import { type ContainConfigInput, renderContainConfig } from "../../components/response/containment/program";
import { NEURON_PATHS } from "../../components/response/neurons";
import { firewallApiEndpoint } from "../../components/network/firewallApi";
import { RESCAN_PATH } from "../../components/vuln/install";
import { SERVICES } from "../../vocabulary/services";
import { isLayerEnabled } from "../config/checks";
import { containmentPlan } from "../containment";
import { containsHosts } from "../managerResponse";
import { SCANNER_ROLE } from "../scanTargets";
import { Response, type ResponseArgs } from "../../components/response/response";
import type { MispArgs } from "../../components/response/misp/misp";
import type { FeedName } from "../../components/response/misp/feeds";
import type { PlannedVm } from "../lab";
import { INGRESS, namespaceOf } from "../cluster";
import { MANAGER_ROLE } from "../enrollment";
import { identityHostnames } from "../hostnames";
import { vmSshHost } from "./connections";
import type { LayerInputs } from "./types";

type ResponseInputs = LayerInputs<"siem" | "hypervisor" | "platform" | "identity">;

const MISP_ROLE = "misp";
/** The manager's syslog receiver (UDP), where Cortex's responder logs each action. */
const SYSLOG_PORT = SERVICES.syslog.udp[0] ?? 514;

function mispArgs(inputs: ResponseInputs): MispArgs | undefined {
  const { lab } = inputs;
  const vm = lab.vms.find((planned) => planned.role.name === MISP_ROLE);
  if (!vm) return undefined;
  const baseline = inputs.upstream.platform.baseline;
  if (!baseline) throw new Error("internal: MISP is built without the platform's baseline (its CA)");
  const settings = lab.config.response?.misp;
  const { identity } = inputs.upstream;
  const clientSecret = identity.clientSecrets.misp;
  return {
    host: vmSshHost(inputs, vm),
    ca: baseline.ca,
    organisation: settings?.organisation ?? "Fortress",
    adminEmail: settings?.adminEmail ?? `admin@${lab.config.lab.domain}`,
    feeds: (settings?.feeds ?? []) as readonly FeedName[],
    ...(settings?.imageDigests ? { imageDigests: settings.imageDigests } : {}),
    ...(identity.issuerUrl && clientSecret ? { oidc: { issuerUrl: identity.issuerUrl, clientSecret } } : {}),
  };
}

/**
 * contain.json for Cortex's responder: an analyst's containment holds until an analyst releases it, its
 * records on Cortex's job claim (the only place Cortex may write and keep), each action logged to the
 * manager's syslog.
 */
export function responderContainConfig(
  common: Pick<ContainConfigInput, "url" | "key" | "secret" | "allow" | "internal" | "servers">,
  withCa: boolean,
  managerIp: string,
): string {
  return renderContainConfig({
    ...common,
    ...(withCa ? { caFile: NEURON_PATHS.containCa } : {}),
    releaseAfter: 0,
    stateDir: NEURON_PATHS.containState,
    syslog: { host: managerIp, port: SYSLOG_PORT },
  });
}

/** The containment's arguments, while the lab contains hosts (the `quarantine` service). */
function containmentArgs(
  inputs: ResponseInputs,
  manager: PlannedVm | undefined,
): Pick<ResponseArgs, "managerContainment" | "containment"> {
  const { lab, secrets } = inputs;
  if (!containsHosts(lab) || !manager) return {};
  const { containmentApiKey: key, containmentApiSecret: secret } = secrets;
  const opnsense = lab.config.opnsense;
  if (!key || !secret || !opnsense)
    throw new Error(
      "internal: the response layer contains hosts without the containment key or the firewall",
    );
  const api = firewallApiEndpoint(opnsense.url);
  if (!api) throw new Error(`internal: ${opnsense.url} passed the door without an address`);
  const plan = containmentPlan(lab);
  const common = {
    url: opnsense.url.replace(/\/$/, ""),
    allow: plan.allow,
    internal: plan.internal,
    servers: plan.servers,
  };
  const scanner = lab.vms.find((vm) => vm.role.name === SCANNER_ROLE);
  const scanning = scanner && isLayerEnabled(lab.config.layers, "vuln");
  const managerHost = vmSshHost(inputs, manager);
  const services = new Set<string>(lab.config.services);
  const responder = services.has("cortex")
    ? {
        containment: {
          configJson: pulumi.secret(
            pulumi
              .all([key, secret])
              .apply(([k, s]) =>
                responderContainConfig(
                  { ...common, key: k, secret: s },
                  opnsense.caCert !== undefined,
                  manager.ip,
                ),
              ),
          ),
          ...(opnsense.caCert ? { caCertificatePem: opnsense.caCert } : {}),
          firewallApi: { ip: api.address, port: api.port },
          syslog: { ip: manager.ip, port: SYSLOG_PORT, protocol: "UDP" as const },
        },
      }
    : {};
  return {
    ...responder,
    managerContainment: {
      manager: managerHost,
      config: { ...common, key, secret, releaseAfter: plan.releaseAfter },
      ...(opnsense.caCert ? { firewallCaPem: opnsense.caCert } : {}),
      ...(scanner && scanning
        ? {
            greenbone: {
              host: vmSshHost(inputs, scanner),
              targets: plan.rescanTargets,
              rescanPath: RESCAN_PATH,
            },
          }
        : {}),
    },
  };
}

export function buildResponse(inputs: ResponseInputs, opts: pulumi.ComponentResourceOptions): Response {
  const { lab } = inputs;
  const { platform, siem } = inputs.upstream;
  const services = new Set<string>(lab.config.services);
  const theHiveOn = services.has("thehive");
  if (!theHiveOn && !services.has("misp") && !containsHosts(lab))
    throw new Error(
      "the response layer runs TheHive, MISP or the containment (quarantine, with the Wazuh manager): enable one in fortress:services, or disable layers.response",
    );
  const baseline = platform.baseline;
  if (!baseline) throw new Error("internal: the response layer is built without the platform's baseline");
  const namespace = namespaceOf("response");
  if (!baseline.namespaces[namespace])
    throw new Error(`internal: the platform baseline has no namespace ${namespace}`);
  const hostnames = identityHostnames(lab);
  const manager = lab.vms.find((vm) => vm.role.name === MANAGER_ROLE);
  const misp = mispArgs(inputs);
  const thehive = siem.indexerAccess("thehive");
  const cortex = siem.indexerAccess("cortex");
  const args: ResponseArgs = {
    namespace,
    clusterIssuer: baseline.clusterIssuer,
    caCertificatePem: baseline.caCertificatePem,
    ingressClassName: INGRESS.className,
    ingressNamespace: INGRESS.namespace,
    storageClasses: baseline.storageClasses,
    hostnames: { thehive: hostnames.thehive, cortex: hostnames.cortex },
    theHive: theHiveOn,
    cortex: services.has("cortex"),
    indexer: {
      host: `wazuh-indexer.${namespaceOf("siem")}.svc`,
      port: 9200,
      thehive: { username: thehive.username, password: thehive.password },
      cortex: { username: cortex.username, password: cortex.password },
    },
    ...(misp ? { mispVm: misp } : {}),
    ...(manager && siem.manager && theHiveOn ? { manager: vmSshHost(inputs, manager) } : {}),
    ...containmentArgs(inputs, siem.manager ? manager : undefined),
  };
  return new Response("response", args, { ...opts, providers: { kubernetes: platform.provider } });
}

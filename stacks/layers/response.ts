/**
 * Maps the lab model onto the response layer (issue 14): TheHive, and Cortex when the lab runs it, in
 * the layer's namespace on the platform's cluster, each with its own index-scoped user on the shared
 * Wazuh indexer; MISP on its VM, signed in through Keycloak; and the manager's side of Wazuh → TheHive
 * (its script, CA and key over SSH). The manager's `<integration>` and `<active-response>` blocks are
 * the siem layer's (responseOnManager, below, is what it renders them from), since ossec.conf is written
 * whole where the manager is installed.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Response, type ResponseArgs } from "../../components/response/response";
import type { MispArgs } from "../../components/response/misp/misp";
import type { FeedName } from "../../components/response/misp/feeds";
import type { SshHost } from "../../components/siem/contract";
import type { PlannedVm } from "../lab";
import { INGRESS, namespaceOf } from "../cluster";
import { MANAGER_ROLE } from "../enrollment";
import { identityHostnames } from "../hostnames";
import type { LayerInputs } from "./types";

type ResponseInputs = LayerInputs<"siem" | "hypervisor" | "platform" | "identity">;

const MISP_ROLE = "misp";

function sshHost(inputs: ResponseInputs, vm: PlannedVm): SshHost {
  const machine = inputs.upstream.hypervisor.vms[vm.name];
  if (!machine) throw new Error(`internal: the hypervisor layer has no VM ${vm.name}`);
  return {
    name: vm.name,
    address: vm.ip,
    fqdn: vm.fqdn,
    hostKey: machine.hostKey,
    user: inputs.lab.config.lab.adminUser,
    privateKey: inputs.secrets.sshPrivateKey,
  };
}

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
    host: sshHost(inputs, vm),
    ca: baseline.ca,
    organisation: settings?.organisation ?? "Fortress",
    adminEmail: settings?.adminEmail ?? `admin@${lab.config.lab.domain}`,
    feeds: (settings?.feeds ?? []) as readonly FeedName[],
    ...(settings?.imageDigests ? { imageDigests: settings.imageDigests } : {}),
    ...(identity.issuerUrl && clientSecret ? { oidc: { issuerUrl: identity.issuerUrl, clientSecret } } : {}),
  };
}

export function buildResponse(inputs: ResponseInputs, opts: pulumi.ComponentResourceOptions): Response {
  const { lab } = inputs;
  const { platform, siem } = inputs.upstream;
  const services = new Set<string>(lab.config.services);
  if (!services.has("thehive"))
    throw new Error(
      "the response layer runs TheHive: enable thehive in fortress:services, or disable layers.response",
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
    cortex: services.has("cortex"),
    indexer: {
      host: `wazuh-indexer.${namespaceOf("siem")}.svc`,
      port: 9200,
      thehive: { username: thehive.username, password: thehive.password },
      cortex: { username: cortex.username, password: cortex.password },
    },
    ...(misp ? { mispVm: misp } : {}),
    ...(manager && siem.manager ? { manager: sshHost(inputs, manager) } : {}),
  };
  return new Response("response", args, { ...opts, providers: { kubernetes: platform.provider } });
}

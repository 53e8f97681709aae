/**
 * Maps the lab model onto the sensors layer (issue 13): Suricata on the firewall with the `suricata`
 * service (on every VLAN interface Fortress manages, HOME_NET = the lab's networks), and with the
 * `zeek` service the Zeek VM's sensor, its traffic mirror on the VM's node, the firewall's NetFlow
 * collector on it (`fortress:sensors.netflow`) and Vector shipping both to the indexer with the SIEM's
 * fortress-vector user.
 *
 * Suricata's alerts reach the Wazuh manager by syslog. While the endpoint layer is built, its
 * destination already sends every program of the firewall to the manager, so Suricata adds none of
 * its own (two would deliver every alert twice).
 */
import { Sensors, type SensorsArgs, type ZeekSiteArgs } from "../../components/sensors/sensors";
import { defaultEtOpenRulesets, defaultDropRulesets } from "../../components/sensors/suricata/rulesets";
import { isLayerEnabled } from "../config/checks";
import type { PlannedVm } from "../lab";
import { firewallRef } from "./connections";
import type { LayerInputs } from "./types";
import { SERVICES } from "../../vocabulary/services";
import type * as pulumi from "@pulumi/pulumi";

type SensorsInputs = LayerInputs<"siem" | "hypervisor" | "network">;

const enabled = (inputs: SensorsInputs, service: string) =>
  (inputs.lab.config.services as readonly string[]).includes(service);

function suricataArgs(inputs: SensorsInputs): SensorsArgs["suricata"] {
  const { config } = inputs.lab;
  if (!config.opnsense || !enabled(inputs, "suricata")) return undefined;
  const ids = config.sensors?.ids ?? { mode: "ids" as const };
  const manager = enabled(inputs, "wazuh-manager") ? inputs.upstream.siem.managerEndpoint : undefined;
  const endpointSendsAll = isLayerEnabled(config.layers, "endpoint");
  const syslogPort = SERVICES.syslog.udp[0];
  return {
    firewall: { ref: firewallRef(inputs), ready: [inputs.upstream.network.preflight] },
    interfaces: config.networks.flatMap((network) => (network.interface ? [network.interface] : [])),
    homeNet: config.networks.map((network) => network.cidr),
    mode: ids.mode,
    ...(ids.ipsEngine ? { ipsEngine: ids.ipsEngine } : {}),
    rulesets: ids.rulesets ? [...ids.rulesets] : defaultEtOpenRulesets(),
    dropRulesets: ids.mode === "ips" ? [...(ids.drop ?? defaultDropRulesets())] : [],
    ...(manager && syslogPort && !endpointSendsAll
      ? { syslog: { address: manager.address, port: syslogPort } }
      : {}),
    configPath: "sensors.ids",
  };
}

function zeekArgs(inputs: SensorsInputs): ZeekSiteArgs | undefined {
  const { lab, secrets } = inputs;
  if (!enabled(inputs, "zeek")) return undefined;
  const vm: PlannedVm | undefined = lab.vms.find((candidate) => candidate.role.name === "zeek");
  const machine = vm ? inputs.upstream.hypervisor.vms[vm.name] : undefined;
  if (!vm || !machine)
    throw new Error("internal: the zeek service is on and the hypervisor built no Zeek VM");
  const zeek = lab.config.sensors?.zeek;
  if (!zeek?.uplink) throw new Error("internal: sensors.zeek.uplink passed the door unset");
  const netflow = (lab.config.sensors?.netflow ?? true) && lab.config.opnsense !== undefined;
  return {
    sensor: {
      host: {
        name: vm.name,
        address: vm.ip,
        fqdn: vm.fqdn,
        hostKey: machine.hostKey,
        user: lab.config.lab.adminUser,
        privateKey: secrets.sshPrivateKey,
      },
      node: {
        name: vm.node.proxmoxNode,
        address: vm.node.address,
        user: lab.config.proxmox.sshUser,
        privateKey: secrets.sshPrivateKey,
        hostKey: vm.node.sshHostKey,
      },
      vmId: machine.vmId,
      localNets: lab.config.networks.map((network) => network.cidr),
      mirror: { mode: zeek.mirror, uplink: zeek.uplink, ...(zeek.spanNic ? { spanNic: zeek.spanNic } : {}) },
    },
    // The firewall's NetFlow leaves from its address on the Zeek VM's network (its gateway there).
    ...(netflow ? { netflowSources: [vm.networkConfig.gateway] } : {}),
    indexer: inputs.upstream.siem.indexerAccess("vector", "vm"),
  };
}

export function buildSensors(inputs: SensorsInputs, opts: pulumi.ComponentResourceOptions): Sensors {
  const { config } = inputs.lab;
  const suricata = suricataArgs(inputs);
  const zeek = zeekArgs(inputs);
  const firewall = config.opnsense
    ? {
        ref: firewallRef(inputs),
        ready: [inputs.upstream.network.preflight],
        interfaces: config.networks.flatMap((network) => (network.interface ? [network.interface] : [])),
      }
    : undefined;
  return new Sensors(
    "sensors",
    { ...(firewall ? { firewall } : {}), ...(suricata ? { suricata } : {}), ...(zeek ? { zeek } : {}) },
    opts,
  );
}

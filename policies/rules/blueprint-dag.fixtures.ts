import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";

const network = layerComponent("network");
const hypervisor = layerComponent("hypervisor");
const platform = layerComponent("platform");
const vlan = planResource(
  "pulumi-nodejs:dynamic/fortress:opnsense:vlan",
  "vlan-servers",
  {},
  { parent: network },
);
const vm = planResource(
  "proxmoxve:index/vmLegacy:VmLegacy",
  "k3s-server-1",
  {},
  { parent: hypervisor, dependsOn: [vlan] },
);
const cluster = planResource(
  "command:remote:Command",
  "k3s-install",
  {},
  { parent: platform, dependsOn: [vm] },
);
const backwards = planResource(
  "proxmoxve:index/vmLegacy:VmLegacy",
  "k3s-agent-1",
  {},
  { parent: hypervisor, dependsOn: [cluster] },
);

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "edges run downstream to upstream",
      resources: [network, hypervisor, platform, vlan, vm, cluster],
    },
  ],
  failing: [
    {
      name: "a hypervisor VM waits for the platform layer",
      resources: [network, hypervisor, platform, vlan, vm, cluster, backwards],
    },
  ],
};

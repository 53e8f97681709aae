import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { HYPERVISOR_TYPE, VM_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";

const hypervisor = planResource(HYPERVISOR_TYPE, "hypervisor", {
  nodes: [
    { name: "pve1", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
    { name: "predator", capacity: { cores: 16, memoryGb: 30, diskGb: 968 } },
  ],
});

const vm = (name: string, nodeName: string, cores: number, memoryGb: number, diskGb: number): PlanResource =>
  planResource(
    VM_TYPE,
    name,
    {
      name,
      nodeName,
      cpu: { cores },
      memory: { dedicated: memoryGb * 1024 },
      disks: [{ interface: "scsi0", size: diskGb }],
    },
    { parent: hypervisor },
  );

const fits = [
  hypervisor,
  vm("k3s-server-1", "pve1", 2, 3, 40),
  vm("k3s-agent-1", "pve1", 2, 6, 112),
  vm("k3s-indexer-1", "predator", 4, 8, 332),
];

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "the VMs fit their nodes", resources: fits },
    {
      name: "a node filled exactly to its capacity",
      resources: [hypervisor, vm("a", "pve1", 4, 7, 112), vm("b", "pve1", 4, 7, 112)],
    },
    {
      name: "no Hypervisor component: not applicable",
      resources: [layerComponent("network"), vm("stray", "nowhere", 64, 512, 9000)],
    },
  ],
  failing: [
    {
      name: "RAM over what pve1 has after the reserve",
      resources: [...fits, vm("greenbone-1", "pve1", 2, 8, 64)],
    },
    { name: "more vCPUs than pve1 has", resources: [hypervisor, vm("big", "pve1", 12, 4, 32)] },
    { name: "more disk than pve1 has", resources: [hypervisor, vm("bulky", "pve1", 2, 4, 300)] },
    { name: "a VM on a node nobody declared", resources: [...fits, vm("zeek-1", "pve9", 2, 4, 96)] },
  ],
};

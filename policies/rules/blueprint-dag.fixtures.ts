import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import * as command from "@pulumi/command";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { opnsenseType } from "../../vocabulary/typeTokens";

const network = layerComponent("network");
const hypervisor = layerComponent("hypervisor");
const platform = layerComponent("platform");
const vlan = planResource(opnsenseType("vlan"), "vlan-servers", {}, { parent: network });
const vm = planResource(SDK_TYPES.proxmoxVm, "k3s-server-1", {}, { parent: hypervisor, dependsOn: [vlan] });
const cluster = planResource(
  pulumiTypeOf(command.remote.Command),
  "k3s-install",
  {},
  { parent: platform, dependsOn: [vm] },
);
const backwards = planResource(
  SDK_TYPES.proxmoxVm,
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

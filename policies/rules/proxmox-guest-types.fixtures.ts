import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { GUEST_TYPES, PROXMOX_PACKAGE } from "../../vocabulary/proxmoxTypes";

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "one guest of every type the pack models",
      resources: [...GUEST_TYPES.keys()].map((type, index) => planResource(type, `guest-${index}`)),
    },
  ],
  failing: [
    {
      name: "a guest type a provider upgrade might add",
      resources: [planResource(`${PROXMOX_PACKAGE}:index/vm3:Vm3`, "next")],
    },
    {
      name: "a cloned container",
      resources: [planResource(`${PROXMOX_PACKAGE}:cloned/containerLegacy:ContainerLegacy`, "ct")],
    },
  ],
};

import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { VM_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { CAPTURE_HOOKSCRIPT, CAPTURE_VLAN } from "../../vocabulary/capture";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export const hypervisor = layerComponent("hypervisor");
const nic = { bridge: "vmbr0", model: "virtio", vlanId: 30, firewall: true };
export const captureNic = { bridge: "vmbr0", model: "virtio", vlanId: CAPTURE_VLAN, firewall: true };

export const guest = (
  name: string,
  node: string,
  tags: readonly string[],
  nics: readonly Record<string, unknown>[] = [nic],
  extra: Record<string, unknown> = {},
): PlanResource =>
  planResource(
    VM_TYPE,
    name,
    { name, nodeName: node, tags: ["fortress", ...tags], networkDevices: nics, ...extra },
    { parent: hypervisor },
  );

export const hookFile = (node: string, fileName = CAPTURE_HOOKSCRIPT): PlanResource =>
  planResource(
    SDK_TYPES.proxmoxFile,
    `hv-capture-hook-${node}-file`,
    {
      nodeName: node,
      contentType: "snippets",
      datastoreId: "local",
      fileMode: "0700",
      sourceRaw: { fileName, data: "#!/bin/bash\nexit 0\n" },
    },
    { parent: hypervisor },
  );

export const attach = (node: string, fileId = `local:snippets/${CAPTURE_HOOKSCRIPT}`): PlanResource =>
  planResource(
    SDK_TYPES.commandRemote,
    `hv-capture-hook-${node}-attach`,
    {
      create: `set -eu\n$as_root qm set 101 --hookscript ${fileId}\n$as_root qm set 102 --hookscript ${fileId}`,
      logging: "none",
    },
    { parent: hypervisor },
  );

const zeek = guest("zeek-1", "pve1", ["sensor", "zeek"], [nic, captureNic]);

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the Zeek VM's capture NIC and the capture hook on its node",
      resources: [
        hypervisor,
        zeek,
        guest("web-1", "pve1", ["web"]),
        guest("db-1", "pve2", ["db"]),
        hookFile("pve1"),
        attach("pve1"),
      ],
    },
  ],
  failing: [
    {
      name: "a capture NIC on a VM that is no sensor",
      resources: [hypervisor, zeek, guest("web-1", "pve1", ["web"], [nic, captureNic])],
    },
    { name: "the capture hook on a node without a sensor", resources: [hypervisor, zeek, hookFile("pve2")] },
    { name: "another executable snippet", resources: [hypervisor, zeek, hookFile("pve1", "evil.sh")] },
    {
      name: "a command that sets another hookscript",
      resources: [hypervisor, zeek, attach("pve1", "local:snippets/evil.sh")],
    },
    {
      name: "a VM with another hookscript",
      resources: [
        hypervisor,
        zeek,
        guest("web-1", "pve1", ["web"], [nic], { hookScriptFileId: "local:snippets/other.sh" }),
      ],
    },
  ],
};

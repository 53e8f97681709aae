import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { VM_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { BACKUP_JOB_TYPE, PVC_TYPE } from "./state-protected-and-backed-up";

export const hypervisor = layerComponent("hypervisor");
const boot = { interface: "scsi0", size: 32, backup: true, datastoreId: "local-lvm" };

export interface VmOptions {
  readonly stateful?: boolean;
  readonly dataDisk?: boolean;
  readonly tags?: readonly string[];
  readonly protect?: boolean;
  /** Further inputs, overriding the planned ones. */
  readonly [input: string]: unknown;
}

/** A VM as the hypervisor layer plans it; stateful ones get protection, a data disk and `protect`. */
export function vm(name: string, options: VmOptions = {}): PlanResource {
  const { stateful = true, dataDisk = stateful, tags = [], protect = stateful, ...inputs } = options;
  return planResource(
    VM_TYPE,
    name,
    {
      name,
      nodeName: "pve1",
      poolId: "fortress",
      protection: stateful,
      tags: ["fortress", ...tags],
      disks: dataDisk ? [boot, { ...boot, interface: "scsi1", size: 64 }] : [boot],
      ...inputs,
    },
    { parent: hypervisor, protect },
  );
}

/** The backup job; its vmids come from the VMs' outputs, so it depends on each VM. */
export const backupJob = (vms: readonly PlanResource[], inputs: Record<string, unknown> = {}) =>
  planResource(
    BACKUP_JOB_TYPE,
    "hypervisor-state-backup",
    {
      resourceId: "fortress-state",
      schedule: "*-*-* 02:30",
      storage: "local",
      enabled: true,
      mode: "snapshot",
      ...inputs,
    },
    { parent: hypervisor, dependsOn: vms, protect: true },
  );

export const pvc = (name: string, protect: boolean) =>
  planResource(PVC_TYPE, name, { spec: { accessModes: ["ReadWriteOnce"] } }, { protect });

const misp = vm("misp-1");
const server = vm("k3s-server-1", { dataDisk: false, tags: ["k3s-server"] });
const gpu = vm("k3s-gpu-1", { stateful: false });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "stateful VMs protected and in the backup job, a stateless one in neither",
      resources: [hypervisor, misp, server, gpu, backupJob([misp, server]), pvc("thehive-data", true)],
    },
    {
      name: "a sensor whose data disk is scratch, left out of backups",
      resources: [
        hypervisor,
        vm("zeek-1", {
          stateful: false,
          dataDisk: false,
          disks: [boot, { ...boot, interface: "scsi1", backup: false }],
        }),
      ],
    },
  ],
  failing: [
    { name: "a stateful VM no job backs up", resources: [hypervisor, misp, server, backupJob([server])] },
    {
      name: "a VM with a data disk that is not protected",
      resources: [hypervisor, vm("zeek-1", { protect: false }), backupJob([])],
    },
    { name: "an unprotected persistent volume claim", resources: [pvc("cortex-data", false)] },
  ],
};

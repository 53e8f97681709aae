/**
 * A VM's cloud-init user-data as a Proxmox snippet, under a file name that never changes.
 *
 * The VM must not be replaced when its user-data changes: bpg's `initialization.user_data_file_id`
 * forces a new VM (proxmoxtf/resource/vm/vm.go), so the id the VM names stays the same, and the VM
 * takes it as a plain value built here, not from the snippet's output: Pulumi replaces a dependent of
 * a delete-first replacement when an input it took from it forces a new resource (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go `calculateDependentReplacements`). The snippet itself is
 * replaced on any change (`source_raw.data` and `file_name` force a new file, proxmoxtf/resource/
 * file.go), delete-first: created first, the new file would overwrite the old one's path and then be
 * deleted by the old one's delete, which deletes by that same id.
 *
 * Proxmox reads the snippet again at every VM start to rebuild the cloud-init drive (qemu-server
 * src/PVE/QemuServer.pm `vm_start_nolock` → src/PVE/QemuServer/Cloudinit.pm `apply_cloudinit_config`).
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type * as pulumi from "@pulumi/pulumi";
import type { VmChildName } from "./names";

export function snippetFileName(vmName: string): string {
  return `fortress-${vmName}-user-data.yaml`;
}

/** The snippet's Proxmox volume id, as the provider makes it (`datastore:content/file`, file.go). */
export function snippetFileId(datastoreId: string, vmName: string): string {
  return `${datastoreId}:snippets/${snippetFileName(vmName)}`;
}

export function userDataSnippet(
  resource: VmChildName,
  vmName: string,
  node: string,
  datastoreId: string,
  userData: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): proxmoxve.FileLegacy {
  return new proxmoxve.FileLegacy(
    resource.name,
    {
      nodeName: node,
      contentType: "snippets",
      datastoreId,
      sourceRaw: { fileName: snippetFileName(vmName), data: userData },
    },
    { ...opts, aliases: resource.aliases, deleteBeforeReplace: true },
  );
}

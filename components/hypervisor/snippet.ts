/**
 * A VM's cloud-init user-data as a Proxmox snippet. The file name carries a digest of the content:
 * Pulumi replaces a changed file create-first, so a fixed name would be written over by the new
 * file and then deleted by the old one's delete, leaving the VM pointing at nothing. With the digest
 * the new file sits beside the old one until the old one is deleted, and the VM's `cicustom` never
 * names a missing file (Proxmox reads it again at every VM start to rebuild the cloud-init drive).
 */
import { createHash } from "node:crypto";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type * as pulumi from "@pulumi/pulumi";

export function snippetFileName(vmName: string, userData: string): string {
  const digest = createHash("sha256").update(userData).digest("hex").slice(0, 12);
  return `fortress-${vmName}-user-data-${digest}.yaml`;
}

export function userDataSnippet(
  vmName: string,
  node: string,
  datastoreId: string,
  userData: string,
  opts: pulumi.CustomResourceOptions,
): proxmoxve.FileLegacy {
  return new proxmoxve.FileLegacy(
    `${vmName}-user-data`,
    {
      nodeName: node,
      contentType: "snippets",
      datastoreId,
      sourceRaw: { fileName: snippetFileName(vmName, userData), data: userData },
    },
    opts,
  );
}

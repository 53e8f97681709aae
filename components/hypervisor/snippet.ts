/**
 * A VM's cloud-init user-data as a Proxmox snippet. The file name carries a digest of the content:
 * Pulumi replaces a changed file create-first, so a fixed name would be written over by the new
 * file and then deleted by the old one's delete, leaving the VM pointing at nothing. With the digest
 * the new file sits beside the old one until the old one is deleted, and the VM's `cicustom` never
 * names a missing file (Proxmox reads it again at every VM start to rebuild the cloud-init drive).
 */
import { createHash } from "node:crypto";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";

export function snippetFileName(vmName: string, userData: string): string {
  const digest = createHash("sha256").update(userData).digest("hex").slice(0, 12);
  return `fortress-${vmName}-user-data-${digest}.yaml`;
}

export function userDataSnippet(
  vmName: string,
  node: string,
  datastoreId: string,
  userData: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): proxmoxve.FileLegacy {
  // The user-data is secret (it carries the VM's SSH host key); twelve hex digits of its sha256 reveal
  // nothing of it, so the file name stays readable in the plan and the state.
  const fileName = pulumi.unsecret(pulumi.output(userData).apply((text) => snippetFileName(vmName, text)));
  return new proxmoxve.FileLegacy(
    `${vmName}-user-data`,
    {
      nodeName: node,
      contentType: "snippets",
      datastoreId,
      sourceRaw: { fileName, data: userData },
    },
    opts,
  );
}

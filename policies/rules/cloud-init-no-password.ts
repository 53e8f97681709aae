import type { ResourceValidationPolicy } from "@pulumi/policy";
import { cloudInitFindings } from "../lib/cloudInit";
import { guestOf, isGuestType } from "../lib/guests";
import { FILE_TYPE, REDACTED } from "../lib/resources";

export { cloudInitFindings };

const FIX =
  "log in with SSH keys only: ssh_pwauth: false, lock_passwd: true, ssh_authorized_keys, no passwd/hashed_passwd/plain_text_passwd/password/chpasswd, and no sshd or password changes in write_files, runcmd or bootcmd";

export const cloudInitNoPassword: ResourceValidationPolicy = {
  name: "cloud-init-no-password",
  description:
    "Proxmox guests allow no password login and carry no password: no password in a VM's or container's user account, and no cloud-init snippet that turns password SSH on or sets a password, in any form cloud-init accepts (ssh_pwauth as cloud-init reads booleans, users, chpasswd, write_files in every encoding, runcmd/bootcmd).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const guest = isGuestType(args.type)
      ? guestOf({ ...args, dependencies: [], propertyDependencies: {} })
      : undefined;
    if (guest) {
      for (const input of guest.passwordInputs) {
        reportViolation(
          `${guest.kind} ${guest.name} sets ${input}, which Proxmox gives the guest's login as a password: remove it and ${FIX}`,
        );
      }
      return;
    }
    // A file without contentType gets one from its name (snippets for user-data); others are not cloud-init.
    if (args.type !== FILE_TYPE || (args.props.contentType ?? "snippets") !== "snippets") return;
    const data = (args.props.sourceRaw as { data?: unknown } | undefined)?.data;
    // Offline, secret snippets are redacted and cannot be read; `pulumi preview` shows them in full.
    if (typeof data !== "string" || data === REDACTED) return;
    const fileName = (args.props.sourceRaw as { fileName?: unknown }).fileName;
    for (const finding of cloudInitFindings(data)) {
      reportViolation(`cloud-init snippet ${String(fileName ?? args.name)} ${finding}: ${FIX}`);
    }
  },
};

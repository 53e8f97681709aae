import type { ResourceValidationPolicy } from "@pulumi/policy";
import { load } from "js-yaml";
import { FILE_TYPE, REDACTED, VM_TYPE } from "../lib/resources";

/** cloud-init reads user-data with YAML 1.1, where yes/no/on/off are booleans too. */
const YAML11_TRUE = /^(y|yes|true|on)$/i;
const YAML11_FALSE = /^(n|no|false|off)$/i;
const isTrue = (value: unknown) =>
  value === true || (typeof value === "string" && YAML11_TRUE.test(value.trim()));
const isFalse = (value: unknown) =>
  value === false || (typeof value === "string" && YAML11_FALSE.test(value.trim()));

const PASSWORD_KEYS = ["passwd", "hashed_passwd", "plain_text_passwd"] as const;

/** Shell lines that set a password or turn password logins on, wherever they sit in the snippet. */
const SHELL_PATTERNS: readonly [RegExp, string][] = [
  [/^\s*PasswordAuthentication\s+yes\b/im, "writes PasswordAuthentication yes for sshd"],
  [/\|\s*(sudo\s+)?chpasswd\b/, "pipes a password into chpasswd"],
  [/\|\s*(sudo\s+)?passwd\b/, "pipes a password into passwd"],
  [/\busermod\b[^\n]*\s(-p|--password)\s/, "sets a password with usermod"],
];

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The users a cloud-config declares, as mappings: `users` (a list, or a dict by name) and `user`. */
function usersOf(config: Mapping): { name: string; user: Mapping }[] {
  const users = config.users;
  const list: { name: string; user: Mapping }[] = [];
  const add = (user: unknown, fallback: string) => {
    if (isMapping(user)) list.push({ name: typeof user.name === "string" ? user.name : fallback, user });
  };
  if (Array.isArray(users)) users.forEach((user, index) => add(user, `users[${index}]`));
  else if (isMapping(users))
    for (const [name, user] of Object.entries(users)) add({ name, ...(isMapping(user) ? user : {}) }, name);
  add(config.user, "user");
  return list;
}

/** What a cloud-init snippet does that allows password logins or carries a password; empty when clean. */
export function cloudInitFindings(data: string): string[] {
  const findings: string[] = [];
  let config: unknown;
  try {
    config = load(data);
  } catch (error) {
    if (/^#cloud-config\b/.test(data.trimStart())) {
      return [`is #cloud-config that does not parse as YAML (${(error as Error).message.split("\n")[0]})`];
    }
  }
  if (isMapping(config)) {
    if (isTrue(config.ssh_pwauth)) findings.push("sets ssh_pwauth: true (password SSH logins)");
    if (config.password !== undefined) findings.push("sets a password for the default user (password:)");
    if (config.chpasswd !== undefined) findings.push("has a chpasswd block");
    for (const { name, user } of usersOf(config)) {
      for (const key of PASSWORD_KEYS) {
        if (user[key] !== undefined) findings.push(`gives user ${name} a password (${key})`);
      }
      if (isFalse(user.lock_passwd))
        findings.push(`unlocks the password of user ${name} (lock_passwd: false)`);
    }
  }
  for (const [pattern, finding] of SHELL_PATTERNS) if (pattern.test(data)) findings.push(finding);
  return findings;
}

const FIX =
  "log in with SSH keys only: ssh_pwauth: false, lock_passwd: true, ssh_authorized_keys, no passwd/hashed_passwd/plain_text_passwd/password/chpasswd";

export const cloudInitNoPassword: ResourceValidationPolicy = {
  name: "cloud-init-no-password",
  description:
    "VMs allow no password SSH login and carry no password in cloud-init: keys only, passwords locked.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type === VM_TYPE) {
      const initialization = args.props.initialization as
        { userAccount?: { password?: unknown } } | undefined;
      if (initialization?.userAccount?.password !== undefined) {
        reportViolation(
          `VM ${String(args.props.name ?? args.name)} sets initialization.userAccount.password, which Proxmox passes to cloud-init as a login password: remove it and ${FIX}`,
        );
      }
      return;
    }
    if (args.type !== FILE_TYPE || args.props.contentType !== "snippets") return;
    const data = (args.props.sourceRaw as { data?: unknown } | undefined)?.data;
    // Offline, secret snippets are redacted and cannot be read; `pulumi preview` shows them in full.
    if (typeof data !== "string" || data === REDACTED) return;
    const fileName = (args.props.sourceRaw as { fileName?: unknown }).fileName;
    for (const finding of cloudInitFindings(data)) {
      reportViolation(`cloud-init snippet ${String(fileName ?? args.name)} ${finding}: ${FIX}`);
    }
  },
};

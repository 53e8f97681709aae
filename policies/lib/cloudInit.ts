/**
 * What a cloud-init user-data does about passwords, read as cloud-init reads it (canonical/cloud-init):
 * `ssh_pwauth` through `util.is_true` (a boolean, or a string that is true/1/on/yes in any case and
 * blanks, cloudinit/util.py TRUE_STRINGS; cloudinit/config/cc_set_passwords.py `handle_ssh_pwauth`),
 * passwords on users (`passwd`, `hashed_passwd`, `plain_text_passwd`: cloudinit/distros/__init__.py
 * `create_user`) and for the default user (`password`), `lock_passwd` by Python's truthiness,
 * `chpasswd` lists in both forms (the old `list`, a multi-line string or a list, and the new `users`),
 * and sshd or password changes written by `write_files` in each encoding cloud-init decodes
 * (cloudinit/config/cc_write_files.py `canonicalize_extraction`: b64/base64, gz/gzip,
 * gz+b64/gzip+base64/gz+b64/gzip+b64), or fetched by it from a `source.uri` (unreadable here, so
 * reported), or run by `runcmd`/`bootcmd` lines (strings or argv lists), base64 payloads in them
 * decoded too. The YAML is read as PyYAML reads it (./pyyaml.ts).
 */
import { gunzipSync } from "node:zlib";
import { load } from "js-yaml";
import { PYYAML_SCHEMA, pythonTruthy } from "./pyyaml";

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** cloudinit/util.py `is_true`: True, or str(value).lower().strip() in ("true", "1", "on", "yes"). */
export function cloudInitIsTrue(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  return ["true", "1", "on", "yes"].includes(String(value).toLowerCase().trim());
}

/**
 * Whether a user's `lock_passwd` leaves the password unlocked: cloud-init tests it with Python's
 * truthiness, `if kwargs.get("lock_passwd", True)` (cloudinit/distros/__init__.py `create_user`), so
 * absent locks, and false, null, "", 0, 0.0, [] and {} unlock, while the quoted string "false" locks.
 */
export const unlocksPassword = (user: Mapping) => "lock_passwd" in user && !pythonTruthy(user.lock_passwd);

const PASSWORD_KEYS = ["passwd", "hashed_passwd", "plain_text_passwd"] as const;

/**
 * Shell and file text that turns password logins on or sets a password. sshd_config keywords and
 * their yes/no are case-insensitive and may be joined by `=` (openssh servconf.c); keyboard-interactive
 * authentication asks PAM for the same password.
 */
const TEXT_PATTERNS: readonly [RegExp, string][] = [
  [
    /\b(PasswordAuthentication|KbdInteractiveAuthentication|ChallengeResponseAuthentication)["']?(\s+|\s*=\s*)["']?yes\b/i,
    "turns sshd password logins on (PasswordAuthentication yes or keyboard-interactive)",
  ],
  [
    /\bPermitEmptyPasswords["']?(\s+|\s*=\s*)["']?yes\b/i,
    "lets sshd accept empty passwords (PermitEmptyPasswords yes)",
  ],
  [/\|\s*(sudo\s+)?chpasswd\b/, "pipes a password into chpasswd"],
  [/\bchpasswd\s+<</, "feeds a password to chpasswd"],
  [/\|\s*(sudo\s+)?passwd\b/, "pipes a password into passwd"],
  [/\bpasswd\s+(-d|--delete)\b/, "deletes a password, leaving an empty one"],
  [/\b(usermod|useradd)\b[^\n]*\s(-p|--password)[\s=]/, "sets a password with usermod/useradd"],
];

/** Base64 runs long enough to hide a line of shell or config. */
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

/** The text behind base64 runs in a line (`echo … | base64 -d`), those that decode to printable text. */
function decodedRuns(line: string): string[] {
  return [...line.matchAll(BASE64_RUN)].flatMap(([run]) => {
    const decoded = Buffer.from(run, "base64");
    const text = tryGunzip(decoded) ?? decoded.toString("utf8");
    return /^[\t\n\r\x20-\x7e]*$/.test(text) ? [text] : [];
  });
}

function tryGunzip(bytes: Buffer): string | undefined {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return undefined;
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch {
    return undefined;
  }
}

/** A write_files entry's content as cloud-init writes it, or a note when it cannot be decoded. */
export function writeFileContent(entry: Mapping): string {
  const content = entry.content;
  const bytes =
    content instanceof Uint8Array ? Buffer.from(content) : Buffer.from(String(content ?? ""), "utf8");
  const encoding = String(entry.encoding ?? "")
    .toLowerCase()
    .trim();
  const base64 = ["b64", "base64", "gz+base64", "gzip+base64", "gz+b64", "gzip+b64"].includes(encoding);
  const raw = base64 ? Buffer.from(bytes.toString("utf8"), "base64") : bytes;
  return tryGunzip(raw) ?? raw.toString("utf8");
}

/** The lines a runcmd/bootcmd list runs: strings as they are, argv lists joined by blanks. */
function commandLines(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  return value.map((line) => (Array.isArray(line) ? line.map(String).join(" ") : String(line)));
}

/** The users a cloud-config declares, as mappings: `users` (a list, or a dict by name) and `user`. */
function usersOf(config: Mapping): { name: string; user: Mapping }[] {
  const users = config.users;
  const found: { name: string; user: Mapping }[] = [];
  const add = (user: unknown, fallback: string) => {
    if (isMapping(user)) found.push({ name: typeof user.name === "string" ? user.name : fallback, user });
  };
  if (Array.isArray(users)) users.forEach((user, index) => add(user, `users[${index}]`));
  else if (isMapping(users))
    for (const [name, user] of Object.entries(users)) add({ name, ...(isMapping(user) ? user : {}) }, name);
  add(config.user, "user");
  return found;
}

/** The `user:password` lines and `users` entries of a chpasswd block (cc_set_passwords.py `handle`). */
function chpasswdEntries(chpasswd: unknown): number {
  if (!isMapping(chpasswd)) return 0;
  const list = chpasswd.list;
  const lines = Array.isArray(list)
    ? list
    : typeof list === "string"
      ? list.split("\n").filter((line) => line.trim() !== "")
      : [];
  const users = Array.isArray(chpasswd.users) ? chpasswd.users : [];
  return lines.length + users.length;
}

function textFindings(text: string, where: string): string[] {
  const texts = [text, ...text.split("\n").flatMap(decodedRuns)];
  return TEXT_PATTERNS.filter(([pattern]) => texts.some((candidate) => pattern.test(candidate))).map(
    ([, finding]) => `${finding} (${where})`,
  );
}

function configFindings(config: Mapping): string[] {
  const findings: string[] = [];
  if (cloudInitIsTrue(config.ssh_pwauth)) {
    findings.push(`sets ssh_pwauth: ${JSON.stringify(config.ssh_pwauth)} (password SSH logins)`);
  }
  if (config.password !== undefined) findings.push("sets a password for the default user (password:)");
  const entries = chpasswdEntries(config.chpasswd);
  if (entries > 0) findings.push(`sets ${entries} password(s) with chpasswd`);
  for (const { name, user } of usersOf(config)) {
    for (const key of PASSWORD_KEYS) {
      if (user[key] !== undefined) findings.push(`gives user ${name} a password (${key})`);
    }
    if (unlocksPassword(user)) {
      findings.push(
        `unlocks the password of user ${name} (lock_passwd: ${JSON.stringify(user.lock_passwd)})`,
      );
    }
  }
  const files = Array.isArray(config.write_files) ? config.write_files.filter(isMapping) : [];
  for (const file of files) {
    const where = `write_files ${String(file.path ?? "?")}`;
    // cloud-init fetches the content from `source.uri` at boot when the uri is set, in place of
    // `content` (cloudinit/config/cc_write_files.py `read_url_or_decode`): nothing here can read it.
    if (isMapping(file.source) && pythonTruthy(file.source.uri)) {
      findings.push(
        `takes a file's content from ${String(file.source.uri)} at boot, which the pack cannot read (${where})`,
      );
    }
    findings.push(...textFindings(writeFileContent(file), where));
  }
  for (const key of ["runcmd", "bootcmd"]) {
    commandLines(config[key]).forEach((line, index) =>
      findings.push(...textFindings(line, `${key}[${index}]`)),
    );
  }
  return findings;
}

/** What a cloud-init user-data allows or carries in passwords; empty when it is keys only. */
export function cloudInitFindings(data: string): string[] {
  let config: unknown;
  try {
    // `json: true`: a key given twice keeps its last value, as PyYAML's loader does, instead of throwing;
    // PyYAML's YAML 1.1 scalars (`no` is false, `0_0` is 0).
    config = load(data, { json: true, schema: PYYAML_SCHEMA });
  } catch (error) {
    if (/^(##[^\n]*\n)?#cloud-config\b/.test(data.trimStart())) {
      return [`is #cloud-config that does not parse as YAML (${(error as Error).message.split("\n")[0]})`];
    }
  }
  // `#cloud-config-archive`: a list of parts, each with its own content.
  if (Array.isArray(config)) {
    return config
      .filter(isMapping)
      .flatMap((part) => (typeof part.content === "string" ? cloudInitFindings(part.content) : []));
  }
  const findings = isMapping(config) ? configFindings(config) : [];
  // Anything else (a shell script, a part handler) is read as text; a cloud-config's own text is too.
  const seen = new Set(findings.map((finding) => finding.replace(/ \([^)]*\)$/, "")));
  for (const finding of textFindings(data, "user-data")) {
    if (!seen.has(finding.replace(/ \([^)]*\)$/, ""))) findings.push(finding);
  }
  return findings;
}

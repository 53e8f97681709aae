/**
 * The scan user on a Fortress VM, for Greenbone's authenticated scans: `fortress-scan`, no password
 * (`*`: no password can match), no sudo and no group beyond its own, and one authorized key limited
 * with OpenSSH's `restrict` (no forwarding, no pty, no agent, no X11: sshd(8) AUTHORIZED_KEYS FILE
 * FORMAT) and `from=` the scanner's address, so the key is useless from anywhere else. Greenbone's
 * local security checks only read (package lists, versions) over plain SSH commands, which this allows.
 * The script is rendered by a pure function and re-runnable: a second run changes nothing.
 */
import { SCAN_USER } from "./targets";

export interface ScanUserArgs {
  /** The scan key's public half (OpenSSH format, ssh-ed25519). */
  readonly publicKey: string;
  /** The Greenbone VM's address: the only source the key is accepted from. */
  readonly scannerAddress: string;
}

/** The authorized_keys line: `restrict,from="<scanner>" ssh-ed25519 AAAA… fortress-scan`. */
export function authorizedKeyLine(args: ScanUserArgs): string {
  const key = args.publicKey.trim().split(/\s+/);
  if (key.length < 2 || key[0] !== "ssh-ed25519" || !/^[A-Za-z0-9+/=]+$/.test(key[1] ?? ""))
    throw new Error("the scan key is not an ssh-ed25519 public key");
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(args.scannerAddress))
    throw new Error(`not an IPv4 address: ${args.scannerAddress}`);
  return `restrict,from="${args.scannerAddress}" ${key[0]} ${key[1]} ${SCAN_USER}`;
}

export function scanUserScript(args: ScanUserArgs): string {
  const line = authorizedKeyLine(args);
  return [
    "set -eu",
    `user=${SCAN_USER}`,
    'if ! id -u "$user" >/dev/null 2>&1; then',
    '  sudo useradd --create-home --shell /bin/bash --comment "Fortress Greenbone authenticated scans" "$user"',
    "fi",
    // No password can match `*`; key logins still work (the account is not locked with `!`).
    'sudo usermod -p "*" "$user"',
    // Least privilege: only its own group, and no sudoers entry naming it.
    'for group in $(id -Gn "$user"); do',
    '  if [ "$group" != "$user" ]; then sudo gpasswd -d "$user" "$group" >/dev/null; fi',
    "done",
    'if sudo grep -rqsw -- "$user" /etc/sudoers /etc/sudoers.d; then',
    '  echo "a sudoers entry names $user: remove it, the scan user has no sudo" >&2',
    "  exit 1",
    "fi",
    'home=$(getent passwd "$user" | cut -d: -f6)',
    'sudo install -d -m 0700 -o "$user" -g "$user" "$home/.ssh"',
    `line='${line}'`,
    'if [ "$(sudo cat "$home/.ssh/authorized_keys" 2>/dev/null || true)" != "$line" ]; then',
    '  printf "%s\\n" "$line" | sudo tee "$home/.ssh/authorized_keys" >/dev/null',
    "fi",
    'sudo chown "$user:$user" "$home/.ssh/authorized_keys"',
    'sudo chmod 0600 "$home/.ssh/authorized_keys"',
  ].join("\n");
}

/** What removes it again (the command's delete): the user and its home. */
export const SCAN_USER_DELETE = `if id -u ${SCAN_USER} >/dev/null 2>&1; then sudo userdel --remove ${SCAN_USER} 2>/dev/null || sudo userdel ${SCAN_USER}; fi`;

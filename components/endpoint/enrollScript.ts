/**
 * The shell script that makes one Fortress VM an enrolled Wazuh agent, over SSH, in the house style of
 * components/platform/k3sInstall.ts: rendered by a pure function, re-runnable, the secret from stdin into
 * a root-only file. On a VM already enrolled it changes nothing: the key and the repository are written
 * only when they differ, the package installed only when another version is there, the agent registered
 * only while client.keys is empty, and restarted only when its configuration changed.
 *
 * Facts (wazuh/wazuh@v4.14.6 unless said otherwise):
 * - repository and signing key: research/next-layers.md §2 (packages.wazuh.com/4.x/apt, key
 *   GPG-KEY-WAZUH, fingerprint 0DCFCA5547B19D2A6099506096B3EE5F29111145); the key is taken only if it
 *   has that fingerprint;
 * - the enrollment password lives in /var/ossec/etc/authd.pass, mode 640, root:wazuh
 *   (src/init/register_configure_agent.sh), where agent-auth reads it when no -P is given
 *   (src/shared/enrollment_op.c, AUTHD_PASS "etc/authd.pass"): it never appears on a command line;
 * - `agent-auth -m <manager> -G <group> -A <name>` registers once (src/os_auth/main-client.c options);
 * - the manager's address is `<client><server><address>` of ossec.conf (etc/ossec-agent.conf).
 * - a fresh install does not start the agent (packages/debs/SPECS/wazuh-agent/debian/postinst restarts
 *   only an agent that was running before an upgrade), so nothing enrolls before authd.pass is in place
 *   and agent-auth has registered it; the install's WAZUH_MANAGER/WAZUH_AGENT_GROUP/WAZUH_AGENT_NAME are
 *   written into ossec.conf by src/init/register_configure_agent.sh.
 */

import { AGENT_PATHS } from "./clamav/activeResponse";
import type { ClamavAgentFiles } from "./clamav/agentSide";
import { CLAMDSCAN_DEB_VERSION } from "./clamav/pins";

export const WAZUH_AGENT_VERSION = "4.14.6-1";
export const WAZUH_APT_LINE =
  "deb [signed-by=/usr/share/keyrings/wazuh.gpg] https://packages.wazuh.com/4.x/apt/ stable main";
export const WAZUH_KEY_URL = "https://packages.wazuh.com/key/GPG-KEY-WAZUH";
export const WAZUH_KEY_FINGERPRINT = "0DCFCA5547B19D2A6099506096B3EE5F29111145";
/** Where agent-auth and the agent read the enrollment password. */
export const AUTHD_PASS = "/var/ossec/etc/authd.pass";
export const CLIENT_KEYS = "/var/ossec/etc/client.keys";
export const OSSEC_CONF = "/var/ossec/etc/ossec.conf";

export interface EnrollScriptArgs {
  /** The manager's address on the servers network. */
  readonly manager: string;
  /** The agent group (created on the manager before this runs). */
  readonly group: string;
  /** The agent's name on the manager: the VM's name. */
  readonly agentName: string;
  /**
   * A directory every absolute path is taken under: "" on a VM. Tests run the real script in a
   * temporary root with it.
   */
  readonly root?: string;
  /** The agent side of the lab's clamd (clamav/agentSide.ts); none while the lab runs no ClamAV. */
  readonly clamav?: ClamavAgentFiles;
}

/**
 * Installs one file only when its content or mode differs: the content travels base64-encoded in the
 * script (no quoting to get wrong), is decoded into the work directory and compared with cmp.
 */
function installFile(
  r: (path: string) => string,
  path: string,
  content: string,
  mode: string,
  owner: string,
): string[] {
  const staged = `"$work/${path.split("/").pop() ?? "file"}"`;
  return [
    `echo '${Buffer.from(content, "utf8").toString("base64")}' | base64 -d > ${staged}`,
    `if ! sudo cmp -s ${staged} ${r(path)} || [ "$(sudo stat -c '%a' ${r(path)})" != '${mode}' ]; then`,
    `  sudo install -D -m ${mode} -o root -g ${owner} ${staged} ${r(path)}`,
    "fi",
  ];
}

/**
 * The agent side of ClamAV: Debian's clamdscan pinned and held (the client alone: no daemon, no
 * signatures), the active response where execd runs it (active-response/bin, root:wazuh 0750 as
 * wazuh/wazuh@v4.14.6 src/init/inst-functions.sh installs its own), and the client config pointing at
 * the central clamd. agent.conf (centralised) reads the detection log, so nothing here restarts the agent.
 */
function clamavSteps(r: (path: string) => string, files: ClamavAgentFiles): string[] {
  return [
    `if [ "$(dpkg-query -W -f='\${Version}' clamdscan 2>/dev/null || true)" != '${CLAMDSCAN_DEB_VERSION}' ]; then`,
    "  sudo apt-mark unhold clamdscan >/dev/null 2>&1 || true",
    "  sudo apt-get update -q",
    `  sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --allow-downgrades clamdscan=${CLAMDSCAN_DEB_VERSION}`,
    "fi",
    "if ! apt-mark showhold | grep -qx clamdscan; then sudo apt-mark hold clamdscan >/dev/null; fi",
    ...installFile(r, AGENT_PATHS.clientConf, files.clientConf, "640", "wazuh"),
    ...installFile(r, AGENT_PATHS.script, files.script, "750", "wazuh"),
  ];
}

const SAFE = /^[A-Za-z0-9._-]+$/;

/** The script; stdin carries the enrollment password, one line. */
export function enrollScript(args: EnrollScriptArgs): string {
  for (const [what, value] of [
    ["manager", args.manager],
    ["group", args.group],
    ["agent name", args.agentName],
  ] as const) {
    if (!SAFE.test(value))
      throw new Error(`internal: the ${what} ${value} is not safe to write into the script`);
  }
  const root = args.root ?? "";
  if (root !== "" && !/^\/[\w./-]+$/.test(root)) throw new Error(`internal: root ${root} cannot be quoted`);
  const r = (path: string) => `${root}${path}`;
  return [
    "set -eu",
    "cloud-init status --wait >/dev/null 2>&1 || true",
    "changed=0",
    "work=$(mktemp -d)",
    `trap 'rm -rf "$work"' EXIT`,
    // 1. The password first, from stdin, into a root-only file of our own (the package's dir does not exist yet).
    `sudo install -d -m 0700 ${r("/etc/fortress")}`,
    `sudo sh -c 'umask 077 && IFS= read -r secret && printf "%s\\n" "$secret" > ${r("/etc/fortress/wazuh-enrollment.pass")}'`,
    // 2. The signing key, only with the pinned fingerprint.
    `if [ ! -s ${r("/usr/share/keyrings/wazuh.gpg")} ]; then`,
    `  curl -sfL --retry 3 -o "$work/key" '${WAZUH_KEY_URL}'`,
    `  if ! gpg --show-keys --with-colons "$work/key" 2>/dev/null | grep -q '^fpr:::::::::${WAZUH_KEY_FINGERPRINT}:'; then`,
    `    echo "the key at ${WAZUH_KEY_URL} is not Wazuh's signing key ${WAZUH_KEY_FINGERPRINT}: not trusting it" >&2`,
    "    exit 1",
    "  fi",
    `  gpg --dearmor < "$work/key" > "$work/wazuh.gpg"`,
    `  sudo install -D -m 0644 "$work/wazuh.gpg" ${r("/usr/share/keyrings/wazuh.gpg")}`,
    "fi",
    // 3. The repository.
    `if [ "$(cat ${r("/etc/apt/sources.list.d/wazuh.list")} 2>/dev/null)" != '${WAZUH_APT_LINE}' ]; then`,
    `  echo '${WAZUH_APT_LINE}' | sudo tee ${r("/etc/apt/sources.list.d/wazuh.list")} >/dev/null`,
    "  sudo apt-get update -q",
    "fi",
    // 4. The pinned package, held.
    `if [ "$(dpkg-query -W -f='\${Version}' wazuh-agent 2>/dev/null || true)" != '${WAZUH_AGENT_VERSION}' ]; then`,
    "  sudo apt-mark unhold wazuh-agent >/dev/null 2>&1 || true",
    `  sudo env DEBIAN_FRONTEND=noninteractive WAZUH_MANAGER=${args.manager} WAZUH_AGENT_GROUP=${args.group} WAZUH_AGENT_NAME=${args.agentName} apt-get install -y -q --allow-downgrades wazuh-agent=${WAZUH_AGENT_VERSION}`,
    "  changed=1",
    "fi",
    "if ! apt-mark showhold | grep -qx wazuh-agent; then sudo apt-mark hold wazuh-agent >/dev/null; fi",
    // 5. The manager's address (the install set it; a new manager address is written here).
    `if ! sudo grep -q '<address>${args.manager}</address>' ${r(OSSEC_CONF)}; then`,
    `  sudo sed -i 's|<address>[^<]*</address>|<address>${args.manager}</address>|' ${r(OSSEC_CONF)}`,
    "  changed=1",
    "fi",
    // 6. authd.pass as the package makes it: 640 root:wazuh, replaced only when the password changed.
    `if ! sudo cmp -s ${r("/etc/fortress/wazuh-enrollment.pass")} ${r(AUTHD_PASS)}; then`,
    `  sudo install -m 0640 -o root -g wazuh ${r("/etc/fortress/wazuh-enrollment.pass")} ${r(AUTHD_PASS)}`,
    "fi",
    // 7. Registered once: an agent with a key is not registered again.
    `if ! sudo test -s ${r(CLIENT_KEYS)}; then`,
    `  sudo ${r("/var/ossec/bin/agent-auth")} -m ${args.manager} -G ${args.group} -A ${args.agentName}`,
    "  changed=1",
    "fi",
    // 8. ClamAV's agent side, when the lab runs the central clamd.
    ...(args.clamav ? clamavSteps(r, args.clamav) : []),
    // 9. Running, restarted only for a change.
    "if ! systemctl is-enabled --quiet wazuh-agent; then sudo systemctl enable wazuh-agent >/dev/null; fi",
    'if [ "$changed" = 1 ]; then',
    "  sudo systemctl restart wazuh-agent",
    "elif ! systemctl is-active --quiet wazuh-agent; then",
    "  sudo systemctl start wazuh-agent",
    "fi",
  ].join("\n");
}

/**
 * What an admin runs, as root, on a physical Debian or Ubuntu device to enroll it (a stack output). The
 * password is pasted at a silent prompt (`read -rs`), so it is on no command line and in no history.
 */
export function physicalEnrollCommand(args: {
  manager: string;
  group: string;
  passwordWhere: string;
}): string {
  for (const value of [args.manager, args.group]) {
    if (!SAFE.test(value)) throw new Error(`internal: ${value} is not safe to print into a command`);
  }
  return [
    `# Enroll a physical Debian/Ubuntu device into the Wazuh group ${args.group}, as root.`,
    `# The enrollment password: ${args.passwordWhere}. Paste it at the prompt.`,
    "set -eu",
    `curl -sfL ${WAZUH_KEY_URL} -o /tmp/wazuh.key`,
    `gpg --show-keys --with-colons /tmp/wazuh.key | grep -q '^fpr:::::::::${WAZUH_KEY_FINGERPRINT}:'`,
    "gpg --dearmor < /tmp/wazuh.key > /usr/share/keyrings/wazuh.gpg",
    `echo '${WAZUH_APT_LINE}' > /etc/apt/sources.list.d/wazuh.list`,
    "apt-get update",
    `WAZUH_MANAGER=${args.manager} WAZUH_AGENT_GROUP=${args.group} apt-get install -y wazuh-agent=${WAZUH_AGENT_VERSION}`,
    "apt-mark hold wazuh-agent",
    `(umask 027 && read -rs -p 'enrollment password: ' p && printf '%s\\n' "$p" > ${AUTHD_PASS})`,
    `chown root:wazuh ${AUTHD_PASS}`,
    `/var/ossec/bin/agent-auth -m ${args.manager} -G ${args.group}`,
    "systemctl enable --now wazuh-agent",
  ].join("\n");
}

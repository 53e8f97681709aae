/**
 * The rescan's way from the manager to gvmd in the offline lab, through the same programs the Greenbone
 * VM gets: the active response runs contain.json's rescan.argv (onManager.ts: rescanArgv, the manager's
 * ssh command) + the target's name; here its first word is a stand-in for ssh, and everything after it
 * is what the Greenbone VM's sshd would see.
 *
 * - ssh (openssh-portable@V_9_2_P1 ssh.c): the words after the host are joined with single spaces
 *   into the one command string sent to the server.
 * - sshd (session.c do_child, sshd.8 "command="): for a key with a forced command it runs that command,
 *   not the client's, as `<the user's shell> -c <forced command>` in a fresh environment (the user's
 *   HOME, USER, LOGNAME, SHELL, the default PATH), with the client's command in SSH_ORIGINAL_COMMAND
 *   and SSH_CONNECTION set. The stand-in does that with /bin/sh (the rescan user's shell, rescanAccess.ts).
 * - The forced command is rescanWrapper (components/response/containment/rescanAccess.ts), rendered as
 *   for the VM, so it runs `sudo -n <fortress-rescan> <target>`.
 * - sudo: a stand-in first on the wrapper's PATH that allows exactly the commands of the rendered
 *   sudoers rule (rescanSudoers; anything else: sudo's "a password is required", exit 1, as `-n` does)
 *   and runs the command in root's own environment (env_reset: nothing of the caller's), which is where
 *   the lab's gvmd paths live (on the VM they are fortress-rescan's fixed paths).
 * - fortress-rescan: the vuln layer's rescanScript (components/vuln/install.ts), its program path the lab's.
 *
 * Each request the ssh stand-in passes on is written to `requests.log` (what sshd would log).
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rescanSudoers, rescanWrapper, sudoRescan } from "../../components/response/containment/rescanAccess";
import { GVM_PROGRAM_PATH } from "../../components/vuln/gvmProgram";
import { rescanScript } from "../../components/vuln/install";

/** sshd's default PATH for a user (Debian 12's openssh-server, _PATH_STDPATH plus /usr/local). */
const USER_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/games";
const ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const SAFE = /^[A-Za-z0-9_./=:-]+$/;

function quote(value: string): string {
  if (!SAFE.test(value)) throw new Error(`internal: ${value} cannot be quoted here`);
  return `'${value}'`;
}

/** The ssh stand-in: ssh's options as rescanArgv gives them, the host, then the command for sshd. */
export function sshStandIn(paths: {
  readonly wrapper: string;
  readonly sudoDir: string;
  readonly home: string;
  readonly log: string;
  /** The manager's address, sshd's SSH_CONNECTION client (the wrapper does not read it). */
  readonly from: string;
}): string {
  return [
    "#!/bin/sh",
    "# Offline stand-in for ssh + the Greenbone VM's sshd (scenario/offline/rescanPath.ts).",
    "set -eu",
    'while [ "$#" -gt 0 ]; do',
    '  case "$1" in',
    "    -F|-i|-o|-l|-p) shift 2 ;;",
    '    -*) echo "ssh stand-in: unexpected option $1" >&2; exit 255 ;;',
    "    *) break ;;",
    "  esac",
    "done",
    'if [ "$#" -lt 1 ]; then echo "ssh stand-in: no host" >&2; exit 255; fi',
    'host="$1"',
    "shift",
    // ssh.c: the remaining words, joined with single spaces.
    'request="$*"',
    `printf '%s %s\\n' "$host" "$request" >> ${quote(paths.log)}`,
    "exec env -i \\",
    `  PATH=${quote(`${paths.sudoDir}:${USER_PATH}`)} HOME=${quote(paths.home)} \\`,
    "  USER=fortress-rescan LOGNAME=fortress-rescan SHELL=/bin/sh \\",
    `  SSH_CONNECTION='${quote(paths.from).slice(1, -1)} 40022 '"$host"' 22' \\`,
    '  SSH_ORIGINAL_COMMAND="$request" \\',
    `  /bin/sh -c ${quote(paths.wrapper)}`,
    "",
  ].join("\n");
}

/** The sudo stand-in: `-n` + one command the sudoers rule names, run in root's environment. */
export function sudoStandIn(sudoers: string, rootEnv: Readonly<Record<string, string>>): string {
  const rule = /NOPASSWD: (.*)$/m.exec(sudoers)?.[1];
  if (!rule) throw new Error("internal: the sudoers rule names no command");
  const allowed = rule.split(", ").map((entry) => {
    if (!/^[A-Za-z0-9_./=:-]+( [A-Za-z0-9_./=:-]+)*$/.test(entry)) throw new Error(`internal: ${entry}`);
    return `  '${entry}') ;;`;
  });
  const env = Object.entries(rootEnv).map(([name, value]) => `${name}=${quote(value)}`);
  return [
    "#!/bin/sh",
    "# Offline stand-in for sudo with the rescan user's sudoers rule (scenario/offline/rescanPath.ts).",
    "set -eu",
    'if [ "${1-}" != "-n" ]; then echo "sudo stand-in: the wrapper always passes -n" >&2; exit 1; fi',
    "shift",
    'case "$*" in',
    ...allowed,
    "  *)",
    '    echo "sudo: a password is required" >&2',
    "    exit 1",
    "    ;;",
    "esac",
    `exec env -i PATH=${quote(ROOT_PATH)} HOME=/root USER=root LOGNAME=root SHELL=/bin/sh ${env.join(" ")} "$@"`,
    "",
  ].join("\n");
}

export interface RescanPath {
  /** contain.json's rescan.argv: rescanArgv's words with the ssh stand-in in place of /usr/bin/ssh. */
  readonly argv: readonly string[];
  /** Each request the Greenbone side got, `<host> <SSH_ORIGINAL_COMMAND>` a line. */
  readonly log: string;
}

export function installRescanPath(
  dir: string,
  input: {
    /** rescanArgv(<the Greenbone VM's address>), as onManager.ts writes it into contain.json. */
    readonly managerArgv: readonly string[];
    /** The manager's address (where the request comes from). */
    readonly managerAddress: string;
    readonly targets: readonly string[];
    /** The lab's fortress_gvm.py and the environment that points it at the loopback gvmd. */
    readonly program: string;
    readonly rootEnv: Readonly<Record<string, string>>;
  },
): RescanPath {
  const home = join(dir, "home");
  const sudoDir = join(dir, "bin");
  for (const sub of [home, sudoDir]) mkdirSync(sub, { recursive: true });
  const rescan = join(dir, "fortress-rescan");
  const wrapper = join(dir, "fortress-rescan-ssh");
  const ssh = join(dir, "ssh");
  const log = join(dir, "requests.log");
  writeFileSync(log, "");
  const onVm = rescanScript();
  const script = onVm.replace(`/usr/bin/python3 ${GVM_PROGRAM_PATH} `, `/usr/bin/python3 ${input.program} `);
  if (script === onVm) throw new Error("internal: fortress-rescan no longer runs the GMP client as expected");
  const files: [string, string][] = [
    [rescan, script],
    [wrapper, rescanWrapper(input.targets, sudoRescan(rescan))],
    [join(sudoDir, "sudo"), sudoStandIn(rescanSudoers(input.targets, rescan), input.rootEnv)],
    [ssh, sshStandIn({ wrapper, sudoDir, home, log, from: input.managerAddress })],
  ];
  for (const [path, text] of files) {
    writeFileSync(path, text);
    chmodSync(path, 0o755);
  }
  return { argv: [ssh, ...input.managerArgv.slice(1)], log };
}

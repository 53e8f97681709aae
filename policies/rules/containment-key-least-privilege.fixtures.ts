/**
 * The containment key as a plan carries it: the manager's install step (its script shaped as
 * components/response/wazuh/managerBridge.ts and the containment README describe: fortress-contain
 * installed, contain.json root-only from the secret stdin, then `fortress-contain preflight`) and, were
 * OPNsense's users ever modelled, the containment user.
 */
import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { CONTAINMENT_PRIVILEGE_KEYS, CONTAINMENT_USER } from "../../vocabulary/containment";
import { OPNSENSE_GROUP_TYPE, OPNSENSE_USER_TYPE } from "./containment-key-least-privilege";

export const response = layerComponent("response");

export const INSTALL = [
  "set -eu",
  "work=$(sudo mktemp -d); trap 'sudo rm -rf \"$work\"' EXIT",
  "umask 077",
  'cat > "$work/contain.json"',
  'sudo install -m 0600 -o root -g root "$work/contain.json" /etc/fortress/contain.json',
  'sudo install -m 0755 -o root -g root "$work/fortress-contain" /usr/local/sbin/fortress-contain',
  "sudo /usr/local/sbin/fortress-contain preflight",
].join("\n");

/**
 * contain.json in the shape components/response/containment/program.ts renderContainConfig writes it, with
 * a key and secret plainly there (components/response/containment/vocabulary.test.ts runs the policy on
 * the real rendering).
 */
export const plainConfig = `${JSON.stringify(
  {
    url: "https://10.10.10.1",
    key: "containkey0000000000000000000000000000000000000000000000000000000000000000000000",
    secret: "containsecret000000000000000000000000000000000000000000000000000000000000000000",
    alias: "fz_quarantine",
    timeout: 5,
    attempts: 4,
    backoff: 0.5,
    allow: [{ cidr: "10.10.10.0/24", why: "the management network" }],
    syslog: { socket: "/dev/log" },
  },
  null,
  2,
)}\n`;

export const step = (inputs: Record<string, unknown> = {}) =>
  planResource(
    SDK_TYPES.commandRemote,
    "siem-manager-containment",
    { create: INSTALL, stdin: "[secret]", logging: "none", ...inputs },
    { parent: response },
  );

export const user = (fields: Record<string, string>) =>
  planResource(OPNSENSE_USER_TYPE, "contain-user", { fields: { name: CONTAINMENT_USER, ...fields } });
export const group = (fields: Record<string, string>) =>
  planResource(OPNSENSE_GROUP_TYPE, "contain-group", { fields: { name: "fortress-ops", ...fields } });

const TWO = CONTAINMENT_PRIVILEGE_KEYS.join(",");

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the manager step: contain.json from a secret stdin, then preflight",
      resources: [response, step()],
    },
    { name: "the containment user with its two privileges, in no group", resources: [user({ priv: TWO })] },
    { name: "no containment in the plan", resources: [response] },
  ],
  failing: [
    {
      name: "a step that never runs preflight",
      resources: [step({ create: INSTALL.replace(/\n.*preflight$/, "") })],
    },
    {
      name: "contain.json written by the script itself (the key on a command line)",
      resources: [
        step({ create: `${INSTALL}\ncat > /etc/fortress/contain.json <<'EOF'\n${plainConfig}EOF` }),
      ],
    },
    {
      name: "a step reading the provider's own key",
      resources: [step({ create: `${INSTALL}\nkey=$(pulumi config get fortress:opnsenseApiKey)` })],
    },
    { name: "a step that logs its output", resources: [step({ logging: "stdoutAndStderr" })] },
    { name: "the containment user with All pages too", resources: [user({ priv: `${TWO},page-all` })] },
    {
      name: "a group granting a containment privilege",
      resources: [group({ priv: "page-diagnostics-tables" })],
    },
  ],
};

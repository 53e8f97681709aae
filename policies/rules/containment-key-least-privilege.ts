import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  CONTAIN_ANSIBLE_VARS_PATH,
  CONTAIN_CONFIG_PATH,
  CONTAINMENT_PRIVILEGE_KEYS,
  CONTAINMENT_USER,
  OPNSENSE_PROVIDER_CONFIG,
} from "../../vocabulary/containment";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { OPNSENSE_TYPE_PREFIX } from "../../vocabulary/typeTokens";
import { knownString, walkInputs } from "../lib/inputs";

/**
 * OPNsense's users and groups as an item model would register them (opnsense/core@26.7.2
 * models/OPNsense/Auth/User.xml: `name`, `priv` (ACL keys, comma-separated: FieldTypes/PrivField.php),
 * `group_memberships`; Group.xml: `name`, `priv`, `member`). Fortress has no such model today: the
 * containment user is made by hand (components/response/containment/README.md).
 */
export const OPNSENSE_USER_TYPE = `${OPNSENSE_TYPE_PREFIX}user`;
export const OPNSENSE_GROUP_TYPE = `${OPNSENSE_TYPE_PREFIX}group`;
/** Where a containment step puts the key: contain.json (the programs), the playbook's vars file. */
export const CONTAINMENT_FILES = [CONTAIN_CONFIG_PATH, CONTAIN_ANSIBLE_VARS_PATH];

const ALLOWED: ReadonlySet<string> = new Set(CONTAINMENT_PRIVILEGE_KEYS);
const COMMANDS: ReadonlySet<string> = new Set([SDK_TYPES.commandRemote, SDK_TYPES.commandLocal]);
const SCRIPT_INPUTS = ["create", "update", "delete"];
/** The provider's own key (its config names: components/opnsense/provider.ts), by its last part. */
const PROVIDER_CONFIG = OPNSENSE_PROVIDER_CONFIG.map((name) => name.split(":").pop() ?? name);
/** OPNsense's user, group and key management (Auth/Api/UserController.php, GroupController.php). */
const AUTH_API = /api\/auth\/(user|group|priv)\b|add_api_key/;
const PREFLIGHT = /fortress-contain(?:\s+--config[= ]\S+)?\s+preflight\b/;
/** A credential written out in plain text: JSON `"secret": "…"`, YAML `opnsense_contain_secret: …`. */
const PLAIN_CREDENTIAL =
  /"(?:key|secret)"\s*:\s*"(?!\[secret|\[unknown|")[^"]+"|opnsense_contain_(?:key|secret)\s*:\s*(?!["']?\{\{|["']?\[secret)\S+/;

const fieldsOf = (resource: PolicyResource) => (resource.props.fields ?? {}) as Record<string, unknown>;
const list = (value: unknown) =>
  String(value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/** An OPNsense user or group that holds a containment privilege beside others, or the containment user's privileges. */
function accountProblems(resource: PolicyResource): string[] {
  const fields = fieldsOf(resource);
  const name = String(fields.name ?? resource.name);
  const privileges = list(fields.priv);
  const containing = privileges.filter((key) => ALLOWED.has(key));
  const others = privileges.filter((key) => !ALLOWED.has(key));
  const kind = resource.type === OPNSENSE_USER_TYPE ? "user" : "group";
  const problems: string[] = [];
  if (kind === "group" && containing.length > 0)
    problems.push(
      `OPNsense group ${name} grants ${containing.join(", ")}: the containment privileges go to the ${CONTAINMENT_USER} user alone, in no group (a member would inherit them)`,
    );
  if (kind === "user" && (name === CONTAINMENT_USER || containing.length > 0)) {
    if (others.length > 0)
      problems.push(`OPNsense user ${name} holds containment privileges and also ${others.join(", ")}`);
    const missing = CONTAINMENT_PRIVILEGE_KEYS.filter((key) => !privileges.includes(key));
    if (name === CONTAINMENT_USER && missing.length > 0)
      problems.push(`OPNsense user ${name} lacks ${missing.join(", ")}: containment would fail`);
    if (list(fields.group_memberships).length > 0)
      problems.push(`OPNsense user ${name} is in a group, whose privileges it would inherit`);
  }
  return problems;
}

/** The command's scripts, as plain text (a secret or unknown script is not readable). */
const scriptsOf = (resource: PolicyResource) =>
  SCRIPT_INPUTS.map((input) => knownString(resource.props[input])).filter(
    (text): text is string => text !== undefined,
  );

/** A command that installs the containment key, judged by what the plan shows of it. */
function stepProblems(resource: PolicyResource): string[] {
  const scripts = scriptsOf(resource);
  const text = scripts.join("\n");
  const problems: string[] = [];
  const plain: string[] = [];
  walkInputs(resource.props, (key, value, path) => {
    if (typeof value === "string" && PLAIN_CREDENTIAL.test(value)) plain.push(path.join("."));
    void key;
  });
  for (const path of plain)
    problems.push(
      `${resource.name} carries a containment credential in plain text (${path}): it must come on a secret stdin`,
    );
  if (resource.props.logging !== "none")
    problems.push(`${resource.name} handles the containment key but logs its output: give it logging "none"`);
  if (PROVIDER_CONFIG.some((name) => text.includes(name)))
    problems.push(
      `${resource.name} reads the OPNsense provider's own API key (${PROVIDER_CONFIG.join(", ")}): the containment step takes its own key`,
    );
  if (AUTH_API.test(text))
    problems.push(
      `${resource.name} calls OPNsense's user and key API: the containment key is made by hand, with its two privileges only`,
    );
  if (text.includes(CONTAIN_CONFIG_PATH) && !PREFLIGHT.test(text))
    problems.push(
      `${resource.name} installs ${CONTAIN_CONFIG_PATH} without running fortress-contain preflight, so nothing proves the key holds its two privileges and no more`,
    );
  return problems;
}

export const containmentKeyLeastPrivilege: StackValidationPolicy = {
  name: "containment-key-least-privilege",
  description: `The containment credential holds "Diagnostics: PF Table IP addresses" and "Diagnostics: Show States" (${CONTAINMENT_PRIVILEGE_KEYS.join(", ")}) and nothing else: no OPNsense user or group in the plan holds them beside another privilege, in a group, or (the ${CONTAINMENT_USER} user) without both; a step that installs the key (${CONTAINMENT_FILES.join(", ")}) takes it on a secret stdin with logging "none", never in plain text, never reads the OPNsense provider's own key, never calls OPNsense's user and key API, and runs fortress-contain preflight, which proves on the firewall that the key reaches alias_util and kill_states and gets 403 elsewhere. What the plan cannot show: the key is made by hand in the OPNsense UI and comes from secure config, so its privileges and which key a step carries are proven only by that preflight at deploy time.`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const resource of args.resources) {
      if (resource.type === OPNSENSE_USER_TYPE || resource.type === OPNSENSE_GROUP_TYPE)
        for (const problem of accountProblems(resource)) reportViolation(problem, resource.urn);
      if (!COMMANDS.has(resource.type)) continue;
      const scripts = scriptsOf(resource).join("\n");
      if (!CONTAINMENT_FILES.some((file) => scripts.includes(file))) continue;
      for (const problem of stepProblems(resource)) reportViolation(problem, resource.urn);
    }
  },
};

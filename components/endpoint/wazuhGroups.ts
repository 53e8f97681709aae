/**
 * Agent groups through the Wazuh server API, typed after wazuh/wazuh@v4.14.6 api/api/spec/spec.yaml
 * (`/groups`, `/groups/{group_id}/configuration`, `/groups/{group_id}/files/{file_name}`) and the
 * framework functions behind them (framework/wazuh/agent.py `create_group`, `delete_groups`,
 * `get_agent_groups`, `upload_group_file`; framework/wazuh/core/configuration.py
 * `upload_group_configuration`, `get_file_conf`).
 */
import type { WazuhClient } from "./wazuhClient";
import { WAZUH_CODES, WazuhProtocolError, WazuhRefusedError } from "./wazuhErrors";

/** One failed item of an AffectedItemsWazuhResult (spec.yaml AllItemsResponse). */
export interface FailedItem {
  readonly error: { readonly code: number; readonly message: string; readonly remediation?: string };
  readonly id: readonly string[];
}

/** `data` of a list answer (spec.yaml AllItemsResponse). */
export interface AffectedItems<T> {
  readonly affected_items: readonly T[];
  readonly total_affected_items: number;
  readonly total_failed_items: number;
  readonly failed_items: readonly FailedItem[];
}

/** An agent group as `GET /groups` lists it (spec.yaml AgentGroup). */
export interface AgentGroup {
  readonly name: string;
  /** Agents in the group. */
  readonly count: number;
  /** md5 of the group's merged.mg, once the manager has built it. */
  readonly mergedSum?: string;
  /** md5 of the group's agent.conf. */
  readonly configSum?: string;
}

/**
 * What a group ID may be: spec.yaml CreateGroupBody (`format: group_names`, `maxLength: 128`),
 * api/api/validator.py `_group_names` (`^(?!^(\.{1,2}|all)$)[A-Za-z0-9.\-_]+$`); `default` exists
 * on every manager (agent.py create_group answers 1711 for it).
 */
export const GROUP_NAME = /^(?!^(\.{1,2}|all)$)[A-Za-z0-9.\-_]+$/;
export const GROUP_NAME_MAX = 128;

/** Why a name cannot be a group Fortress creates, or undefined when it can. */
export function groupNameProblem(name: string): string | undefined {
  if (!GROUP_NAME.test(name))
    return `"${name}" is no Wazuh group name: a-z, A-Z, 0-9, '_', '-' and '.' only, and not '.', '..' or 'all'`;
  if (name.length > GROUP_NAME_MAX) return `"${name}" is longer than ${GROUP_NAME_MAX} characters`;
  if (name.toLowerCase() === "default") return `"${name}" is the manager's own default group`;
  return undefined;
}

function affected<T>(body: unknown, what: string): AffectedItems<T> {
  const data = (body as { data?: unknown } | undefined)?.data as Partial<AffectedItems<T>> | undefined;
  if (!data || !Array.isArray(data.affected_items) || !Array.isArray(data.failed_items))
    throw new WazuhProtocolError(
      `the Wazuh API's answer to ${what} has no affected_items/failed_items: ${JSON.stringify(body).slice(0, 200)}`,
    );
  return data as AffectedItems<T>;
}

const failedWith = (items: AffectedItems<unknown>, code: number) =>
  items.failed_items.some((item) => item.error.code === code);

/** The group, or undefined when the manager has none by that name (a 1710 failed item). */
export async function getGroup(client: WazuhClient, name: string): Promise<AgentGroup | undefined> {
  const body = await client.call({ method: "GET", path: "/groups", query: { groups_list: name } });
  const items = affected<AgentGroup>(body, "GET /groups");
  const found = items.affected_items.find((group) => group.name === name);
  if (found) return found;
  if (failedWith(items, WAZUH_CODES.groupMissing) || items.failed_items.length === 0) return undefined;
  const first = items.failed_items[0];
  throw new WazuhProtocolError(
    `GET /groups?groups_list=${name} failed: ${first?.error.code} ${first?.error.message}`,
  );
}

/** `POST /groups`; `false` when the group already exists (1711), so that a re-run adopts it. */
export async function createGroup(client: WazuhClient, name: string): Promise<boolean> {
  try {
    await client.call({ method: "POST", path: "/groups", json: { group_id: name } });
    return true;
  } catch (error) {
    if (error instanceof WazuhRefusedError && error.code === WAZUH_CODES.groupExists) return false;
    throw error;
  }
}

/** `PUT /groups/{group_id}/configuration`: the whole agent.conf, checked by the manager's verify-agent-conf. */
export async function putGroupConfiguration(client: WazuhClient, name: string, xml: string): Promise<void> {
  await client.call({ method: "PUT", path: `/groups/${encodeURIComponent(name)}/configuration`, xml });
}

/**
 * The group's agent.conf as the manager stores it (`GET /groups/{group_id}/files/agent.conf?raw=true`).
 * The manager rewrites what it is given (configuration.py upload_group_configuration pretty-prints it
 * with minidom), so compare it with `sameAgentConf`, not as text.
 */
export async function getGroupConfiguration(client: WazuhClient, name: string): Promise<string> {
  const body = await client.call({
    method: "GET",
    path: `/groups/${encodeURIComponent(name)}/files/agent.conf`,
    query: { raw: "true" },
  });
  if (typeof body !== "string")
    throw new WazuhProtocolError(`agent.conf of ${name} came back as ${typeof body}, not text`);
  return body;
}

/** `DELETE /groups?groups_list=<name>`; a group already gone (1710) is no error. */
export async function deleteGroup(client: WazuhClient, name: string): Promise<void> {
  const body = await client.call({ method: "DELETE", path: "/groups", query: { groups_list: name } });
  const items = affected<string>(body, "DELETE /groups");
  if (items.affected_items.includes(name) || failedWith(items, WAZUH_CODES.groupMissing)) return;
  const first = items.failed_items[0];
  throw new WazuhRefusedError("DELETE", "/groups", 200, {
    title: "Group not deleted",
    ...(first ? { detail: first.error.message, error: first.error.code } : {}),
  });
}

/**
 * Two agent.conf texts are the same configuration when they differ only in the whitespace between
 * elements (what minidom's toprettyxml changes) and in comments, which the manager keeps but the
 * agent ignores.
 */
export function sameAgentConf(a: string, b: string): boolean {
  const canonical = (xml: string) =>
    xml
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/>\s+</g, "><")
      .replace(/>\s+/g, ">")
      .replace(/\s+</g, "<")
      .trim();
  return canonical(a) === canonical(b);
}

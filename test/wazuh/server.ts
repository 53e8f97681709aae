/**
 * A loopback double of the Wazuh server API 4.14 for the group endpoints Fortress calls, written from
 * wazuh/wazuh@v4.14.6:
 * - api/api/spec/spec.yaml: the paths, CreateGroupBody (`format: group_names`, `maxLength: 128`), the
 *   answer envelopes (`{data, message, error}`, AllItemsResponse) and the problem documents;
 * - api/api/controllers/agent_controller.py (`post_group`, `put_group_config`, `delete_groups`,
 *   `get_list_group`, `get_group_file`) and security_controller.py `login_user`;
 * - framework/wazuh/agent.py (`create_group`: 1722, 1711 for an existing group and for "default";
 *   `delete_groups`: 1710/1712 as failed items; `get_agent_groups`: 1710 failed items) and
 *   framework/wazuh/core/configuration.py (`upload_group_file`: 1710, 1112; `upload_group_configuration`:
 *   1113 when the body does not parse inside `<root>`, 1114 with verify-agent-conf's messages, the
 *   stored file pretty-printed);
 * - framework/wazuh/core/exception.py (codes, messages, remediations), api/api/util.py `_create_problem`
 *   (status per exception class) and api/api/error_handler.py (`code` answered as `error`, 401 bodies);
 * - src/config/config.c `ReadConfig`/`read_main_elements` (what verify-agent-conf accepts at the top of
 *   agent.conf and inside `<agent_config>`), src/error_messages/error_messages.h (1230, 1202).
 * Faults can be injected: `failNext(n, status)` answers the next n requests with a gateway error.
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { parseXml, pretty, type XmlElement } from "./xml";

/** read_main_elements' element names (src/config/config.c @ v4.14.6, Linux build). */
export const MAIN_ELEMENTS = new Set([
  "global",
  "ruleset",
  "syscheck",
  "rootcheck",
  "alerts",
  "email_alerts",
  "database_output",
  "syslog_output",
  "agentless",
  "localfile",
  "remote",
  "client",
  "anti_tampering",
  "client_buffer",
  "command",
  "integration",
  "active-response",
  "wodle",
  "labels",
  "logging",
  "cluster",
  "socket",
  "sca",
  "vulnerability-detection",
  "vulnerability-detector",
  "indexer",
  "gcp-pubsub",
  "gcp-bucket",
  "rule_test",
  "agent-upgrade",
  "task-manager",
  "wdb",
  "fluent-forward",
  "auth",
  "reports",
  "github",
  "office365",
  "ms-graph",
]);

const ERRORS: Record<number, { message: string; remediation?: string }> = {
  1112: { message: "Empty files are not supported", remediation: "Please, provide another file" },
  1113: { message: "XML syntax error", remediation: "Please, ensure file content has correct XML" },
  1114: { message: "Wazuh syntax error" },
  1710: {
    message: "The group does not exist",
    remediation: "Please, use `GET /agents/groups` to find all available groups",
  },
  1711: { message: "The group already exists", remediation: "Please, use another group ID" },
  1712: { message: "Default group is not deletable" },
  1722: {
    message: "Incorrect format for group_id",
    remediation: "Characters supported  a-z, A-Z, 0-9, ., _ and -. Max length is 255",
  },
  6002: { message: "The body type is not the one specified in the content-type" },
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  404: "Resource Not Found",
  406: "Not Acceptable",
};

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.detail ?? body.title));
  }
}

/** A WazuhError (or subclass) as _create_problem and problem_error_handler answer it. */
function wazuhError(status: number, code: number, extra?: string): Problem {
  const known = ERRORS[code] ?? { message: `error ${code}` };
  return new Problem(status, {
    title: TITLES[status] ?? "Bad Request",
    detail: extra ? `${known.message}: ${extra}` : known.message,
    ...(known.remediation ? { remediation: known.remediation } : {}),
    error: code,
  });
}

const failedItem = (code: number, id: string) => ({
  error: {
    code,
    message: ERRORS[code]?.message ?? "",
    ...(ERRORS[code]?.remediation ? { remediation: ERRORS[code]?.remediation } : {}),
  },
  id: [id],
});

/** validator.py `_group_names`. */
const GROUP_NAMES = /^(?!^(\.{1,2}|all)$)[A-Za-z0-9.\-_]+$/;

/** Read_Localfile's element names (src/config/localfile-config.c @ v4.14.6): any other fails verify-agent-conf. */
export const LOCALFILE_ELEMENTS = new Set([
  "location",
  "command",
  "log_format",
  "frequency",
  "alias",
  "only-future-events",
  "query",
  "label",
  "target",
  "out_format",
  "reconnect_time",
  "age",
  "exclude",
  "ignore_binaries",
  "ignore",
  "restrict",
  "filter",
]);

/** verify-agent-conf over the file: its ERROR lines, empty when it accepts it. */
function verifyAgentConf(root: XmlElement, file: string): string[] {
  for (const top of root.children) {
    if (top.name !== "agent_config") return [`Invalid element in the configuration: '${top.name}'.`];
    for (const section of top.children) {
      if (!MAIN_ELEMENTS.has(section.name))
        return [
          `Invalid element in the configuration: '${section.name}'.`,
          `Configuration error at '${file}'.`,
        ];
      // Read_Syscheck only warns on an unknown element; Read_Localfile refuses one (XML_INVELEM, OS_INVALID).
      const unknown =
        section.name === "localfile"
          ? section.children.find((child) => !LOCALFILE_ELEMENTS.has(child.name))
          : undefined;
      if (unknown)
        return [
          `Invalid element in the configuration: '${unknown.name}'.`,
          `Configuration error at '${file}'.`,
        ];
    }
  }
  return [];
}

interface Group {
  agentConf: string;
}

/** The template `create_group` copies into a new group (etc/shared/agent-template.conf in the package). */
const AGENT_TEMPLATE = "<agent_config>\n\n  <!-- Shared agent configuration here -->\n\n</agent_config>\n";

const md5 = async (text: string) =>
  (await import("node:crypto")).createHash("md5").update(text).digest("hex");

export interface WazuhDouble {
  readonly url: string;
  readonly groups: Map<string, Group>;
  /** Every request as `METHOD path` (query included), in order. */
  readonly requests: string[];
  /** Answers the next `count` requests with `status` (a gateway error) before handling them. */
  failNext(count: number, status?: number): void;
  /** Makes every token issued so far expire. */
  expireTokens(): void;
  close(): Promise<void>;
}

interface State {
  readonly groups: Map<string, Group>;
  readonly tokens: Map<string, boolean>;
  readonly username: string;
  readonly password: string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly type?: string;
}

/** The `data` of an AffectedItemsWazuhResult, with the `error` the API puts beside it (0 all, 1 none, 2 some). */
function itemsAnswer(affected: unknown[], failed: unknown[], messages: [string, string, string]): Reply {
  const [all, some, none] = messages;
  return {
    status: 200,
    body: {
      data: {
        affected_items: affected,
        total_affected_items: affected.length,
        total_failed_items: failed.length,
        failed_items: failed,
      },
      message: failed.length === 0 ? all : affected.length > 0 ? some : none,
      error: failed.length === 0 ? 0 : affected.length > 0 ? 2 : 1,
    },
  };
}

/** security_controller.login_user; authentication.py / error_handler.py for the 401s. */
function authenticate(state: State, request: http.IncomingMessage, path: string): Reply | "ok" {
  const auth = request.headers.authorization ?? "";
  if (path === "/security/user/authenticate" && request.method === "POST") {
    const expected = `Basic ${Buffer.from(`${state.username}:${state.password}`).toString("base64")}`;
    if (auth !== expected)
      return { status: 401, body: { title: "Unauthorized", detail: "Invalid credentials" } };
    const token = randomBytes(24).toString("base64url");
    state.tokens.set(token, true);
    return { status: 200, body: { data: { token }, error: 0 } };
  }
  const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
  if (!bearer)
    return { status: 401, body: { title: "Unauthorized", detail: "No authorization token provided" } };
  if (!state.tokens.has(bearer))
    return { status: 401, body: { title: "Unauthorized", detail: "Invalid token" } };
  if (state.tokens.get(bearer) === false)
    return { status: 401, body: { title: "Unauthorized", detail: "Token expired" } };
  return "ok";
}

/** agent_controller.post_group → agent.create_group. */
function postGroup(state: State, mimetype: string, body: Buffer): Reply {
  if (mimetype !== "application/json") throw wazuhError(406, 6002);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new Problem(400, { title: "Bad Request", detail: "Invalid JSON body" });
  }
  const groupId = (parsed as { group_id?: unknown }).group_id;
  if (typeof groupId !== "string")
    throw new Problem(400, { title: "Bad Request", detail: "'group_id' is a required property" });
  // connexion validates CreateGroupBody before the controller runs.
  if (!GROUP_NAMES.test(groupId))
    throw new Problem(400, { title: "Bad Request", detail: `'${groupId}' is not a 'group_names'` });
  if (groupId.length > 128)
    throw new Problem(400, { title: "Bad Request", detail: `'${groupId}' is too long` });
  if (groupId.toLowerCase() === "default" || state.groups.has(groupId)) throw wazuhError(400, 1711, groupId);
  state.groups.set(groupId, { agentConf: AGENT_TEMPLATE });
  return { status: 200, body: { message: `Group '${groupId}' created.`, error: 0 } };
}

/** agent_controller.get_list_group → agent.get_agent_groups. */
async function listGroups(state: State, groupsList: string[]): Promise<Reply> {
  const names = groupsList.length > 0 ? groupsList : [...state.groups.keys()];
  const affected = [];
  const failed = [];
  for (const name of names) {
    const group = state.groups.get(name);
    if (group) affected.push({ name, count: 0, configSum: await md5(group.agentConf) });
    else failed.push(failedItem(1710, name));
  }
  return itemsAnswer(affected, failed, [
    "All selected groups information was returned",
    "Some groups information was not returned",
    "No group information was returned",
  ]);
}

/** agent_controller.delete_groups → agent.delete_groups. */
function deleteGroups(state: State, groupsList: string[]): Reply {
  if (groupsList.length === 0)
    throw new Problem(400, { title: "Bad Request", detail: "Missing query parameter 'groups_list'" });
  const names = groupsList.includes("all") ? [...state.groups.keys()] : groupsList;
  const affected: string[] = [];
  const failed = [];
  for (const name of names) {
    if (!state.groups.has(name)) failed.push(failedItem(1710, name));
    else if (name === "default") failed.push(failedItem(1712, name));
    else {
      state.groups.delete(name);
      affected.push(name);
    }
  }
  return itemsAnswer(affected, failed, [
    "All selected groups were deleted",
    "Some groups were not deleted",
    "No group was deleted",
  ]);
}

/** agent_controller.put_group_config → configuration.upload_group_file / upload_group_configuration. */
function putConfiguration(state: State, id: string, mimetype: string, body: Buffer): Reply {
  if (!GROUP_NAMES.test(id))
    throw new Problem(400, { title: "Bad Request", detail: `'${id}' is not a 'group_names'` });
  if (mimetype !== "application/xml") throw wazuhError(406, 6002);
  const text = body.toString("utf8");
  const group = state.groups.get(id);
  if (!group) throw wazuhError(404, 1710, id);
  if (text.length === 0) throw wazuhError(400, 1112);
  let root: XmlElement;
  try {
    root = parseXml(`<root>\n${text}\n</root>`);
  } catch (error) {
    throw wazuhError(400, 1113, (error as Error).message);
  }
  const problems = verifyAgentConf(root, "/var/ossec/tmp/api_tmp_file_double.xml");
  if (problems.length > 0) throw wazuhError(400, 1114, problems.join(" "));
  group.agentConf = root.children.map((child) => pretty(child, 0)).join("");
  return { status: 200, body: { message: "Agent configuration was successfully updated", error: 0 } };
}

/** agent_controller.get_group_file → configuration.get_file_conf (raw: the file as stored). */
function getFile(state: State, id: string, file: string, raw: boolean): Reply {
  const group = state.groups.get(id);
  if (!group) throw wazuhError(404, 1710, id);
  if (file !== "agent.conf")
    throw new Problem(400, { title: "Bad Request", detail: "File/directory does not exist", error: 1006 });
  if (raw) return { status: 200, body: group.agentConf, type: "application/xml; charset=utf-8" };
  return { status: 200, body: { data: { affected_items: [], total_affected_items: 0 }, error: 0 } };
}

async function route(state: State, request: http.IncomingMessage, body: Buffer): Promise<Reply> {
  const url = new URL(request.url ?? "/", "http://double");
  const method = request.method ?? "GET";
  const auth = authenticate(state, request, url.pathname);
  if (auth !== "ok") return auth;
  const mimetype = (request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  const groupsList = (url.searchParams.get("groups_list") ?? "").split(",").filter((id) => id !== "");
  if (url.pathname === "/groups" && method === "POST") return postGroup(state, mimetype, body);
  if (url.pathname === "/groups" && method === "GET") return listGroups(state, groupsList);
  if (url.pathname === "/groups" && method === "DELETE") return deleteGroups(state, groupsList);
  const config = /^\/groups\/([^/]+)\/configuration$/.exec(url.pathname);
  if (config && method === "PUT")
    return putConfiguration(state, decodeURIComponent(config[1] as string), mimetype, body);
  const file = /^\/groups\/([^/]+)\/files\/([^/]+)$/.exec(url.pathname);
  if (file && method === "GET")
    return getFile(
      state,
      decodeURIComponent(file[1] as string),
      file[2] as string,
      url.searchParams.get("raw") === "true",
    );
  return {
    status: 405,
    body: { title: "Method Not Allowed", detail: "Specified method is invalid for this resource" },
  };
}

export async function startWazuhDouble(options: {
  username: string;
  password: string;
}): Promise<WazuhDouble> {
  const state: State = {
    groups: new Map<string, Group>([["default", { agentConf: AGENT_TEMPLATE }]]),
    tokens: new Map<string, boolean>(),
    ...options,
  };
  const { groups, tokens } = state;
  const requests: string[] = [];
  let failures = 0;
  let failStatus = 503;
  const handle = (request: http.IncomingMessage, body: Buffer) => route(state, request, body);

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push(`${request.method} ${request.url}`);
      const reply = (status: number, body: unknown, type = "application/json") => {
        response.writeHead(status, { "content-type": type });
        response.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      if (failures > 0) {
        failures--;
        reply(failStatus, `<html><body>${failStatus}</body></html>`, "text/html");
        return;
      }
      handle(request, Buffer.concat(chunks)).then(
        (answer) =>
          reply(
            answer.status,
            answer.body,
            answer.type ?? (answer.status >= 400 ? "application/problem+json" : "application/json"),
          ),
        (error: unknown) =>
          error instanceof Problem
            ? reply(error.status, error.body, "application/problem+json")
            : reply(
                500,
                { title: "Wazuh Internal Error", detail: String(error) },
                "application/problem+json",
              ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    groups,
    requests,
    failNext(count, status = 503) {
      failures = count;
      failStatus = status;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, false);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

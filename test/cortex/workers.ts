/**
 * The loopback Cortex's analyzers and responders, written from TheHive-Project/Cortex@4.1.0:
 * - conf/routes: GET /api/organization/analyzer (AnalyzerCtrl.find), POST
 *   /api/organization/analyzer/:analyzerId (AnalyzerCtrl.create), PATCH /api/analyzer/:id
 *   (AnalyzerCtrl.update), POST /api/analyzerdefinition/scan (AnalyzerCtrl.scan); the same for
 *   responders (ResponderCtrl).
 * - find: Roles.read, the caller's organisation's workers of that type, with `configuration` for an
 *   orgadmin (analyzerJson(isAdmin)); create and update: Roles.orgAdmin, in the caller's organisation.
 * - create (WorkerSrv.create): the definition by id (WorkerDefinition.id, name_version with dots as
 *   underscores), else 404 NotFoundError "Worker <id> not found"; the configuration checked against
 *   the definition's configurationItems plus BaseConfig.global (proxy_http, proxy_https, cacerts,
 *   jobTimeout; analyzers also auto_extract_artifacts, jobCache), tlp (check_tlp, max_tlp) and pap
 *   (check_pap, max_pap): an unknown item, a missing required one or a wrong type is 400
 *   AttributeCheckingError; the worker's id is md5("<organisation>_<name>_<type>")
 *   (WorkerModel.creationHook), so a second worker of the same name is refused.
 * - the catalogs are read at start and again by `scan` (WorkerSrv.rescan); until then no definition
 *   exists (`loadedAtStart: false` models a Cortex still reading them).
 */
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";

export type WorkerType = "analyzer" | "responder";

export interface Definition {
  readonly name: string;
  readonly version: string;
  readonly configurationItems?: readonly {
    name: string;
    type: string;
    multi?: boolean;
    required?: boolean;
    defaultValue?: unknown;
  }[];
  readonly dockerImage?: string;
  readonly command?: string;
}

export interface StoredWorker {
  readonly id: string;
  readonly name: string;
  readonly type: WorkerType;
  readonly organization: string;
  readonly workerDefinitionId: string;
  readonly dockerImage?: string;
  readonly command?: string;
  configuration: Record<string, unknown>;
}

const definitionId = (definition: Definition) =>
  `${definition.name}_${definition.version}`.replace(/\./g, "_");

const GLOBAL_ITEMS = [
  { name: "proxy_http", type: "string" },
  { name: "proxy_https", type: "string" },
  { name: "cacerts", type: "text" },
  { name: "jobTimeout", type: "number" },
  { name: "check_tlp", type: "boolean" },
  { name: "max_tlp", type: "number" },
  { name: "check_pap", type: "boolean" },
  { name: "max_pap", type: "number" },
];
const ANALYZER_ITEMS = [
  { name: "auto_extract_artifacts", type: "boolean" },
  { name: "jobCache", type: "number" },
];

function typeOk(type: string, value: unknown): boolean {
  if (value === null) return true;
  if (type === "string" || type === "text") return typeof value === "string";
  if (type === "number") return typeof value === "number";
  return typeof value === "boolean";
}

/** WorkerSrv.create's check of a configuration; the problem, or undefined. */
function checkConfiguration(type: WorkerType, definition: Definition, config: Record<string, unknown>) {
  const items = [
    ...(definition.configurationItems ?? []),
    ...GLOBAL_ITEMS,
    ...(type === "analyzer" ? ANALYZER_ITEMS : []),
  ];
  for (const key of Object.keys(config))
    if (!items.some((item) => item.name === key)) return `unknown attribute worker.config: ${key}`;
  for (const item of definition.configurationItems ?? []) {
    const value = config[item.name];
    if (value === undefined) {
      if (item.required && !item.multi) return `missing attribute ${item.name}`;
      continue;
    }
    if (
      item.multi
        ? !Array.isArray(value) || !value.every((v) => typeOk(item.type, v))
        : !typeOk(item.type, value)
    )
      return `invalid format for ${item.name}`;
  }
  return undefined;
}

export interface WorkerState {
  readonly definitions: Map<string, { type: WorkerType; definition: Definition }>;
  readonly workers: Map<string, StoredWorker>;
  scans: number;
}

export function workerState(
  catalogs: { analyzers: Definition[]; responders: Definition[] },
  loadedAtStart: boolean,
) {
  const state: WorkerState & { load(): void } = {
    definitions: new Map(),
    workers: new Map(),
    scans: 0,
    load() {
      for (const [type, list] of [
        ["analyzer", catalogs.analyzers],
        ["responder", catalogs.responders],
      ] as const)
        for (const definition of list) state.definitions.set(definitionId(definition), { type, definition });
    },
  };
  if (loadedAtStart) state.load();
  return state;
}

type Send = (response: ServerResponse, status: number, body: unknown) => number;

/** Answers the worker routes; undefined when the path is not one of them. */
export function handleWorkers(
  state: WorkerState & { load(): void },
  request: { method: string; path: string; body: Record<string, any> },
  caller: { organization: string; roles: readonly string[] },
  response: ServerResponse,
  send: Send,
): number | undefined {
  const { method, path, body } = request;
  const orgAdmin = caller.roles.includes("orgadmin");
  const scan = /^\/api\/(analyzer|responder)definition\/scan$/.exec(path);
  if (scan && method === "POST") {
    if (!orgAdmin && !caller.roles.includes("superadmin"))
      return send(response, 403, { type: "AuthorizationError" });
    state.scans += 1;
    state.load();
    return send(response, 204, {});
  }
  const list = /^\/api\/organization\/(analyzer|responder)(?:\/([^/]+))?$/.exec(path);
  if (list) {
    const type = list[1] as WorkerType;
    if (method === "GET" && !list[2]) {
      const mine = [...state.workers.values()].filter(
        (w) => w.organization === caller.organization && w.type === type,
      );
      return send(
        response,
        200,
        mine.map(({ configuration, ...worker }) => ({ ...worker, ...(orgAdmin ? { configuration } : {}) })),
      );
    }
    if (method === "POST" && list[2]) {
      if (!orgAdmin)
        return send(response, 403, { type: "AuthorizationError", message: "Insufficient rights" });
      const id = decodeURIComponent(list[2]);
      const found = state.definitions.get(id);
      if (!found || found.type !== type)
        return send(response, 404, { type: "NotFoundError", message: `Worker ${id} not found` });
      const configuration = (body.configuration ?? {}) as Record<string, unknown>;
      const problem = checkConfiguration(type, found.definition, configuration);
      if (problem) return send(response, 400, { type: "AttributeCheckingError", message: problem });
      const name = String(body.name ?? "");
      const workerId = createHash("md5").update(`${caller.organization}_${name}_${type}`).digest("hex");
      if (state.workers.has(workerId))
        return send(response, 400, { type: "ConflictError", message: `worker ${workerId} already exists` });
      // WorkerSrv.create stores every item read: the given value, else its default, else [] or null.
      const items = [
        ...(found.definition.configurationItems ?? []),
        ...GLOBAL_ITEMS,
        ...(type === "analyzer" ? ANALYZER_ITEMS : []),
      ] as { name: string; multi?: boolean; defaultValue?: unknown }[];
      const stored = Object.fromEntries(
        items.map((item) => [
          item.name,
          configuration[item.name] ?? item.defaultValue ?? (item.multi ? [] : null),
        ]),
      );
      const worker: StoredWorker = {
        id: workerId,
        name,
        type,
        organization: caller.organization,
        workerDefinitionId: id,
        ...(found.definition.dockerImage ? { dockerImage: found.definition.dockerImage } : {}),
        ...(found.definition.command ? { command: found.definition.command } : {}),
        configuration: stored,
      };
      state.workers.set(workerId, worker);
      return send(response, 201, { id: workerId, name, workerDefinitionId: id });
    }
  }
  const one = /^\/api\/(analyzer|responder)\/([^/]+)$/.exec(path);
  if (one && method === "PATCH") {
    if (!orgAdmin) return send(response, 403, { type: "AuthorizationError", message: "Insufficient rights" });
    const worker = state.workers.get(decodeURIComponent(one[2]!));
    if (!worker || worker.organization !== caller.organization || worker.type !== one[1])
      return send(response, 404, { type: "NotFoundError", message: `worker ${one[2]} not found` });
    if (body.configuration) worker.configuration = body.configuration as Record<string, unknown>;
    return send(response, 200, { id: worker.id, name: worker.name });
  }
  return undefined;
}

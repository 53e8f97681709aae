/**
 * A loopback Cortex 4 API for the accounts Job's test, written from TheHive-Project/Cortex@4.1.0:
 * - conf/routes: GET /api/status, POST /api/maintenance/migrate (MigrationCtrl.migrate: no
 *   authentication, 204), GET /api/user/current, POST /api/user, GET /api/user/:id, POST
 *   /api/user/:id/key/set, GET/POST /api/organization[/:id].
 * - elastic4play Authenticated.scala: Bearer (a user's key), Basic (login:password, only with
 *   `auth.method.basic = true`: reference.conf's default is false), and last the
 *   initial user, which UserSrv.getInitialUser grants with every role only while no user exists
 *   ("Use of initial user is forbidden because users exist in database", 401 AuthenticationError).
 * - UserCtrl.create (orgadmin or superadmin; the initial user's organisation is "cortex"; a superadmin
 *   may create in any active organisation), OrganizationCtrl.create (superadmin), UserCtrl.setKey
 *   (orgadmin or superadmin) answering the key; a missing user or organisation is 404 NotFoundError.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Definition, handleWorkers, type StoredWorker, workerState } from "./workers";

export interface CortexUser {
  login: string;
  name: string;
  roles: string[];
  organization: string;
  password?: string;
  key?: string;
}

export interface CortexDouble {
  readonly url: string;
  readonly users: Map<string, CortexUser>;
  readonly organizations: Set<string>;
  migrations: number;
  /** The organisations' analyzers and responders (test/cortex/workers.ts). */
  readonly workers: Map<string, StoredWorker>;
  /** How many times a catalog scan was asked for. */
  readonly scans: number;
  close(): Promise<void>;
}

const send = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(status === 204 ? "" : JSON.stringify(body));
  return status;
};

function caller(
  users: Map<string, CortexUser>,
  request: IncomingMessage,
  basicAuth: boolean,
): CortexUser | "init" | undefined {
  const header = request.headers.authorization ?? "";
  if (header.startsWith("Bearer "))
    return [...users.values()].find((user) => user.key !== undefined && user.key === header.slice(7));
  // Basic is tried only with auth.method.basic = true (reference.conf: false); else the initial user.
  if (header.startsWith("Basic ") && basicAuth) {
    const [login, password] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
    const user = users.get(login ?? "");
    return user?.password !== undefined && user.password === password ? user : undefined;
  }
  return users.size === 0 ? "init" : undefined;
}

export async function startCortex(
  options: {
    catalogs?: { analyzers: Definition[]; responders: Definition[] };
    /** false: the catalogs are read only once a scan is asked for (a Cortex still starting). */
    catalogsLoaded?: boolean;
    /** Cortex's `auth.method.basic` (reference.conf default false; Fortress's config sets it true). */
    basicAuth?: boolean;
  } = {},
): Promise<CortexDouble> {
  const neurons = workerState(
    options.catalogs ?? { analyzers: [], responders: [] },
    options.catalogsLoaded ?? true,
  );
  const users = new Map<string, CortexUser>();
  const organizations = new Set(["cortex"]);
  const state = { migrations: 0 };
  const handle = (request: IncomingMessage, text: string, response: ServerResponse): number => {
    const path = request.url ?? "";
    const method = request.method ?? "";
    if (method === "GET" && path === "/api/status")
      return send(response, 200, { versions: { Cortex: "4.1.0-1" } });
    if (method === "POST" && path === "/api/maintenance/migrate") {
      state.migrations += 1;
      return send(response, 204, {});
    }
    const who = caller(users, request, options.basicAuth ?? false);
    if (!who) return send(response, 401, { type: "AuthenticationError", message: "Authentication failure" });
    const roles = who === "init" ? ["read", "analyze", "orgadmin", "superadmin"] : who.roles;
    const body = text ? (JSON.parse(text) as Record<string, any>) : {};
    if (method === "GET" && path === "/api/user/current")
      return who === "init"
        ? send(response, 401, { type: "AuthenticationError" })
        : send(response, 200, { id: who.login });
    const workerAnswer = handleWorkers(
      neurons,
      { method, path, body },
      { organization: who === "init" ? "cortex" : who.organization, roles },
      response,
      send,
    );
    if (workerAnswer !== undefined) return workerAnswer;
    const org = /^\/api\/organization(?:\/([^/]+))?$/.exec(path);
    if (org) {
      if (!roles.includes("superadmin")) return send(response, 403, { type: "AuthorizationError" });
      const name = org[1] ? decodeURIComponent(org[1]) : undefined;
      if (method === "GET" && name)
        return organizations.has(name)
          ? send(response, 200, { id: name })
          : send(response, 404, { type: "NotFoundError" });
      if (method === "POST" && !name) {
        organizations.add(String(body.name));
        return send(response, 201, { id: body.name, status: body.status ?? "Active" });
      }
    }
    const user = /^\/api\/user(?:\/([^/]+))?(\/key\/set)?$/.exec(path);
    if (!user) return send(response, 404, { type: "NotFoundError" });
    const login = user[1] ? decodeURIComponent(user[1]) : undefined;
    if (method === "POST" && !login) {
      if (!roles.includes("orgadmin") && !roles.includes("superadmin"))
        return send(response, 403, { type: "AuthorizationError" });
      const organization = String(body.organization ?? (who === "init" ? "cortex" : who.organization));
      if (!organizations.has(organization)) return send(response, 403, { type: "AuthorizationError" });
      if ((body.roles ?? []).includes("superadmin") !== (organization === "cortex"))
        return send(response, 400, {
          type: "BadRequestError",
          message: 'The organization "cortex" alone can contain superadmin users',
        });
      users.set(String(body.login), {
        login: String(body.login),
        name: String(body.name),
        roles: body.roles ?? [],
        organization,
        ...(typeof body.password === "string" ? { password: body.password } : {}),
      });
      return send(response, 201, { id: body.login });
    }
    const target = login ? users.get(login) : undefined;
    if (!target) return send(response, 404, { type: "NotFoundError", message: `user ${login} not found` });
    if (method === "GET" && !user[2]) return send(response, 200, { id: target.login, roles: target.roles });
    if (method === "POST" && user[2]) {
      if (!roles.includes("orgadmin") && !roles.includes("superadmin"))
        return send(response, 403, { type: "AuthorizationError" });
      target.key = String(body.key);
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end(target.key);
      return 200;
    }
    return send(response, 404, { type: "NotFoundError" });
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handle(request, Buffer.concat(chunks).toString("utf8"), response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users,
    organizations,
    get migrations() {
      return state.migrations;
    },
    workers: neurons.workers,
    get scans() {
      return neurons.scans;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

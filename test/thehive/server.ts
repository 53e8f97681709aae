/**
 * A loopback TheHive 5 alert API for tests that run the real Wazuh → TheHive script. Written from
 * TheHive's and thehive4py's sources, not from Fortress's code:
 * - thehive4py (TheHive-Project/TheHive4py, 2.x) endpoints/alert.py `create`: POST /api/v1/alert with
 *   a JSON body; types/alert.py InputAlert: required `type`, `source`, `sourceRef`, `title`,
 *   `description`; optional `severity` (1-4), `date`, `tags`, `tlp` (0-4), `pap` (0-3),
 *   `observables` [{`dataType`, `data`, …}], …; session.py sends `Authorization: Bearer <apikey>`.
 * - TheHive-Project/TheHive AlertSrv.create: an alert whose (type, source, sourceRef) exists in the
 *   organisation fails with CreateError "Alert <type>:<source>:<sourceRef> already exist in
 *   organisation <org>", answered 400 (TheHive#1094 asks for 409; TheHive keeps 400).
 * - An alert whose observables repeat (same dataType and data) fails with CreateError "Observable
 *   already exists" (TheHive 4.1.9 ObservableSrv.create; TheHive#1514), answered 400 like every
 *   CreateError (ScalliGraph ErrorHandler.toErrorResult; GenericError.toJson writes {type, message}).
 * - A request without a valid key: 401 `{"type":"AuthenticationError","message":"Authentication failure"}`
 *   (ScalliGraph's ErrorHandler; the message text is not confirmed, the status is what clients test).
 * A created alert is answered 201 with the alert and its `_id`.
 *
 * Accounts (thehive4py endpoints/user.py, endpoints/organisation.py, types/user.py): the shipped
 * administrator `admin@thehive.local` with password `secret` (its documented first login), HTTP Basic
 * for passwords and Bearer for keys; GET /api/status; GET /api/v1/user/current; POST
 * /api/v1/user/{id}/password/change {password, currentPassword} (the caller's own, wrong current
 * password refused) and /password/set {password} (an admin's); GET/POST /api/v1/organisation[/{id}];
 * GET/POST /api/v1/user[/{id}] ({login, name, profile, organisation, password?, type}); POST
 * /api/v1/user/{id}/key/renew answers the new key as text and invalidates the old one. An unknown user
 * or organisation is 404 NotFoundError; creating one that exists is 400 CreateError; a non-admin on an
 * admin endpoint is 403 AuthorizationError.
 *
 * The query API for alerts (POST /api/v1/query, listAlert): ./query.ts.
 *
 * Test hooks: `failNext` answers the next requests with 503 (a TheHive behind an ingress that is
 * restarting), to exercise retries; `refuseNextAlert` answers the next alert with one of TheHive's
 * own refusals (e.g. the CreateError above, for an alert whose observable TheHive finds twice
 * after its own normalisation) and stores nothing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { answerQuery } from "./query";

export interface StoredAlert {
  readonly _id: string;
  /** When it was created (ms), TheHive's `_createdAt`. */
  readonly createdAt: number;
  readonly body: Record<string, unknown>;
}

export interface TheHiveUser {
  login: string;
  name: string;
  profile: string;
  organisation: string;
  type: "Normal" | "Service";
  password?: string;
  key?: string;
}

export interface TheHiveDouble {
  readonly url: string;
  readonly alerts: StoredAlert[];
  readonly users: Map<string, TheHiveUser>;
  readonly organisations: Set<string>;
  /** Every request as it arrived: method, path, status answered. */
  readonly requests: { method: string; path: string; status: number; authorization?: string }[];
  /** Answer the next `count` requests with 503. */
  failNext(count: number): void;
  /** Answer the next POST /api/v1/alert with this status and error body, storing nothing. */
  refuseNextAlert(status: number, error: { type: string; message: string }): void;
  close(): Promise<void>;
}

const REQUIRED = ["type", "source", "sourceRef", "title", "description"] as const;
const ORGANISATION = "fortress";
/** TheHive's shipped administrator. */
export const ADMIN = "admin@thehive.local";

/** A user as the API shows it (types/user.py OutputUser): never a password or a key. */
const view = (user: TheHiveUser) => ({
  _id: `~${user.login}`,
  login: user.login,
  name: user.name,
  profile: user.profile,
  organisation: user.organisation,
  type: user.type,
  hasKey: user.key !== undefined,
  hasPassword: user.password !== undefined,
  locked: false,
});

function invalid(body: Record<string, unknown>): string | undefined {
  for (const field of REQUIRED)
    if (typeof body[field] !== "string" || body[field] === "") return `${field} is missing`;
  const severity = body.severity;
  if (
    severity !== undefined &&
    (!Number.isInteger(severity) || (severity as number) < 1 || (severity as number) > 4)
  )
    return "severity must be 1 to 4";
  for (const field of ["tlp", "pap"] as const) {
    const value = body[field];
    const max = field === "tlp" ? 4 : 3;
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max))
      return `${field} must be 0 to ${max}`;
  }
  const observables = body.observables ?? [];
  if (!Array.isArray(observables)) return "observables is not a list";
  const seen = new Set<string>();
  for (const observable of observables as Record<string, unknown>[]) {
    if (typeof observable.dataType !== "string" || typeof observable.data !== "string")
      return "an observable needs dataType and data";
    const key = `${observable.dataType}\u0000${observable.data}`;
    if (seen.has(key)) return "Observable already exists"; // a CreateError
    seen.add(key);
  }
  return undefined;
}

function answer(response: ServerResponse, status: number, body: unknown): number {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
  return status;
}

function handleAccounts(
  users: Map<string, TheHiveUser>,
  organisations: Set<string>,
  request: { method: string; path: string; text: string },
  user: TheHiveUser,
  response: ServerResponse,
): number {
  const { method, path, text } = request;
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (method === "GET" && path === "/api/v1/user/current") return answer(response, 200, view(user));
  const isAdmin = user.organisation === "admin";
  const org = /^\/api\/v1\/organisation(?:\/([^/]+))?$/.exec(path);
  if (org) {
    if (!isAdmin)
      return answer(response, 403, { type: "AuthorizationError", message: "Unauthorized action" });
    const name = org[1] ? decodeURIComponent(org[1]) : undefined;
    if (method === "GET" && name)
      return organisations.has(name)
        ? answer(response, 200, { name })
        : answer(response, 404, { type: "NotFoundError", message: `Organisation ${name} not found` });
    if (method === "POST" && !name) {
      if (typeof body.name !== "string")
        return answer(response, 400, { type: "BadRequest", message: "name" });
      if (organisations.has(body.name))
        return answer(response, 400, {
          type: "CreateError",
          message: `Organisation ${body.name} already exists`,
        });
      organisations.add(body.name);
      return answer(response, 201, { name: body.name, description: body.description });
    }
  }
  const match = /^\/api\/v1\/user(?:\/([^/]+))?(\/password\/change|\/password\/set|\/key\/renew)?$/.exec(
    path,
  );
  if (!match) return answer(response, 404, { type: "NotFoundError", message: `${path} not found` });
  const login = match[1] ? decodeURIComponent(match[1]) : undefined;
  const action = match[2];
  if (action === "/password/change" && method === "POST") {
    if (login !== user.login)
      return answer(response, 403, { type: "AuthorizationError", message: "Unauthorized action" });
    if (body.currentPassword !== user.password)
      return answer(response, 400, { type: "AuthorizationError", message: "Authentication failure" });
    user.password = String(body.password);
    return answer(response, 204, {});
  }
  if (!isAdmin) return answer(response, 403, { type: "AuthorizationError", message: "Unauthorized action" });
  if (method === "POST" && !login) {
    for (const field of ["login", "name", "profile"] as const)
      if (typeof body[field] !== "string")
        return answer(response, 400, { type: "BadRequest", message: `${field} is missing` });
    const organisation = typeof body.organisation === "string" ? body.organisation : user.organisation;
    if (!organisations.has(organisation))
      return answer(response, 404, {
        type: "NotFoundError",
        message: `Organisation ${organisation} not found`,
      });
    if (users.has(String(body.login)))
      return answer(response, 400, {
        type: "CreateError",
        message: `User ${String(body.login)} already exists`,
      });
    const created: TheHiveUser = {
      login: String(body.login),
      name: String(body.name),
      profile: String(body.profile),
      organisation,
      type: body.type === "Service" ? "Service" : "Normal",
      ...(typeof body.password === "string" ? { password: body.password } : {}),
    };
    users.set(created.login, created);
    return answer(response, 201, view(created));
  }
  const target = login ? users.get(login) : undefined;
  if (!target) return answer(response, 404, { type: "NotFoundError", message: `User ${login} not found` });
  if (method === "GET" && !action) return answer(response, 200, view(target));
  if (method === "POST" && action === "/password/set") {
    target.password = String(body.password);
    return answer(response, 204, {});
  }
  if (method === "POST" && action === "/key/renew") {
    target.key = randomBytes(24).toString("base64url");
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end(target.key);
    return 200;
  }
  return answer(response, 404, { type: "NotFoundError", message: `${path} not found` });
}

function caller(users: Map<string, TheHiveUser>, request: IncomingMessage): TheHiveUser | undefined {
  const header = request.headers.authorization ?? "";
  if (header.startsWith("Bearer ")) {
    const key = header.slice("Bearer ".length);
    return [...users.values()].find((user) => user.key !== undefined && user.key === key);
  }
  if (header.startsWith("Basic ")) {
    const [login, ...rest] = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8").split(":");
    const user = users.get(login ?? "");
    return user?.password !== undefined && user.password === rest.join(":") ? user : undefined;
  }
  return undefined;
}

/** TheHive's shipped administrator (User.scala initPassword) and the fixture's service account. */
function shippedUsers(apiKey: string): [string, TheHiveUser][] {
  return [
    [
      ADMIN,
      {
        login: ADMIN,
        name: "Default admin user",
        profile: "admin",
        organisation: "admin",
        type: "Normal",
        password: "secret",
      },
    ],
    [
      "fixture@thehive.local",
      {
        login: "fixture@thehive.local",
        name: "fixture",
        profile: "analyst",
        organisation: ORGANISATION,
        type: "Service",
        key: apiKey,
      },
    ],
  ];
}

/** `tls`: PEM files of a certificate and key to serve HTTPS with (a TheHive behind the lab's ingress). */
export async function startTheHive(
  apiKey: string,
  tls?: { readonly cert: string; readonly key: string },
): Promise<TheHiveDouble> {
  const alerts: StoredAlert[] = [];
  const requests: TheHiveDouble["requests"] = [];
  let failures = 0;
  let refusal: { status: number; error: { type: string; message: string } } | undefined;

  const users = new Map<string, TheHiveUser>([...shippedUsers(apiKey)]);
  const organisations = new Set(["admin", ORGANISATION]);

  const handle = (request: IncomingMessage, text: string, response: ServerResponse): number => {
    if (failures > 0) {
      failures -= 1;
      return answer(response, 503, { type: "ServiceUnavailable", message: "restarting" });
    }
    if (request.method === "GET" && request.url === "/api/status")
      return answer(response, 200, { versions: { TheHive: "5.7.5-1" } });
    const user = caller(users, request);
    if (!user)
      return answer(response, 401, { type: "AuthenticationError", message: "Authentication failure" });
    const path = request.url ?? "";
    if (path.startsWith("/api/v1/user") || path.startsWith("/api/v1/organisation"))
      return handleAccounts(
        users,
        organisations,
        { method: request.method ?? "", path, text },
        user,
        response,
      );
    if (request.method === "POST" && /^\/api\/v1\/query(\?|$)/.test(path)) {
      const found = answerQuery(alerts, text);
      return answer(response, found.status, found.body);
    }
    if (request.method !== "POST" || path !== "/api/v1/alert")
      return answer(response, 404, { type: "NotFoundError", message: `${path} not found` });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return answer(response, 400, { type: "BadRequest", message: "Invalid Json" });
    }
    if (refusal) {
      const { status, error } = refusal;
      refusal = undefined;
      return answer(response, status, error);
    }
    const problem = invalid(body);
    if (problem)
      return answer(response, 400, {
        type: problem === "Observable already exists" ? "CreateError" : "BadRequest",
        message: problem,
      });
    const same = alerts.find(
      (alert) =>
        alert.body.type === body.type &&
        alert.body.source === body.source &&
        alert.body.sourceRef === body.sourceRef,
    );
    if (same)
      return answer(response, 400, {
        type: "CreateError",
        message: `Alert ${String(body.type)}:${String(body.source)}:${String(body.sourceRef)} already exist in organisation ${ORGANISATION}`,
      });
    const stored = { _id: `~${4096 + alerts.length}`, createdAt: Date.now(), body };
    alerts.push(stored);
    return answer(response, 201, { _id: stored._id, _type: "Alert", ...body, status: "New" });
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const status = handle(request, Buffer.concat(chunks).toString("utf8"), response);
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        status,
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      });
    });
  };
  const server = tls
    ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    alerts,
    users,
    organisations,
    requests,
    failNext: (count) => {
      failures = count;
    },
    refuseNextAlert: (status, error) => {
      refusal = { status, error };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

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
 * - An alert whose observables repeat (same dataType and data) fails (TheHive#1514, "Observable
 *   already exists").
 * - A request without a valid key: 401 `{"type":"AuthenticationError","message":"Authentication failure"}`
 *   (ScalliGraph's ErrorHandler; the message text is not confirmed, the status is what clients test).
 * A created alert is answered 201 with the alert and its `_id`.
 *
 * Test hooks: `failNext` answers the next requests with 503 (a TheHive behind an ingress that is
 * restarting), to exercise retries.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredAlert {
  readonly _id: string;
  readonly body: Record<string, unknown>;
}

export interface TheHiveDouble {
  readonly url: string;
  readonly alerts: StoredAlert[];
  /** Every request as it arrived: method, path, status answered. */
  readonly requests: { method: string; path: string; status: number; authorization?: string }[];
  /** Answer the next `count` requests with 503. */
  failNext(count: number): void;
  close(): Promise<void>;
}

const REQUIRED = ["type", "source", "sourceRef", "title", "description"] as const;
const ORGANISATION = "fortress";

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
    if (seen.has(key)) return "Observable already exists";
    seen.add(key);
  }
  return undefined;
}

function answer(response: ServerResponse, status: number, body: unknown): number {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
  return status;
}

export async function startTheHive(apiKey: string): Promise<TheHiveDouble> {
  const alerts: StoredAlert[] = [];
  const requests: TheHiveDouble["requests"] = [];
  let failures = 0;

  const handle = (request: IncomingMessage, text: string, response: ServerResponse): number => {
    if (failures > 0) {
      failures -= 1;
      return answer(response, 503, { type: "ServiceUnavailable", message: "restarting" });
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`)
      return answer(response, 401, { type: "AuthenticationError", message: "Authentication failure" });
    if (request.method !== "POST" || request.url !== "/api/v1/alert")
      return answer(response, 404, { type: "NotFoundError", message: `${request.url} not found` });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return answer(response, 400, { type: "BadRequest", message: "Invalid Json" });
    }
    const problem = invalid(body);
    if (problem) return answer(response, 400, { type: "BadRequest", message: problem });
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
    const stored = { _id: `~${4096 + alerts.length}`, body };
    alerts.push(stored);
    return answer(response, 201, { _id: stored._id, _type: "Alert", ...body, status: "New" });
  };

  const server = createServer((request, response) => {
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
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    alerts,
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

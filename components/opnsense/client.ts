/**
 * The HTTP side of the OPNsense API: Basic auth with key and secret, JSON in and out, a timeout on
 * every call, retries with backoff for what is transient (no answer, 502/503/504, a 500 that is not
 * OPNsense's own JSON error), and errors that name what the admin must fix: OPNsense's own 500s
 * (a UserException) are its answer and are not retried. Writes to one firewall are serialized. Every
 * call opens its own connection (see `send`).
 */
import * as http from "node:http";
import * as https from "node:https";
import {
  OpnsenseAuthError,
  OpnsenseHttpError,
  OpnsensePrivilegeError,
  OpnsenseServerError,
  OpnsenseUnavailableError,
} from "./errors";
import { knownVersion, privilegeFor } from "./privileges";

export interface Connection {
  /** Base URL of the firewall, e.g. https://fw.home.arpa (the API lives under /api). */
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  /** Skip TLS verification; off unless the admin turns it on. */
  readonly insecure: boolean;
  /** PEM of the CA that signed the firewall's certificate, for a self-signed lab CA. */
  readonly caCert?: string;
}

export interface RetryPolicy {
  readonly timeoutMs: number;
  /** Further attempts after the first. */
  readonly retries: number;
  /** First backoff; it doubles each time. */
  readonly backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { timeoutMs: 15_000, retries: 4, backoffMs: 500 };

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** This machine's address on the connection that carried the answer (the source the firewall saw, unless NAT rewrote it). */
  readonly localAddress?: string | undefined;
}

class Retryable extends Error {}

/** Gateway answers of a web server whose PHP backend is restarting or overloaded. */
const isGatewayStatus = (status: number) => status === 502 || status === 503 || status === 504;

/**
 * The JSON body api.php writes for an exception, `{errorMessage[, errorTitle]}`; undefined for anything
 * else (an HTML page of the web server in front of PHP, an empty body).
 */
export function opnsenseErrorBody(body: unknown): { message: string; title: string | undefined } | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const { errorMessage, errorTitle } = body as { errorMessage?: unknown; errorTitle?: unknown };
  if (typeof errorMessage !== "string") return undefined;
  return { message: errorMessage, title: typeof errorTitle === "string" ? errorTitle : undefined };
}

function send(
  connection: Connection,
  method: "GET" | "POST",
  path: string,
  body: unknown,
  timeoutMs: number,
) {
  return new Promise<Answer>((resolve, reject) => {
    const url = new URL(`/api/${path}`, connection.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(
      url,
      {
        method,
        // A new connection for every call, closed after it: Node's global agent keeps connections alive
        // (Node 19+), and a kept-alive connection survives a lockout, since a filter reload keeps pf's
        // existing states (opnsense/core src/etc/inc/filter.inc kills states only for scheduled rules)
        // and lighttpd keeps API connections open for 15 requests or 30 s (plugins.inc.d/webgui.inc). Only
        // a new connection proves that the rules still let this machine in (the probe after an apply).
        agent: false,
        headers: {
          connection: "close",
          authorization: `Basic ${Buffer.from(`${connection.key}:${connection.secret}`).toString("base64")}`,
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
        ...(url.protocol === "https:"
          ? {
              rejectUnauthorized: !connection.insecure,
              ...(connection.caCert ? { ca: connection.caCert } : {}),
            }
          : {}),
      },
      (response) => {
        const localAddress = response.socket?.localAddress;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => reject(new Retryable(error.message)));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text === "" ? {} : JSON.parse(text);
          } catch {
            // Left as text: error pages are HTML.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed, localAddress });
        });
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Retryable(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error) =>
      reject(
        error instanceof Retryable
          ? error
          : new Retryable(`${(error as NodeJS.ErrnoException).code ?? ""} ${error.message}`.trim()),
      ),
    );
    request.end(payload);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One API call with retries. 401 and 403 become errors that say what to grant, OPNsense's own 500
 * an OpnsenseServerError with its message; only what may pass (no answer, a timeout, 502/503/504, a
 * 500 without OPNsense's JSON) is tried again.
 */
export async function call(
  connection: Connection,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<unknown> {
  return (await callWithSource(connection, method, path, body, policy)).body;
}

/** `call`, with the local address of the connection that got the answer. */
export async function callWithSource(
  connection: Connection,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ body: unknown; localAddress: string | undefined }> {
  let lastProblem = "";
  let answered = false;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) await sleep(policy.backoffMs * 2 ** (attempt - 1));
    let answer: Answer;
    try {
      answer = await send(connection, method, path, body, policy.timeoutMs);
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      lastProblem = error.message;
      answered = false;
      continue;
    }
    if (answer.status === 401) {
      throw new OpnsenseAuthError(
        `OPNsense at ${connection.url} rejected the API key and secret (401). Check fortress:opnsenseApiKey ` +
          "and fortress:opnsenseApiSecret: they are the pair from System > Access > Users > API keys.",
      );
    }
    if (answer.status === 403)
      throw new OpnsensePrivilegeError(path, privilegeFor(path, knownVersion(connection.url)));
    const ownError = answer.status === 500 ? opnsenseErrorBody(answer.body) : undefined;
    if (ownError) throw new OpnsenseServerError(path, answer.status, ownError.message, ownError.title);
    if (answer.status === 500 || isGatewayStatus(answer.status)) {
      const text = typeof answer.body === "string" ? answer.body.replace(/<[^>]*>/g, " ") : "";
      lastProblem = `HTTP ${answer.status}${text.trim() ? `: ${text.replace(/\s+/g, " ").trim().slice(0, 120)}` : ""}`;
      answered = true;
      continue;
    }
    if (answer.status >= 400) {
      throw new OpnsenseHttpError(
        answer.status,
        `OPNsense answered ${method} /api/${path} with HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
    }
    return { body: answer.body, localAddress: answer.localAddress };
  }
  throw new OpnsenseUnavailableError(
    `OPNsense at ${connection.url} gave no usable answer to ${method} /api/${path} after ${policy.retries + 1} attempts ` +
      `(last: ${lastProblem}). ` +
      (answered
        ? "Its web server answers but not its API: check the Web GUI service and System > Log Files on the firewall."
        : "Check that the firewall is up and reachable from this machine."),
  );
}

/**
 * Runs `work` after every earlier write to the same firewall has finished: OPNsense can lose writes
 * made while it reconfigures. The queue lives on globalThis so that every deserialized dynamic
 * provider in the process shares it.
 */
export function withWriteLock<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  const registry = globalThis as unknown as Record<symbol, Map<string, Promise<unknown>> | undefined>;
  const key = Symbol.for("fortress.opnsense.writeQueues");
  const queues = (registry[key] ??= new Map<string, Promise<unknown>>());
  const previous = queues.get(connection.url) ?? Promise.resolve();
  const run = previous.then(work, work);
  queues.set(
    connection.url,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * The HTTP side of the Wazuh server API (4.14): a JWT from `POST /security/user/authenticate` with
 * Basic auth (wazuh/wazuh@v4.14.6 api/api/spec/spec.yaml `/security/user/authenticate`, answer
 * `{data: {token}, error: 0}`), then `Authorization: Bearer <token>` on every call. A token lives
 * `auth_token_exp_timeout` seconds (900 by default, spec.yaml), so a 401 on a call made with a token
 * logs in again once. Transient failures (no answer, a timeout, 429 "Maximum number of requests per
 * minute reached", 502/503/504, a 500 without a problem document) are retried with backoff; the API's
 * own answers (a problem document, wazuhErrors.ts) are not. Every call opens its own connection.
 */
import * as http from "node:http";
import * as https from "node:https";
import {
  WazuhAuthError,
  WazuhPermissionError,
  WazuhProtocolError,
  WazuhRefusedError,
  WazuhUnavailableError,
  wazuhProblem,
} from "./wazuhErrors";

export interface WazuhConnection {
  /** Base URL of the API, e.g. https://wazuh-manager.home.arpa:55000. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** PEM of the CA that signed the API's certificate (the lab's internal CA). */
  readonly caCert?: string;
}

export interface WazuhRetry {
  readonly timeoutMs: number;
  /** Further attempts after the first. */
  readonly retries: number;
  /** First backoff; it doubles each time. */
  readonly backoffMs: number;
}

export const WAZUH_DEFAULT_RETRY: WazuhRetry = { timeoutMs: 30_000, retries: 4, backoffMs: 1_000 };

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface WazuhRequest {
  readonly method: Method;
  /** Path under the API's root, e.g. `/groups`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** A JSON body (sent as application/json) … */
  readonly json?: unknown;
  /** … or an XML one (application/xml: `PUT /groups/{group_id}/configuration`). */
  readonly xml?: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

class Retryable extends Error {}

export const LOGIN_PATH = "/security/user/authenticate";

function send(
  connection: WazuhConnection,
  request: WazuhRequest,
  authorization: string,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const base = connection.url.replace(/\/+$/, "");
    const url = new URL(`${base}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const payload =
      request.xml !== undefined
        ? request.xml
        : request.json === undefined
          ? undefined
          : JSON.stringify(request.json);
    const contentType =
      request.xml !== undefined
        ? "application/xml"
        : request.json === undefined
          ? undefined
          : "application/json";
    const transport = url.protocol === "https:" ? https : http;
    const outgoing = transport.request(
      url,
      {
        method: request.method,
        agent: false,
        headers: {
          connection: "close",
          authorization,
          accept: "application/json, application/xml, text/plain",
          ...(payload === undefined
            ? {}
            : { "content-type": contentType, "content-length": Buffer.byteLength(payload) }),
        },
        ...(url.protocol === "https:"
          ? { rejectUnauthorized: true, ...(connection.caCert ? { ca: connection.caCert } : {}) }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => reject(new Retryable(error.message)));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const type = String(response.headers["content-type"] ?? "");
          let body: unknown = text;
          if (/json/.test(type) || /^\s*[{[]/.test(text)) {
            try {
              body = text === "" ? {} : JSON.parse(text);
            } catch {
              // Left as text.
            }
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Retryable(`no answer within ${timeoutMs} ms`)));
    outgoing.on("error", (error) =>
      reject(
        error instanceof Retryable
          ? error
          : new Retryable(`${(error as NodeJS.ErrnoException).code ?? ""} ${error.message}`.trim()),
      ),
    );
    outgoing.end(payload);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const basic = (connection: WazuhConnection) =>
  `Basic ${Buffer.from(`${connection.username}:${connection.password}`).toString("base64")}`;

/** A client of one manager's API; it keeps its token between calls. */
export class WazuhClient {
  private token: string | undefined;

  constructor(
    readonly connection: WazuhConnection,
    private readonly retry: WazuhRetry = WAZUH_DEFAULT_RETRY,
  ) {}

  /** One attempt loop: the answer, or an error that says what failed. */
  private async exchange(request: WazuhRequest, authorization: string): Promise<Answer> {
    let last = "";
    for (let attempt = 0; attempt <= this.retry.retries; attempt++) {
      if (attempt > 0) await sleep(this.retry.backoffMs * 2 ** (attempt - 1));
      let answer: Answer;
      try {
        answer = await send(this.connection, request, authorization, this.retry.timeoutMs);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        last = error.message;
        continue;
      }
      const problem = wazuhProblem(answer.body);
      // 429: api.yaml's per-minute request limit (access.max_request_per_minute); it passes.
      const transient =
        answer.status === 429 ||
        answer.status === 502 ||
        answer.status === 503 ||
        answer.status === 504 ||
        (answer.status === 500 && problem === undefined);
      if (transient) {
        last = `HTTP ${answer.status}${problem?.detail ? `: ${problem.detail}` : ""}`;
        continue;
      }
      return answer;
    }
    throw new WazuhUnavailableError(
      `the Wazuh API at ${this.connection.url} gave no usable answer to ${request.method} ${request.path} after ` +
        `${this.retry.retries + 1} attempts (last: ${last}). Check that the manager is up (systemctl status ` +
        "wazuh-manager) and that this machine reaches it on the API port.",
    );
  }

  /** Logs in: `POST /security/user/authenticate` with Basic auth. */
  async login(): Promise<string> {
    const answer = await this.exchange({ method: "POST", path: LOGIN_PATH }, basic(this.connection));
    if (answer.status === 401) {
      // error_handler.py unauthorized_error_handler: {"title": "Unauthorized", "detail": "Invalid credentials"}.
      throw new WazuhAuthError(
        `the Wazuh API at ${this.connection.url} refused the user ${this.connection.username}: ` +
          `${wazuhProblem(answer.body)?.detail ?? "HTTP 401"}. Fortress sets this user's password on the manager; ` +
          "a manual change there must be made in the stack's secret as well.",
      );
    }
    this.raiseFor({ method: "POST", path: LOGIN_PATH }, answer);
    const token = (answer.body as { data?: { token?: unknown } } | undefined)?.data?.token;
    if (typeof token !== "string" || token === "")
      throw new WazuhProtocolError(
        `the Wazuh API's login answer carries no token: ${JSON.stringify(answer.body).slice(0, 200)}`,
      );
    this.token = token;
    return token;
  }

  private raiseFor(request: WazuhRequest, answer: Answer): void {
    if (answer.status < 400) return;
    const problem = wazuhProblem(answer.body) ?? {
      title: `HTTP ${answer.status}`,
      detail: String(answer.body).slice(0, 200),
    };
    if (answer.status === 403) {
      throw new WazuhPermissionError(
        `the Wazuh API user ${this.connection.username} may not ${request.method} ${request.path}: ` +
          `${problem.detail ?? problem.title}. Give it a role whose policies allow the group:* actions ` +
          "(spec.yaml x-rbac-actions: group:create, group:read, group:update_config, group:delete).",
      );
    }
    throw new WazuhRefusedError(request.method, request.path, answer.status, problem);
  }

  /** One call with the token (logging in first, and once more if the token has expired). */
  async call(request: WazuhRequest): Promise<unknown> {
    const token = this.token ?? (await this.login());
    let answer = await this.exchange(request, `Bearer ${token}`);
    if (answer.status === 401) {
      // "Token expired" / "Invalid token" (api/api/authentication.py decode_token): log in again, once.
      answer = await this.exchange(request, `Bearer ${await this.login()}`);
    }
    if (answer.status === 401) {
      throw new WazuhAuthError(
        `the Wazuh API at ${this.connection.url} refused a fresh token for ${request.method} ${request.path}: ` +
          `${wazuhProblem(answer.body)?.detail ?? "HTTP 401"}`,
      );
    }
    this.raiseFor(request, answer);
    return answer.body;
  }
}

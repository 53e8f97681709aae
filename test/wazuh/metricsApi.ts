/**
 * A loopback double of the Wazuh 4.14 server API's read side that the metrics textfile uses, written
 * from wazuh/wazuh@v4.14.6:
 * - api/api/spec/spec.yaml: POST /security/user/authenticate (basic auth → data.token), GET
 *   /agents/summary/status (agent:read), GET /agents with select/limit/offset (agent:read; limit 1 to
 *   100000), GET /manager/daemons/stats with daemons_list among wazuh-analysisd, wazuh-remoted,
 *   wazuh-db (manager:read) — the routes' x-rbac-actions;
 * - api/api/error_handler.py: 401 for bad credentials or a token no longer valid, 403 (error 4000)
 *   for an action the user's roles do not allow, 400 for a parameter outside the spec;
 * - framework/wazuh/agent.py get_agents_summary_status: counts by connection status without 000;
 * - framework/wazuh/core/agent.py WazuhDBQueryAgents: `id` always selected, `group` absent for an agent
 *   in no group (the manager 000 has none), total_affected_items the whole count;
 * - src/analysisd/state.c / src/remoted/state.c: analysisd's queues {size, usage as a fraction},
 *   remoted's `received` {size, usage as a count}.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";

export interface DoubleAgent {
  readonly id: string;
  readonly status: "active" | "disconnected" | "never_connected" | "pending";
  readonly group?: readonly string[];
}

export interface DoubleUser {
  readonly password: string;
  /** The RBAC actions the user's roles allow (on every resource). */
  readonly actions: ReadonlySet<string>;
}

export type DaemonQueues = Record<string, { size: number; usage: number }>;

const ROUTE_ACTIONS: Readonly<Record<string, string>> = {
  "/agents/summary/status": "agent:read",
  "/agents": "agent:read",
  "/manager/daemons/stats": "manager:read",
};
const DAEMONS = ["wazuh-analysisd", "wazuh-remoted", "wazuh-db"];

export class WazuhMetricsApiDouble {
  users = new Map<string, DoubleUser>();
  agents: DoubleAgent[] = [{ id: "000", status: "active" }];
  queues: Record<string, DaemonQueues> = {
    "wazuh-analysisd": { alerts: { size: 16384, usage: 0.25 }, archives: { size: 16384, usage: -1 } },
    "wazuh-remoted": { received: { size: 131072, usage: 32768 } },
  };
  /** When set, every call is answered by closing the connection. */
  down = false;
  requests: string[] = [];
  private tokens = new Map<string, string>();
  private server?: Server;

  /** Invalidates every issued token (auth_token_exp_timeout passed). */
  expireTokens(): void {
    this.tokens.clear();
  }

  async start(certFile: string, keyFile: string): Promise<string> {
    this.server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) =>
      this.handle(req, res),
    );
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `https://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, title: string, detail: string, error?: number): void {
    this.send(res, status, { title, detail, ...(error ? { error } : {}) });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "https://localhost");
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const auth = req.headers.authorization ?? "";
    if (req.method === "POST" && url.pathname === "/security/user/authenticate") {
      const [user, password] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
        .toString()
        .split(/:(.*)/s);
      if (!auth.startsWith("Basic ") || this.users.get(user ?? "")?.password !== password)
        return this.error(res, 401, "Unauthorized", "Invalid credentials");
      const token = `token-${Math.random().toString(36).slice(2)}`;
      this.tokens.set(token, user ?? "");
      return this.send(res, 200, { data: { token }, error: 0 });
    }
    const action = ROUTE_ACTIONS[url.pathname];
    if (req.method !== "GET" || action === undefined)
      return this.error(res, 404, "Not Found", "The requested URL was not found on the server");
    const user = this.tokens.get(auth.replace(/^Bearer /, ""));
    if (!auth.startsWith("Bearer ") || user === undefined)
      return this.error(res, 401, "Unauthorized", "No authorization token provided");
    if (!this.users.get(user)?.actions.has(action))
      return this.error(res, 403, "Permission Denied", `Permission denied: Resource type: *:*`, 4000);
    if (url.pathname === "/agents/summary/status") return this.summary(res);
    if (url.pathname === "/agents") return this.list(res, url.searchParams);
    return this.daemons(res, url.searchParams);
  }

  private summary(res: ServerResponse): void {
    const connection = { active: 0, disconnected: 0, never_connected: 0, pending: 0, total: 0 };
    for (const agent of this.agents.filter((candidate) => candidate.id !== "000")) {
      connection[agent.status] += 1;
      connection.total += 1;
    }
    this.send(res, 200, {
      data: {
        connection,
        configuration: { synced: connection.total, not_synced: 0, total: connection.total },
      },
      error: 0,
    });
  }

  private list(res: ServerResponse, params: URLSearchParams): void {
    const limit = Number(params.get("limit") ?? 500);
    const offset = Number(params.get("offset") ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100000)
      return this.error(res, 400, "Bad Request", `${limit} is greater than the maximum of 100000`);
    const select = (params.get("select") ?? "").split(",").filter(Boolean);
    const page = this.agents.slice(offset, offset + limit).map((agent) => {
      const item: Record<string, unknown> = { id: agent.id };
      for (const field of select)
        if (field === "group" ? agent.group !== undefined : field in agent)
          item[field] = agent[field as keyof DoubleAgent];
      return item;
    });
    this.send(res, 200, {
      data: {
        affected_items: page,
        total_affected_items: this.agents.length,
        total_failed_items: 0,
        failed_items: [],
      },
      message: "All selected agents information was returned",
      error: 0,
    });
  }

  private daemons(res: ServerResponse, params: URLSearchParams): void {
    const wanted = (params.get("daemons_list") ?? DAEMONS.join(",")).split(",");
    const unknown = wanted.find((name) => !DAEMONS.includes(name));
    if (unknown)
      return this.error(res, 400, "Bad Request", `'${unknown}' is not one of ${DAEMONS.join(", ")}`);
    const items = wanted.map((name) => ({
      name,
      uptime: "2026-11-30T18:00:00+00:00",
      timestamp: "2026-11-30T19:00:00+00:00",
      metrics: { queues: this.queues[name] ?? {} },
    }));
    this.send(res, 200, {
      data: {
        affected_items: items,
        total_affected_items: items.length,
        total_failed_items: 0,
        failed_items: [],
      },
      error: 0,
    });
  }
}

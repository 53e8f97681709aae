/**
 * A loopback MISP API for the tests of fortress_misp.py, written from MISP's controllers
 * (MISP/MISP@bb0909a): AppController's REST authentication (`Authorization: <key>`, 403 otherwise),
 * FeedsController `index` (`[{"Feed": {…}}]`), `add` (`{"Feed": {…}}`; name, provider and url required,
 * Feed.php validation), `enable`/`disable` (405 "Invalid Feed." for an unknown id; 200 "Could not … feed."
 * when the model refuses the save), UsersController
 * `admin_index` (`[{"User": {…}, "Role": {…}}]`), `admin_add` (role_id and email required, an unknown role
 * refused with "Invalid role", the new key in `User.authkey` under advanced auth keys, the password
 * masked), `admin_edit`, `view/me`, AuthKeysController `add` (`AuthKey.authkey_raw`), `index/<user id>`
 * (the user's keys, hash unset) and `delete/<id>` (CRUD delete, saveSuccessResponse "AuthKey deleted."). Admin routes and
 * feed changes answer 403 to a user who is not a site admin (role 1).
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";

type Fields = Record<string, unknown>;

export interface FeedRow {
  id: string;
  name: string;
  provider: string;
  url: string;
  source_format: string;
  enabled: boolean;
  default: boolean;
}
export interface UserRow {
  id: string;
  email: string;
  role_id: string;
  org_id: string;
  disabled: boolean;
}

const ROLES: Record<string, string> = {
  "1": "admin",
  "2": "Org Admin",
  "3": "User",
  "4": "Publisher",
  "5": "Sync user",
  "6": "Read Only",
};
const newKey = () =>
  randomBytes(30)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .padEnd(40, "x")
    .slice(0, 40);

export class MispDouble {
  readonly feeds: FeedRow[] = [];
  readonly users: UserRow[] = [];
  /** key → user id */
  readonly keys = new Map<string, string>();
  /** key → its AuthKey id (AuthKeysController ids, in creation order). */
  readonly keyIds = new Map<string, string>();
  private lastKeyId = 0;
  /** Feed ids whose save the model refuses (Feed.php validation), for enable/disable. */
  readonly refuseSave = new Set<string>();
  /** Every write (method and path) the double took. */
  readonly writes: string[] = [];
  private server?: Server;

  constructor(adminKey: string) {
    this.users.push({ id: "1", email: "admin@lab.example", role_id: "1", org_id: "1", disabled: false });
    this.addKey(adminKey, "1");
    // MISP's default feeds (defaults.json `default: true`) are present, disabled, after an install.
    this.feeds.push(
      {
        id: "1",
        name: "CIRCL OSINT Feed",
        provider: "CIRCL",
        url: "https://www.circl.lu/doc/misp/feed-osint",
        source_format: "misp",
        enabled: false,
        default: true,
      },
      {
        id: "2",
        name: "The Botvrij.eu Data",
        provider: "Botvrij.eu",
        url: "https://www.botvrij.eu/data/feed-osint",
        source_format: "misp",
        enabled: false,
        default: true,
      },
    );
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => this.handle(request, body, response));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    return `http://127.0.0.1:${address.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(request: IncomingMessage, body: string, response: ServerResponse) {
    const send = (status: number, value: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(value));
    };
    const url = request.url ?? "/";
    const fail = (status: number, name: string) => send(status, { name, message: name, url });
    const userId = this.keys.get(String(request.headers.authorization ?? ""));
    const user = this.users.find((entry) => entry.id === userId && !entry.disabled);
    if (!user)
      return fail(
        403,
        "Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.",
      );
    const siteAdmin = user.role_id === "1";
    const post = request.method === "POST";
    let data: Fields;
    try {
      data = body ? (JSON.parse(body) as Fields) : {};
    } catch {
      return fail(400, "Malformed JSON");
    }
    if (post) this.writes.push(`POST ${url}`);
    let match: RegExpExecArray | null;
    if (url === "/users/view/me" && !post) return send(200, { User: { ...user } });
    if (!siteAdmin) return fail(403, "You do not have permission to use this functionality.");
    if (url === "/feeds" && !post)
      return send(
        200,
        this.feeds.map((feed) => ({ Feed: { ...feed } })),
      );
    if (url === "/feeds/add" && post) {
      const feed = (data.Feed ?? data) as Fields;
      for (const field of ["name", "provider", "url"])
        if (!feed[field])
          return send(403, {
            saved: false,
            name: "Could not add Feed",
            message: "Could not add Feed",
            url,
            errors: { [field]: ["This field is required."] },
          });
      const row: FeedRow = {
        id: String(this.feeds.length + 1),
        name: String(feed.name),
        provider: String(feed.provider),
        url: String(feed.url),
        source_format: String(feed.source_format || "freetext"),
        enabled: feed.enabled === true || feed.enabled === 1 || feed.enabled === "1",
        default: false,
      };
      this.feeds.push(row);
      return send(200, { Feed: { ...row } });
    }
    if ((match = /^\/feeds\/(enable|disable)\/([^/]+)$/.exec(url))) {
      const feed = this.feeds.find((entry) => entry.id === match?.[2]);
      if (!/^\d+$/.test(match[2] ?? "") || !feed) return fail(405, "Invalid Feed.");
      // FeedsController __toggleEnable: a save the model refuses (validation) answers 200 all the same,
      // with "Could not enable/disable feed." (enable() tests `if ($result)` on an array, always true, so
      // only disable() adds `errors`).
      if (this.refuseSave.has(feed.id)) {
        const message = `Could not ${match[1]} feed.`;
        const errors = { result: { url: ["Invalid URL"] }, message };
        return send(
          200,
          match[1] === "enable" ? { name: message, message, url } : { name: message, message, url, errors },
        );
      }
      feed.enabled = match[1] === "enable";
      const message = `Feed ${match[1]}d.`;
      return send(200, { name: message, message, url });
    }
    if (url === "/admin/users" && !post)
      return send(
        200,
        this.users.map((entry) => ({
          User: { ...entry },
          Role: { id: entry.role_id, name: ROLES[entry.role_id] },
        })),
      );
    if (url === "/admin/users/add" && post) {
      const fields = (data.User ?? data) as Fields;
      for (const field of ["role_id", "email"])
        if (!fields[field])
          return send(403, {
            saved: false,
            name: "Could not add User",
            message: "Could not add User",
            url,
            errors: { [field]: "Mandatory field not set." },
          });
      if (!ROLES[String(fields.role_id)]) return fail(405, "Invalid role");
      if (this.users.some((entry) => entry.email.toLowerCase() === String(fields.email).toLowerCase()))
        return send(403, {
          saved: false,
          name: "Could not add User",
          message: "Could not add User",
          url,
          errors: { email: ["An account with this email address already exists."] },
        });
      const row: UserRow = {
        id: String(this.users.length + 1),
        email: String(fields.email),
        role_id: String(fields.role_id),
        org_id: user.org_id,
        disabled: false,
      };
      this.users.push(row);
      const key = newKey();
      this.addKey(key, row.id);
      return send(200, { User: { ...row, password: "******", authkey: key } });
    }
    if ((match = /^\/admin\/users\/edit\/(\d+)$/.exec(url)) && post) {
      const row = this.users.find((entry) => entry.id === match?.[1]);
      if (!row) return fail(404, "Invalid user");
      const fields = (data.User ?? data) as Fields;
      if (fields.role_id !== undefined) row.role_id = String(fields.role_id);
      if (fields.disabled !== undefined) row.disabled = Boolean(fields.disabled);
      return send(200, { User: { ...row } });
    }
    if ((match = /^\/auth_keys\/add\/(\d+)$/.exec(url)) && post) {
      const row = this.users.find((entry) => entry.id === match?.[1]);
      if (!row)
        return fail(
          405,
          "Invalid user or insufficient privileges to interact with an authkey for the given user.",
        );
      const key = newKey();
      const id = this.addKey(key, row.id);
      return send(200, {
        AuthKey: {
          id,
          user_id: row.id,
          comment: String((data.AuthKey as Fields | undefined)?.comment ?? ""),
          authkey_raw: key,
        },
      });
    }
    if ((match = /^\/auth_keys\/index\/(\d+)$/.exec(url)) && !post) {
      // CRUD index: every key of the user, the hashed key itself unset.
      const userId = match[1];
      const rows = [...this.keys].filter(([, owner]) => owner === userId);
      return send(
        200,
        rows.map(([key]) => ({
          AuthKey: {
            id: this.keyIds.get(key),
            user_id: userId,
            authkey_start: key.slice(0, 4),
            authkey_end: key.slice(-4),
          },
          User: { id: userId, email: this.users.find((entry) => entry.id === userId)?.email },
        })),
      );
    }
    if ((match = /^\/auth_keys\/delete\/(\d+)$/.exec(url)) && post) {
      const id = match[1];
      const key = [...this.keyIds].find(([, keyId]) => keyId === id)?.[0];
      if (key === undefined) return fail(404, "Invalid AuthKey.");
      this.keys.delete(key);
      this.keyIds.delete(key);
      const message = "AuthKey deleted.";
      return send(200, { saved: true, success: true, name: message, message, url, id });
    }
    return fail(404, `Could not find ${url}`);
  }

  /** Records a key for a user and answers its AuthKey id. */
  addKey(key: string, userId: string): string {
    const id = String(++this.lastKeyId);
    this.keys.set(key, userId);
    this.keyIds.set(key, id);
    return id;
  }
}

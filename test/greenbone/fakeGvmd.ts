/**
 * A loopback gvmd: GMP on a Unix socket, answering as gvmd does (greenbone/gvmd@54eaa5c2): status codes
 * and texts from src/gmp_base.h (200 "OK", 201 "OK, resource created", 202 "OK, request submitted",
 * 400 "Authentication failed", 404 "Resource missing"), the refusals of src/gmp.c the client must handle
 * (modify_target: "HOSTS requires an EXCLUDE_HOSTS", "Target is in use" from manage_sql_targets.c
 * target_in_use: a non-trashed task uses it), and the element shapes of the GMP schema's get_* responses.
 * Also modelled from gvmd's source: the login cache (src/manage_sql.c authenticate_any_method caches a
 * successful password and accepts it again without checking the user's hash until it expires;
 * modify_user leaves it, only GMP logout clears it: src/gmp_logout.c → logout_user → auth_cache_delete),
 * feed objects that may not be loaded yet (create_task/create_target 404 on a missing config or port
 * list, src/gmp.c), modify_target's ssh_credential (left out: unchanged; id "0": none;
 * src/manage_sql_targets.c), report listings without trashcan tasks' reports (src/manage_sql.c
 * reports_extra_where: tasks.hidden = 0), and stored schedules as gvmd rewrites them (src/manage_utils.c
 * icalendar_from_string: its own PRODID, a VTIMEZONE, UID and DTSTAMP added).
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";

export interface Item {
  id: string;
  name: string;
  hosts?: string;
  credential?: string;
  target?: string;
  schedule?: string;
  icalendar?: string;
  status?: string;
  trashed?: boolean;
}

export interface ReportResult {
  host: string;
  port: string;
  oid: string;
  nvt: string;
  severity: string;
}
export interface Report {
  id: string;
  task: string;
  /** The task's id, when the report belongs to a task the fake holds (trashed: not listed). */
  taskId?: string;
  status: string;
  results: ReportResult[];
}

const escape = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unescape = (value: string) =>
  value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
const text = (body: string, name: string) => {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(body);
  return match ? unescape(match[1] ?? "") : undefined;
};
const attribute = (attributes: string, name: string) =>
  new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes)?.[1];
const reply = (command: string, status: string, statusText: string, inner = "", id?: string) =>
  `<${command}_response status="${status}" status_text="${statusText}"${id ? ` id="${id}"` : ""}>${inner}</${command}_response>`;

/** A schedule's iCalendar as gvmd stores it (src/manage_utils.c icalendar_from_string, libical's CRLF). */
function stored(ical: string): string {
  const lines = ical.split(/\r?\n/);
  const keep = lines.filter((line) => /^(DTSTART|RRULE)[:;]/.test(line));
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Greenbone.net//NONSGML Greenbone Security Manager 26.0.0//EN",
    "BEGIN:VTIMEZONE",
    "TZID:/freeassociation.sourceforge.net/UTC",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    ...keep,
    `UID:${randomUUID()}`,
    `DTSTAMP:${new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");
}

export class FakeGvmd {
  readonly items: Record<"target" | "schedule" | "task" | "credential", Item[]> = {
    target: [],
    schedule: [],
    task: [],
    credential: [],
  };
  readonly adminId = randomUUID();
  readonly log: string[] = [];
  readonly reports: Report[] = [];
  password = "admin";
  /** Feed objects loaded so far: "Full and fast" and "All IANA assigned TCP" (data-objects feed). */
  configs = ["daba56c8-73ec-11df-a475-002264764cea"];
  portLists = ["33d0cd82-57c6-11e1-8ed1-406186ea4fc5"];
  /** Cached logins: password → expiry (gvmd's login timeout, 15 minutes by default: src/gvmd.c). */
  readonly authCache = new Map<string, number>();
  private server: Server | undefined;

  listen(path: string): Promise<void> {
    this.server = createServer((socket) => this.session(socket));
    return new Promise((resolve) => this.server?.listen(path, resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Names of the commands received, in order (authenticate and get_* left out). */
  changes(): string[] {
    return this.log.filter((name) => !name.startsWith("get_") && name !== "authenticate");
  }

  private session(socket: Socket) {
    let buffer = "";
    let authenticated = false;
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const match = /^\s*<([a-z_]+)((?:\s[^>]*?)?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(buffer);
      if (!match) return;
      buffer = buffer.slice(match[0].length);
      const [, command = "", attributes = "", body = ""] = match;
      this.log.push(command);
      if (command === "authenticate") {
        const password = text(body, "password") ?? "";
        const cached = (this.authCache.get(password) ?? 0) > Date.now();
        authenticated = text(body, "username") === "admin" && (cached || password === this.password);
        if (authenticated) this.authCache.set(password, Date.now() + 15 * 60 * 1000);
        socket.write(
          authenticated
            ? reply(command, "200", "OK", "<role>Admin</role><timezone>UTC</timezone>")
            : reply(command, "400", "Authentication failed"),
        );
        return;
      }
      if (command === "logout" && authenticated) {
        this.authCache.clear();
        authenticated = false;
        socket.write(reply(command, "200", "User logged out"));
        return;
      }
      socket.write(
        authenticated ? this.answer(command, attributes, body) : reply(command, "401", "Authenticate first"),
      );
    });
  }

  private find(kind: keyof FakeGvmd["items"], id: string | undefined) {
    return this.items[kind].find((item) => item.id === id && !item.trashed);
  }

  private list(kind: keyof FakeGvmd["items"], filter: string): Item[] {
    const exact = /name=(\S+)/.exec(filter)?.[1];
    const like = /name~(\S+)/.exec(filter)?.[1];
    return this.items[kind].filter(
      (item) =>
        !item.trashed &&
        (exact === undefined || item.name === exact) &&
        (like === undefined || item.name.includes(like)),
    );
  }

  private render(kind: string, item: Item): string {
    const credential = `<ssh_credential id="${item.credential ?? ""}"><name></name></ssh_credential>`;
    const extra =
      kind === "target"
        ? `<hosts>${escape(item.hosts ?? "")}</hosts>${credential}`
        : kind === "task"
          ? `<status>${item.status ?? "New"}</status><target id="${item.target}"/>`
          : kind === "schedule"
            ? `<icalendar>${escape(item.icalendar ?? "")}</icalendar><timezone>UTC</timezone>`
            : "";
    return `<${kind} id="${item.id}"><name>${escape(item.name)}</name>${extra}</${kind}>`;
  }

  private answer(command: string, attributes: string, body: string): string {
    if (/@[A-Z_]+@/.test(body + attributes)) return reply(command, "400", "Bogus placeholder");
    const kind = /^(?:get|create|delete|modify)_(target|schedule|task|credential)s?$/.exec(command)?.[1] as
      keyof FakeGvmd["items"] | undefined;
    if (command === "get_users")
      return reply(command, "200", "OK", `<user id="${this.adminId}"><name>admin</name></user>`);
    if (command === "modify_user") {
      if (attribute(attributes, "user_id") !== this.adminId)
        return reply(command, "404", "Failed to find user");
      this.password = text(body, "password") ?? this.password;
      return reply(command, "200", "OK");
    }
    if (command === "get_reports") return this.reportsAnswer(attributes);
    const feed = /^get_(config|port_list)s$/.exec(command)?.[1];
    if (feed) {
      const wanted = attribute(attributes, `${feed}_id`);
      const loaded = feed === "config" ? this.configs : this.portLists;
      if (wanted === undefined) return reply(command, "400", "Fortress's fake answers get by id only");
      return loaded.includes(wanted)
        ? reply(command, "200", "OK", `<${feed} id="${wanted}"><name>feed object</name></${feed}>`)
        : reply(command, "404", `Failed to find ${feed} '${wanted}'`);
    }
    if (command === "start_task") {
      const task = this.find("task", attribute(attributes, "task_id"));
      if (!task) return reply(command, "404", "Failed to find task");
      task.status = "Requested";
      return reply(command, "202", "OK, request submitted", `<report_id>${randomUUID()}</report_id>`);
    }
    if (!kind) return reply(command, "400", "Bogus command name");
    if (command.startsWith("get_"))
      return reply(
        command,
        "200",
        "OK",
        this.list(kind, attribute(attributes, "filter") ?? "")
          .map((item) => this.render(kind, item))
          .join(""),
      );
    if (command.startsWith("create_")) {
      const name = text(body, "name") ?? "";
      if (this.list(kind, `name=${name}`).length > 0) return reply(command, "400", `${kind} exists already`);
      const item: Item = { id: randomUUID(), name };
      if (kind === "target") {
        const portList = /<port_list id="([^"]*)"/.exec(body)?.[1] ?? "";
        if (!this.portLists.includes(portList))
          return reply(command, "404", `Failed to find port_list '${portList}'`);
        item.hosts = text(body, "hosts");
        item.credential = /<ssh_credential id="([^"]*)"/.exec(body)?.[1];
        if (item.credential && !this.find("credential", item.credential))
          return reply(command, "404", "Failed to find credential");
      }
      if (kind === "schedule") item.icalendar = stored(text(body, "icalendar") ?? "");
      if (kind === "task") {
        const config = /<config id="([^"]*)"/.exec(body)?.[1] ?? "";
        if (!this.configs.includes(config)) return reply(command, "404", `Failed to find config '${config}'`);
        item.target = /<target id="([^"]*)"/.exec(body)?.[1];
        item.schedule = /<schedule id="([^"]*)"/.exec(body)?.[1];
        if (!this.find("target", item.target)) return reply(command, "404", "Failed to find target");
        if (!this.find("schedule", item.schedule)) return reply(command, "404", "Failed to find schedule");
      }
      this.items[kind].push(item);
      return reply(command, "201", "OK, resource created", "", item.id);
    }
    const item = this.find(kind, attribute(attributes, `${kind}_id`));
    if (!item) return reply(command, "404", `Failed to find ${kind}`);
    if (command.startsWith("delete_")) {
      if (
        kind !== "task" &&
        this.items.task.some(
          (task) => !task.trashed && (task.target === item.id || task.schedule === item.id),
        )
      )
        return reply(command, "400", `${kind} is in use`);
      if (kind === "credential" && this.items.target.some((t) => !t.trashed && t.credential === item.id))
        return reply(command, "400", "Credential is in use");
      item.trashed = true;
      return reply(command, "200", "OK");
    }
    if (kind === "target") {
      const hosts = text(body, "hosts");
      if (hosts !== undefined && !body.includes("<exclude_hosts>"))
        return reply(command, "400", "HOSTS requires an EXCLUDE_HOSTS");
      if (this.items.task.some((task) => !task.trashed && task.target === item.id))
        return reply(command, "400", "Target is in use");
      item.hosts = hosts ?? item.hosts;
      const credential = /<ssh_credential id="([^"]*)"/.exec(body)?.[1];
      item.credential = credential === "0" ? undefined : (credential ?? item.credential);
    }
    if (kind === "schedule") {
      const ical = text(body, "icalendar");
      if (ical !== undefined) item.icalendar = stored(ical);
    }
    return reply(command, "200", "OK");
  }

  private reportsAnswer(attributes: string): string {
    const id = attribute(attributes, "report_id");
    const reportXml = (report: Report, details: boolean) =>
      `<report id="${report.id}" format_id="" extension="xml" content_type="text/xml">` +
      `<name>2026-01-04T02:00:00Z</name><report id="${report.id}"><scan_run_status>${report.status}</scan_run_status>` +
      `<task id="${randomUUID()}"><name>${escape(report.task)}</name></task>` +
      (details
        ? `<results start="1" max="-1">${report.results
            .map(
              (result) =>
                `<result id="${randomUUID()}"><name>${escape(result.nvt)}</name><creation_time>2026-01-04T02:10:00Z</creation_time>` +
                `<host>${result.host}<asset asset_id=""/><hostname>h.lab.example</hostname></host><port>${result.port}</port>` +
                `<nvt oid="${result.oid}"><type>nvt</type><name>${escape(result.nvt)}</name></nvt>` +
                `<severity>${result.severity}</severity><qod><value>80</value><type>remote_banner</type></qod></result>`,
            )
            .join("")}</results>`
        : "") +
      `</report></report>`;
    if (id) {
      const report = this.reports.find((candidate) => candidate.id === id);
      return report
        ? reply("get_reports", "200", "OK", reportXml(report, true))
        : reply("get_reports", "404", "Failed to find report");
    }
    // A listing reads report_filter (src/gmp.c GET_REPORTS); a results filter here is the client's mistake.
    if (attribute(attributes, "filter") !== undefined)
      return reply("get_reports", "400", "Bogus filter for a listing");
    const listed = this.reports.filter(
      (report) => !this.items.task.some((task) => task.id === report.taskId && task.trashed),
    );
    return reply("get_reports", "200", "OK", listed.map((report) => reportXml(report, false)).join(""));
  }
}

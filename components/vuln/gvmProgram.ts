/**
 * Fortress's GMP client on the Greenbone VM, as the Python program the install places at
 * GVM_PROGRAM_PATH (Debian 12's python3, standard library only: no python-gvm, which Debian 12 does
 * not package). It speaks GMP on gvmd's Unix socket: sets the admin password (GMP `modify_user`,
 * so the password is never an argument of any process: gvmd's own `--new-password` takes it only
 * from argv, greenbone/gvmd src/gvmd.c), reconciles the Fortress-named targets, schedules, tasks and
 * the scan credential, exports finished reports as JSON lines, and starts a target's task on demand.
 * Its exit codes are RESCAN_EXIT_CODES. The commands it sends are gmp.ts's, filled with checked ids.
 */

/** Where the install places it (root-only: it reads the admin password file). */
export const GVM_PROGRAM_PATH = "/usr/local/lib/fortress-greenbone/fortress_gvm.py";
/** Root-only configuration: the admin password and the scan key, one file each. */
export const GVM_CONFIG_DIR = "/etc/fortress-greenbone";
/** The exporter's state (which reports it has written) and the applied scan key's digest. */
export const GVM_STATE_DIR = "/var/lib/fortress-greenbone";
/** Where finished reports land as `report-<id>.jsonl`, one result a line (read by the SIEM's Vector agent). */
export const GVM_EXPORT_DIR = "/var/log/fortress-greenbone";

/** The exit codes of `fortress-rescan` (and of the program's other commands). */
export const RESCAN_EXIT_CODES = {
  started: 0,
  usage: 2,
  noSuchTarget: 3,
  alreadyRunning: 4,
  gvmdUnreachable: 5,
  gmpFailed: 6,
  retryLater: 75,
} as const;

export const GVM_PROGRAM = String.raw`#!/usr/bin/python3
"""Fortress's GMP client for Greenbone on its VM (stdlib only: Debian 12's python3).

Speaks GMP to gvmd over its Unix socket (greenbone/docs src/22.4/container/workflows.md, "Exposing
gvmd Unix socket for GMP Access"). Commands:
  password            set the admin password from PASSWORD_FILE (GMP modify_user, never argv)
                      and check that admin/admin no longer authenticates
  reconcile DESIRED   make the Fortress-named targets, schedules and tasks match DESIRED (JSON)
  export              write finished reports' results as JSON lines into EXPORT_DIR, once each
  rescan NAME         start the task of the Fortress target NAME
Exit codes: 0 done; 2 usage; 3 no such Fortress target/task; 4 the task is already running;
5 gvmd unreachable or authentication refused; 6 a GMP command failed; 75 retry later (a task to
change is running, or gvmd has not loaded the feed's scan config and port list yet).
"""
import hashlib
import json
import os
import re
import socket
import sys
import tempfile
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

SOCKET = os.environ.get("FORTRESS_GVMD_SOCKET", "/run/fortress-greenbone/gvmd/gvmd.sock")
CONFIG_DIR = os.environ.get("FORTRESS_GVM_CONFIG", "/etc/fortress-greenbone")
STATE_DIR = os.environ.get("FORTRESS_GVM_STATE", "/var/lib/fortress-greenbone")
EXPORT_DIR = os.environ.get("FORTRESS_GVM_EXPORT", "/var/log/fortress-greenbone")
PASSWORD_FILE = os.path.join(CONFIG_DIR, "admin-password")
KEY_FILE = os.path.join(CONFIG_DIR, "scan-key")
ADMIN = "admin"
# The password start-gvmd.sh gives admin when PASSWORD is unset (greenbone/gvmd .docker/start-gvmd.sh).
SHIPPED_PASSWORD = "admin"
PREFIX = "fortress-"
TIMEOUT_S = 600
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Task states during which gvmd refuses changes (gvmd src/manage.c task status names).
ACTIVE = {"Requested", "Queued", "Running", "Stop Requested", "Delete Requested", "Processing"}


class GmpError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Gmp:
    """One GMP session on gvmd's socket: a command out, one complete XML answer back."""

    def __init__(self, path=SOCKET):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # A gvmd that stops answering fails the run instead of hanging it (a full report can take minutes).
        self.sock.settimeout(TIMEOUT_S)
        try:
            self.sock.connect(path)
        except OSError as error:
            raise GmpError(5, "gvmd socket %s: %s" % (path, error)) from error

    def close(self):
        self.sock.close()

    def send(self, xml):
        try:
            return self._send(xml)
        except OSError as error:
            raise GmpError(5, "gvmd: %s" % error) from error

    def _send(self, xml):
        self.sock.sendall(xml.encode("utf-8"))
        parser = ET.XMLPullParser(events=("start", "end"))
        depth = 0
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise GmpError(5, "gvmd closed the connection")
            parser.feed(chunk)
            for event, element in parser.read_events():
                depth += 1 if event == "start" else -1
                if event == "end" and depth == 0:
                    return element

    def command(self, xml, expect=("200", "201", "202")):
        answer = self.send(xml)
        status = answer.get("status", "")
        if status not in expect:
            raise GmpError(6, "%s: %s %s" % (answer.tag, status, answer.get("status_text", "")))
        return answer

    def authenticate(self, user, password):
        answer = self.send(
            "<authenticate><credentials><username>%s</username><password>%s</password>"
            "</credentials></authenticate>" % (escape(user), escape(password))
        )
        return answer.get("status") == "200"


def read_secret(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().rstrip("\n")


def session():
    gmp = Gmp()
    if not gmp.authenticate(ADMIN, read_secret(PASSWORD_FILE)):
        raise GmpError(5, "gvmd refused the admin password from %s" % PASSWORD_FILE)
    return gmp


def fill(template, values):
    """Put checked ids (and the escaped key) into a command rendered by Fortress."""
    for key, value in values.items():
        template = template.replace("@%s@" % key, value)
    if re.search(r"@[A-Z_]+@", template):
        raise GmpError(6, "a placeholder is left in a command")
    return template


def checked_id(answer):
    value = answer.get("id", "")
    if not UUID.match(value):
        raise GmpError(6, "%s gave no id" % answer.tag)
    return value


def login(password):
    """A session as admin, or None when gvmd refuses the password (a new connection per attempt)."""
    gmp = Gmp()
    if gmp.authenticate(ADMIN, password):
        return gmp
    gmp.close()
    return None


def logout(gmp):
    """End the session with GMP logout: the only thing that empties gvmd's login cache for the user
    (greenbone/gvmd@54eaa5c2:src/gmp_logout.c logout_run -> src/manage_sql.c logout_user ->
    auth_cache_delete). A password login that succeeded is cached and accepted again for the login
    timeout (src/manage_sql.c authenticate_any_method: auth_cache_find before the hash check;
    15 minutes by default, src/gvmd.c), and modify_user does not clear it. GMP logout: gvmd >= 22.5."""
    try:
        gmp.command("<logout/>")
    finally:
        gmp.close()


def set_password():
    wanted = read_secret(PASSWORD_FILE)
    if len(wanted) < 16 or wanted == SHIPPED_PASSWORD:
        raise GmpError(6, "%s does not hold a Fortress password" % PASSWORD_FILE)
    gmp = login(wanted)
    if gmp is None:
        gmp = login(SHIPPED_PASSWORD)
        if gmp is None:
            raise GmpError(5, "admin accepts neither the Fortress password nor the shipped one")
        try:
            users = gmp.command('<get_users filter="name=%s rows=-1"/>' % ADMIN)
            matches = [user for user in users.findall("user") if user.findtext("name") == ADMIN]
            if not matches or not UUID.match(matches[0].get("id", "")):
                raise GmpError(6, "no user admin")
            gmp.command(
                '<modify_user user_id="%s"><password modify="1">%s</password></modify_user>'
                % (matches[0].get("id"), escape(wanted))
            )
        except BaseException:
            gmp.close()
            raise
        # Same session: without it admin/admin stays cached and authenticates for the login timeout.
        logout(gmp)
        gmp = login(wanted)
        if gmp is None:
            raise GmpError(5, "admin does not accept the Fortress password after setting it")
    gmp.close()
    shipped = login(SHIPPED_PASSWORD)
    if shipped is not None:
        # Possibly only a cached login (an earlier run, or a login through the web UI): log it out,
        # which empties admin's login cache, and ask again; the hash check then decides.
        logout(shipped)
        shipped = login(SHIPPED_PASSWORD)
        if shipped is not None:
            shipped.close()
            raise GmpError(6, "admin/admin still authenticates")
    print("admin password in place; admin/admin refused")


def by_name(gmp, kind, name):
    answer = gmp.command('<get_%ss filter="name=%s rows=-1"/>' % (kind, escape(name)))
    return [item for item in answer.findall(kind) if item.findtext("name") == name]


def fortress_items(gmp, kind):
    answer = gmp.command('<get_%ss filter="name~%s rows=-1"/>' % (kind, PREFIX))
    return [item for item in answer.findall(kind) if (item.findtext("name") or "").startswith(PREFIX)]


def one(gmp, kind, name, create, values):
    found = by_name(gmp, kind, name)
    if found:
        return found[0].get("id"), found[0]
    return checked_id(gmp.command(fill(create, values))), None


def require_feed(gmp, desired):
    """Exit 75 until gvmd has loaded the feed objects the targets and tasks name: create_task answers 404
    for a config it cannot find (greenbone/gvmd@54eaa5c2:src/gmp.c create_task, send_find_error_to_client
    "config"), and gvmd loads them from the data-objects feed some time after its first start. A get by id
    answers 404 while the object is missing (src/gmp.c handle_get_configs / handle_get_port_lists)."""
    for kind in ("config", "port_list"):
        ident = desired["requires"][kind]
        if not UUID.match(ident):
            raise GmpError(6, "the desired state names no %s id" % kind)
        answer = gmp.command('<get_%ss %s_id="%s"/>' % (kind, kind, ident), expect=("200", "404"))
        if answer.get("status") != "200" or not [i for i in answer.findall(kind) if i.get("id") == ident]:
            raise GmpError(75, "gvmd has not loaded the feed's %s %s yet: retry later" % (kind, ident))


def ical_key(text):
    """What a schedule means: its DTSTART time and RRULE. gvmd stores its own rewrite of the iCalendar
    (src/manage_utils.c icalendar_from_string: new PRODID, a VTIMEZONE, UID and DTSTAMP), so the texts differ."""
    lines = re.sub(r"\r?\n[ \t]", "", text or "").splitlines()
    key = []
    for line in lines:
        name, _, value = line.strip().partition(":")
        name = name.split(";")[0].upper()
        if name == "DTSTART":
            key.append((name, value.rstrip("Z")))
        elif name == "RRULE":
            key.append((name, ";".join(sorted(value.split(";")))))
    return sorted(key)


def host_set(text):
    return sorted(part.strip() for part in (text or "").split(",") if part.strip())


def ensure_credential(gmp, desired):
    credential = desired.get("credential")
    if not credential:
        return ""
    key = escape(read_secret(KEY_FILE) + "\n")
    found = by_name(gmp, "credential", credential["name"])
    digest_file = os.path.join(STATE_DIR, "scan-key.applied")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    previous = read_secret(digest_file) if os.path.exists(digest_file) else ""
    if found:
        ident = found[0].get("id")
        if previous != digest:
            gmp.command(fill(credential["modify"], {"CREDENTIAL_ID": ident, "PRIVATE_KEY": key}))
    else:
        ident = checked_id(gmp.command(fill(credential["create"], {"PRIVATE_KEY": key})))
    write_atomic(digest_file, digest + "\n")
    return ident


def before_trashing_tasks(gmp, state):
    """Export finished reports once before the first task goes to the trashcan: report listings leave
    out the reports of trashcan tasks (greenbone/gvmd@54eaa5c2:src/manage_sql.c reports_extra_where,
    tasks.hidden = 0), so the exporter would never see them again."""
    if not state.get("exported"):
        export_reports(gmp)
        state["exported"] = True


def ensure_target(gmp, target, credential_id, state):
    values = {"CREDENTIAL_ID": credential_id}
    target_id, existing = one(gmp, "target", target["name"], target["createTarget"], values)
    schedule_id, schedule = one(gmp, "schedule", target["name"], target["createSchedule"], values)
    values.update({"TARGET_ID": target_id, "SCHEDULE_ID": schedule_id})
    if schedule is not None and ical_key(schedule.findtext("icalendar")) != ical_key(target["icalendar"]):
        gmp.command(fill(target["modifySchedule"], values))
        print("changed schedule %s" % target["name"])
    tasks = by_name(gmp, "task", target["name"])
    if existing is not None:
        ssh = existing.find("ssh_credential")
        have_credential = ssh.get("id", "") if ssh is not None else ""
        if host_set(existing.findtext("hosts")) != sorted(target["hosts"]) or have_credential != credential_id:
            # gvmd refuses to change a target a task uses (manage_sql_targets.c target_in_use,
            # "Target is in use"): the task goes to the trashcan first and is made again below.
            if any(task.findtext("status") in ACTIVE for task in tasks):
                raise GmpError(75, "task %s is running: its target changes on the next run" % target["name"])
            if tasks:
                before_trashing_tasks(gmp, state)
            for task in tasks:
                gmp.command('<delete_task task_id="%s" ultimate="0"/>' % task.get("id"))
            tasks = []
            gmp.command(fill(target["modifyTarget"], values))
            print("changed target %s" % target["name"])
    if not tasks:
        gmp.command(fill(target["createTask"], values))
        print("created task %s" % target["name"])


def reconcile(path):
    with open(path, encoding="utf-8") as handle:
        desired = json.load(handle)
    wanted = {target["name"] for target in desired["targets"]}
    if any(not name.startswith(PREFIX) for name in wanted):
        raise GmpError(6, "a desired target is not Fortress-named")
    gmp = session()
    state = {}
    try:
        if desired["targets"]:
            require_feed(gmp, desired)
        credential_id = ensure_credential(gmp, desired)
        for target in desired["targets"]:
            ensure_target(gmp, target, credential_id, state)
        # What is gone: Fortress-named tasks first (they hold their targets), then targets, schedules,
        # and the scan credential when no target uses one any more (targets dropped it: ssh_credential id 0).
        kept = {"credential": {desired["credential"]["name"]} if desired.get("credential") else set()}
        for kind in ("task", "target", "schedule", "credential"):
            for item in fortress_items(gmp, kind):
                if item.findtext("name") in kept.get(kind, wanted):
                    continue
                if kind == "task" and item.findtext("status") in ACTIVE:
                    raise GmpError(75, "task %s is running: removed on the next run" % item.findtext("name"))
                if kind == "task":
                    before_trashing_tasks(gmp, state)
                gmp.command('<delete_%s %s_id="%s" ultimate="0"/>' % (kind, kind, item.get("id")))
                print("deleted %s %s" % (kind, item.findtext("name")))
    finally:
        gmp.close()


def level(severity):
    """gvmd src/manage.c severity_in_level and severity_to_level."""
    if severity >= 9.0:
        return "critical"
    if severity >= 7.0:
        return "high"
    if severity >= 4.0:
        return "medium"
    if severity > 0.0:
        return "low"
    if severity == 0.0:
        return "log"
    return "false-positive" if severity == -1.0 else "error"


def write_atomic(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".fortress-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def result_line(report, task, result):
    nvt = result.find("nvt")
    host = result.find("host")
    severity = float(result.findtext("severity") or "0")
    return json.dumps(
        {
            "report_id": report,
            "task": task,
            "result_id": result.get("id"),
            "host": (host.text or "").strip() if host is not None else "",
            "hostname": (host.findtext("hostname") or "") if host is not None else "",
            "port": result.findtext("port") or "",
            "nvt_oid": nvt.get("oid", "") if nvt is not None else "",
            "nvt_name": (nvt.findtext("name") or "") if nvt is not None else "",
            "severity": severity,
            "severity_label": level(severity),
            "qod": (result.findtext("qod/value") or ""),
            "created": result.findtext("creation_time") or "",
        },
        sort_keys=True,
    )


def export():
    gmp = session()
    try:
        written = export_reports(gmp)
    finally:
        gmp.close()
    print("exported %d report(s)" % written)


def export_reports(gmp):
    state_file = os.path.join(STATE_DIR, "exported.json")
    done = set(json.load(open(state_file, encoding="utf-8"))) if os.path.exists(state_file) else set()
    written = 0
    # Listing reports takes report_filter; filter is for the results of one report (gvmd src/gmp.c,
    # GET_REPORTS: report_get.filter from "report_filter"). Finished is checked here, per report.
    listing = gmp.command('<get_reports details="0" report_filter="rows=-1"/>')
    for outer in listing.findall("report"):
        report = outer.find("report")
        ident = outer.get("id", "")
        task = (report.findtext("task/name") if report is not None else "") or ""
        status = (report.findtext("scan_run_status") if report is not None else "") or ""
        if ident in done or not task.startswith(PREFIX) or not UUID.match(ident) or status != "Done":
            continue
        full = gmp.command(
            '<get_reports report_id="%s" details="1" ignore_pagination="1"'
            # Results of every level (gvmd manage_sql.c: c, h, m, l, g), no overrides, QoD >= 70.
            ' filter="apply_overrides=0 min_qod=70 rows=-1 levels=chmlg"/>' % ident
        )
        results = full.findall("report/report/results/result")
        lines = [result_line(ident, task, result) for result in results]
        # Whole files only (written aside, then renamed): the shipper never reads half a report.
        text = "".join(line + "\n" for line in lines)
        write_atomic(os.path.join(EXPORT_DIR, "report-%s.jsonl" % ident), text, 0o644)
        done.add(ident)
        write_atomic(state_file, json.dumps(sorted(done)))
        written += 1
    return written


def rescan(name):
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
        raise GmpError(2, "a target name is lower-case letters, digits and dashes")
    gmp = session()
    try:
        tasks = by_name(gmp, "task", PREFIX + name)
        if not tasks:
            raise GmpError(3, "no Fortress task for target %s" % name)
        if tasks[0].findtext("status") in ACTIVE:
            raise GmpError(4, "the scan of %s is already running" % name)
        answer = gmp.command('<start_task task_id="%s"/>' % tasks[0].get("id"))
        print(answer.findtext("report_id") or "")
    finally:
        gmp.close()


def main(argv):
    try:
        if argv[1:] == ["password"]:
            set_password()
        elif len(argv) == 3 and argv[1] == "reconcile":
            reconcile(argv[2])
        elif argv[1:] == ["export"]:
            export()
        elif len(argv) == 3 and argv[1] == "rescan":
            rescan(argv[2])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except GmpError as error:
        print("fortress-gvm: %s" % error, file=sys.stderr)
        return error.code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;

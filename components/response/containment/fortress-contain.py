#!/usr/bin/env python3
# Fortress's one containment action (issue 14): every caller (the Wazuh active response on the
# manager, the TheHive/Cortex responder, the Ansible playbook, a person) runs this program.
#
#   fortress-contain [--config FILE] [--by WHO] [--reason TEXT] [--for SECONDS] add <ip>
#   fortress-contain [--config FILE] [--by WHO] [--reason TEXT] delete|check <ip>
#   fortress-contain [--config FILE] preflight|expire|list
#
# add: puts one host into OPNsense's quarantine table, then kills its open states, and records the
# containment in the state directory, with its expiry when --for gives one (none: until a person
# releases it); an add of a contained host adds nothing and keeps it contained, pushing a recorded
# expiry later (never earlier, and never giving one to a host held without). delete: always asks the
# firewall to take it out, and drops its record only once the table, known to exist, no longer holds
# it; check: says whether it is in (exit 0) or not (exit 1); expire: releases, through delete, every
# recorded host whose expiry has passed, and puts back every recorded, unexpired host the table lost
# (a reboot empties it), logged as reconcile/restored (the fortress-contain-expire timer runs it every
# minute); list: prints the records; preflight: proves the quarantine table exists and the API key
# holds the two privileges it needs and not the ones it must not. Python 3 standard library only.
#
# Why a record of its own and not Wazuh's timeout: execd keeps a timed active response's `delete` in
# memory and runs every pending one when it stops (wazuh/wazuh@v4.14.6 src/os_execd/execd.c
# ExecdShutdown: "Delete pending AR"), so any manager restart would release every contained host. The
# records live in a root-only directory and only this program, a person or the timer release a host.
#
# OPNsense facts (opnsense/core@26.7.2, the same at 25.7.11 and 26.1.11):
# - POST /api/firewall/alias_util/add/<alias> {"address": ip} answers {"status":"done"} once the alias
#   exists in config, whether or not pfctl took the address; {"status":"failed","status_msg":
#   "nonexistent alias <alias>"} otherwise; {"status":"not_an_address"} for a character outside
#   [0-9a-f:./_] (mvc/app/controllers/OPNsense/Firewall/Api/AliasUtilController.php addAction). So an
#   add is proven by listing the table afterwards, not by its answer.
# - For a host or network alias addAction also writes the address into config, skipping it when
#   `array_search` finds it — which is falsy for index 0, so the first entry is appended again. The
#   quarantine alias is of type external (components/network/quarantine.ts): config is never touched,
#   and idempotence here comes from reading the live table (list) first, never from the controller.
# - GET /api/firewall/alias_util/list/<alias>: searchRecordsetBase over `pfctl -t <alias> -vT show`
#   (scripts/filter/list_table.py): rows of {"ip": ...}, a host without /32 (/128), 9999 rows a page.
# - When configd fails (Core/Backend.php configdRun returns ''), list answers 200 with no rows
#   (listAction: `json_decode(...) ?? []`) and add/delete still answer done: an empty list proves
#   nothing alone. GET alias_util/aliases (`pfctl -sT`, scripts/filter/list_tables.py) then returns
#   null, sent as an empty answer; otherwise it lists the table. Same privilege as list.
# - A reboot empties the table: filter.inc declares an external alias `table <name> persist` with no
#   file, and scripts/filter/update_tables.py never reloads an external alias.
# - POST .../delete/<alias> {"address": ip}: `filter delete table`, which deletes only a table line
#   equal to the argument (scripts/filter/delete_table.py), and answers done in every case.
# - POST /api/diagnostics/firewall/kill_states {"filter": ip}: {"result":"ok","dropped_states":n}, or
#   {"result":"failed"} (Diagnostics/Api/FirewallController.php killStatesAction). The filter goes
#   through SanitizeFilter 'query', which drops ':' and '/': an IPv6 address cannot be given, so its
#   states are left to expire (logged).
# - Privileges (Core/ACL/ACL.xml): "Diagnostics: PF Table IP addresses" (api/firewall/alias_util/*)
#   and "Diagnostics: Show States" (api/diagnostics/firewall/kill_states* and the other state calls).
#   A key without the privilege gets 403 {"status":403,"message":"Forbidden"}; a bad key 401.
#
# Errors: connection refused or reset, timeouts, an answer that breaks off (http.client's
# IncompleteRead, BadStatusLine), configd not answering, 502/503/504 are transient and retried with
# exponential backoff; everything else (4xx, 500 with or without an errorMessage, status failed,
# not_an_address) is deterministic, explained and not retried.
#
# Exit codes: 0 done (also "already contained" / "not contained" for add / delete), 1 check: not
# contained, 2 refused (allow-listed or not a host address), 3 deterministic failure, 4 transient
# failure that outlived the retries, 64 usage or configuration error.
#
# The configuration file (JSON, root-only: it holds the API secret) is never an argument:
#   {"url": "https://10.10.10.1", "key": "...", "secret": "...", "alias": "fz_quarantine",
#    "ca_file": "/etc/fortress/opnsense-ca.pem", "timeout": 10, "attempts": 5, "backoff": 0.5,
#    "allow": [{"cidr": "10.10.10.0/24", "why": "management network"}, ...],
#    "syslog": {"host": "10.10.20.64", "port": 514} or {"socket": "/dev/log"},
#    "log_file": "/var/ossec/logs/active-responses.log", "state_dir": "/var/lib/fortress-contain",
#    "metrics_dir": "/var/lib/prometheus/node-exporter"}
#
# Metrics (issue 15): with metrics_dir, every logged action also counts in <state_dir>/.metrics.json
# (root-only, under its own lock) and the counts are written atomically (a temporary file in the same
# directory, then rename) to <metrics_dir>/fortress_containment.prom for the node exporter's textfile
# collector: fortress_containment_actions_total{action,result},
# fortress_containment_last_failure_timestamp_seconds, fortress_containment_last_success_timestamp_seconds,
# fortress_containment_recorded_hosts. A directory that does not exist (no node exporter on this host)
# or a write that fails changes nothing in what the action does or answers.
#
# Every action, result and refusal is logged as the same JSON: to syslog (the message body, which the
# manager decodes by its program name, ossecConf.ts CONTAIN_DECODER), to stderr, and to log_file as
# the line Wazuh's own active responses write (src/active-response/active_responses.c
# write_debug_file: "<%Y/%m/%d %H:%M:%S> <name>: <message>"), `active-response/bin/fortress-contain:
# {"fortress":{...}}`, which the manager's logcollector reads from active-responses.log and the
# ruleset's ar_log_json decoder (ruleset/decoders/0010-active-response_decoders.xml) decodes as
# JSON: Fortress's local rules (components/siem/manager/ossecConf.ts CONTAIN_AUDIT_RULES) turn it into
# alerts. On the manager the syslog target would be remoted itself, whose allowed-ips hold only the
# firewall: that is why the file is the manager's way.
import argparse
import base64
import fcntl
import http.client
import ipaddress
import json
import logging
import logging.handlers
import os
import socket
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.request

DEFAULT_CONFIG = "/etc/fortress/contain.json"
DEFAULT_STATE_DIR = "/var/lib/fortress-contain"
# The tag of the audit lines in log_file: the prefix ar_log_json's prematch wants
# (`^\d\d\d\d/\d\d/\d\d \d\d:\d\d:\d\d active-response/bin/\S+: `).
AUDIT_TAG = "active-response/bin/fortress-contain"
PRIVILEGES = {
    "tables": "Diagnostics: PF Table IP addresses",
    "states": "Diagnostics: Show States",
}
TRANSIENT_STATUS = (502, 503, 504)

EXIT_DONE, EXIT_ABSENT, EXIT_REFUSED, EXIT_FAILED, EXIT_TRANSIENT, EXIT_USAGE = 0, 1, 2, 3, 4, 64


class Refused(Exception):
    """The address may never be contained, or is not one host."""


class Failed(Exception):
    """A deterministic failure: retrying would give the same answer."""


class Transient(Exception):
    """A failure that may pass: the firewall restarting, a timeout."""


def load_config(path):
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        raise SystemExit(f"fortress-contain: cannot read {path}: {error}") from error
    for field in ("url", "key", "secret", "alias", "allow"):
        if field not in config:
            raise SystemExit(f"fortress-contain: {path} has no {field}")
    return config


def make_logger(config):
    logger = logging.getLogger("fortress-contain")
    logger.setLevel(logging.INFO)
    logger.handlers.clear()
    formatter = logging.Formatter("fortress-contain: %(message)s")
    target = config.get("syslog")
    if target:
        address = target["socket"] if "socket" in target else (target["host"], int(target.get("port", 514)))
        handler = logging.handlers.SysLogHandler(
            address=address, facility=logging.handlers.SysLogHandler.LOG_AUTH
        )
        # An RFC 3164 header (date, host, tag), so that Wazuh's pre-decoder (analysisd cleanevent.c
        # OS_CleanMSG) reads the host and the program name `fortress-contain`.
        handler.setFormatter(
            logging.Formatter(
                f"%(asctime)s {socket.gethostname()} fortress-contain: %(message)s", datefmt="%b %d %H:%M:%S"
            )
        )
        # No trailing NUL: the message ends with the JSON that the manager's decoder reads whole.
        handler.append_nul = False
        logger.addHandler(handler)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(formatter)
    logger.addHandler(stderr)
    return logger


def audit_body(fields):
    """Fortress's JSON for one action: the body of the log file's line and of the syslog message."""
    return json.dumps({"fortress": {key: value for key, value in fields.items() if value not in (None, "")}},
                      separators=(",", ":"), sort_keys=True)


def audit_line(tag, fields):
    """One line as Wazuh's active responses write active-responses.log, with Fortress's JSON."""
    return f"{time.strftime('%Y/%m/%d %H:%M:%S')} {tag}: {audit_body(fields)}\n"


def append_line(path, line):
    """Appends one whole line (O_APPEND: concurrent writers never interleave a line)."""
    if not path:
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, line.encode("utf-8"))
        finally:
            os.close(descriptor)
    except OSError as error:
        sys.stderr.write(f"fortress-contain: cannot write {path}: {error}\n")


def when(epoch):
    return None if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Records:
    """The containments this program made, one root-only JSON file per host, and the lock of every action."""

    def __init__(self, directory):
        self.directory = directory
        self._lock = None

    def lock(self):
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        # One action at a time (the active response, the timer, a person): read-then-add stays exact.
        self._lock = open(os.path.join(self.directory, ".lock"), "a", encoding="utf-8")
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def path(self, address):
        return os.path.join(self.directory, f"{address}.json")

    def read(self, address):
        try:
            with open(self.path(address), encoding="utf-8") as handle:
                record = json.load(handle)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # An unreadable record is kept as "no expiry": never release on a guess.
            return {"address": str(address), "expires": None, "note": "unreadable record"}
        return record if isinstance(record, dict) else None

    def write(self, address, record):
        temporary = self.path(address) + ".tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(record, handle, sort_keys=True)
            handle.write("\n")
        os.replace(temporary, self.path(address))

    def remove(self, address):
        try:
            os.unlink(self.path(address))
        except FileNotFoundError:
            pass

    def all(self):
        records = []
        names = sorted(os.listdir(self.directory)) if os.path.isdir(self.directory) else []
        for name in names:
            if not name.endswith(".json"):
                continue
            try:
                address = ipaddress.ip_address(name[: -len(".json")])
            except ValueError:
                continue
            record = self.read(address)
            if record is not None:
                records.append((address, record))
        return records


def later_expiry(current, seconds, now):
    """A refreshed expiry: never earlier than the recorded one, and none stays none."""
    if current is None or not seconds:
        return None
    return max(float(current), now + seconds)


def host_address(text):
    """One host address, normalized, or Refused."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        raise Refused(f"{text!r} is not one host address (a network or a name is never contained)")
    if address.is_unspecified or address.is_loopback or address.is_multicast or address.is_link_local:
        raise Refused(f"{address} is not a host on the lab's networks")
    return address


def allow_listed(address, allow):
    """The allow-list entry that holds the address, or None."""
    for entry in allow:
        network = ipaddress.ip_network(entry["cidr"], strict=False)
        if address.version == network.version and address in network:
            return entry
    return None


class Opnsense:
    def __init__(self, config):
        self.base = config["url"].rstrip("/") + "/api/"
        token = f"{config['key']}:{config['secret']}".encode()
        self.authorization = "Basic " + base64.b64encode(token).decode()
        self.timeout = float(config.get("timeout", 10))
        self.attempts = max(1, int(config.get("attempts", 5)))
        self.backoff = float(config.get("backoff", 0.5))
        self.context = None
        if self.base.startswith("https:"):
            self.context = ssl.create_default_context(cafile=config.get("ca_file"))
        self.retries = 0

    def call(self, method, path, body=None):
        """The JSON answer of one call, retried while the failure is transient."""
        for attempt in range(self.attempts):
            try:
                return self._once(method, path, body)
            except Transient as error:
                if attempt == self.attempts - 1:
                    raise Transient(f"{error} (gave up after {self.attempts} attempts)") from error
                self.retries += 1
                time.sleep(min(self.backoff * (2**attempt), 30))
        raise AssertionError("unreachable")

    def _once(self, method, path, body):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", self.authorization)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:
                text = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            raise self._http_error(error.code, path, text) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise Failed(f"{path}: the firewall's certificate is not trusted: {reason}") from None
            raise Transient(f"{path}: {reason}") from None
        except http.client.HTTPException as error:
            # IncompleteRead, BadStatusLine, RemoteDisconnected...: the answer broke off (a restart).
            raise Transient(f"{path}: the answer broke off: {type(error).__name__} {error}") from None
        if not text.strip():
            # A controller that returns null is sent as an empty 200 (opnsense/core@26.7.2
            # mvc/app/controllers/OPNsense/Base/ApiControllerBase.php afterExecuteRoute).
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise Failed(f"{path}: the answer is not JSON: {text[:200]!r}") from None

    def _http_error(self, status, path, text):
        if status in TRANSIENT_STATUS:
            return Transient(f"{path}: HTTP {status}")
        try:
            detail = json.loads(text)
        except ValueError:
            detail = None
        message = detail.get("errorMessage") or detail.get("message") if isinstance(detail, dict) else None
        if status == 401:
            return Failed(f"{path}: HTTP 401, the API key or secret is wrong")
        if status == 403:
            needed = PRIVILEGES["states"] if path.startswith("diagnostics/") else PRIVILEGES["tables"]
            return Failed(f'{path}: HTTP 403, the key\'s user lacks the privilege "{needed}"')
        if status == 404:
            return Failed(f"{path}: HTTP 404 ({message or 'endpoint not found'}): is this OPNsense 25.7 or later?")
        if message:
            return Failed(f"{path}: HTTP {status}: {message}")
        return Failed(f"{path}: HTTP {status}: {text[:200]!r}")


class Metrics:
    """The actions' counters as a node exporter textfile (see the header); never fails an action."""

    FILE = "fortress_containment.prom"
    FAILED = ("failed", "transient")

    def __init__(self, directory, state_dir):
        self.directory = directory
        self.state_dir = state_dir

    def _load(self):
        try:
            with open(os.path.join(self.state_dir, ".metrics.json"), encoding="utf-8") as handle:
                state = json.load(handle)
            return state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _replace(directory, name, content, mode):
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(content)
            os.chmod(temporary, mode)
            os.replace(temporary, os.path.join(directory, name))
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    @staticmethod
    def _label(value):
        return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    def render(self, state, held):
        lines = ["# HELP fortress_containment_actions_total Containment actions by action and result",
                 "# TYPE fortress_containment_actions_total counter"]
        for key, count in sorted(state.get("actions", {}).items()):
            action, _, result = key.partition("|")
            lines.append(f'fortress_containment_actions_total{{action="{self._label(action)}",'
                         f'result="{self._label(result)}"}} {int(count)}')
        for name, help_text in (("last_failure", "When an action last failed or outlived its retries"),
                                ("last_success", "When an action last succeeded")):
            if state.get(name) is not None:
                lines += [f"# HELP fortress_containment_{name}_timestamp_seconds {help_text}",
                          f"# TYPE fortress_containment_{name}_timestamp_seconds gauge",
                          f"fortress_containment_{name}_timestamp_seconds {float(state[name]):.3f}"]
        lines += ["# HELP fortress_containment_recorded_hosts Hosts held contained by a record of this program",
                  "# TYPE fortress_containment_recorded_hosts gauge", f"fortress_containment_recorded_hosts {held}"]
        return "\n".join(lines) + "\n"

    def count(self, action, result, records):
        if not self.directory or not os.path.isdir(self.directory):
            return
        try:
            os.makedirs(self.state_dir, mode=0o700, exist_ok=True)
            with open(os.path.join(self.state_dir, ".metrics.lock"), "a", encoding="utf-8") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                state = self._load()
                actions = state.setdefault("actions", {})
                key = f"{action}|{result}"
                actions[key] = int(actions.get(key, 0)) + 1
                state["last_failure" if result in self.FAILED else "last_success"] = time.time()
                self._replace(self.state_dir, ".metrics.json", json.dumps(state, sort_keys=True) + "\n", 0o600)
                self._replace(self.directory, self.FILE, self.render(state, len(records.all())), 0o644)
        except (OSError, ValueError) as error:
            print(f"fortress-contain: metrics not written to {self.directory}: {error}", file=sys.stderr)


class Containment:
    def __init__(self, config, api, logger, by, reason):
        self.alias = config["alias"]
        self.allow = config["allow"]
        self.api = api
        self.logger = logger
        self.log_file = config.get("log_file")
        self.records = Records(config.get("state_dir") or DEFAULT_STATE_DIR)
        self.metrics = Metrics(config.get("metrics_dir"), self.records.directory)
        self.by = by or "unknown"
        self.reason = reason

    def log(self, action, address, result, detail="", **extra):
        """One action's audit: the same {"fortress":{...}} JSON to syslog, stderr and log_file. The
        manager decodes the syslog message by its program name fortress-contain (ossecConf.ts
        CONTAIN_DECODERS) and the file's line by ar_log_json; the same rules fire for both."""
        level = logging.WARNING if result in ("refused", "failed", "transient", "restored") else logging.INFO
        fields = {"action": action, "address": str(address), "alias": self.alias, "result": result,
                  "by": self.by, "reason": self.reason, "detail": detail, **extra}
        self.logger.log(level, audit_body(fields))
        append_line(self.log_file, audit_line(AUDIT_TAG, fields))
        self.metrics.count(action, result, self.records)

    def listed(self):
        answer = self.api.call("GET", f"firewall/alias_util/list/{self.alias}")
        if not isinstance(answer, dict) or not isinstance(answer.get("rows"), list):
            raise Failed(f"alias_util/list/{self.alias}: unexpected answer {json.dumps(answer)[:200]}")
        if int(answer.get("total", 0)) > len(answer["rows"]):
            raise Failed(f"alias_util/list/{self.alias}: the table holds more than one page ({answer['total']})")
        entries = set()
        for row in answer["rows"]:
            try:
                entries.add(ipaddress.ip_network(str(row.get("ip", "")), strict=False))
            except ValueError:
                continue
        return entries

    def contains(self, address):
        return ipaddress.ip_network(address) in self.listed()

    def table_exists(self):
        """Proves pf has the quarantine table. list answers 200 with no rows when configd fails
        (AliasUtilController.php listAction: `json_decode(configdpRun(...)) ?? []`), so an empty list
        proves nothing by itself; aliasesAction (`pfctl -sT`, scripts/filter/list_tables.py) returns
        null then, which the API sends as an empty answer (opnsense/core@26.7.2)."""
        answer = self.api.call("GET", "firewall/alias_util/aliases")
        if answer is None:
            raise Transient("alias_util/aliases answered nothing: configd on the firewall did not answer")
        if not isinstance(answer, list):
            raise Failed(f"alias_util/aliases: unexpected answer {json.dumps(answer)[:200]}")
        if self.alias not in answer:
            raise Failed(f"pf has no table {self.alias}: the quarantine alias does not exist on the firewall")

    def guard(self, action, text):
        address = host_address(text)
        entry = allow_listed(address, self.allow)
        if entry is not None and action == "add":
            raise Refused(f"{address} is allow-listed ({entry.get('why', entry['cidr'])}) and is never contained")
        return address

    def add(self, address, seconds=0):
        """(result, expiry): contains the host, or keeps it contained (adding nothing twice)."""
        now = time.time()
        record = self.records.read(address)
        if self.contains(address):
            self.kill_states(address)
            if record is None:
                # In the table without a record of ours (contained by the playbook or by hand): it is
                # held until a person releases it, and an alert does not give it an expiry.
                return "already contained", None
            record.update(refreshed_at=now, expires=later_expiry(record.get("expires"), seconds, now))
            self.records.write(address, record)
            return "already contained", record["expires"]
        answer = self.api.call("POST", f"firewall/alias_util/add/{self.alias}", {"address": str(address)})
        status = answer.get("status") if isinstance(answer, dict) else None
        if status != "done":
            why = answer.get("status_msg", status) if isinstance(answer, dict) else answer
            raise Failed(f"alias_util/add/{self.alias} answered {json.dumps(answer)}: {why}")
        if not self.contains(address):
            self.table_exists()  # configd down lists nothing: transient, not pfctl's refusal
            raise Failed(f"OPNsense answered done but {address} is not in {self.alias}'s table (pfctl refused it)")
        expires = now + seconds if seconds else None
        # Written after the table took it: a crash in between leaves a host held without expiry, never
        # a record that releases a host it did not contain.
        self.records.write(address, {"address": str(address), "contained_at": now, "refreshed_at": now,
                                     "expires": expires, "by": self.by, "reason": self.reason})
        self.kill_states(address)
        return "contained", expires

    def kill_states(self, address):
        if address.version == 6:
            # SanitizeFilter 'query' strips ':' from the filter: no IPv6 filter reaches kill_states.py.
            self.log("kill_states", address, "skipped", "IPv6 filters cannot pass OPNsense's query sanitizer")
            return
        answer = self.api.call("POST", "diagnostics/firewall/kill_states", {"filter": str(address)})
        if not isinstance(answer, dict) or answer.get("result") != "ok":
            raise Failed(f"kill_states answered {json.dumps(answer)}")
        self.log("kill_states", address, "done", f"dropped {answer.get('dropped_states', 0)} states")

    def delete(self, address):
        """Always asks pf to delete (harmless when absent: delete_table.py deletes only an equal line),
        and drops the record only once a read-back shows the address absent from a table that exists."""
        was_listed = self.contains(address)
        answer = self.api.call("POST", f"firewall/alias_util/delete/{self.alias}", {"address": str(address)})
        if not isinstance(answer, dict) or answer.get("status") != "done":
            raise Failed(f"alias_util/delete/{self.alias} answered {json.dumps(answer)}")
        if self.contains(address):
            raise Failed(f"OPNsense answered done but {address} is still in {self.alias}'s table")
        self.table_exists()
        self.records.remove(address)
        return "released" if was_listed else "not contained"

    def restore(self, address):
        """Puts a recorded, unexpired host back into a table that lost it (the firewall rebooted: filter.inc
        loads an external alias as `table <name> persist` with no file and update_tables.py never refills
        it, opnsense/core@26.7.2 src/etc/inc/filter.inc, scripts/filter/update_tables.py)."""
        answer = self.api.call("POST", f"firewall/alias_util/add/{self.alias}", {"address": str(address)})
        if not isinstance(answer, dict) or answer.get("status") != "done":
            raise Failed(f"alias_util/add/{self.alias} answered {json.dumps(answer)}")
        if not self.contains(address):
            self.table_exists()  # configd down lists nothing: transient, not pfctl's refusal
            raise Failed(f"OPNsense answered done but {address} is not in {self.alias}'s table (pfctl refused it)")
        self.kill_states(address)

    def reconcile(self, held):
        """(restored, failures) for the recorded hosts still held: every one the table lacks goes back in."""
        if not held:
            return 0, []
        self.table_exists()
        listed = self.listed()
        restored, failures = 0, []
        for address, record in held:
            if ipaddress.ip_network(address) in listed:
                continue
            self.reason = f"contained by {record.get('by', '?')}: {record.get('reason', '')}"
            detail = f"recorded as contained until {when(record.get('expires')) or 'released'} but not in the table"
            try:
                self.restore(address)
                self.log("reconcile", address, "restored", detail)
                restored += 1
            except (Failed, Transient) as error:
                self.log("reconcile", address, "failed" if isinstance(error, Failed) else "transient", str(error))
                failures.append(error)
        self.reason = ""
        return restored, failures

    def expire(self):
        """Releases every recorded host whose expiry has passed and puts back every recorded, unexpired
        host the table lost; a failure keeps its record for the next run."""
        now = time.time()
        released, kept, failures, held = 0, 0, [], []
        for address, record in self.records.all():
            expires = record.get("expires")
            if expires is None or float(expires) > now:
                held.append((address, record))
                continue
            self.reason = f"expired at {when(float(expires))} (contained by {record.get('by', '?')}: {record.get('reason', '')})"
            try:
                result = self.delete(address)
                self.log("delete", address, result)
                released += 1
            except (Failed, Transient) as error:
                self.log("delete", address, "failed" if isinstance(error, Failed) else "transient", str(error))
                failures.append(error)
                kept += 1
        self.reason = ""
        restored, missed = self.reconcile(held)
        failures += missed
        kept += len(missed)
        if failures:
            error = failures[0] if kept == 1 else type(failures[0])(f"{kept} hosts not reconciled: {failures[0]}")
            error.logged = True
            raise error
        return f"released {released} expired, restored {restored} lost from the table"

    def list(self):
        return [{**record, "address": str(address), "expires": when(record.get("expires"))}
                for address, record in self.records.all()]

    def preflight(self):
        self.listed()
        self.table_exists()
        answer = self.api.call("POST", "diagnostics/firewall/kill_states", {"filter": "192.0.2.1"})
        if not isinstance(answer, dict) or answer.get("result") != "ok":
            raise Failed(f"kill_states answered {json.dumps(answer)}")
        # Least privilege: the key must not reach what the two privileges do not grant.
        for path in ("firewall/alias/search_item", "firewall/filter/search_rule", "core/firmware/status"):
            try:
                self.api.call("GET", path)
            except Failed as error:
                if "HTTP 403" in str(error):
                    continue
                raise
            raise Failed(f"the key also reaches {path}: give its user only {PRIVILEGES['tables']!r} and {PRIVILEGES['states']!r}")
        return "the key holds exactly its two privileges"


def run(args, action, api):
    """(result, extra fields for the answer) of one action."""
    if args.action == "preflight":
        return action.preflight(), {}
    if args.action == "list":
        return "listed", {"records": action.list()}
    action.records.lock()
    if args.action == "expire":
        return action.expire(), {}
    address = action.guard(args.action, args.ip)
    args.ip = str(address)
    if args.action == "check":
        return ("contained" if action.contains(address) else "not contained"), {}
    if args.action == "add":
        result, expires = action.add(address, args.seconds)
        return result, {"expires": when(expires) or "never"}
    return action.delete(address), {}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fortress-contain", description="Contain or release one host on OPNsense.")
    parser.add_argument("--config", default=os.environ.get("FORTRESS_CONTAIN_CONFIG", DEFAULT_CONFIG))
    parser.add_argument("--by", default="", help="who asks: wazuh-ar, thehive, ansible, a person's name")
    parser.add_argument("--reason", default="", help="why: an alert id, a case number")
    parser.add_argument("--for", dest="seconds", type=int, default=0,
                        help="add: release after this many seconds (0, the default: until a person releases it)")
    parser.add_argument("action", choices=["add", "delete", "check", "preflight", "expire", "list"])
    parser.add_argument("ip", nargs="?")
    args = parser.parse_args(argv)
    if (args.action in ("preflight", "expire", "list")) != (args.ip is None):
        parser.error("add, delete and check take one address; preflight, expire and list none")
    if args.seconds < 0 or (args.seconds and args.action != "add"):
        parser.error("--for takes a positive number of seconds, and only with add")
    config = load_config(args.config)
    logger = make_logger(config)
    api = Opnsense(config)
    action = Containment(config, api, logger, args.by, args.reason)
    try:
        result, extra = run(args, action, api)
        if args.action not in ("list", "expire"):
            action.log(args.action, args.ip or "-", result, f"{api.retries} retries" if api.retries else "",
                       **({"expires": extra["expires"]} if "expires" in extra else {}))
        print(json.dumps({"action": args.action, "ip": args.ip or "-", "result": result, "retries": api.retries, **extra}))
        return EXIT_ABSENT if result == "not contained" and args.action == "check" else EXIT_DONE
    except (Refused, Failed, Transient) as error:
        failure = error
    except OSError as error:
        # The records directory (or its lock) refused: permissions, a full disk. Logged, never a traceback.
        failure = Failed(f"the records directory {action.records.directory}: {error}")
    code, result = {Refused: (EXIT_REFUSED, "refused"), Failed: (EXIT_FAILED, "failed"),
                    Transient: (EXIT_TRANSIENT, "transient")}[type(failure)]
    if not getattr(failure, "logged", False):
        action.log(args.action, args.ip or "-", result, str(failure))
    print(json.dumps({"action": args.action, "ip": args.ip or "-", "result": result, "error": str(failure)}))
    return code


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# Fortress: the Wazuh manager's agent and queue state as a node exporter textfile (issue 15).
#
#   fortress-wazuh-metrics [--config FILE]
#
# Run every 30 s by the fortress-wazuh-metrics timer on the manager, as root. Reads the Wazuh server
# API on localhost as its own read-only user (components/siem/manager/apiUsers.ts METRICS_ACCOUNT:
# agent:read, manager:read) and writes <textfile_dir>/fortress_wazuh.prom atomically (a temporary
# file in the same directory, then rename: the node exporter never reads half a file). Python 3
# standard library only.
#
# Wazuh facts (wazuh/wazuh@v4.14.6):
# - POST /security/user/authenticate with basic auth answers {"data": {"token": ...}}; a bad password
#   401 (api/api/spec/spec.yaml, api/api/error_handler.py).
# - GET /agents/summary/status: data.connection {active, disconnected, never_connected, pending,
#   total} without the manager itself (framework/wazuh/agent.py get_agents_summary_status: id!=000).
# - GET /agents?select=group,status&limit=&offset=: data.affected_items [{id, group: [..], status}],
#   id always (framework/wazuh/core/agent.py min_select_fields {'id'}), group absent for an agent in no
#   group and for the manager (000, skipped here), data.total_affected_items; limit at most 100000.
# - GET /manager/daemons/stats?daemons_list=wazuh-analysisd,wazuh-remoted: data.affected_items
#   [{name, metrics: {queues: {<queue>: {size, usage}}}}]. analysisd's usage is a fraction of the queue
#   (src/shared/queue_op.c queue_get_percentage_ex: elements / (size - 1), -1 for a queue that does not
#   exist; src/analysisd/state.c), remoted's a count of messages (src/remoted/state.c: size
#   rem_get_tsize, usage rem_get_qsize): both become a ratio here.
#
# The configuration file (JSON, root-only: it holds the password) is never an argument:
#   {"url": "https://localhost:55000", "username": "fortress-metrics", "password": "...",
#    "ca_file": "/var/ossec/api/configuration/ssl/fortress-ca.pem", "timeout": 10,
#    "textfile_dir": "/var/lib/prometheus/node-exporter"}
#
# When the API does not answer, the file says so (fortress_wazuh_api_up 0) and keeps the time of the
# last success; the agent and queue series are dropped rather than left stale.
# Exit codes: 0 written (also when the API was down), 64 configuration error, 74 the file not written.
import argparse
import base64
import json
import os
import re
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_CONFIG = "/etc/fortress/wazuh-metrics.json"
FILE_NAME = "fortress_wazuh.prom"
PAGE = 10000
DAEMONS = ("wazuh-analysisd", "wazuh-remoted")
STATUSES = ("active", "disconnected", "never_connected", "pending")

HELP = {
    "fortress_wazuh_api_up": ("gauge", "1 when every call of the last run to the Wazuh API succeeded"),
    "fortress_wazuh_last_success_timestamp_seconds": ("gauge", "When the Wazuh API last answered every call"),
    "fortress_wazuh_agents_connection": ("gauge", "Agents by connection status (GET /agents/summary/status)"),
    "fortress_wazuh_agents": ("gauge", "Agents by status and group (an agent in two groups counts in both)"),
    "fortress_wazuh_queue_usage_ratio": ("gauge", "How full a Wazuh daemon's queue is, 0 to 1"),
    "fortress_wazuh_queue_size": ("gauge", "A Wazuh daemon's queue capacity, in messages"),
}


class ApiError(Exception):
    pass


class Api:
    def __init__(self, config):
        self.base = config["url"].rstrip("/")
        self.timeout = float(config.get("timeout", 10))
        ca_file = config.get("ca_file")
        self.context = ssl.create_default_context(cafile=ca_file) if self.base.startswith("https") else None
        self.credentials = (config["username"], config["password"])
        self.token = None

    def _call(self, method, path, headers):
        request = urllib.request.Request(self.base + path, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {}
        except (OSError, ValueError) as error:
            raise ApiError(f"{method} {path}: {error}") from error

    def login(self):
        basic = base64.b64encode(":".join(self.credentials).encode()).decode()
        status, body = self._call("POST", "/security/user/authenticate", {"Authorization": "Basic " + basic})
        if status != 200:
            raise ApiError(f"login as {self.credentials[0]}: HTTP {status}")
        self.token = body["data"]["token"]

    def get(self, path, **query):
        if self.token is None:
            self.login()
        url = path + ("?" + urllib.parse.urlencode(query) if query else "")
        status, body = self._call("GET", url, {"Authorization": "Bearer " + self.token})
        if status == 401:
            # The token expired (auth_token_exp_timeout) or was revoked: once more with a fresh one.
            self.login()
            status, body = self._call("GET", url, {"Authorization": "Bearer " + self.token})
        if status != 200:
            raise ApiError(f"GET {path}: HTTP {status}")
        return body.get("data", {})


def label_value(value):
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def sample(name, labels, value):
    inner = ",".join(f'{key}="{label_value(val)}"' for key, val in sorted(labels.items()))
    return f"{name}{{{inner}}} {value}" if inner else f"{name} {value}"


def agents_by_status_group(api):
    counts = {}
    offset = 0
    while True:
        data = api.get("/agents", select="group,status", limit=PAGE, offset=offset)
        items = data.get("affected_items", [])
        for agent in items:
            if agent.get("id") == "000":
                continue
            for group in agent.get("group") or [""]:
                key = (agent.get("status", "unknown"), group)
                counts[key] = counts.get(key, 0) + 1
        offset += len(items)
        if not items or offset >= int(data.get("total_affected_items", 0)):
            return counts


def queues(api):
    data = api.get("/manager/daemons/stats", daemons_list=",".join(DAEMONS))
    found = []
    for daemon in data.get("affected_items", []):
        for queue, state in sorted((daemon.get("metrics", {}).get("queues") or {}).items()):
            size, usage = state.get("size"), state.get("usage")
            if not isinstance(size, (int, float)) or not isinstance(usage, (int, float)) or usage < 0:
                continue
            ratio = usage if daemon.get("name") == "wazuh-analysisd" else (usage / size if size > 0 else 0)
            found.append((daemon["name"], queue, size, min(max(ratio, 0.0), 1.0)))
    return found


def collect(api):
    lines = {name: [] for name in HELP}
    connection = api.get("/agents/summary/status").get("connection", {})
    for status in STATUSES:
        lines["fortress_wazuh_agents_connection"].append(
            sample("fortress_wazuh_agents_connection", {"status": status}, int(connection.get(status, 0))))
    for (status, group), count in sorted(agents_by_status_group(api).items()):
        lines["fortress_wazuh_agents"].append(
            sample("fortress_wazuh_agents", {"status": status, "group": group}, count))
    for daemon, queue, size, ratio in queues(api):
        labels = {"daemon": daemon, "queue": queue}
        lines["fortress_wazuh_queue_usage_ratio"].append(sample("fortress_wazuh_queue_usage_ratio", labels, ratio))
        lines["fortress_wazuh_queue_size"].append(sample("fortress_wazuh_queue_size", labels, size))
    return lines


def previous_success(path):
    try:
        with open(path, encoding="utf-8") as handle:
            match = re.search(r"^fortress_wazuh_last_success_timestamp_seconds (\S+)$", handle.read(), re.M)
            return float(match.group(1)) if match else None
    except (OSError, ValueError):
        return None


def render(lines):
    text = []
    for name, (kind, help_text) in HELP.items():
        if lines.get(name):
            text += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *lines[name]]
    return "\n".join(text) + "\n"


def write_atomically(directory, name, content):
    handle, temporary = tempfile.mkstemp(prefix="." + name + ".", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, os.path.join(directory, name))
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fortress-wazuh-metrics")
    parser.add_argument("--config", default=os.environ.get("FORTRESS_WAZUH_METRICS_CONFIG", DEFAULT_CONFIG))
    args = parser.parse_args(argv)
    try:
        with open(args.config, encoding="utf-8") as handle:
            config = json.load(handle)
        directory = config["textfile_dir"]
        api = Api(config)
    except (OSError, ValueError, KeyError) as error:
        print(f"fortress-wazuh-metrics: configuration {args.config}: {error!r}", file=sys.stderr)
        return 64
    target = os.path.join(directory, FILE_NAME)
    now = time.time()
    try:
        lines = collect(api)
        up, last = 1, now
    except (ApiError, KeyError, TypeError, ValueError) as error:
        print(f"fortress-wazuh-metrics: {error}", file=sys.stderr)
        lines, up, last = {name: [] for name in HELP}, 0, previous_success(target)
    lines["fortress_wazuh_api_up"] = [sample("fortress_wazuh_api_up", {}, up)]
    if last is not None:
        lines["fortress_wazuh_last_success_timestamp_seconds"] = [
            sample("fortress_wazuh_last_success_timestamp_seconds", {}, f"{last:.3f}")]
    try:
        write_atomically(directory, FILE_NAME, render(lines))
    except OSError as error:
        print(f"fortress-wazuh-metrics: cannot write {target}: {error}", file=sys.stderr)
        return 74
    return 0


if __name__ == "__main__":
    sys.exit(main())

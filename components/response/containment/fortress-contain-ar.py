#!/usr/bin/env python3
# Wazuh 4.14 active response on the manager (`location` server) that contains the host an alert is
# about, through the one containment action (fortress-contain), then asks Greenbone to rescan the
# host's network. Python 3 standard library only.
#
# Protocol (wazuh/wazuh@v4.14.6): execd writes one JSON line on stdin, {"version":1,"origin":{...},
# "command":"add","parameters":{"extra_args":[...],"alert":{...},"program":"..."}}
# (src/analysisd/ar_json.c getActiveResponseInJSON builds it with the whole alert; src/os_execd/execd.c
# ExecdRun sets "command" to add and adds "program").
#
# Stateless in execd, on purpose. A response with a <timeout> is kept in execd's in-memory timeout list,
# and execd runs every pending `delete` of that list when it stops (execd.c ExecdShutdown, "Delete
# pending AR"): every manager restart (an ossec.conf change, an upgrade) would release every contained
# host. So the command has timeout_allowed no (src/config/active-response.c drops a <timeout> it is
# given) and this script never sends check_keys: execd reads no keys line, keeps nothing and never
# sends delete ("Active response won't be added to timeout list", execd.c ExecdRun). A `delete` that
# comes anyway (a hand-edited ossec.conf) releases nothing and is logged. Release is fortress-contain's:
# its records keep each host's expiry (`release_after` below; 0: until a person releases it) and the
# fortress-contain-expire timer releases expired hosts. A second alert about a contained host runs
# `fortress-contain add` again, which adds nothing twice, keeps the host contained and pushes its
# expiry later.
#
# The host:
# - FIM and ClamAV alerts carry no address but the agent's (agent.ip, from the agent's `_agent_ip`
#   label: src/analysisd/format/json_extended.c W_JSON_ParseAgentIP); the manager's own (agent 000)
#   never contain it.
# - A Suricata alert (EVE decoded as data.*: ruleset/rules/0475-suricata_rules.xml) contains only the
#   client of the flow, the side that opened it, when it is internal, when the other side is outside
#   its network (the internet or another zone), and when it is not in a servers network. Suricata 7's
#   alert says which side that is: top-level src_ip/dest_ip are the packet's, "direction" is
#   "to_server" (the packet's source is the client) or "to_client" (its destination is), and the
#   optional "flow" object holds the flow's own src_ip (the client) (OISF/suricata@suricata-7.0.17
#   src/output-json-alert.c AlertJson, lines 850-869; src/output-json.c JsonAddrInfoInit
#   LOG_DIR_PACKET). An alert without a direction does not say who opened the flow: nothing is
#   contained. Why: the server side of an inbound attack is its victim, and anyone on the internet can
#   send packets that match a signature; containing the victim would give every outsider a switch that
#   cuts the lab's servers off. A server is contained on a host's own evidence (its agent) or by a person.
# - data.srcip (another decoder's source address) on the same terms: internal, not in a servers network.
#
# Configuration: the same root-only file as fortress-contain (FORTRESS_CONTAIN_CONFIG or
# /etc/fortress/contain.json): "active_response": {"internal": [CIDR...], "servers": [CIDR...],
# "program": "/usr/local/sbin/fortress-contain", "release_after": SECONDS} and the optional
# "rescan": {"argv": [...], "targets": {CIDR: NAME}, "timeout": SECONDS}: after a new containment the
# script runs argv + [the name of the target whose network holds the host]; exit 0 (started) and 4
# (already running: components/vuln/gvmProgram.ts RESCAN_EXIT_CODES) are success. A rescan's failure
# is logged and changes nothing of the containment, which comes first.
#
# Log: FORTRESS_AR_LOG (default the manager's active-responses.log, which logcollector reads), in
# Wazuh's own AR format: text lines, and decisions as `active-response/bin/fortress-contain-ar:
# {"fortress":{...}}`, which the ar_log_json decoder reads and Fortress's local rules alert on.
import ipaddress
import json
import os
import subprocess
import sys
import time

CONFIG = os.environ.get("FORTRESS_CONTAIN_CONFIG", "/etc/fortress/contain.json")
LOG_FILE = os.environ.get("FORTRESS_AR_LOG", "/var/ossec/logs/active-responses.log")
NAME = os.path.basename(sys.argv[0])
AUDIT_TAG = "active-response/bin/fortress-contain-ar"
# fortress-rescan's exit codes (components/vuln/gvmProgram.ts RESCAN_EXIT_CODES): started, already running.
RESCAN_STARTED, RESCAN_RUNNING = 0, 4


def append(line):
    try:
        descriptor = os.open(LOG_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, line.encode("utf-8"))
        finally:
            os.close(descriptor)
    except OSError:
        sys.stderr.write(line)


def log(message):
    append(f"{time.strftime('%Y/%m/%d %H:%M:%S')} {NAME}: {message}\n")


def audit(**fields):
    body = {key: value for key, value in fields.items() if value not in (None, "")}
    line = json.dumps({"fortress": body}, separators=(",", ":"), sort_keys=True)
    append(f"{time.strftime('%Y/%m/%d %H:%M:%S')} {AUDIT_TAG}: {line}\n")


def read_message(stream):
    """A message as active_responses.c get_json_from_input checks it, or None."""
    line = stream.readline()
    if not line:
        return None
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if not isinstance(message, dict):
        return None
    if not isinstance(message.get("version"), (int, float)) or isinstance(message.get("version"), bool):
        return None
    if not isinstance(message.get("origin"), dict) or not isinstance(message.get("command"), str):
        return None
    if not isinstance(message.get("parameters"), dict):
        return None
    return message


def address(value):
    try:
        return ipaddress.ip_address(str(value))
    except (ValueError, TypeError):
        return None


class Lab:
    def __init__(self, settings):
        self.internal = [ipaddress.ip_network(cidr, strict=False) for cidr in settings.get("internal", [])]
        self.servers = [ipaddress.ip_network(cidr, strict=False) for cidr in settings.get("servers", [])]

    @staticmethod
    def _in(ip, networks):
        return next((net for net in networks if ip is not None and ip.version == net.version and ip in net), None)

    def zone(self, ip):
        return self._in(ip, self.internal)

    def server(self, ip):
        return self._in(ip, self.servers) is not None


def flow_sides(data):
    """(client, server) of the flow a Suricata alert is about, or None when it does not say."""
    flow = data.get("flow") if isinstance(data.get("flow"), dict) else {}
    src, dest = address(data.get("src_ip")), address(data.get("dest_ip"))
    if address(flow.get("src_ip")) is not None and address(flow.get("dest_ip")) is not None:
        return address(flow.get("src_ip")), address(flow.get("dest_ip"))
    if data.get("direction") == "to_server":
        return src, dest
    if data.get("direction") == "to_client":
        return dest, src
    return None


def suricata_target(data, lab):
    sides = flow_sides(data)
    if sides is None:
        return None, "the Suricata alert has no direction: it does not say which side opened the flow"
    client, server = sides
    zone = lab.zone(client)
    if zone is None:
        return None, f"the flow's client {client} is not internal (its server {server} is the side attacked)"
    if lab.zone(server) == zone:
        return None, f"both sides are in {zone}: the alert does not say which host is infected"
    if lab.server(client):
        return None, f"{client} is in a servers network: a network alert alone never contains a server"
    return client, f"the flow's client {client} (to {server})"


def target(alert, lab):
    """(the address to contain, how it was chosen), or (None, why not)."""
    data = alert.get("data") if isinstance(alert.get("data"), dict) else {}
    if "src_ip" in data or "dest_ip" in data:
        return suricata_target(data, lab)
    srcip = address(data.get("srcip"))
    if lab.zone(srcip) is not None:
        if lab.server(srcip):
            return None, f"data.srcip {srcip} is in a servers network: a network alert alone never contains a server"
        return srcip, "data.srcip"
    agent = alert.get("agent") if isinstance(alert.get("agent"), dict) else {}
    if str(agent.get("id", "")) == "000":
        return None, "the alert is the manager's own"
    ip = address(agent.get("ip"))
    if lab.zone(ip) is not None:
        return ip, f"agent.ip of agent {agent.get('id')} ({agent.get('name')})"
    return None, "no internal address in the alert (data.src_ip, data.dest_ip, data.srcip, agent.ip)"


def rescan_target(ip, targets):
    """The name of the scan target whose network holds ip (the narrowest), or None."""
    best = None
    for cidr, name in targets.items():
        network = ipaddress.ip_network(cidr, strict=False)
        if ip.version == network.version and ip in network and (best is None or network.prefixlen > best[0].prefixlen):
            best = (network, name)
    return best[1] if best else None


def rescan(ip, config):
    """Starts the scan of the host's network; logs what happened, never raises."""
    settings = config.get("rescan")
    if not isinstance(settings, dict) or not settings.get("argv"):
        return
    name = rescan_target(ip, settings.get("targets", {}))
    if name is None:
        log(f"rescan {ip}: no scan target holds it")
        audit(action="rescan", address=str(ip), result="skipped", detail="no scan target holds it")
        return
    try:
        run = subprocess.run([*settings["argv"], name], capture_output=True, text=True, check=False,
                             timeout=float(settings.get("timeout", 60)))
        code, output = run.returncode, (run.stdout.strip() or run.stderr.strip())
    except (OSError, subprocess.TimeoutExpired) as error:
        code, output = None, str(error)
    result = {RESCAN_STARTED: "started", RESCAN_RUNNING: "already running"}.get(code, "failed")
    log(f"rescan {name} after containing {ip}: exit {code} {output}")
    audit(action="rescan", address=str(ip), target=name, result=result,
          detail=output[-300:] if result == "failed" else "", exit=code)


def contain(ip, how, reason, config):
    settings = config.get("active_response", {})
    program = settings.get("program", "/usr/local/sbin/fortress-contain")
    release = int(settings.get("release_after", 0) or 0)
    args = [program, "--config", CONFIG, "--by", "wazuh-active-response", "--reason", reason]
    run = subprocess.run([*args, *(["--for", str(release)] if release > 0 else []), "add", str(ip)],
                         capture_output=True, text=True, check=False)
    log(f"add {ip} ({how}): exit {run.returncode} {run.stdout.strip()}")
    try:
        answer = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = {}
    if run.returncode == 0 and answer.get("result") == "contained":
        rescan(ip, config)
    return run.returncode


def main():
    message = read_message(sys.stdin)
    if message is None:
        log("invalid input: not a Wazuh active-response message")
        return 1
    command = message["command"]
    if command not in ("add", "delete"):
        log(f"invalid command {command!r}")
        return 1
    if command == "delete":
        # Only a response with a timeout gets a delete from execd (and at every execd stop): never ours.
        log("delete ignored: a contained host is released by fortress-contain (its expiry or a person), not by execd")
        return 0
    with open(CONFIG, encoding="utf-8") as handle:
        config = json.load(handle)
    alert = message["parameters"].get("alert")
    if isinstance(alert, list):  # some unit tests of execd wrap it in a list
        alert = alert[0] if alert else {}
    if not isinstance(alert, dict):
        log("the message carries no alert")
        return 1
    ip, how = target(alert, Lab(config.get("active_response", {})))
    rule = alert.get("rule", {}) if isinstance(alert.get("rule"), dict) else {}
    reason = f"wazuh alert {alert.get('id', '?')} rule {rule.get('id', '?')}: {rule.get('description', '')}"
    if ip is None:
        log(f"add: nothing to contain: {how} ({reason})")
        audit(action="add", result="skipped", detail=how, reason=reason, by="wazuh-active-response")
        return 0
    return contain(ip, how, reason, config)


if __name__ == "__main__":
    sys.exit(main())

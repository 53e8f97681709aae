#!/usr/bin/env python3
# Wazuh 4.14 active response on the manager (`location` server) that contains the host an alert is
# about, through the one containment action (fortress-contain). Python 3 standard library only.
#
# Protocol (wazuh/wazuh@v4.14.6): execd writes one JSON line on stdin, {"version":1,"origin":{...},
# "command":"add"|"delete","parameters":{"extra_args":[...],"alert":{...},"program":"..."}}
# (src/analysisd/ar_json.c getActiveResponseInJSON builds it with the whole alert; src/os_execd/execd.c
# sets "command" to add, or to delete when the timeout runs out, and adds "program"). For an add the
# script answers one line {"version":1,"origin":{"name":<script>,"module":"active-response"},
# "command":"check_keys","parameters":{"keys":[<ip>]}} and reads back {"command":"continue"|"abort"}
# (src/active-response/active_responses.c send_keys_and_check_message, build_json_keys_message):
# execd answers abort while the same key is already contained within its timeout (and restarts that
# timeout), so a burst of alerts about one host contains it once. A delete carries the same alert, so
# the same address is released: the containment is stateful with the response's `timeout`.
#
# The host: the internal side of a Suricata alert (Wazuh decodes EVE as data.src_ip / data.dest_ip:
# ruleset/rules/0475-suricata_rules.xml), or data.srcip when a decoder gives one and it is internal,
# else the agent's own address for FIM and ClamAV alerts, which carry no srcip (agent.ip, from the
# agent's `_agent_ip` label: src/analysisd/format/json_extended.c W_JSON_ParseAgentIP; "any" is never
# written). When both Suricata sides are internal the alert does not say which host is infected, and
# nothing is contained (logged). The manager's own alerts (agent 000) never contain it.
#
# Configuration: the same root-only file as fortress-contain (FORTRESS_CONTAIN_CONFIG or
# /etc/fortress/contain.json), its "active_response" part: {"internal": ["10.10.0.0/16", ...],
# "program": "/usr/local/sbin/fortress-contain"}.
import ipaddress
import json
import os
import subprocess
import sys
import time

CONFIG = os.environ.get("FORTRESS_CONTAIN_CONFIG", "/etc/fortress/contain.json")
LOG_FILE = os.environ.get("FORTRESS_AR_LOG", "/var/ossec/logs/active-responses.log")
NAME = os.path.basename(sys.argv[0])


def log(message):
    line = f"{time.strftime('%Y/%m/%d %H:%M:%S')} {NAME}: {message}\n"
    try:
        with open(LOG_FILE, "a", encoding="utf-8") as handle:
            handle.write(line)
    except OSError:
        sys.stderr.write(line)


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
    except ValueError:
        return None


def target(alert, internal):
    """(the address to contain, how it was chosen), or (None, why not)."""
    inside = lambda ip: ip is not None and any(ip.version == net.version and ip in net for net in internal)
    data = alert.get("data") if isinstance(alert.get("data"), dict) else {}
    src, dest = address(data.get("src_ip")), address(data.get("dest_ip"))
    if src is not None or dest is not None:
        sides = [(name, ip) for name, ip in (("src_ip", src), ("dest_ip", dest)) if inside(ip)]
        if len(sides) == 1:
            return sides[0][1], f"data.{sides[0][0]} (the internal side)"
        if len(sides) == 2:
            return None, f"both sides are internal ({src}, {dest}): the alert does not say which host to contain"
        return None, f"neither side is internal ({src}, {dest})"
    srcip = address(data.get("srcip"))
    if inside(srcip):
        return srcip, "data.srcip"
    agent = alert.get("agent") if isinstance(alert.get("agent"), dict) else {}
    if str(agent.get("id", "")) == "000":
        return None, "the alert is the manager's own"
    ip = address(agent.get("ip"))
    if inside(ip):
        return ip, f"agent.ip of agent {agent.get('id')} ({agent.get('name')})"
    return None, "no internal address in the alert (data.src_ip, data.dest_ip, data.srcip, agent.ip)"


def main():
    message = read_message(sys.stdin)
    if message is None:
        log("invalid input: not a Wazuh active-response message")
        return 1
    command = message["command"]
    if command not in ("add", "delete"):
        log(f"invalid command {command!r}")
        return 1
    with open(CONFIG, encoding="utf-8") as handle:
        settings = json.load(handle).get("active_response", {})
    internal = [ipaddress.ip_network(cidr, strict=False) for cidr in settings.get("internal", [])]
    alert = message["parameters"].get("alert")
    if isinstance(alert, list):  # some unit tests of execd wrap it in a list
        alert = alert[0] if alert else {}
    if not isinstance(alert, dict):
        log("the message carries no alert")
        return 1
    ip, how = target(alert, internal)
    rule = alert.get("rule", {}) if isinstance(alert.get("rule"), dict) else {}
    reason = f"wazuh alert {alert.get('id', '?')} rule {rule.get('id', '?')}: {rule.get('description', '')}"
    if ip is None:
        log(f"{command}: nothing to contain: {how} ({reason})")
        return 0
    if command == "add":
        keys = {
            "version": 1,
            "origin": {"name": NAME, "module": "active-response"},
            "command": "check_keys",
            "parameters": {"keys": [str(ip)]},
        }
        sys.stdout.write(json.dumps(keys, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        answer = read_message(sys.stdin)
        if answer is None:
            log("invalid answer to check_keys")
            return 1
        if answer["command"] == "abort":
            log(f"add {ip}: already contained within the response's timeout (execd answered abort)")
            return 0
        if answer["command"] != "continue":
            log(f"invalid answer {answer['command']!r} to check_keys")
            return 1
    program = settings.get("program", "/usr/local/sbin/fortress-contain")
    action = "add" if command == "add" else "delete"
    run = subprocess.run(
        [program, "--config", CONFIG, "--by", "wazuh-active-response", "--reason", reason, action, str(ip)],
        capture_output=True,
        text=True,
        check=False,
    )
    log(f"{action} {ip} ({how}): exit {run.returncode} {run.stdout.strip()}")
    return 0 if run.returncode == 0 else run.returncode


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Alertmanager -> TheHive: a webhook receiver that opens one TheHive alert per firing alert.

Python 3 standard library only. Configuration by environment (no secret in it):
  BRIDGE_LISTEN       host:port to listen on (default 0.0.0.0:8080)
  BRIDGE_TOKEN_FILE   the bearer token Alertmanager sends (http_config.authorization.credentials_file)
  THEHIVE_URL         TheHive's base URL (https://thehive.<lab>)
  THEHIVE_KEY_FILE    the TheHive service account's API key (the Wazuh bridge's account)
  THEHIVE_CA_FILE     the CA that signed TheHive's certificate (optional for an http:// URL)

What Alertmanager sends (prometheus/alertmanager@v0.34.0 notify/webhook/webhook.go `Message`,
template/template.go `Data`, `Alert`; docs/configuration.md `<webhook_config>`): version "4",
groupKey, status, receiver, groupLabels, commonLabels, commonAnnotations, externalURL, and alerts[]
with status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint. It retries a
notification answered 5xx and drops one answered 4xx (notify/util.go `Retrier.Check`): so a payload
that can never be delivered is 400, and anything TheHive may take later (down, 5xx, its key refused
while it is being rotated) is 502.

What TheHive takes (TheHive-Project/TheHive4py endpoints/alert.py `create`: POST /api/v1/alert,
types/alert.py InputAlert: type, source, sourceRef, title, description required; severity 1-4,
date in ms, tags): an alert whose (type, source, sourceRef) exists is refused 400 CreateError
"... already exist ..." (TheHive AlertSrv.create). sourceRef is the alert's fingerprint and start,
so Alertmanager's resends of a firing alert (every repeat_interval, and its retries) find the alert
already there and count as delivered; the same alert firing again after it resolved is a new alert.
Resolved alerts open nothing (the analyst closes the TheHive alert).
"""
import datetime
import http.server
import json
import os
import re
import ssl
import sys
import urllib.error
import urllib.request

MAX_BODY = 1 << 20
SEVERITY = {"critical": 4, "warning": 2, "info": 1}
DEFAULT_SEVERITY = 2
TAG_LABELS = ("layer", "node", "role", "alertname", "severity")
GO_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def read_secret(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def epoch_ms(stamp):
    """Go's RFC 3339 with up to nanoseconds (time.Time's JSON), as milliseconds since the epoch."""
    match = GO_TIME.match(stamp or "")
    if not match:
        raise ValueError("startsAt is no RFC 3339 time: %r" % (stamp,))
    base, fraction, zone = match.groups()
    fraction = (fraction or ".0")[1:7].ljust(6, "0")
    zone = "+00:00" if zone == "Z" else zone
    moment = datetime.datetime.fromisoformat("%s.%s%s" % (base, fraction, zone))
    return int(moment.timestamp() * 1000)


def thehive_alert(message, alert):
    """The TheHive alert for one Alertmanager alert of a webhook message."""
    labels = alert.get("labels") or {}
    annotations = alert.get("annotations") or {}
    fingerprint = alert.get("fingerprint") or ""
    if not re.fullmatch(r"[0-9a-f]{1,32}", fingerprint):
        raise ValueError("alert without a fingerprint")
    started = epoch_ms(alert.get("startsAt"))
    name = labels.get("alertname", "alert")
    lines = [annotations.get("description") or annotations.get("summary") or name, "", "| label | value |", "|---|---|"]
    lines += ["| %s | %s |" % (key, labels[key]) for key in sorted(labels)]
    if alert.get("generatorURL"):
        lines += ["", "Source: %s" % alert["generatorURL"]]
    if message.get("externalURL"):
        lines += ["Alertmanager: %s" % message["externalURL"]]
    return {
        "type": "prometheus",
        "source": "alertmanager",
        "sourceRef": "%s-%d" % (fingerprint, started // 1000),
        "title": (annotations.get("summary") or name)[:512],
        "description": "\n".join(lines),
        "severity": SEVERITY.get(labels.get("severity", ""), DEFAULT_SEVERITY),
        "date": started,
        "tags": ["alertmanager"] + ["%s:%s" % (key, labels[key]) for key in TAG_LABELS if labels.get(key)],
    }


class Delivery(Exception):
    """TheHive did not take an alert now; Alertmanager should retry."""


def post(config, body):
    request = urllib.request.Request(
        config["url"].rstrip("/") + "/api/v1/alert",
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + config["key"]},
    )
    try:
        with urllib.request.urlopen(request, timeout=20, context=config["context"]) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        text = error.read(4096).decode("utf-8", "replace")
        if error.code == 400 and "already exist" in text:
            return 200
        if error.code == 400:
            raise ValueError("TheHive refused the alert: %s" % text)
        raise Delivery("TheHive answered %d: %s" % (error.code, text))
    except (urllib.error.URLError, OSError) as error:
        raise Delivery("TheHive unreachable: %s" % error)


def deliver(config, message):
    """Open a TheHive alert per firing alert; returns how many were delivered."""
    if not isinstance(message, dict) or message.get("version") != "4":
        raise ValueError("not an Alertmanager webhook message of version 4")
    alerts = message.get("alerts")
    if not isinstance(alerts, list):
        raise ValueError("no alerts list")
    firing = [alert for alert in alerts if isinstance(alert, dict) and alert.get("status") == "firing"]
    # Each alert on its own: one TheHive refuses (or one malformed) must not keep the others of the
    # group from being opened; Alertmanager retries 5xx only (alertmanager@v0.34.0 notify/util.go),
    # so a retryable failure of any alert answers 502 and the resend opens what is still missing
    # (the sourceRef makes the ones already opened duplicates, which count as delivered).
    delivered, refused, retry = 0, [], None
    for alert in firing:
        try:
            post(config, thehive_alert(message, alert))
            delivered += 1
        except Delivery as error:
            retry = error
        except ValueError as error:
            refused.append(str(error))
    for reason in refused:
        sys.stderr.write("thehive-bridge: dropped one alert: %s\n" % reason)
    if retry is not None:
        raise retry
    if refused and delivered == 0:
        raise ValueError("; ".join(refused))
    return delivered


def handler_for(config):
    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, status, text):
            data = (text + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/healthz":
                return self.answer(200, "ok")
            return self.answer(404, "not found")

        def do_POST(self):
            if self.path != "/alertmanager":
                return self.answer(404, "not found")
            if self.headers.get("Authorization", "") != "Bearer " + config["token"]:
                return self.answer(401, "unauthorized")
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                return self.answer(413 if length > MAX_BODY else 400, "bad length")
            try:
                message = json.loads(self.rfile.read(length))
                count = deliver(config, message)
            except Delivery as error:
                self.log_message("retry: %s", error)
                return self.answer(502, str(error))
            except ValueError as error:
                self.log_message("dropped: %s", error)
                return self.answer(400, str(error))
            return self.answer(200, "delivered %d" % count)

        def log_message(self, form, *args):
            sys.stderr.write("thehive-bridge: " + (form % args) + "\n")

    return Handler


def load_config():
    url = os.environ["THEHIVE_URL"]
    ca_file = os.environ.get("THEHIVE_CA_FILE")
    context = ssl.create_default_context(cafile=ca_file) if url.startswith("https://") else None
    token = read_secret(os.environ["BRIDGE_TOKEN_FILE"])
    key = read_secret(os.environ["THEHIVE_KEY_FILE"])
    if not token or not key:
        raise SystemExit("thehive-bridge: the bridge token or TheHive's key is empty")
    return {"url": url, "context": context, "token": token, "key": key}


def main():
    config = load_config()
    host, _, port = os.environ.get("BRIDGE_LISTEN", "0.0.0.0:8080").rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), handler_for(config))
    sys.stderr.write("thehive-bridge: listening on %s:%s\n" % (host, port))
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()

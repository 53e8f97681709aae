/**
 * Alertmanager's configuration (issue 15): every alert opens a TheHive alert through the bridge's
 * webhook while the lab runs TheHive (without it, every alert goes to the admin's channel, or to the
 * null receiver when there is none); critical ones also reach the admin through a self-hosted channel
 * (an SMTP relay or a webhook such as ntfy or Matrix) when one is configured; grouped by alertname,
 * layer, node and role; a Proxmox node, VM or firewall that is down inhibits the alerts of what runs
 * on it, and a critical alert its own warning.
 *
 * Kept to the schema of Debian's amtool 0.25 (prometheus/alertmanager@v0.25.0:config/config.go,
 * config/notifiers.go: strict YAML, so an unknown field fails — no webhook `timeout` or `url_file`,
 * which 0.25 does not know) and valid for the Alertmanager v0.34 the chart deploys (matchers, not the
 * deprecated match/match_re; every field used is still in v0.34.0:config/notifiers.go and
 * notify/webhook/config.go). Secrets are never in the YAML: only `*_file` keys under secretsMountPath,
 * where the operator mounts the Secrets listed in `alertmanagerSpec.secrets`
 * (prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/statefulset.go secretsDir
 * `/etc/alertmanager/secrets/<secret>`).
 */
import * as yaml from "js-yaml";
import type { AlertmanagerConfig } from "../contract";
import type { AlertmanagerInput } from "./input";
import { receiversOf } from "./receivers";
import { inhibitRules, route } from "./routing";

export type { AlertmanagerInput, EmailNotification, Notification, WebhookNotification } from "./input";

/**
 * Where prometheus-operator mounts a Secret listed in `alertmanagerSpec.secrets`
 * (prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/statefulset.go secretsDir).
 */
export function operatorSecretsMountPath(secretName: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secretName))
    throw new Error(`alertmanager: ${secretName} is not a Secret name`);
  return `/etc/alertmanager/secrets/${secretName}`;
}

function checkUrl(what: string, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`alertmanager: ${what} ${url} is not a URL`);
  }
  // config.go parseURL / webhook UnmarshalYAML: http or https, with a host.
  if (!["http:", "https:"].includes(parsed.protocol) || !parsed.hostname)
    throw new Error(`alertmanager: ${what} ${url} must be an http(s) URL with a host`);
}

function checkInput(input: AlertmanagerInput): void {
  if (input.theHiveBridgeUrl !== undefined) checkUrl("the TheHive bridge", input.theHiveBridgeUrl);
  if (input.theHiveBridgeToken !== undefined && input.theHiveBridgeUrl === undefined)
    throw new Error("alertmanager: a TheHive bridge token without the bridge's URL");
  if (!/^\/[\w./-]*[^/]$/.test(input.secretsMountPath))
    throw new Error(`alertmanager: ${input.secretsMountPath} is not an absolute path`);
  const notification = input.notification;
  if (notification?.kind === "webhook") checkUrl("the notification webhook", notification.url);
  if (notification?.kind === "email") {
    // config.go HostPort: host and port both required.
    if (!/^[\w.-]+:\d{1,5}$/.test(notification.smarthost))
      throw new Error(`alertmanager: smarthost ${notification.smarthost} is not host:port`);
    for (const address of [notification.from, notification.to])
      if (!/^[^@\s]+@[^@\s]+$/.test(address))
        throw new Error(`alertmanager: ${address} is not an email address`);
    if (notification.password !== undefined && !notification.username)
      throw new Error("alertmanager: an SMTP password needs its username");
  }
}

/** The configuration: YAML with `*_file` references only, and the files (secret) to mount. */
export function alertmanagerConfig(input: AlertmanagerInput): AlertmanagerConfig {
  checkInput(input);
  const { receivers, secretFiles } = receiversOf(input);
  const config = {
    global: { resolve_timeout: "5m" },
    route: route(input.notification !== undefined, input.theHiveBridgeUrl !== undefined),
    inhibit_rules: inhibitRules(),
    receivers,
  };
  return {
    yaml: yaml.dump(config, { lineWidth: -1, noRefs: true, sortKeys: false }),
    secretFiles,
    secretsMountPath: input.secretsMountPath,
  };
}

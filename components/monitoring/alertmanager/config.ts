/**
 * Alertmanager's configuration (issue 15): every alert opens a TheHive alert through the bridge's
 * webhook, critical ones also reach the admin through a self-hosted channel (an SMTP relay or a webhook
 * such as ntfy or Matrix) when one is configured; grouped by alertname, layer, node and role; a
 * Proxmox node, VM or firewall that is down inhibits the alerts of what runs on it, and a critical
 * alert its own warning.
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
import type * as pulumi from "@pulumi/pulumi";
import type { AlertmanagerConfig } from "../contract";
import { receiversOf } from "./receivers";
import { inhibitRules, route } from "./routing";

/** An SMTP relay the lab runs or trusts; the password, if any, becomes a secret file. */
export interface EmailNotification {
  readonly kind: "email";
  /** host:port of the relay. */
  readonly smarthost: string;
  readonly from: string;
  readonly to: string;
  readonly username?: string;
  readonly password?: pulumi.Input<string>;
  /** STARTTLS required (the default); false only for a relay on the same trusted network. */
  readonly requireTls?: boolean;
}

/** A self-hosted webhook (ntfy, a Matrix hookshot…); its bearer token, if any, becomes a secret file. */
export interface WebhookNotification {
  readonly kind: "webhook";
  readonly url: string;
  readonly bearerToken?: pulumi.Input<string>;
}

export type Notification = EmailNotification | WebhookNotification;

/**
 * Where prometheus-operator mounts a Secret listed in `alertmanagerSpec.secrets`
 * (prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/statefulset.go secretsDir).
 */
export function operatorSecretsMountPath(secretName: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secretName))
    throw new Error(`alertmanager: ${secretName} is not a Secret name`);
  return `/etc/alertmanager/secrets/${secretName}`;
}

export interface AlertmanagerInput {
  /** The TheHive bridge's webhook URL (the logs part's `theHiveBridgeUrl`). */
  readonly theHiveBridgeUrl: string;
  /** A bearer token the bridge checks, if it checks one. */
  readonly theHiveBridgeToken?: pulumi.Input<string>;
  /** The admin's channel for critical alerts; none → TheHive only. */
  readonly notification?: Notification;
  /** The lab CA (PEM) for an https bridge, webhook or relay; mounted beside the secrets. */
  readonly caCertificatePem?: pulumi.Input<string>;
  /** Where the Secret with `secretFiles` is mounted in the Alertmanager container. */
  readonly secretsMountPath: string;
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
  checkUrl("the TheHive bridge", input.theHiveBridgeUrl);
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
    route: route(input.notification !== undefined),
    inhibit_rules: inhibitRules(),
    receivers,
  };
  return {
    yaml: yaml.dump(config, { lineWidth: -1, noRefs: true, sortKeys: false }),
    secretFiles,
    secretsMountPath: input.secretsMountPath,
  };
}

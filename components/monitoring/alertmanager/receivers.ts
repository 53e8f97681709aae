/**
 * The receivers: TheHive through the bridge's webhook, while the lab runs TheHive (`send_resolved` so
 * the bridge can close what it opened, `max_alerts: 0` = all of the group), the admin's channel
 * (email through an SMTP relay, or a webhook), and `null` (no notification; the alert stays visible in Alertmanager and Grafana). Fields
 * as prometheus/alertmanager@v0.25.0:config/notifiers.go `WebhookConfig` {send_resolved, http_config,
 * url, max_alerts} and `EmailConfig` {send_resolved, to, from, smarthost, auth_username,
 * auth_password_file, require_tls, tls_config}; http_config's `authorization.credentials_file` and
 * `tls_config.ca_file` from prometheus/common's HTTPClientConfig (research §0.7: amtool 0.25 accepts them).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AlertmanagerInput } from "./input";
import { RECEIVERS } from "./routing";

export const SECRET_FILES = {
  bridgeToken: "thehive-bridge-token",
  smtpPassword: "smtp-password",
  webhookToken: "notify-webhook-token",
  ca: "ca.crt",
} as const;

type Files = Record<string, pulumi.Input<string>>;

function httpConfig(
  url: string,
  token: pulumi.Input<string> | undefined,
  tokenFile: string,
  input: AlertmanagerInput,
  files: Files,
): Record<string, unknown> | undefined {
  const at = (name: string) => `${input.secretsMountPath}/${name}`;
  const config: Record<string, unknown> = {};
  if (token !== undefined) {
    files[tokenFile] = token;
    config.authorization = { type: "Bearer", credentials_file: at(tokenFile) };
  }
  if (url.startsWith("https:") && input.caCertificatePem !== undefined)
    config.tls_config = { ca_file: at(SECRET_FILES.ca) };
  return Object.keys(config).length > 0 ? config : undefined;
}

function webhook(
  url: string,
  token: pulumi.Input<string> | undefined,
  tokenFile: string,
  input: AlertmanagerInput,
  files: Files,
): Record<string, unknown> {
  const http = httpConfig(url, token, tokenFile, input, files);
  return { send_resolved: true, url, max_alerts: 0, ...(http ? { http_config: http } : {}) };
}

function notifyReceiver(input: AlertmanagerInput, files: Files): Record<string, unknown> | undefined {
  const notification = input.notification;
  if (!notification) return undefined;
  if (notification.kind === "webhook")
    return {
      name: RECEIVERS.notify,
      webhook_configs: [
        webhook(notification.url, notification.bearerToken, SECRET_FILES.webhookToken, input, files),
      ],
    };
  if (notification.password !== undefined) files[SECRET_FILES.smtpPassword] = notification.password;
  return {
    name: RECEIVERS.notify,
    email_configs: [
      {
        send_resolved: true,
        to: notification.to,
        from: notification.from,
        smarthost: notification.smarthost,
        ...(notification.username ? { auth_username: notification.username } : {}),
        ...(notification.password !== undefined
          ? { auth_password_file: `${input.secretsMountPath}/${SECRET_FILES.smtpPassword}` }
          : {}),
        require_tls: notification.requireTls ?? true,
        ...(input.caCertificatePem !== undefined
          ? { tls_config: { ca_file: `${input.secretsMountPath}/${SECRET_FILES.ca}` } }
          : {}),
      },
    ],
  };
}

export function receiversOf(input: AlertmanagerInput): {
  receivers: Record<string, unknown>[];
  secretFiles: Files;
} {
  const files: Files = {};
  const bridgeUrl = input.theHiveBridgeUrl;
  const receivers: Record<string, unknown>[] = bridgeUrl
    ? [
        {
          name: RECEIVERS.theHive,
          webhook_configs: [
            webhook(bridgeUrl, input.theHiveBridgeToken, SECRET_FILES.bridgeToken, input, files),
          ],
        },
      ]
    : [];
  const notify = notifyReceiver(input, files);
  if (notify) receivers.push(notify);
  receivers.push({ name: RECEIVERS.none });
  if (input.caCertificatePem !== undefined) files[SECRET_FILES.ca] = input.caCertificatePem;
  return { receivers, secretFiles: files };
}

/**
 * The monitoring layer's settings (`fortress:monitoring`): where alerts go besides TheHive, and how long
 * metrics and logs are kept. Nothing here is a secret: the relay's password and the webhook's token are
 * their own secret keys (fortress:smtpPassword, fortress:notifyWebhookToken).
 */
import { z } from "zod";
import { hostName } from "./formats";

const emailAddress = z
  .string()
  .regex(/^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/, "must be an e-mail address, e.g. alerts@home.arpa");

const port = z.number().int().min(1).max(65535);

/** A URL Alertmanager posts to: http(s), no user:password@ (the URL lands in the plan and the state). */
const webhookUrl = z
  .string()
  .trim()
  .superRefine((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({
        code: "custom",
        message: "must be an http(s) URL, e.g. https://ntfy.home.arpa/fortress",
        params: { hint: "give the full URL your ntfy topic, Matrix hook or chat bridge takes posts on" },
      });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      context.addIssue({
        code: "custom",
        message: "must be an http(s) URL",
        params: { hint: "e.g. https://ntfy.home.arpa/fortress" },
      });
    if (url.username !== "" || url.password !== "")
      context.addIssue({
        code: "custom",
        message:
          "must not hold a user name or password (user:password@): the URL is written in plaintext into the plan and the state",
        params: {
          hint: "put the token in fortress:notifyWebhookToken (pulumi config set --secret), sent as a bearer token",
        },
      });
  });

export const monitoringSchema = z.strictObject({
  /** Where alerts go besides TheHive; none by default (TheHive only). No SaaS is needed for either. */
  notify: z
    .strictObject({
      /** E-mail through the admin's SMTP relay; its password, if it needs one: fortress:smtpPassword. */
      email: z
        .strictObject({
          host: hostName,
          port: port.default(587),
          from: emailAddress,
          to: z.array(emailAddress).min(1, "name at least one recipient"),
          /** The relay's login; omitted, Alertmanager sends without authentication. */
          username: z.string().min(1).max(256).optional(),
          /** Refuse to send without STARTTLS (Alertmanager's `smtp_require_tls`). */
          requireTls: z.boolean().default(true),
        })
        .optional(),
      /** A webhook such as an ntfy topic or a Matrix hook; a bearer token: fortress:notifyWebhookToken. */
      webhook: z.strictObject({ url: webhookUrl }).optional(),
    })
    .default({}),
  retention: z
    .strictObject({
      /** Days Prometheus keeps metrics (its volume is sized to it). */
      metricsDays: z.number().int().min(1).max(365).default(15),
      /** Days Loki keeps logs (its volume is sized to it). */
      logsDays: z.number().int().min(1).max(365).default(14),
    })
    .default({ metricsDays: 15, logsDays: 14 }),
});

export type MonitoringSettings = z.infer<typeof monitoringSchema>;

export const DEFAULT_MONITORING: MonitoringSettings = {
  notify: {},
  retention: { metricsDays: 15, logsDays: 14 },
};

/**
 * The notification secrets, each needed with the setting that uses it: the relay's password with a
 * relay login, the webhook's token only with a webhook (and optional there: ntfy takes anonymous posts).
 */
export function notifySecretNeeded(
  key: "smtpPassword" | "notifyWebhookToken",
  monitoring: MonitoringSettings | undefined,
  monitoringOn: boolean,
): "required" | "optional" | "unused" {
  const notify = monitoring?.notify ?? {};
  if (key === "smtpPassword") {
    if (notify.email?.username === undefined) return "unused";
    return monitoringOn ? "required" : "optional";
  }
  return notify.webhook !== undefined ? "optional" : "unused";
}

/** Why a notification secret that is set goes unused, and what to do. */
export const NOTIFY_SECRET_UNUSED = {
  smtpPassword: {
    message: "is set but not used: fortress:monitoring.notify.email has no username",
    hint: "add the relay's login as monitoring.notify.email.username, or remove fortress:smtpPassword",
  },
  notifyWebhookToken: {
    message: "is set but not used: fortress:monitoring.notify has no webhook",
    hint: "add monitoring.notify.webhook.url, or remove fortress:notifyWebhookToken",
  },
} as const;

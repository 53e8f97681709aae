/** What Alertmanager's configuration is a function of: the bridge, the admin's channel, the mount. */
import type * as pulumi from "@pulumi/pulumi";

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

export interface AlertmanagerInput {
  /**
   * The TheHive bridge's webhook URL (the logs part's `theHiveBridgeUrl`); absent while the lab runs no
   * TheHive: every alert then goes to the admin's channel, or (no channel either) to no receiver.
   */
  readonly theHiveBridgeUrl?: string;
  /** A bearer token the bridge checks, if it checks one. */
  readonly theHiveBridgeToken?: pulumi.Input<string>;
  /** The admin's channel for critical alerts (for every alert without TheHive); none → TheHive only. */
  readonly notification?: Notification;
  /** The lab CA (PEM) for an https bridge, webhook or relay; mounted beside the secrets. */
  readonly caCertificatePem?: pulumi.Input<string>;
  /** Where the Secret with `secretFiles` is mounted in the Alertmanager container. */
  readonly secretsMountPath: string;
}

/**
 * Alertmanager inputs the tests render: TheHive only, with an SMTP relay, with a webhook, over https;
 * and without TheHive (the minimal profile): a webhook alone, or no receiver at all.
 */
import type { AlertmanagerInput } from "./config";

export const MOUNT = "/etc/alertmanager/secrets/fortress-alertmanager-files";
export const BRIDGE = "http://thehive-bridge.fortress-monitoring.svc:8080/alertmanager";

export const INPUTS: Readonly<Record<string, AlertmanagerInput>> = {
  "TheHive only": { theHiveBridgeUrl: BRIDGE, secretsMountPath: MOUNT },
  "an SMTP relay with a password": {
    theHiveBridgeUrl: BRIDGE,
    secretsMountPath: MOUNT,
    notification: {
      kind: "email",
      smarthost: "mail.lab.example:587",
      from: "alertmanager@lab.example",
      to: "admin@lab.example",
      username: "alertmanager",
      password: "smtp-secret-value",
    },
  },
  "an ntfy webhook with a token, the bridge over https with the lab CA": {
    theHiveBridgeUrl: "https://thehive-bridge.fortress-monitoring.svc:8443/alertmanager",
    theHiveBridgeToken: "bridge-secret-value",
    caCertificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    secretsMountPath: MOUNT,
    notification: {
      kind: "webhook",
      url: "https://ntfy.lab.example/fortress",
      bearerToken: "ntfy-secret-value",
    },
  },
  "no TheHive, an ntfy webhook with a token": {
    caCertificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    secretsMountPath: MOUNT,
    notification: {
      kind: "webhook",
      url: "https://ntfy.lab.example/fortress",
      bearerToken: "ntfy-secret-value",
    },
  },
  "no TheHive and no channel": { secretsMountPath: MOUNT },
};

/** Every secret value the inputs carry: none may appear in a rendered YAML. */
export const SECRET_VALUES = ["smtp-secret-value", "bridge-secret-value", "ntfy-secret-value"];

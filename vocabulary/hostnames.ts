/** The DNS names of the lab's web UIs: the lab model derives them, the identity layer registers them. */
export interface UiHostnames {
  readonly keycloak: string;
  readonly vaultwarden: string;
  readonly grafana: string;
  readonly wazuhDashboard: string;
  readonly thehive: string;
  /** Cortex's UI (no Keycloak client: Cortex signs in its own users). */
  readonly cortex: string;
  readonly misp: string;
}

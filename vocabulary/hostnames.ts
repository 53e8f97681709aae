/** The DNS names of the lab's web UIs: the lab model derives them, the identity layer registers them. */
export interface UiHostnames {
  readonly keycloak: string;
  readonly vaultwarden: string;
  readonly grafana: string;
  readonly wazuhDashboard: string;
  readonly thehive: string;
  readonly misp: string;
}

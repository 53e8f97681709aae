/**
 * The exporter's own way into the Proxmox API: a user `fortress-exporter@pve` with no password (a
 * `pve`-realm user without one cannot log in), an API token of it with privilege separation, and the
 * role PVEAuditor (read-only: `*.Audit` privileges; prometheus-pve-exporter@v3.10.0 README.rst "Proxmox
 * VE Configuration": "a user with read-only access (PVEAuditor role) … the `/` path permission") on
 * `/`, granted to the token. A separated token's rights are "always a subset of those of their
 * corresponding user" (proxmox/pve-docs pveum.adoc, "Limited API Token for Monitoring"), so the user
 * holds the same role on `/` and nothing more; the token is what the exporter presents.
 *
 * The token's secret exists only in the provider's output (`value`, secret: bpg/terraform-provider-
 * proxmox proxmox/access/user_token.go CreateUserToken returns `<full-tokenid>=<secret>`), never in
 * config; `tokenSecret` is the part after `=`, still secret.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";

/** The user, token and role of the exporter: what proxmox-token-least-privilege checks as read-only. */
export const PROXMOX_EXPORTER_ACCESS = {
  userId: "fortress-exporter@pve",
  tokenName: "prometheus",
  roleId: "PVEAuditor",
  path: "/",
} as const;

export const PROXMOX_EXPORTER_TOKEN_ID = `${PROXMOX_EXPORTER_ACCESS.userId}!${PROXMOX_EXPORTER_ACCESS.tokenName}`;

export interface ProxmoxAccess {
  readonly user: proxmoxve.UserLegacy;
  readonly token: proxmoxve.user.Token;
  /** `user@realm!name`, as pve.yml's `user` + `token_name` name it. */
  readonly tokenId: pulumi.Output<string>;
  /** The token's secret (after `=`), secret. */
  readonly tokenSecret: pulumi.Output<string>;
  readonly acls: readonly proxmoxve.Acl[];
}

/** The secret part of the provider's `<user>@<realm>!<name>=<secret>`. */
export function tokenSecretOf(value: string): string {
  const at = value.indexOf("=");
  if (at < 1 || at === value.length - 1) throw new Error("Proxmox token value is not <token id>=<secret>");
  return value.slice(at + 1);
}

export function proxmoxExporterAccess(
  name: string,
  opts: pulumi.CustomResourceOptions & { provider: proxmoxve.Provider },
): ProxmoxAccess {
  const { userId, tokenName, roleId, path } = PROXMOX_EXPORTER_ACCESS;
  const user = new proxmoxve.UserLegacy(
    `${name}-user`,
    { userId, enabled: true, comment: "Fortress monitoring: prometheus-pve-exporter (API token only)" },
    opts,
  );
  const token = new proxmoxve.user.Token(
    `${name}-token`,
    {
      userId: user.userId,
      tokenName,
      privilegesSeparation: true,
      comment: "Fortress monitoring: read-only (PVEAuditor on /)",
    },
    opts,
  );
  const tokenId = pulumi.interpolate`${token.userId}!${token.tokenName}`;
  const userAcl = new proxmoxve.Acl(
    `${name}-user-audit`,
    { userId: user.userId, path, roleId, propagate: true },
    opts,
  );
  const tokenAcl = new proxmoxve.Acl(
    `${name}-token-audit`,
    { tokenId, path, roleId, propagate: true },
    { ...opts, dependsOn: [token, userAcl] },
  );
  return {
    user,
    token,
    tokenId,
    tokenSecret: pulumi.secret(token.value.apply(tokenSecretOf)),
    acls: [userAcl, tokenAcl],
  };
}

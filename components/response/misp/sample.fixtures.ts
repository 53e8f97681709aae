import type { MispSecrets } from "./compose";

/** Stand-ins for the generated secrets: canaries a test can look for in everything rendered. */
export const SAMPLE_SECRETS: MispSecrets = {
  mysqlPassword: "MysqlCanary0000000000000000000a1",
  mysqlRootPassword: "MysqlRootCanary00000000000000a02",
  redisPassword: "RedisCanary0000000000000000000a3",
  adminPassword: "AdminPasswordCanary00000000000a4",
  adminKey: "AdminKeyCanary00000000000000000000000a05",
  encryptionKey: "EncryptionCanary00000000000000a6",
  gpgPassphrase: "GpgPassphraseCanary00000000000a12",
  supervisorPassword: "SupervisorCanary000000000000a13",
  oidcClientSecret: "OidcClientSecretCanary000000000000000000000000a7",
};

export const SAMPLE_DIGEST = `sha256:${"ab".repeat(32)}`;
export const OIDC = {
  issuerUrl: "https://sso.lab.example/realms/fortress",
  clientId: "misp",
  rolesMapping: { admin: 1, user: 3, readonly: 6 },
  rolesClaim: "roles",
  defaultOrg: "Fortress",
};

/**
 * /etc/filebeat/filebeat.yml as Wazuh's server install writes it (wazuh/wazuh@v4.14.6
 * extensions/filebeat/7.x/filebeat.yml; wazuh-docker@v4.14.6 build-docker-images/wazuh-manager/config/filebeat.yml),
 * pointed at the indexer with the manager's own index-scoped user. The password is not in the file:
 * `${password}` is resolved from Filebeat's keystore, which the install script fills from stdin.
 */
import * as yaml from "js-yaml";
import { FILEBEAT_MODULE_DIR, WAZUH_TEMPLATE } from "./pins";
import { INDEXER_CA_PATH } from "./ossecConf";

export interface FilebeatArgs {
  readonly hosts: readonly string[];
  readonly username: string;
}

/** The keystore key the config reads (`filebeat keystore add password --stdin`). */
export const FILEBEAT_PASSWORD_KEY = "password";

export function renderFilebeatYml(args: FilebeatArgs): string {
  if (args.hosts.length === 0) throw new Error("Filebeat needs an indexer host");
  if (!/^[\w.-]+$/.test(args.username)) throw new Error(`${args.username} is not an indexer user name`);
  if (!FILEBEAT_MODULE_DIR.endsWith("/wazuh")) throw new Error("internal: the module must be named wazuh");
  const config = {
    "filebeat.modules": [{ module: "wazuh", alerts: { enabled: true }, archives: { enabled: false } }],
    "setup.template.json.enabled": true,
    "setup.template.json.path": WAZUH_TEMPLATE.path,
    "setup.template.json.name": "wazuh",
    "setup.template.overwrite": true,
    "setup.ilm.enabled": false,
    "output.elasticsearch": {
      hosts: [...args.hosts],
      protocol: "https",
      username: args.username,
      password: `\${${FILEBEAT_PASSWORD_KEY}}`,
      "ssl.certificate_authorities": [INDEXER_CA_PATH],
      "ssl.verification_mode": "full",
    },
    "logging.metrics.enabled": false,
    seccomp: { default_action: "allow", syscalls: [{ action: "allow", names: ["rseq"] }] },
  };
  return `# Rendered by Fortress (components/siem/manager/filebeat.ts).\n${yaml.dump(config, { lineWidth: -1 })}`;
}

/**
 * The containment credential as the pack names it (policies/rules/containment-key-least-privilege.ts),
 * kept beside the components' own definitions, which vocabulary/containment.test.ts holds equal:
 * - the two ACL keys (components/opnsense/privileges.ts CONTAINMENT_PRIVILEGE_KEYS, read from
 *   opnsense/core src/opnsense/mvc/app/models/OPNsense/Core/ACL/ACL.xml: "Diagnostics: PF Table IP
 *   addresses" grants api/firewall/alias_util/*, "Diagnostics: Show States" the state calls);
 * - the files a containment step writes the key to (components/response/containment/program.ts
 *   CONTAIN_PATHS.config, the playbook's vars file in containment/README.md);
 * - the OPNsense provider's own key, by its config names (components/opnsense/provider.ts KEY_CONFIG,
 *   SECRET_CONFIG), which no containment step may read.
 */
export const CONTAINMENT_PRIVILEGE_KEYS = ["page-diagnostics-tables", "page-diagnostics-showstates"] as const;
/** The user the containment key belongs to (containment/README.md "The containment key"). */
export const CONTAINMENT_USER = "fortress-contain";
export const CONTAIN_CONFIG_PATH = "/etc/fortress/contain.json";
export const CONTAIN_ANSIBLE_VARS_PATH = "/etc/fortress/contain-ansible.yml";
export const OPNSENSE_PROVIDER_CONFIG = ["fortress:opnsenseApiKey", "fortress:opnsenseApiSecret"] as const;

/**
 * TheHive in the offline lab: the loopback double (test/thehive/server.ts) over TLS from a throwaway CA,
 * the analyst's login, and custom-thehive's options file (its key file, the CA, its log) as the manager
 * side of Wazuh → TheHive installs them.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ANALYST_LOGIN } from "../../components/response/accounts";
import type { Integration } from "../../components/siem/manager/ossecConf";
import { startTheHive, type TheHiveDouble } from "../../test/thehive/server";
import { testCa } from "../../test/support/testCa";

export interface OfflineTheHive {
  readonly server: TheHiveDouble;
  /** The CA that signs its certificate (PEM). */
  readonly ca: string;
  /** The Wazuh integration's API key. */
  readonly wazuhKey: string;
  readonly analyst: { readonly login: string; readonly password: string };
  /** custom-thehive's options file. */
  readonly options: string;
}

export async function startTheHiveOverTls(dir: string): Promise<OfflineTheHive> {
  const ca = testCa(dir, "lab", [
    { name: "thehive", subject: "/CN=thehive.lab.example", extensions: "subjectAltName=IP:127.0.0.1" },
  ]);
  const wazuhKey = randomBytes(18).toString("base64url");
  const server = await startTheHive(wazuhKey, ca.leaves.thehive!);
  const analyst = { login: ANALYST_LOGIN, password: randomBytes(12).toString("base64url") };
  server.users.set(analyst.login, {
    login: analyst.login,
    name: "Fortress analyst",
    profile: "analyst",
    organisation: "fortress",
    type: "Normal",
    password: analyst.password,
  });
  writeFileSync(join(dir, "thehive.key"), wazuhKey, { mode: 0o600 });
  const options = join(dir, "thehive-options.json");
  writeFileSync(
    options,
    JSON.stringify({
      api_key_file: join(dir, "thehive.key"),
      ca_file: ca.cert,
      log_file: join(dir, "integrations.log"),
      retry_pause: 0.05,
    }),
  );
  return { server, ca: readFileSync(ca.cert, "utf8"), wazuhKey, analyst, options };
}

/**
 * The lab's `<integration>` blocks (stacks/managerResponse.ts: levels, rule ids, the hook's path) with
 * the hook's origin, the lab's TheHive hostname, moved to the loopback TheHive's.
 */
export function hooksAt(integrations: readonly Integration[], theHiveUrl: string): Integration[] {
  const origin = new URL(theHiveUrl).origin;
  return integrations.map((block) => {
    const hook = new URL(block.hookUrl);
    return { ...block, hookUrl: `${origin}${hook.pathname}${hook.search}` };
  });
}

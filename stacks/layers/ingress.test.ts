/** The UIs behind the ingress get names in Unbound: the home lab planned as `npm run plan` plans it. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { CapturedResource } from "../plan/capture";
import { runProgram } from "../plan/run";
import { readStackConfig } from "../plan/stackConfig";
import type { LabModel } from "../lab";
import { k3sServers } from "../cluster";

const HOME = join(__dirname, "..", "..", "Pulumi.home.yaml");
let resources: CapturedResource[] = [];
let model: LabModel;

/** Unbound host overrides by name, each with the addresses it answers. */
function overrides(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const resource of resources) {
    if (!/hostOverride/i.test(resource.type)) continue;
    const fields = resource.inputs.fields as Record<string, string> | undefined;
    if (!fields?.hostname) continue;
    const fqdn = `${fields.hostname}.${fields.domain}`;
    byName.set(fqdn, [...(byName.get(fqdn) ?? []), fields.server].sort());
  }
  return byName;
}

describe("the names of the UIs behind the ingress (issue 8, defect 20)", () => {
  before(async () => {
    const run = await runProgram(readStackConfig(HOME));
    assert.ok(run.ok, "the home lab does not plan");
    resources = run.resources;
    model = run.model;
  });

  it("points keycloak and vault at every k3s server, where ServiceLB serves Traefik", () => {
    const servers = k3sServers(model)
      .map((server) => server.ip)
      .sort();
    assert.equal(servers.length, 3);
    const names = overrides();
    assert.ok(names.size > 0, "no host overrides found in the plan");
    for (const fqdn of [
      "keycloak.home.arpa",
      "vault.home.arpa",
      "grafana.home.arpa",
      "wazuh.home.arpa",
      "thehive.home.arpa",
    ]) {
      assert.deepEqual(names.get(fqdn), servers, fqdn);
    }
  });

  it("makes no name for a UI whose service is off", async () => {
    const config = readStackConfig(HOME);
    const services = (JSON.parse(config.values["fortress:services"] ?? "[]") as string[]).filter(
      (service) => service !== "vaultwarden",
    );
    const run = await runProgram({
      ...config,
      values: { ...config.values, "fortress:services": JSON.stringify(services) },
    });
    assert.ok(run.ok);
    resources = run.resources;
    const names = overrides();
    assert.equal(names.get("vault.home.arpa"), undefined);
    assert.ok(names.get("keycloak.home.arpa"));
  });
});

import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { GREENBONE_TYPE } from "./greenbone-no-default-password";

export const vuln = layerComponent("vuln");

/** A Greenbone component as it records itself, with its password and install (options vary the plan). */
export function greenbonePlan(
  options: { source?: string; length?: number; installTakesPassword?: boolean; script?: string } = {},
): PlanResource[] {
  const component = planResource(
    GREENBONE_TYPE,
    "greenbone",
    { host: "greenbone-1", adminPasswordType: options.source ?? "random", targets: [] },
    { parent: vuln },
  );
  const password = planResource(
    SDK_TYPES.randomPassword,
    "greenbone-admin-password",
    { length: options.length ?? 32, special: true },
    { parent: component, protect: true },
  );
  const install = planResource(
    SDK_TYPES.commandRemote,
    "greenbone-install",
    {
      create: options.script ?? "set -eu\nIFS= read -r admin_password\n",
      logging: "none",
      stdin: "[secret]",
    },
    { parent: component, dependsOn: options.installTakesPassword === false ? [] : [password] },
  );
  return [vuln, component, password, install];
}

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "a random 32-character admin password on the install's stdin", resources: greenbonePlan() },
    { name: "no Greenbone in the plan", resources: [vuln] },
  ],
  failing: [
    { name: "a password not from random", resources: greenbonePlan({ source: "config" }) },
    { name: "a short random password", resources: greenbonePlan({ length: 8 }) },
    {
      name: "an install that does not take the password",
      resources: greenbonePlan({ installTakesPassword: false }),
    },
    {
      name: "gvmd --new-password=admin in the script",
      resources: greenbonePlan({
        script: "docker compose exec -u gvmd gvmd gvmd --user=admin --new-password=admin",
      }),
    },
    {
      name: "the gvmd container's PASSWORD set to admin in the compose file",
      resources: greenbonePlan({ script: "services:\n  gvmd:\n    environment:\n      PASSWORD: admin\n" }),
    },
  ],
};

import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export const randomPassword = (name: string, inputs: Record<string, unknown>) =>
  planResource(SDK_TYPES.randomPassword, name, inputs);

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the home lab's secrets: 40 and 48 alphanumerics, a 16-byte salt",
      resources: [
        randomPassword("keycloak-admin", { length: 40, special: false }),
        randomPassword("k3s-token", { length: 48, special: false }),
        planResource(SDK_TYPES.randomBytes, "vaultwarden-salt", { length: 16 }),
      ],
    },
    {
      name: "21 characters of the default charset (133 bits)",
      resources: [randomPassword("db", { length: 21 })],
    },
  ],
  failing: [
    {
      name: "a 16-character alphanumeric password (95 bits)",
      resources: [randomPassword("db", { length: 16, special: false })],
    },
    {
      name: "a 30-digit PIN (99 bits)",
      resources: [randomPassword("pin", { length: 30, upper: false, lower: false, special: false })],
    },
  ],
};

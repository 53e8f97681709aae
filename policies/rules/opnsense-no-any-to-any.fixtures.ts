import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { OPNSENSE } from "../lib/resources";

const rule = (name: string, fields: Record<string, string>) =>
  planResource(OPNSENSE("rule"), name, { firewall: { url: "https://fw", insecure: false }, fields });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "zone to zone on one port",
      resources: [
        rule("users-https", {
          action: "pass",
          source_net: "opt3",
          destination_net: "fz_net_servers",
          destination_port: "443",
        }),
      ],
    },
    {
      name: "default deny from any",
      resources: [rule("deny", { action: "block", source_net: "any", destination_net: "any" })],
    },
    {
      name: "any to the internet only",
      resources: [
        rule("internet", {
          action: "pass",
          source_net: "opt4",
          destination_net: "fz_private",
          destination_not: "1",
        }),
      ],
    },
  ],
  failing: [
    {
      name: "pass any → any",
      resources: [rule("open", { action: "pass", source_net: "any", destination_net: "any" })],
    },
    { name: "pass with both nets left out", resources: [rule("implicit", { action: "pass" })] },
    {
      name: "pass 0.0.0.0/0 → ::/0",
      resources: [rule("spelled-out", { action: "pass", source_net: "0.0.0.0/0", destination_net: "::/0" })],
    },
    {
      name: "pass through aliases that add up to every address",
      resources: [
        planResource(OPNSENSE("alias"), "everything", {
          firewall: { url: "https://fw", insecure: false },
          fields: { name: "fz_everything", type: "network", content: "0.0.0.0/1\n128.0.0.0/1" },
        }),
        rule("hidden", { action: "pass", source_net: "fz_everything", destination_net: "fz_everything" }),
      ],
    },
    {
      name: "pass from any to everything but one alias",
      resources: [
        rule("negated", {
          action: "pass",
          source_net: "any",
          destination_net: "fz_private",
          destination_not: "1",
        }),
      ],
    },
  ],
};

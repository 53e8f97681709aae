import type { PolicyFixtures } from "../lib/fixtures";
import { network, rule } from "./opnsense-no-pass-into-management.fixtures";

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "rules on the networks' interfaces, one of them floating on two",
      resources: [network, rule({ interface: "opt3" }), rule({ interface: "opt3,opt4", action: "block" })],
    },
  ],
  failing: [
    { name: "a rule on the WAN", resources: [network, rule({ interface: "wan" })] },
    {
      name: "a rule on an interface no network uses",
      resources: [network, rule({ interface: "opt3,opt9" })],
    },
    { name: "a floating rule on every interface", resources: [network, rule({ interface: "" })] },
    { name: "an inverted rule", resources: [network, rule({ interface: "opt6", interfacenot: "1" })] },
  ],
};

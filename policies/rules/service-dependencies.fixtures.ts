import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { SERVICES_TYPE } from "../lib/resources";

const services = (enabled: readonly string[]) => planResource(SERVICES_TYPE, "services", { enabled });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "Wazuh with its indexer and k3s",
      resources: [services(["k3s", "wazuh-indexer", "wazuh-manager", "wazuh-dashboard"])],
    },
    { name: "MISP alone needs nothing", resources: [services(["misp"])] },
    { name: "nothing enabled", resources: [services([])] },
    { name: "no Services record: not applicable", resources: [] },
  ],
  failing: [
    { name: "Cortex without TheHive", resources: [services(["k3s", "cortex"])] },
    { name: "Vector without Loki or k3s", resources: [services(["vector"])] },
    { name: "an unknown service", resources: [services(["k3s", "splunk"])] },
  ],
};

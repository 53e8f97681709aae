import type { PolicyFixtures } from "../lib/fixtures";
import { defaultDeny, homeCluster, k8sNamespace } from "./k8s-no-privileged.fixtures";

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "each namespace with a default deny", resources: homeCluster() },
    { name: "a stack without namespaces", resources: [defaultDeny("default")] },
  ],
  failing: [
    {
      name: "a namespace whose policy went to another namespace",
      resources: [k8sNamespace("fortress-intel"), defaultDeny("fortress-soc")],
    },
    { name: "an auto-named namespace", resources: [k8sNamespace(undefined), defaultDeny("unnamed")] },
  ],
};

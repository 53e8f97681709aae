import type { PolicyFixtures } from "../lib/fixtures";
import { homeCluster, k8sNamespace } from "./k8s-no-privileged.fixtures";

export const fixtures: PolicyFixtures = {
  passing: [{ name: "restricted namespaces and a privileged fortress-sensors", resources: homeCluster() }],
  failing: [
    { name: "a namespace without the enforce label", resources: [k8sNamespace("fortress-tools")] },
    {
      name: "a namespace that enforces privileged outside the sensors",
      resources: [k8sNamespace("fortress-soc", { "pod-security.kubernetes.io/enforce": "privileged" })],
    },
  ],
};

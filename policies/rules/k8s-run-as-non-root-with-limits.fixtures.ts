import type { PolicyFixtures } from "../lib/fixtures";
import {
  homeCluster,
  K8S,
  RESTRICTED_POD_SECURITY,
  restrictedContainer,
  workload,
  zeekSensorPodSpec,
} from "./k8s-no-privileged.fixtures";

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "restricted workloads, and a root sensor in fortress-sensors", resources: homeCluster() },
    {
      name: "a Job whose container sets runAsUser itself",
      resources: [
        workload(K8S.job, "realm-import", "fortress-identity", {
          restartPolicy: "Never",
          containers: [
            restrictedContainer("import", "quay.io/keycloak/keycloak:26.3.2", {
              securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false },
            }),
          ],
        }),
      ],
    },
  ],
  failing: [
    {
      name: "a StatefulSet without a securityContext",
      resources: [
        workload(K8S.statefulSet, "postgres", "fortress-identity", {
          securityContext: {},
          containers: [restrictedContainer("postgres", "postgres:17.5")],
        }),
      ],
    },
    {
      name: "a non-root Deployment whose init container has no limits",
      resources: [
        workload(K8S.deployment, "misp", "fortress-intel", {
          securityContext: RESTRICTED_POD_SECURITY,
          initContainers: [{ name: "migrate", image: "ghcr.io/misp/misp-docker/misp-core:v2.5.17" }],
          containers: [restrictedContainer("misp", "ghcr.io/misp/misp-docker/misp-core:v2.5.17")],
        }),
      ],
    },
    {
      name: "a sensor outside the allow-list runs as root",
      resources: [workload(K8S.daemonSet, "zeek", "fortress-soc", zeekSensorPodSpec())],
    },
  ],
};

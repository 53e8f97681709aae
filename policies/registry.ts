/** Every policy of the pack, in the order they run. Each lives in rules/<name>.ts beside its fixtures and test. */
import type { FortressPolicy } from "./lib/types";
import { blueprintDag } from "./rules/blueprint-dag";
import { inventory } from "./rules/inventory";
import { k3sPackagedComponents } from "./rules/k3s-packaged-components";
import { k8sChartValues } from "./rules/k8s-chart-values";
import { k8sExposure } from "./rules/k8s-exposure";
import { k8sNamespacePodSecurity } from "./rules/k8s-namespace-pod-security";
import { k8sNetworkpolicyPerNamespace } from "./rules/k8s-networkpolicy-per-namespace";
import { k8sNoExposedManagementUi } from "./rules/k8s-no-exposed-management-ui";
import { k8sNoPrivileged } from "./rules/k8s-no-privileged";
import { k8sObjectsInPlan } from "./rules/k8s-objects-in-plan";
import { k8sRbacLeastPrivilege } from "./rules/k8s-rbac-least-privilege";
import { k8sRunAsNonRootWithLimits } from "./rules/k8s-run-as-non-root-with-limits";
import { k8sReplicasResilient } from "./rules/k8s-replicas-resilient";
import { nodeCapacity } from "./rules/node-capacity";
import { opnsenseNoAnyToAny } from "./rules/opnsense-no-any-to-any";
import { serviceDependencies } from "./rules/service-dependencies";
import { cloudInitNoPassword } from "./rules/cloud-init-no-password";
import { containmentKeyLeastPrivilege } from "./rules/containment-key-least-privilege";
import { everyVmHasAnAgent } from "./rules/every-vm-has-an-agent";
import { greenboneNoDefaultPassword } from "./rules/greenbone-no-default-password";
import { grafanaReadOnlyDashboards } from "./rules/grafana-read-only-dashboards";
import { scanTargetsDeclared } from "./rules/scan-targets-declared";
import { opnsenseAntiLockoutFirst } from "./rules/opnsense-anti-lockout-first";
import { opnsenseDefaultDeny } from "./rules/opnsense-default-deny";
import { opnsenseZoneMatrix } from "./rules/opnsense-zone-matrix";
import { opnsenseRuleScope } from "./rules/opnsense-rule-scope";
import { opnsenseFirewallUi } from "./rules/opnsense-firewall-ui";
import { opnsenseNoPassIntoManagement } from "./rules/opnsense-no-pass-into-management";
import { pinnedVersions } from "./rules/pinned-versions";
import { quarantineBlocksFirst } from "./rules/quarantine-blocks-first";
import { responseNoDefaultCredential } from "./rules/response-no-default-credential";
import { proxmoxTokenLeastPrivilege } from "./rules/proxmox-token-least-privilege";
import { proxmoxVmNic } from "./rules/proxmox-vm-nic";
import { proxmoxGuestTypes } from "./rules/proxmox-guest-types";
import { proxmoxGuestFirewall } from "./rules/proxmox-guest-firewall";
import { proxmoxProviderLogin } from "./rules/proxmox-provider-login";
import { secretsFromRandomOrConfig } from "./rules/secrets-from-random-or-config";
import { secretsRandomStrength } from "./rules/secrets-random-strength";
import { sensorCapabilities } from "./rules/sensor-capabilities";
import { stateProtectedAndBackedUp } from "./rules/state-protected-and-backed-up";
import { monitoringConfigValidated } from "./rules/monitoring-config-validated";

export const POLICIES: readonly FortressPolicy[] = [
  opnsenseNoAnyToAny,
  blueprintDag,
  nodeCapacity,
  inventory,
  serviceDependencies,
  opnsenseNoPassIntoManagement,
  opnsenseDefaultDeny,
  opnsenseAntiLockoutFirst,
  opnsenseZoneMatrix,
  quarantineBlocksFirst,
  opnsenseRuleScope,
  opnsenseFirewallUi,
  proxmoxVmNic,
  proxmoxGuestTypes,
  proxmoxGuestFirewall,
  proxmoxTokenLeastPrivilege,
  proxmoxProviderLogin,
  cloudInitNoPassword,
  secretsFromRandomOrConfig,
  secretsRandomStrength,
  pinnedVersions,
  k8sNoPrivileged,
  k8sRunAsNonRootWithLimits,
  k8sReplicasResilient,
  k8sNoExposedManagementUi,
  k8sNetworkpolicyPerNamespace,
  k8sRbacLeastPrivilege,
  k8sExposure,
  k8sChartValues,
  k3sPackagedComponents,
  k8sNamespacePodSecurity,
  k8sObjectsInPlan,
  stateProtectedAndBackedUp,
  everyVmHasAnAgent,
  sensorCapabilities,
  greenboneNoDefaultPassword,
  grafanaReadOnlyDashboards,
  scanTargetsDeclared,
  responseNoDefaultCredential,
  containmentKeyLeastPrivilege,
  monitoringConfigValidated,
];

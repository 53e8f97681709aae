/**
 * The resource types each policy judges by type, named through the installed SDK classes (vocabulary/)
 * and Fortress's own tokens, by policy name. test/judged-types.test.ts holds every provider type the
 * home lab registers against it: a type no policy names is a failure unless that test says why it
 * needs no judge. `ANY_TYPE` marks a policy that reads every resource's inputs (secrets, pinned
 * versions, layers); it names no type, so it covers none.
 */
import { GUEST_TYPES, PROXMOX_FIREWALL_TYPES, PROXMOX_PROVIDER_TYPE } from "../vocabulary/proxmoxTypes";
import { RBAC_TYPES } from "../vocabulary/rbacTypes";
import { COMPONENT_TYPES, OPNSENSE_TYPE_PREFIX } from "../vocabulary/typeTokens";
import { k8sWorkloadTypes, SDK_TYPES } from "../vocabulary/sdkTypes";
import { CHART_TYPES, K3S_HELM_CHART_CONFIG_TYPE } from "./lib/charts";
import { PROMETHEUS_RULE_TYPE } from "./lib/promRules";
import { PDB_TYPE, WORKLOAD_TYPES as REPLICATED_WORKLOAD_TYPES } from "./rules/k8s-replicas-resilient";
import {
  DNS_DHCP_TYPE,
  FILE_TYPE,
  HYPERVISOR_TYPE,
  K8S_NAMESPACE_TYPE,
  K8S_NETWORK_POLICY_TYPE,
  K8S_SERVICE_TYPE,
  NETWORK_TYPE,
  OPNSENSE,
  SERVICES_TYPE,
  VM_TYPE,
} from "./lib/resources";

export const ANY_TYPE = "*";

const GUESTS = [...GUEST_TYPES.keys()];
const OPNSENSE_FILTER = [OPNSENSE("rule"), OPNSENSE("alias"), NETWORK_TYPE];
/** The kinds lib/kubernetes.ts reads pod specs of (POD_SPEC_PATHS), in every API version, patches too. */
const WORKLOADS = [
  ...k8sWorkloadTypes([
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
  ]).keys(),
];
const HELM = [SDK_TYPES.helmReleaseV3, SDK_TYPES.helmChartV3, SDK_TYPES.helmChartV4];
const COMMANDS = [SDK_TYPES.commandRemote, SDK_TYPES.commandLocal];
/** Every way in from outside the cluster: Services (NodePort, LoadBalancer, externalIPs) and Ingresses. */
const ROUTES_IN = [
  ...k8sWorkloadTypes(["Service"]).keys(),
  SDK_TYPES.k8sIngress,
  SDK_TYPES.k8sIngressV1beta1,
];

export const JUDGED_TYPES: Readonly<Record<string, readonly string[]>> = {
  "opnsense-no-any-to-any": OPNSENSE_FILTER,
  "blueprint-dag": [ANY_TYPE],
  "node-capacity": [HYPERVISOR_TYPE, VM_TYPE],
  inventory: [
    NETWORK_TYPE,
    DNS_DHCP_TYPE,
    OPNSENSE("hostOverride"),
    OPNSENSE("keaReservation"),
    OPNSENSE("dnsmasqHost"),
    ...GUESTS,
  ],
  "service-dependencies": [SERVICES_TYPE],
  "opnsense-no-pass-into-management": OPNSENSE_FILTER,
  "opnsense-default-deny": [OPNSENSE("rule"), NETWORK_TYPE],
  "opnsense-anti-lockout-first": OPNSENSE_FILTER,
  "opnsense-zone-matrix": OPNSENSE_FILTER,
  "quarantine-blocks-first": OPNSENSE_FILTER,
  "opnsense-rule-scope": [OPNSENSE("rule"), NETWORK_TYPE],
  "opnsense-firewall-ui": OPNSENSE_FILTER,
  "proxmox-vm-nic": GUESTS,
  "proxmox-guest-types": [ANY_TYPE],
  "proxmox-guest-firewall": [...GUESTS, ...Object.values(PROXMOX_FIREWALL_TYPES)],
  "proxmox-token-least-privilege": [
    SDK_TYPES.proxmoxToken,
    SDK_TYPES.proxmoxTokenLegacy,
    SDK_TYPES.proxmoxAcl,
    SDK_TYPES.proxmoxAclLegacy,
    SDK_TYPES.proxmoxUserLegacy,
    SDK_TYPES.proxmoxGroupLegacy,
    SDK_TYPES.proxmoxRoleLegacy,
  ],
  "proxmox-provider-login": [PROXMOX_PROVIDER_TYPE],
  "cloud-init-no-password": [FILE_TYPE, ...GUESTS],
  "secrets-from-random-or-config": [
    ANY_TYPE,
    SDK_TYPES.randomPassword,
    SDK_TYPES.randomBytes,
    SDK_TYPES.k8sSecret,
    SDK_TYPES.k8sConfigMap,
  ],
  "secrets-random-strength": [SDK_TYPES.randomPassword, SDK_TYPES.randomBytes],
  "pinned-versions": [
    ANY_TYPE,
    SDK_TYPES.proxmoxDownload,
    SDK_TYPES.proxmoxDownloadLegacy,
    FILE_TYPE,
    ...HELM,
  ],
  "k8s-no-privileged": WORKLOADS,
  "k8s-run-as-non-root-with-limits": WORKLOADS,
  "k8s-no-exposed-management-ui": [K8S_SERVICE_TYPE],
  "k8s-networkpolicy-per-namespace": [K8S_NAMESPACE_TYPE, K8S_NETWORK_POLICY_TYPE],
  "k8s-rbac-least-privilege": [...RBAC_TYPES.keys()],
  "k8s-exposure": [...WORKLOADS, ...ROUTES_IN],
  "k8s-chart-values": [...CHART_TYPES, K3S_HELM_CHART_CONFIG_TYPE],
  "k8s-namespace-pod-security": [K8S_NAMESPACE_TYPE],
  "k8s-replicas-resilient": [...REPLICATED_WORKLOAD_TYPES, PDB_TYPE, ...CHART_TYPES],
  "k8s-objects-in-plan": [...COMMANDS, FILE_TYPE],
  "k3s-packaged-components": COMMANDS,
  "every-vm-has-an-agent": [...GUESTS, SDK_TYPES.commandRemote],
  "sensor-capabilities": [...GUESTS, SDK_TYPES.proxmoxFile, SDK_TYPES.commandRemote],
  "greenbone-no-default-password": [
    COMPONENT_TYPES.greenbone,
    SDK_TYPES.randomPassword,
    SDK_TYPES.commandRemote,
  ],
  "scan-targets-declared": [COMPONENT_TYPES.greenbone, NETWORK_TYPE],
  "grafana-read-only-dashboards": [
    COMPONENT_TYPES.grafana,
    SDK_TYPES.randomPassword,
    SDK_TYPES.k8sSecret,
    SDK_TYPES.k8sConfigMap,
    SDK_TYPES.helmChartV4,
    SDK_TYPES.helmReleaseV3,
  ],
  "containment-key-least-privilege": [
    ...COMMANDS,
    `${OPNSENSE_TYPE_PREFIX}user`,
    `${OPNSENSE_TYPE_PREFIX}group`,
  ],
  "response-no-default-credential": [
    ANY_TYPE,
    COMPONENT_TYPES.theHive,
    COMPONENT_TYPES.cortex,
    COMPONENT_TYPES.misp,
    SDK_TYPES.randomPassword,
    ...CHART_TYPES,
  ],
  "state-protected-and-backed-up": [
    SDK_TYPES.proxmoxBackupJob,
    SDK_TYPES.k8sPersistentVolumeClaim,
    COMPONENT_TYPES.misp,
    ...CHART_TYPES,
    ...GUESTS,
  ],
  "monitoring-config-validated": [PROMETHEUS_RULE_TYPE, SDK_TYPES.k8sSecret, ...CHART_TYPES],
};

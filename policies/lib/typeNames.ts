/** The type tokens of the resources the policies read: Fortress's own components, OPNsense items, Proxmox, Kubernetes. */
import { COMPONENT_TYPES, opnsenseType } from "../../vocabulary/typeTokens";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export const OPNSENSE = opnsenseType;
export const VM_TYPE = SDK_TYPES.proxmoxVm;

/** The layer components and records the stack policies read. */
export const NETWORK_TYPE = COMPONENT_TYPES.network;
export const DNS_DHCP_TYPE = COMPONENT_TYPES.dnsDhcp;
export const HYPERVISOR_TYPE = COMPONENT_TYPES.hypervisor;
export const SERVICES_TYPE = COMPONENT_TYPES.services;

/** A file on a Proxmox datastore: cloud-init snippets (`contentType: "snippets"`, `sourceRaw.data`) among them. */
export const FILE_TYPE = SDK_TYPES.proxmoxFile;

/** Kubernetes objects as @pulumi/kubernetes registers them: `kubernetes:<group>/<version>:<Kind>`. */
export const K8S_NAMESPACE_TYPE = SDK_TYPES.k8sNamespace;
export const K8S_SERVICE_TYPE = SDK_TYPES.k8sService;
export const K8S_NETWORK_POLICY_TYPE = SDK_TYPES.k8sNetworkPolicy;

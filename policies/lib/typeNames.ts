/** The type tokens of the resources the policies read: Fortress's own components, OPNsense items, Proxmox, Kubernetes. */

export const OPNSENSE = (model: string) => `pulumi-nodejs:dynamic/fortress:opnsense:${model}`;
export const VM_TYPE = "proxmoxve:index/vmLegacy:VmLegacy";

/** The layer components and records the stack policies read. */
export const NETWORK_TYPE = "fortress:network:Network";
export const DNS_DHCP_TYPE = "fortress:dns-dhcp:DnsDhcp";
export const HYPERVISOR_TYPE = "fortress:hypervisor:Hypervisor";
export const SERVICES_TYPE = "fortress:lab:Services";

/** A file on a Proxmox datastore: cloud-init snippets (`contentType: "snippets"`, `sourceRaw.data`) among them. */
export const FILE_TYPE = "proxmoxve:index/fileLegacy:FileLegacy";

/** Kubernetes objects as @pulumi/kubernetes registers them: `kubernetes:<group>/<version>:<Kind>`. */
export const K8S_NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";
export const K8S_SERVICE_TYPE = "kubernetes:core/v1:Service";
export const K8S_NETWORK_POLICY_TYPE = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

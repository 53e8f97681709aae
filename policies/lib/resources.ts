/**
 * Reading resources as policies see them, one import for the rules. Each part has its own file: the type
 * tokens (typeNames.ts), any resource's inputs (inputs.ts), the stack as a whole (stack.ts), OPNsense items
 * (opnsense.ts), Proxmox VMs (proxmox.ts), Kubernetes objects (kubernetes.ts).
 */
export * from "./typeNames";
export * from "./inputs";
export * from "./stack";
export * from "./opnsense";
export * from "./proxmox";
export * from "./kubernetes";

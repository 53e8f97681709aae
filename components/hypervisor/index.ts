export * from "./args";
export * from "./hypervisor";

/** A container's requests and limits, both required: the pack's k8s-run-as-non-root-with-limits rule checks all four. */
// Type aliases, not interfaces: the Kubernetes SDK's quantity maps are index signatures.
export type Quantities = { readonly cpu: string; readonly memory: string };

export type ContainerResources = { readonly requests: Quantities; readonly limits: Quantities };

export const requestsAndLimits = (requests: Quantities, limits: Quantities): ContainerResources => ({
  requests,
  limits,
});

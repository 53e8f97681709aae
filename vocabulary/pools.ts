/** The k3s agent pools: general workloads, the indexer (search storage), the GPU worker. */
export type K3sPool = "general" | "indexer" | "gpu";

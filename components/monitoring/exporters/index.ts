/** The monitoring layer's exporters in the cluster, for the layer to build. */
export { IndexerExporter, type IndexerExporterArgs, INDEXER_JOB } from "./indexerExporter";
export { EXPORTER_IMAGES, EXPORTER_RESOURCES } from "./pins";
export { PROXMOX_EXPORTER_ACCESS, PROXMOX_EXPORTER_TOKEN_ID } from "./proxmoxAccess";
export { PROXMOX_JOB, ProxmoxExporter, type ProxmoxExporterArgs } from "./proxmoxExporter";

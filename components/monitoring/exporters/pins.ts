/**
 * The exporters the monitoring layer runs in the cluster, pinned in one place: images by tag and
 * digest, the users their images run as, and their requests and limits.
 *
 * Digests: no registry is reachable from where Fortress is built, so each is the multi-arch digest
 * that public deployments pin for that exact tag (found by searching public code for
 * `<image>:<tag>@sha256:`, two independent repositories agreeing for the elasticsearch exporter, one
 * for prometheus-pve-exporter). A wrong digest fails the pull, it never runs other content; the
 * component takes another (`imageDigest`) from the stack's configuration.
 */
import { requestsAndLimits } from "../../kubernetes/resources";

export interface ExporterImage {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

export const EXPORTER_IMAGES = {
  /**
   * prometheus-pve/prometheus-pve-exporter@v3.10.0 (README.rst: `docker pull prompve/prometheus-pve-exporter`);
   * Dockerfile: alpine 3.24.1, a venv under /opt, `USER prometheus` (uid 101, `adduser -u 101`),
   * EXPOSE 9221, ENTRYPOINT the venv's pve_exporter.
   */
  proxmox: {
    repository: "docker.io/prompve/prometheus-pve-exporter",
    tag: "3.10.0",
    digest: "sha256:4867684c0a937716f11f770a32d32958bded507cf570fc334f774392afcb2f37",
  },
  /**
   * prometheus-community/elasticsearch_exporter@v1.11.0 (the chart prometheus-elasticsearch-exporter
   * 7.4.0's appVersion); Dockerfile: busybox glibc, `USER nobody` (65534), ENTRYPOINT
   * /bin/elasticsearch_exporter; main.go listens on :9114.
   */
  indexer: {
    repository: "quay.io/prometheuscommunity/elasticsearch-exporter",
    tag: "v1.11.0",
    digest: "sha256:a056739b095df4baaa076f0b31321394233da9a240eeada2623d1b028b7ee7a6",
  },
} as const satisfies Record<string, ExporterImage>;

export type ExporterName = keyof typeof EXPORTER_IMAGES;

/** `<repository>:<tag>@<digest>`; `digest` replaces the pinned one (and must be one). */
export function exporterImage(name: ExporterName, digest?: string): string {
  const image = EXPORTER_IMAGES[name];
  const pinned = digest ?? image.digest;
  if (!IMAGE_DIGEST.test(pinned))
    throw new Error(`${name} exporter: image digest ${pinned} is not sha256:<64 hex>`);
  return `${image.repository}:${image.tag}@${pinned}`;
}

/** The users the images declare (Dockerfile `USER`): the pods run as them, never root. */
export const EXPORTER_UIDS: Readonly<Record<ExporterName, number>> = {
  proxmox: 101,
  indexer: 65534,
};

/**
 * Requests and limits. prometheus-pve-exporter is Python under gunicorn (2 threads, one worker:
 * src/pve_exporter/cli.py gunicorn_options), tens of MiB resident; the elasticsearch exporter is one
 * Go binary. Both answer a scrape a minute.
 */
export const EXPORTER_RESOURCES = {
  proxmox: requestsAndLimits({ cpu: "20m", memory: "64Mi" }, { cpu: "250m", memory: "192Mi" }),
  indexer: requestsAndLimits({ cpu: "10m", memory: "32Mi" }, { cpu: "200m", memory: "96Mi" }),
} as const;

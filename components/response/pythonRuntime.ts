/**
 * A Python for the containment responder inside Cortex's pod. Cortex's process runner runs the
 * responder's command in Cortex's own container (neurons.ts), and Cortex's image has no Python:
 * project/DockerSettings.scala (TheHive-Project/Cortex@4.1.0) installs python3 only in the `withDeps`
 * variant, on `ghcr.io/strangebee/cortex-baselayer:rolling`, whose own Dockerfile is not public; the
 * repository's builds/docker/Dockerfile ("development version") builds that layer on Debian 13 slim with
 * Corretto and Docker's packages only. UNVERIFIED here: that the released base is Debian 13 too (the
 * interpreter below needs trixie's glibc and libssl3). The chart offers no init container of ours (cortex-charts/cortex/templates/deployment.yaml
 * renders only its own checkElasticsearch one), so a transform on the chart's Deployment adds one: it
 * copies the pinned official Python image's /usr/local (the interpreter, libpython, the standard
 * library) into an emptyDir that Cortex's container mounts read-only at PYTHON_RUNTIME.mountPath. Both
 * images are Debian 13 (trixie), so the interpreter finds the C library it was built against; the
 * responder needs nothing but the standard library (ssl from the libssl Cortex's curl already pulls in).
 */
import type * as pulumi from "@pulumi/pulumi";
import { requestsAndLimits } from "../kubernetes/resources";
import { restrictedContainerSecurity } from "../kubernetes/securityContext";

/**
 * The official image at an exact release, by the index digest public Dockerfiles pin it with
 * (docker-library/python's 3.13.9 slim-trixie tag; no registry is reachable here to read it anew).
 */
export const PYTHON_RUNTIME = {
  image:
    "docker.io/library/python:3.13.9-slim-trixie@sha256:326df678c20c78d465db501563f3492d17c42a4afe33a1f2bf5406a1d56b0e86",
  mountPath: "/opt/fortress/python",
  volume: "fortress-python",
} as const;

type Obj = Record<string, unknown>;

const listOf = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/** The Deployment's pod spec with the runtime's init container, volume and Cortex's read-only mount. */
export function withPythonRuntime(podSpec: Obj, containerName: string, uid: number): Obj {
  const containers = listOf(podSpec.containers);
  if (!containers.some((container) => container.name === containerName))
    throw new Error(`the Cortex Deployment has no container ${containerName} to give Python to`);
  const copy: Obj = {
    name: "python-runtime",
    image: PYTHON_RUNTIME.image,
    command: ["cp", "-R", "--preserve=mode,links", "/usr/local/.", "/runtime/"],
    volumeMounts: [{ name: PYTHON_RUNTIME.volume, mountPath: "/runtime" }],
    securityContext: restrictedContainerSecurity(uid),
    resources: requestsAndLimits({ cpu: "50m", memory: "32Mi" }, { cpu: "200m", memory: "64Mi" }),
  };
  return {
    ...podSpec,
    initContainers: [...listOf(podSpec.initContainers).filter((c) => c.name !== copy.name), copy],
    volumes: [
      ...listOf(podSpec.volumes).filter((volume) => volume.name !== PYTHON_RUNTIME.volume),
      { name: PYTHON_RUNTIME.volume, emptyDir: { sizeLimit: "200Mi" } },
    ],
    containers: containers.map((container) =>
      container.name === containerName
        ? {
            ...container,
            volumeMounts: [
              ...listOf(container.volumeMounts).filter((mount) => mount.name !== PYTHON_RUNTIME.volume),
              { name: PYTHON_RUNTIME.volume, mountPath: PYTHON_RUNTIME.mountPath, readOnly: true },
            ],
          }
        : container,
    ),
  };
}

/** The transform for the Cortex chart: only its Deployment named `deployment` changes. */
export function pythonRuntimeTransform(deployment: string, uid: number): pulumi.ResourceTransform {
  return (args) => {
    if (args.type !== "kubernetes:apps/v1:Deployment") return undefined;
    const props = args.props as Obj;
    const metadata = (props.metadata ?? {}) as Obj;
    if (metadata.name !== deployment) return undefined;
    const spec = (props.spec ?? {}) as Obj;
    const template = (spec.template ?? {}) as Obj;
    const podSpec = (template.spec ?? {}) as Obj;
    return {
      props: {
        ...props,
        spec: { ...spec, template: { ...template, spec: withPythonRuntime(podSpec, deployment, uid) } },
      },
      opts: args.opts,
    };
  };
}

/** The responder's command: the mounted runtime running the adapter next to this script. */
export function responderLauncher(program: string): string {
  return [
    "#!/bin/sh",
    "# Rendered by Fortress (components/response/pythonRuntime.ts): Cortex's image has no Python.",
    `PYTHON=\${FORTRESS_PYTHON:-${PYTHON_RUNTIME.mountPath}/bin/python3}`,
    `LD_LIBRARY_PATH=${PYTHON_RUNTIME.mountPath}/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}`,
    "export LD_LIBRARY_PATH",
    `exec "$PYTHON" "$(dirname "$0")/${program}" "$@"`,
    "",
  ].join("\n");
}

/**
 * Greenbone's compose file as Fortress writes it: Greenbone's own (greenbone/docs@edf6cb7d:
 * src/_static/compose.yaml, project `greenbone-community-edition`) with these changes only:
 * - every image by digest, never a floating tag: `<repository>@${FORTRESS_DIGEST_<KEY>:?…}`, the digest
 *   from the project's `.env` beside the compose file (imagePins.ts writes it). `${VAR:?err}` is the compose
 *   specification's required value: unset or empty, compose exits with an error holding `err`
 *   (compose-spec/compose-spec@170098b:12-interpolation.md; compose-spec/compose-go@v2.8.1:
 *   template/template.go withRequired, "required variable … is missing a value: <err>"), so no container
 *   starts from an image that is not pinned. Compose reads `.env` from the project directory, the first
 *   compose file's directory (compose-go@v2.8.1: cli/options.go WithEnvFiles); Fortress also names it with
 *   `--env-file` (COMPOSE_COMMAND);
 * - gvmd's socket directory bind-mounted from the host (`GVMD_SOCKET_DIR`) for Fortress's GMP client,
 *   as greenbone/docs src/22.4/container/workflows.md "Exposing gvmd Unix socket for GMP Access"
 *   does (its parent directory is root-only on the host, so only root reaches the socket);
 * - the web UI's certificate from the lab's CA: nginx reads `server.cert.pem`/`server.key` from a
 *   host directory instead of the volume gvm-config fills with a self-signed pair, exactly as
 *   workflows.md "Setting up SSL/TLS for GSA" does; NGINX_HOST and the allowed origin are the VM's fqdn
 *   (workflows.md "Accessing the Web Interface Remotely");
 * - nginx publishes 443 on the VM's own address only (upstream: 127.0.0.1:443 and 127.0.0.1:9392);
 *   which networks reach that address is the firewall's zone matrix's decision.
 */
import * as yaml from "js-yaml";
import { FEED_RELEASE, GREENBONE_IMAGES, type GreenboneImageName, digestVariable } from "./pins";

export const COMPOSE_PROJECT = "greenbone-community-edition";
export const GREENBONE_DIR = "/opt/greenbone";
export const COMPOSE_PATH = `${GREENBONE_DIR}/compose.yaml`;
/** The project's `.env`: one `FORTRESS_DIGEST_<KEY>=sha256:…` line per image (root-only, imagePins.ts). */
export const ENV_PATH = `${GREENBONE_DIR}/.env`;
/** `docker compose` on the Greenbone project (run as root). */
export const COMPOSE_COMMAND = `docker compose -p ${COMPOSE_PROJECT} -f ${COMPOSE_PATH} --env-file ${ENV_PATH}`;
/** nginx's certificate and key, named as Greenbone's docs name them. */
export const CERT_DIR = `${GREENBONE_DIR}/certs`;
export const CERT_FILE = "server.cert.pem";
export const KEY_FILE = "server.key";
/** The host directory of gvmd's socket; its parent is root-only (0700). */
export const SOCKET_PARENT = "/run/fortress-greenbone";
export const GVMD_SOCKET_DIR = `${SOCKET_PARENT}/gvmd`;
export const GVMD_SOCKET = `${GVMD_SOCKET_DIR}/gvmd.sock`;
export const WEB_PORT = 443;

export interface ComposeArgs {
  /** The VM's address nginx listens on. */
  readonly bindAddress: string;
  /** The web UI's DNS name (the VM's fqdn). */
  readonly fqdn: string;
}

type Service = Record<string, unknown>;
const always = { restart_policy: { condition: "any" } };
const healthy = { condition: "service_healthy" };
const completed = { condition: "service_completed_successfully" };
const started = { condition: "service_started" };
const data = (volume: string, env: Record<string, unknown> = {}): Service => ({
  environment: { ...env, KEEP_ALIVE: 1 },
  volumes: [`${volume}:/mnt`],
});

/** configure-openvas's script, as upstream writes it. */
const CONFIGURE_OPENVAS = [
  'printf "table_driven_lsc = yes\\nopenvasd_server = http://openvasd:80\\n" > /mnt/openvas.conf',
  "sed \"s/127/128/\" /etc/openvas/openvas_log.conf | sed 's/gvm/openvas/' > /mnt/openvas_log.conf",
  "chmod 644 /mnt/openvas.conf",
  "chmod 644 /mnt/openvas_log.conf",
  "touch /var/log/openvas/openvas.log",
  "chmod 666 /var/log/openvas/openvas.log",
  "",
].join("\n");

type Services = Record<string, [GreenboneImageName, Service]>;
const SOCKET_MOUNT = `${GVMD_SOCKET_DIR}:/run/gvmd`;

/** The feed data, database and manager services with the image each runs (the key of GREENBONE_IMAGES). */
function dataServices(): Services {
  const socket = SOCKET_MOUNT;
  return {
    "vulnerability-tests": ["vulnerability-tests", data("vt_data_vol", { FEED_RELEASE })],
    "notus-data": ["notus-data", data("notus_data_vol")],
    "scap-data": ["scap-data", data("scap_data_vol")],
    "cert-bund-data": ["cert-bund-data", data("cert_data_vol")],
    "dfn-cert-data": [
      "dfn-cert-data",
      { ...data("cert_data_vol"), depends_on: { "cert-bund-data": healthy } },
    ],
    "data-objects": ["data-objects", data("data_objects_vol", { FEED_RELEASE })],
    "report-formats": [
      "report-formats",
      { ...data("data_objects_vol", { FEED_RELEASE }), depends_on: { "data-objects": healthy } },
    ],
    "gpg-data": ["gpg-data", { volumes: ["gpg_data_vol:/mnt"] }],
    "redis-server": ["redis-server", { deploy: always, volumes: ["redis_socket_vol:/run/redis/"] }],
    "pg-gvm": [
      "pg-gvm",
      {
        deploy: always,
        volumes: ["psql_data_vol:/var/lib/postgresql", "psql_socket_vol:/var/run/postgresql"],
        depends_on: { "pg-gvm-migrator": completed },
      },
    ],
    "pg-gvm-migrator": [
      "pg-gvm-migrator",
      {
        deploy: { restart_policy: { condition: "none" } },
        volumes: ["psql_data_vol:/var/lib/postgresql", "psql_socket_vol:/var/run/postgresql"],
      },
    ],
    gvmd: [
      "gvmd",
      {
        deploy: always,
        volumes: [
          "gvmd_data_vol:/var/lib/gvm",
          "scap_data_vol:/var/lib/gvm/scap-data/",
          "cert_data_vol:/var/lib/gvm/cert-data",
          "data_objects_vol:/var/lib/gvm/data-objects/gvmd",
          "vt_data_vol:/var/lib/openvas/plugins",
          "psql_data_vol:/var/lib/postgresql",
          socket,
          "ospd_openvas_socket_vol:/run/ospd",
          "psql_socket_vol:/var/run/postgresql",
        ],
        depends_on: {
          "pg-gvm": started,
          "scap-data": healthy,
          "cert-bund-data": healthy,
          "dfn-cert-data": healthy,
          "data-objects": healthy,
          "report-formats": healthy,
        },
      },
    ],
    gsa: [
      "gsa",
      {
        environment: { MOUNT_PATH: "/mnt/web", KEEP_ALIVE: 1 },
        healthcheck: { test: ["CMD-SHELL", "test -e /run/gsa/copying.done"], start_period: "5s" },
        volumes: ["gsa_data_vol:/mnt/web"],
      },
    ],
    gsad: [
      "gsad",
      {
        deploy: always,
        environment: { GSAD_HTTP_ONLY: "true", GSAD_API_ONLY: "true", GSAD_FOREGROUND: "true" },
        volumes: [socket],
        depends_on: { gvmd: started },
      },
    ],
  };
}

/** The web, scanner and tools services. */
function frontServices(args: ComposeArgs): Services {
  const socket = SOCKET_MOUNT;
  return {
    "gvm-config": [
      "gvm-config",
      {
        environment: {
          ENABLE_NGINX_CONFIG: "true",
          ENABLE_TLS_GENERATION: "true",
          NGINX_HOST: args.fqdn,
          NGINX_ACCESS_CONTROL_ALLOW_ORIGIN_HEADER: `https://${args.fqdn}`,
        },
        volumes: ["nginx_config_vol:/mnt/nginx/configs", "nginx_certificates_vol:/mnt/nginx/certs"],
      },
    ],
    nginx: [
      "nginx",
      {
        ports: [`${args.bindAddress}:${WEB_PORT}:443`],
        volumes: [
          "nginx_config_vol:/etc/nginx/conf.d:ro",
          `${CERT_DIR}:/etc/nginx/certs:ro`,
          "gsa_data_vol:/usr/share/nginx/html:ro",
        ],
        deploy: always,
        depends_on: { "gvm-config": completed, gsa: healthy, gsad: started },
      },
    ],
    "configure-openvas": [
      "openvas-scanner",
      {
        volumes: ["openvas_data_vol:/mnt", "openvas_log_data_vol:/var/log/openvas"],
        command: ["/bin/sh", "-c", CONFIGURE_OPENVAS],
      },
    ],
    openvas: [
      "openvas-scanner",
      {
        volumes: ["openvas_data_vol:/etc/openvas", "openvas_log_data_vol:/var/log/openvas"],
        command: ["/bin/sh", "-c", "cat /etc/openvas/openvas.conf\ntail -f /var/log/openvas/openvas.log\n"],
        depends_on: { "configure-openvas": completed },
      },
    ],
    openvasd: [
      "openvas-scanner",
      {
        deploy: always,
        environment: {
          OPENVASD_MODE: "service_notus",
          GNUPGHOME: "/etc/openvas/gnupg",
          LISTENING: "0.0.0.0:80",
        },
        volumes: [
          "openvas_data_vol:/etc/openvas",
          "openvas_log_data_vol:/var/log/openvas",
          "gpg_data_vol:/etc/openvas/gnupg",
          "notus_data_vol:/var/lib/notus",
        ],
        depends_on: {
          "vulnerability-tests": healthy,
          "notus-data": healthy,
          "configure-openvas": completed,
          "gpg-data": completed,
        },
        networks: { default: { aliases: ["openvasd"] } },
      },
    ],
    "ospd-openvas": [
      "ospd-openvas",
      {
        deploy: always,
        hostname: "ospd-openvas.local",
        cap_add: ["NET_ADMIN", "NET_RAW"],
        security_opt: ["seccomp=unconfined", "apparmor=unconfined"],
        command: [
          "ospd-openvas",
          "-f",
          "--config",
          "/etc/gvm/ospd-openvas.conf",
          "--notus-feed-dir",
          "/var/lib/notus/advisories",
          "-m",
          "666",
        ],
        volumes: [
          "gpg_data_vol:/etc/openvas/gnupg",
          "vt_data_vol:/var/lib/openvas/plugins",
          "notus_data_vol:/var/lib/notus",
          "ospd_openvas_socket_vol:/run/ospd",
          "redis_socket_vol:/run/redis/",
          "openvas_data_vol:/etc/openvas/",
          "openvas_log_data_vol:/var/log/openvas",
        ],
        depends_on: {
          "redis-server": started,
          "gpg-data": completed,
          "configure-openvas": completed,
          "vulnerability-tests": healthy,
          "notus-data": healthy,
        },
      },
    ],
    "gvm-tools": [
      "gvm-tools",
      { volumes: [socket, "ospd_openvas_socket_vol:/run/ospd"], depends_on: ["gvmd", "ospd-openvas"] },
    ],
  };
}

/** The named volumes upstream declares, less gvmd's socket volume (a host directory here). */
export const COMPOSE_VOLUMES = [
  "gpg_data_vol",
  "scap_data_vol",
  "cert_data_vol",
  "data_objects_vol",
  "gvmd_data_vol",
  "psql_data_vol",
  "vt_data_vol",
  "notus_data_vol",
  "psql_socket_vol",
  "ospd_openvas_socket_vol",
  "redis_socket_vol",
  "openvas_data_vol",
  "openvas_log_data_vol",
  "gsa_data_vol",
  "nginx_config_vol",
  "nginx_certificates_vol",
] as const;

/** `<repository>@${FORTRESS_DIGEST_<KEY>:?…}`: the image by the digest `.env` records, or no start at all. */
export function pinnedImage(name: GreenboneImageName): string {
  const variable = digestVariable(name);
  return `${GREENBONE_IMAGES[name].repository}@\${${variable}:?no pinned digest for ${name} in ${ENV_PATH} (run fortress-greenbone-pin)}`;
}

/** Greenbone's compose file with every image pinned by a digest from `.env` (YAML; pure). */
export function renderCompose(args: ComposeArgs): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(args.bindAddress) || args.bindAddress === "0.0.0.0")
    throw new Error(`Greenbone's web UI binds to an IPv4 address, not ${args.bindAddress}`);
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(args.fqdn))
    throw new Error(`Greenbone's web UI needs a DNS name, not ${args.fqdn}`);
  const rendered: Record<string, Service> = {};
  for (const [name, [imageName, service]] of Object.entries({ ...dataServices(), ...frontServices(args) })) {
    rendered[name] = { image: pinnedImage(imageName), ...service };
  }
  const document = {
    name: COMPOSE_PROJECT,
    services: rendered,
    volumes: Object.fromEntries(COMPOSE_VOLUMES.map((volume) => [volume, null])),
  };
  return `# Written by Fortress (components/vuln/compose.ts) from greenbone/docs src/_static/compose.yaml.\n${yaml.dump(document, { lineWidth: -1, noRefs: true })}`;
}

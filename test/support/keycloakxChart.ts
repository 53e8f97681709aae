/**
 * What the codecentric `keycloakx` chart renders for the Keycloak container (env, ports, probes) from a
 * release's values, and which scheme Keycloak then serves on its management port. Written from the
 * vendors' sources, not from Fortress's code:
 *
 * - codecentric/helm-charts `charts/keycloakx/values.yaml` (tag keycloakx-7.1.11, the newest the
 *   snapshot here holds; Fortress pins 7.4.0, whose release notes list only NOTES.txt fixes and the
 *   Keycloak bump since): the probe templates and the `http`, `health`, `metrics` defaults.
 * - `charts/keycloakx/templates/statefulset.yaml`: the env the chart writes before `extraEnv`, the
 *   ports (`http` 8080, `{{ .Values.http.internalPort }}` 9000, `https` 8443), and the probes (liveness
 *   and startup when `health.enabled`; readiness when `metrics.enabled` too), each through `tpl`.
 * - keycloak/keycloak `quarkus/runtime/.../mappers/ManagementPropertyMappers.java`
 *   (`isManagementEnabled`, `isInheritedScheme`, `isManagementTlsEnabled`) and
 *   `quarkus/config-api/.../config/ManagementOptions.java` (`http-management-scheme`: `inherited` by
 *   default, or `http`; `http-management-port` 9000; each `https-management-*` option maps from its
 *   `https-*` counterpart).
 */
import { load } from "js-yaml";

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: unknown;
}
export interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
}
export interface HttpGetProbe {
  readonly path: string;
  readonly port: string | number;
  readonly scheme: string;
}
export interface RenderedKeycloak {
  readonly env: readonly EnvVar[];
  readonly ports: readonly ContainerPort[];
  readonly probes: Readonly<Partial<Record<"liveness" | "readiness" | "startup", HttpGetProbe>>>;
}

/** The chart's own defaults for what this renderer reads (values.yaml). */
const CHART_DEFAULTS = {
  http: { relativePath: "/auth", internalPort: "http-internal", internalScheme: "HTTP" },
  health: { enabled: true },
  metrics: { enabled: true },
  proxy: { enabled: true, mode: "forwarded", http: { enabled: true } },
  cache: { stack: "default" },
  service: { httpsPort: 8443 },
  livenessProbe: [
    "httpGet:",
    "  path: '{{ tpl .Values.http.relativePath $ | trimSuffix \"/\" }}/health/live'",
    "  port: '{{ .Values.http.internalPort }}'",
    "  scheme: '{{ .Values.http.internalScheme }}'",
  ].join("\n"),
  readinessProbe: [
    "httpGet:",
    "  path: '{{ tpl .Values.http.relativePath $ | trimSuffix \"/\" }}/health/ready'",
    "  port: '{{ .Values.http.internalPort }}'",
    "  scheme: '{{ .Values.http.internalScheme }}'",
  ].join("\n"),
  startupProbe: [
    "httpGet:",
    "  path: '{{ tpl .Values.http.relativePath $ | trimSuffix \"/\" }}/health'",
    "  port: '{{ .Values.http.internalPort }}'",
    "  scheme: '{{ .Values.http.internalScheme }}'",
  ].join("\n"),
};

type Values = Record<string, unknown>;

/** Helm's coalescing of user values over the chart's: maps merge, anything else replaces. */
export function mergeValues(defaults: Values, overrides: Values): Values {
  const merged: Values = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const base = merged[key];
    merged[key] = isMap(base) && isMap(value) ? mergeValues(base, value) : value === null ? undefined : value;
  }
  return merged;
}
const isMap = (value: unknown): value is Values =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function at(values: Values, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), values);
}

/** The few `tpl` expressions the chart's probe and env templates use; any other one is refused. */
function tpl(text: string, values: Values): string {
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, expression: string) => {
    const relative = /^tpl \.Values\.http\.relativePath \$ \| trimSuffix "\/"$/.exec(expression);
    if (relative) return String(at(values, "http.relativePath")).replace(/\/$/, "");
    const plain = /^\.Values\.([A-Za-z.]+)$/.exec(expression);
    if (plain) return String(at(values, plain[1]));
    throw new Error(`keycloakx double: template expression not modelled: {{ ${expression} }}`);
  });
}

export function renderKeycloakx(userValues: Values): RenderedKeycloak {
  const values = mergeValues(CHART_DEFAULTS, userValues);
  const relativePath = String(at(values, "http.relativePath"));
  const env: EnvVar[] = [
    { name: "KC_HTTP_RELATIVE_PATH", value: relativePath === "/" ? "/" : relativePath.replace(/\/$/, "") },
  ];
  if (at(values, "cache.stack") === "default") {
    env.push({ name: "KC_CACHE", value: "ispn" }, { name: "KC_CACHE_STACK", value: "jdbc-ping" });
  }
  if (at(values, "proxy.enabled"))
    env.push({ name: "KC_PROXY_HEADERS", value: String(at(values, "proxy.mode")) });
  if (at(values, "proxy.http.enabled")) env.push({ name: "KC_HTTP_ENABLED", value: "true" });
  if (at(values, "metrics.enabled")) env.push({ name: "KC_METRICS_ENABLED", value: "true" });
  if (at(values, "health.enabled")) env.push({ name: "KC_HEALTH_ENABLED", value: "true" });
  const extraEnv = at(values, "extraEnv");
  if (typeof extraEnv === "string" && extraEnv.trim() !== "") {
    env.push(...(load(tpl(extraEnv, values)) as EnvVar[]));
  }
  // Kubernetes merges a container's env by name: a name the chart already writes, repeated in extraEnv,
  // makes the next upgrade's patch fail ("The order in patch list … doesn't match $setElementOrder list",
  // codecentric/helm-charts#94), and an atomic release then rolls back.
  const names = env.map((entry) => entry.name);
  const repeated = names.filter((entry, index) => names.indexOf(entry) !== index);
  if (repeated.length > 0) throw new Error(`env names repeated in the container: ${repeated.join(", ")}`);

  const ports: ContainerPort[] = [
    { name: "http", containerPort: 8080 },
    { name: String(at(values, "http.internalPort")), containerPort: 9000 },
    ...(at(values, "service.httpsPort") ? [{ name: "https", containerPort: 8443 }] : []),
  ];

  const probe = (key: string): HttpGetProbe | undefined => {
    const template = at(values, key);
    if (typeof template !== "string" || template.trim() === "") return undefined;
    const rendered = load(tpl(template, values)) as { httpGet?: HttpGetProbe };
    if (!rendered.httpGet) throw new Error(`keycloakx double: ${key} is not an httpGet probe`);
    return rendered.httpGet;
  };
  const probes: RenderedKeycloak["probes"] = {};
  if (at(values, "health.enabled")) {
    const liveness = probe("livenessProbe");
    const readiness = at(values, "metrics.enabled") ? probe("readinessProbe") : undefined;
    const startup = probe("startupProbe");
    Object.assign(
      probes,
      liveness ? { liveness } : {},
      readiness ? { readiness } : {},
      startup ? { startup } : {},
    );
  }
  return { env, ports, probes };
}

/** Keycloak's last word on an option given as environment variables (KC_<OPTION>). */
function option(env: readonly EnvVar[], name: string): string | undefined {
  const key = `KC_${name.toUpperCase().replace(/-/g, "_")}`;
  const found = [...env].reverse().find((entry) => entry.name === key);
  if (!found) return undefined;
  return found.value ?? "<from a secret>";
}

/** The port and scheme Keycloak serves its management interface (health, metrics) on, if it runs one. */
export function keycloakManagementInterface(
  env: readonly EnvVar[],
): { readonly port: number; readonly scheme: "http" | "https" } | undefined {
  const enabled =
    option(env, "legacy-observability-interface") !== "true" &&
    (option(env, "metrics-enabled") === "true" ||
      (option(env, "health-enabled") === "true" &&
        option(env, "http-management-health-enabled") !== "false"));
  if (!enabled) return undefined;
  const port = Number(option(env, "http-management-port") ?? "9000");
  const inherited = option(env, "http-management-scheme") !== "http";
  if (!inherited) return { port, scheme: "http" };
  const inherit = (managementOption: string, mainOption: string) =>
    option(env, managementOption) ?? option(env, mainOption);
  const certificate = inherit("https-management-certificate-file", "https-certificate-file");
  const key = inherit("https-management-certificate-key-file", "https-certificate-key-file");
  const keyStore = inherit("https-management-key-store-file", "https-key-store-file");
  return { port, scheme: (certificate && key) || keyStore ? "https" : "http" };
}

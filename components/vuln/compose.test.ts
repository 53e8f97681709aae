/**
 * Greenbone's compose file as rendered: parsed with js-yaml (no `docker compose config` here) and
 * checked against the compose specification's requirements (compose-spec: `services` with an `image`
 * each, named volumes declared at the top level, depends_on naming services) and Fortress's own:
 * every image by a digest from `.env` (`${FORTRESS_DIGEST_<KEY>:?…}`), no floating tag, the web UI only
 * on the VM's address. Interpolated with compose's own rules (composeSyntax.fixtures.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import {
  COMPOSE_PROJECT,
  COMPOSE_VOLUMES,
  ENV_PATH,
  GVMD_SOCKET_DIR,
  CERT_DIR,
  renderCompose,
} from "./compose";
import { interpolate, parseDotEnv } from "./composeSyntax.fixtures";
import { renderEnv } from "./imagePins";
import { GREENBONE_IMAGES, type GreenboneImageDigests, digestProblems, digestVariable } from "./pins";
import { SAMPLE_DIGESTS } from "./sample.fixtures";

/** The services of greenbone/docs@edf6cb7d:src/_static/compose.yaml, in its order. */
const UPSTREAM_SERVICES = [
  "vulnerability-tests",
  "notus-data",
  "scap-data",
  "cert-bund-data",
  "dfn-cert-data",
  "data-objects",
  "report-formats",
  "gpg-data",
  "redis-server",
  "pg-gvm",
  "pg-gvm-migrator",
  "gvmd",
  "gsa",
  "gsad",
  "gvm-config",
  "nginx",
  "configure-openvas",
  "openvas",
  "openvasd",
  "ospd-openvas",
  "gvm-tools",
];

type Service = {
  image?: unknown;
  volumes?: unknown[];
  ports?: unknown[];
  depends_on?: unknown;
  environment?: Record<string, unknown>;
};
type Compose = { name?: unknown; services: Record<string, Service>; volumes: Record<string, unknown> };

const text = (overrides: Partial<Parameters<typeof renderCompose>[0]> = {}) =>
  renderCompose({ bindAddress: "10.0.10.40", fqdn: "greenbone-1.lab.example", ...overrides });
const render = (overrides: Partial<Parameters<typeof renderCompose>[0]> = {}) =>
  yaml.load(text(overrides)) as Compose;
/** The compose file as compose loads it: interpolated with the variables of an `.env`. */
const loaded = (env: string) => yaml.load(interpolate(text(), parseDotEnv(env))) as Compose;

describe("Greenbone compose file", () => {
  const compose = render();

  it("keeps Greenbone's project name and every upstream service", () => {
    assert.equal(compose.name, COMPOSE_PROJECT);
    assert.deepEqual(Object.keys(compose.services), UPSTREAM_SERVICES);
  });

  it("names every image by a required .env variable, one per image, never by tag", () => {
    const variables = new Map<string, string>();
    for (const [name, service] of Object.entries(compose.services)) {
      assert.equal(typeof service.image, "string", `${name} has no image`);
      const match =
        /^(registry\.community\.greenbone\.net\/community\/[a-z0-9-]+)@\$\{(FORTRESS_DIGEST_[A-Z0-9_]+):\?([^}$]+)\}$/.exec(
          service.image as string,
        );
      assert.ok(match, `${name}: ${String(service.image)}`);
      const [, repository, variable, message] = match as unknown as [string, string, string, string];
      assert.ok(!variables.has(variable) || variables.get(variable) === repository, variable);
      variables.set(variable, repository);
      assert.match(
        message,
        new RegExp(`^no pinned digest for [a-z0-9-]+ in ${ENV_PATH} \\(run fortress-greenbone-pin\\)$`),
      );
    }
    assert.deepEqual(
      Object.fromEntries([...variables].sort()),
      Object.fromEntries(
        Object.entries(GREENBONE_IMAGES)
          .map(([key, image]) => [digestVariable(key as keyof typeof GREENBONE_IMAGES), image.repository])
          .sort(),
      ),
    );
    assert.equal(new Set(variables.keys()).size, Object.keys(GREENBONE_IMAGES).length);
  });

  it("writes .env as compose parses it: one FORTRESS_DIGEST_<KEY>=sha256:… per image, taken literally", () => {
    const env = renderEnv(SAMPLE_DIGESTS);
    assert.deepEqual(
      parseDotEnv(env),
      Object.fromEntries(
        Object.entries(SAMPLE_DIGESTS).map(([name, digest]) => [
          digestVariable(name as keyof typeof GREENBONE_IMAGES),
          digest,
        ]),
      ),
    );
    for (const line of env.trimEnd().split("\n"))
      assert.match(line, /^(#[^\n]*|FORTRESS_DIGEST_[A-Z0-9_]+=sha256:[0-9a-f]{64})$/, line);
  });

  it("resolves, with the .env of a digest table, to every image by that digest", () => {
    const resolved = loaded(renderEnv(SAMPLE_DIGESTS));
    for (const [name, service] of Object.entries(resolved.services))
      assert.match(
        service.image as string,
        /^registry\.community\.greenbone\.net\/community\/[a-z0-9-]+@sha256:[0-9a-f]{64}$/,
        name,
      );
    assert.equal(
      resolved.services.openvasd?.image,
      `${GREENBONE_IMAGES["openvas-scanner"].repository}@${SAMPLE_DIGESTS["openvas-scanner"]}`,
    );
    assert.equal(resolved.services.gsa?.image, `${GREENBONE_IMAGES.gsa.repository}@${SAMPLE_DIGESTS.gsa}`);
  });

  it("does not load at all when .env lacks an image's digest or has it empty", () => {
    const env = renderEnv(SAMPLE_DIGESTS);
    const without = env.replace(/^FORTRESS_DIGEST_GVMD=.*\n/m, "");
    assert.throws(
      () => loaded(without),
      new RegExp(
        `^Error: required variable FORTRESS_DIGEST_GVMD is missing a value: no pinned digest for gvmd in ${ENV_PATH.replace(/\./g, "\\.")}`,
      ),
    );
    assert.throws(
      () => loaded(env.replace(/^(FORTRESS_DIGEST_NGINX=).*$/m, "$1")),
      /FORTRESS_DIGEST_NGINX is missing/,
    );
    assert.throws(() => loaded(""), /required variable FORTRESS_DIGEST_/);
  });

  it("declares every named volume it mounts, and mounts every one it declares", () => {
    const used = new Set<string>();
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        assert.equal(typeof volume, "string", name);
        const source = (volume as string).split(":")[0] ?? "";
        if (source.startsWith("/")) continue;
        assert.ok(source in compose.volumes, `${name} mounts undeclared volume ${source}`);
        used.add(source);
      }
    }
    assert.deepEqual([...used].sort(), [...COMPOSE_VOLUMES].sort());
  });

  it("depends only on services it has", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of deps)
        assert.ok(dependency in compose.services, `${name} -> ${String(dependency)}`);
    }
  });

  it("publishes only nginx's 443, on the VM's address, with the lab certificate from a host directory", () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports);
    assert.deepEqual(
      published.map(([name]) => name),
      ["nginx"],
    );
    assert.deepEqual(compose.services.nginx?.ports, ["10.0.10.40:443:443"]);
    assert.ok(compose.services.nginx?.volumes?.includes(`${CERT_DIR}:/etc/nginx/certs:ro`));
    assert.ok(
      !compose.services.nginx?.volumes?.some((volume) => String(volume).startsWith("nginx_certificates_vol")),
    );
    assert.equal(compose.services["gvm-config"]?.environment?.NGINX_HOST, "greenbone-1.lab.example");
  });

  it("gives gvmd, gsad and gvm-tools the host's socket directory", () => {
    for (const name of ["gvmd", "gsad", "gvm-tools"])
      assert.ok(compose.services[name]?.volumes?.includes(`${GVMD_SOCKET_DIR}:/run/gvmd`), name);
  });

  it("refuses missing, malformed or unknown digests, and a bind address that is not an IPv4 address", () => {
    const { gvmd: _gvmd, ...withoutGvmd } = SAMPLE_DIGESTS;
    assert.throws(() => renderEnv(withoutGvmd as GreenboneImageDigests), /gvmd: no digest/);
    assert.throws(() => renderEnv({ ...SAMPLE_DIGESTS, nginx: "latest" }), /nginx: not sha256/);
    assert.deepEqual(digestProblems({ ...SAMPLE_DIGESTS, extra: "sha256:" + "a".repeat(64) }), [
      "extra: not an image of the compose file",
    ]);
    assert.throws(() => render({ bindAddress: "0.0.0.0; rm" }), /IPv4/);
    assert.throws(() => render({ bindAddress: "0.0.0.0" }), /IPv4/);
    assert.throws(() => render({ fqdn: "Greenbone" }), /DNS name/);
  });
});

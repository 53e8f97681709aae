/**
 * The Greenbone install run for real in a sandbox (test/support/installSandbox.ts): host commands are
 * stubs, `docker` among them. The stub docker answers as Docker does for what the pin program asks:
 * `pull` fails for a tag its registry file lacks, `image inspect --format '{{range .RepoDigests}}…'`
 * prints the image's repository digests one a line (only after a pull), `compose` is logged. Proves:
 * configured digests go to `.env` on every run; without them the first install resolves and records
 * them, a second run keeps them even when the tags have moved, `fortress-greenbone-pin --refresh` moves
 * them; a malformed or foreign digest from `docker image inspect` is refused and nothing is written.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, describe, it } from "node:test";
import { type Sandbox, ownerOf, runIn, sandbox, testKeys, tool } from "../../test/support/installSandbox";
import { ENV_PATH, GVMD_SOCKET, renderCompose } from "./compose";
import { parseDotEnv } from "./composeSyntax.fixtures";
import { GVM_PROGRAM } from "./gvmProgram";
import { PIN_PATH, parsePinnedDigests, renderEnv } from "./imagePins";
import { type DockerApt, installScript } from "./install";
import { DOCKER_APT, GREENBONE_IMAGES, type GreenboneImageDigests, digestVariable } from "./pins";
import { SAMPLE_DIGESTS } from "./sample.fixtures";

const CERT = "-----BEGIN CERTIFICATE-----\nGREENBONE-CERT\n-----END CERTIFICATE-----\n";
const STDIN =
  "Admin-Password-CANARY-000000001\n-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n";

const DOCKER = `#!/bin/sh
echo "docker $*" >> "$LOG"
case "$1" in
  pull)
    ref=$3
    grep -q "^$ref " "$SANDBOX/registry" || { echo "manifest unknown: $ref" >&2; exit 1; }
    echo "$ref" >> "$SANDBOX/pulled" ;;
  image)
    for ref; do :; done
    grep -qx "$ref" "$SANDBOX/pulled" 2>/dev/null || { echo "No such image: $ref" >&2; exit 1; }
    grep "^$ref " "$SANDBOX/registry" | tail -n 1 | cut -d' ' -f2- | tr ' ' '\\n' ;;
  compose) ;;
  *) exit 2 ;;
esac
`;

const names = Object.keys(GREENBONE_IMAGES) as (keyof typeof GREENBONE_IMAGES)[];
/** A table of well-formed digests, distinct per image and per `seed`. */
const table = (seed: number): GreenboneImageDigests =>
  Object.fromEntries(
    names.map((name, index) => [
      name,
      `sha256:${(seed * 32 + index).toString(16).padStart(4, "0").repeat(16)}`,
    ]),
  ) as unknown as GreenboneImageDigests;

/** The registry the stub docker pulls from: each `<repository>:<tag>` with its RepoDigests. */
function registry(box: Sandbox, digests: GreenboneImageDigests, override: Record<string, string> = {}) {
  const lines = names.map((name) => {
    const { repository, tag } = GREENBONE_IMAGES[name];
    return `${repository}:${tag} ${override[name] ?? `${repository}@${digests[name]}`}`;
  });
  writeFileSync(join(box.root, "registry"), `${lines.join("\n")}\n`, { flag: "a" });
}

let docker: DockerApt;
let armoredKey = "";

function newBox(): Sandbox {
  const box = sandbox({ docker: DOCKER, "systemd-tmpfiles": "#!/bin/sh\nexit 0\n" });
  box.serve(docker.keyUrl, armoredKey);
  // The GMP client (python3) answers, and gvmd's socket is there: the install ends at once.
  const python = join(box.root, "usr/bin/python3");
  mkdirSync(dirname(python), { recursive: true });
  writeFileSync(python, "#!/bin/sh\nexit 0\n");
  chmodSync(python, 0o755);
  const socket = join(box.root, GVMD_SOCKET);
  mkdirSync(dirname(socket), { recursive: true });
  const bound = spawnSync("python3", [
    "-c",
    "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
    socket,
  ]);
  assert.equal(bound.status, 0, String(bound.stderr));
  return box;
}

const script = (env?: string) =>
  installScript({
    compose: renderCompose({ bindAddress: "10.0.10.40", fqdn: "greenbone-1.lab.example" }),
    certificatePem: CERT,
    program: GVM_PROGRAM,
    docker,
    ...(env === undefined ? {} : { env }),
  });
const envOf = (box: Sandbox) => readFileSync(join(box.root, ENV_PATH), "utf8");
const pulls = (log: string) => log.split("\n").filter((line) => /^docker pull /.test(line));

describe("Greenbone install: image pins", () => {
  before(() => {
    for (const name of ["gpg", "shellcheck", "python3"]) tool(name);
    const [key] = testKeys(1);
    assert.ok(key);
    armoredKey = key.armored;
    docker = { ...DOCKER_APT, keyUrl: "https://keys.test/docker.gpg", keyFingerprint: key.fingerprint };
  });

  it("writes .env from the configured digests on every run (root-only), and resolves nothing", () => {
    const box = newBox();
    const first = runIn(box, script(renderEnv(SAMPLE_DIGESTS)), STDIN);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(envOf(box), renderEnv(SAMPLE_DIGESTS));
    assert.equal(ownerOf(box, ENV_PATH), "600 root root");
    assert.deepEqual(pulls(first.log), []);
    assert.deepEqual(parsePinnedDigests(first.stdout), SAMPLE_DIGESTS);
    assert.match(
      first.log,
      /docker compose -p greenbone-community-edition -f \S+\/opt\/greenbone\/compose\.yaml --env-file \S+\/opt\/greenbone\/\.env up -d/,
    );
    // A changed table moves the pins.
    const moved = table(7);
    const second = runIn(box, script(renderEnv(moved)), STDIN);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(parseDotEnv(envOf(box))[digestVariable("gvmd")], moved.gvmd);
    assert.deepEqual(parsePinnedDigests(second.stdout), moved);
    // A refresh on the VM over configured pins warns that the next install writes them back.
    registry(box, table(8));
    const refresh = runIn(box, `sudo ${PIN_PATH} --refresh`, "");
    assert.equal(refresh.status, 0, refresh.stderr);
    assert.match(
      refresh.stderr,
      /held the stack's fortress:vuln\.imageDigests; the next install writes those back/,
    );
    assert.deepEqual(parsePinnedDigests(refresh.stdout), table(8));
  });

  it("without configured digests: resolves them on the first install, keeps them after, moves them on --refresh", () => {
    const box = newBox();
    const pinned = table(1);
    registry(box, pinned);
    const first = runIn(box, script(), STDIN);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(pulls(first.log).length, names.length);
    assert.ok(first.log.includes(`docker pull -q ${GREENBONE_IMAGES.gsa.repository}:stable-slim`));
    const recorded = parseDotEnv(envOf(box));
    for (const name of names) assert.equal(recorded[digestVariable(name)], pinned[name], name);
    assert.equal(Object.keys(recorded).length, names.length);
    assert.equal(ownerOf(box, ENV_PATH), "600 root root");
    assert.equal(ownerOf(box, PIN_PATH), "755 root root");
    assert.deepEqual(parsePinnedDigests(first.stdout), pinned);

    // The tags move upstream; a later install keeps the recorded pins and asks the registry nothing.
    const before = envOf(box);
    registry(box, table(2));
    const second = runIn(box, script(), STDIN);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(pulls(second.log), []);
    assert.equal(envOf(box), before);
    assert.deepEqual(parsePinnedDigests(second.stdout), pinned);

    // On purpose: the pin program on the VM resolves anew and brings compose up with the new pins.
    const refresh = runIn(box, `sudo ${PIN_PATH} --refresh`, "");
    assert.equal(refresh.status, 0, refresh.stderr);
    assert.equal(pulls(refresh.log).length, names.length);
    assert.equal(parseDotEnv(envOf(box))[digestVariable("nginx")], table(2).nginx);
    assert.deepEqual(parsePinnedDigests(refresh.stdout), table(2));
    assert.match(refresh.log, /docker compose .* up -d/);
  });

  it("resolves only what a recorded .env lacks, and refuses a malformed recorded digest", () => {
    const box = newBox();
    registry(box, table(3));
    const { gvmd: _gvmd, ...rest } = table(4);
    mkdirSync(dirname(join(box.root, ENV_PATH)), { recursive: true });
    const partial = Object.entries(rest).map(
      ([name, digest]) => `${digestVariable(name as "gvmd")}=${digest}`,
    );
    writeFileSync(join(box.root, ENV_PATH), `# recorded earlier\n${partial.join("\n")}\n`);
    const result = runIn(box, script(), STDIN);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(pulls(result.log), [`docker pull -q ${GREENBONE_IMAGES.gvmd.repository}:stable`]);
    assert.deepEqual(parsePinnedDigests(result.stdout), { ...rest, gvmd: table(3).gvmd });

    writeFileSync(
      join(box.root, ENV_PATH),
      envOf(box).replace(/^(FORTRESS_DIGEST_NGINX=).*$/m, "$1sha256:beef"),
    );
    const refused = runIn(box, script(), STDIN);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /FORTRESS_DIGEST_NGINX in \/opt\/greenbone\/\.env is not sha256:<64 hex>/);
    assert.doesNotMatch(refused.log, /docker compose/);
  });

  for (const [what, inspect] of [
    ["a short digest", `${GREENBONE_IMAGES["pg-gvm"].repository}@sha256:abc`],
    ["another repository's digest", `${GREENBONE_IMAGES.gvmd.repository}@${SAMPLE_DIGESTS.gvmd}`],
    ["no digest at all", ""],
  ] as const)
    it(`refuses ${what} from docker image inspect, and writes no .env`, () => {
      const box = newBox();
      registry(box, table(5), { "pg-gvm": inspect });
      const result = runIn(box, script(), STDIN);
      assert.notEqual(result.status, 0);
      assert.match(
        result.stderr,
        /docker image inspect gives '.*' for registry\.community\.greenbone\.net\/community\/pg-gvm:stable, not registry\.community\.greenbone\.net\/community\/pg-gvm@sha256:<64 hex>/,
      );
      assert.ok(!existsSync(join(box.root, ENV_PATH)));
      assert.doesNotMatch(result.log, /docker compose/);
    });
});

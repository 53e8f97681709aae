/**
 * Pulumi loads index.ts with its vendored ts-node 7 and the project's `typescript`, not with tsx or
 * tsc. A TypeScript version or tsconfig option it cannot load breaks `pulumi up` for every user while
 * every other test passes, so this loads the program exactly that way.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { OUTPUT_KEYS, SECRET_OUTPUT_KEYS } from "../stacks/outputs";
import { readStackConfig } from "../stacks/plan/stackConfig";

const root = join(__dirname, "..");
const script = join(__dirname, "pulumi-loader", "load-like-pulumi.cjs");

function load(env: Record<string, string> = {}) {
  const config = readStackConfig(join(root, "Pulumi.home.yaml"));
  return spawnSync(process.execPath, [script], {
    cwd: root,
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, ...env, FORTRESS_LOADER_CONFIG: JSON.stringify(config) },
  });
}

describe("the program under Pulumi's own TypeScript loader", () => {
  /** One load of the real program, shared by the tests that read what it printed. */
  let loaded: ReturnType<typeof load> | undefined;
  const loadOnce = () => (loaded ??= load());

  it("type-checks and runs index.ts with vendored ts-node and the project's typescript", () => {
    const result = loadOnce();
    assert.equal(result.status, 0, `loader failed:\n${result.stderr}`);
    const { typescript, types } = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as {
      typescript: string;
      types: string[];
    };
    assert.match(typescript, /^\d+\.\d+\.\d+$/);
    assert.ok(types.includes("fortress:hypervisor:Hypervisor"), "the hypervisor layer was not registered");
    assert.equal(types.filter((type) => type === "proxmoxve:index/vmLegacy:VmLegacy").length, 13);
  });

  it("exports the stack outputs defined in stacks/outputs.ts, the credentials as secrets (issue 8, defect 22)", () => {
    const result = loadOnce();
    assert.equal(result.status, 0, `loader failed:\n${result.stderr}`);
    const { outputs } = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as {
      outputs: Record<string, { secret: boolean }>;
    };
    assert.deepEqual(Object.keys(outputs), [...OUTPUT_KEYS]);
    // What the README promises, whatever the module says.
    for (const key of ["kubeconfig", "keycloakAdminPassword", "vaultwardenAdminToken"]) {
      assert.ok(SECRET_OUTPUT_KEYS.includes(key as (typeof SECRET_OUTPUT_KEYS)[number]), key);
    }
    for (const key of SECRET_OUTPUT_KEYS) assert.equal(outputs[key]?.secret, true, `${key} is not secret`);
    assert.equal(outputs.fortressCaCertificate?.secret, false, "the CA certificate is public");
  });

  it("fails loudly when the program does not type-check under that loader", () => {
    const result = load({
      PULUMI_NODEJS_TSCONFIG_PATH: join(__dirname, "pulumi-loader", "tsconfig.broken.json"),
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /TS\d{4}/);
  });
});

describe("the policy pack under Pulumi's own policy-pack loader", () => {
  it("type-checks and loads policies/index.ts, and the pack starts its gRPC server", () => {
    const result = spawnSync(process.execPath, [join(__dirname, "pulumi-loader", "load-policy-pack.cjs")], {
      cwd: root,
      encoding: "utf8",
      timeout: 240_000,
    });
    assert.equal(result.status, 0, `policy pack failed to load:\n${result.stderr}`);
    const { port } = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { port: number };
    assert.ok(Number.isInteger(port) && port > 0, `no port in ${result.stdout}`);
  });
});

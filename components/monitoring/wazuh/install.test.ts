/**
 * The Wazuh metrics install: its units checked by systemd-analyze, its script by shellcheck and run in
 * the shared install sandbox (a systemctl stub that plays the timer's first run), and the component
 * under mocks.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { shellcheck } from "../../../test/support/debianTools";
import { ownerOf, runIn, sandbox, snapshot, tool } from "../../../test/support/installSandbox";
import { type CapturedResource, captureRegistrations } from "../../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { TEXTFILE_DIR } from "../hosts/pins";
import { wazuhMetricsInstallScript } from "./install";
import {
  renderWazuhMetricsConfig,
  WAZUH_METRICS_PATHS,
  WAZUH_METRICS_UNIT,
  wazuhMetricsProgram,
  wazuhMetricsUnits,
} from "./program";
import { WazuhManagerMetrics } from "./wazuhManagerMetrics";

const PASSWORD = "Metrics.CANARY-88";
const CONFIG = renderWazuhMetricsConfig({
  url: "https://localhost:55000",
  username: "fortress-metrics",
  password: PASSWORD,
  caFile: "/var/ossec/api/configuration/ssl/fortress-ca.pem",
});
const stdin = (config = CONFIG) => `${Buffer.from(config).toString("base64")}\n`;

/** systemctl: logs, and on `start <unit>.service` writes the textfile the way a run would (api_up per $API_UP). */
const SYSTEMCTL = `#!/bin/sh
echo "systemctl $*" >> "$LOG"
if [ "$1" = start ] && [ "$2" = ${WAZUH_METRICS_UNIT}.service ]; then
  mkdir -p "$SANDBOX${TEXTFILE_DIR}"
  printf 'fortress_wazuh_api_up %s\\n' "\${API_UP:-1}" > "$SANDBOX${WAZUH_METRICS_PATHS.textfile}"
fi
`;

describe("the Wazuh metrics units and install script", () => {
  before(() => {
    tool("bash");
    tool("systemd-analyze", "systemd");
  });

  it("has a service and timer systemd accepts, the service running the program every 30 s, read-only but for the textfile directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "fortress-units-"));
    const units = wazuhMetricsUnits();
    assert.match(
      units.service,
      new RegExp(`^ExecStart=/usr/bin/python3 ${WAZUH_METRICS_PATHS.program}$`, "m"),
    );
    assert.match(units.service, /^ProtectSystem=strict$/m);
    assert.match(units.service, new RegExp(`^ReadWritePaths=${TEXTFILE_DIR}$`, "m"));
    assert.match(units.timer, /^OnUnitActiveSec=30s$/m);
    writeFileSync(join(dir, `${WAZUH_METRICS_UNIT}.service`), units.service);
    writeFileSync(join(dir, `${WAZUH_METRICS_UNIT}.timer`), units.timer);
    const verified = spawnSync(
      "systemd-analyze",
      ["verify", join(dir, `${WAZUH_METRICS_UNIT}.timer`), join(dir, `${WAZUH_METRICS_UNIT}.service`)],
      { encoding: "utf8" },
    );
    assert.equal(verified.status, 0, verified.stderr);
  });

  it("passes shellcheck and keeps the password out of the script", () => {
    const script = wazuhMetricsInstallScript();
    const checked = shellcheck(script, "bash");
    assert.equal(checked.status, 0, checked.stdout);
    assert.ok(!script.includes(PASSWORD));
  });

  it("places the program, units and the configuration root-only, enables the timer, and changes nothing on a re-run", () => {
    const box = sandbox({ systemctl: SYSTEMCTL });
    const script = wazuhMetricsInstallScript();
    const first = runIn(box, script, stdin());
    assert.equal(first.status, 0, first.stderr);
    assert.equal(readFileSync(join(box.root, WAZUH_METRICS_PATHS.config), "utf8"), CONFIG.trimEnd() + "\n");
    assert.equal(ownerOf(box, WAZUH_METRICS_PATHS.config), "600 root root");
    assert.equal(
      readFileSync(join(box.root, WAZUH_METRICS_PATHS.program), "utf8"),
      wazuhMetricsProgram().trimEnd() + "\n",
    );
    assert.equal(ownerOf(box, WAZUH_METRICS_PATHS.program), "755 root root");
    assert.match(first.log, /systemctl daemon-reload/);
    assert.match(first.log, new RegExp(`systemctl enable --now ${WAZUH_METRICS_UNIT}\\.timer`));
    assert.ok(!first.log.includes(PASSWORD), "the password on a command line");
    const files = snapshot(box.root);
    const again = runIn(box, script, stdin());
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.log, /daemon-reload/);
    // Only the textfile the run rewrites may change.
    const changed = [...snapshot(box.root)]
      .filter(([path, stamp]) => files.get(path) !== stamp)
      .map(([path]) => path);
    assert.deepEqual(changed, [join(box.root, WAZUH_METRICS_PATHS.textfile)]);
  });

  it("fails when the first run could not read the API, and when no configuration comes on stdin", () => {
    const box = sandbox({ systemctl: SYSTEMCTL });
    box.env.API_UP = "0";
    const down = runIn(box, wazuhMetricsInstallScript(), stdin());
    assert.equal(down.status, 1);
    assert.match(down.stderr, /could not read the API/);
    const empty = runIn(sandbox({ systemctl: SYSTEMCTL }), wazuhMetricsInstallScript(), "\n");
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no configuration on stdin/);
  });

  it("refuses a configuration without a password or an https URL", () => {
    const base = { username: "u", caFile: "/ca.pem" };
    assert.throws(
      () => renderWazuhMetricsConfig({ ...base, url: "https://localhost:55000", password: "" }),
      /no password/,
    );
    assert.throws(
      () => renderWazuhMetricsConfig({ ...base, url: "http://localhost:55000", password: "p" }),
      /no https URL/,
    );
  });
});

describe("WazuhManagerMetrics under mocks", () => {
  let resources: CapturedResource[] = [];
  let metrics: WazuhManagerMetrics;
  let settled: { stdin: string; secret: boolean };

  before(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (mock) => ({ id: `${mock.name}-id`, state: mock.inputs }), call: (mock) => mock.inputs },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    metrics = new WazuhManagerMetrics("wazuh-metrics", {
      host: {
        name: "wazuh-manager-1",
        address: "10.10.20.30",
        fqdn: "wazuh-manager-1.lab.example",
        hostKey: "ssh-ed25519 AAAAmanager",
        user: "fortress",
        privateKey: pulumi.secret("SSH-KEY"),
      },
      api: { username: "fortress-metrics", password: pulumi.secret(PASSWORD) },
    });
    settled = await new Promise((resolve) =>
      pulumi
        .all([
          metrics.install.stdin as pulumi.Output<string>,
          pulumi.isSecret(metrics.install.stdin as pulumi.Output<string>),
        ])
        .apply(([value, secret]) => resolve({ stdin: value, secret })),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("hands the configuration on stdin, secret, with the API on localhost checked against the manager's API CA", () => {
    assert.ok(settled.secret);
    const config = JSON.parse(Buffer.from(settled.stdin.trim(), "base64").toString()) as Record<
      string,
      unknown
    >;
    assert.equal(config.password, PASSWORD);
    assert.equal(config.url, "https://localhost:55000");
    assert.equal(config.ca_file, "/var/ossec/api/configuration/ssl/fortress-ca.pem");
    assert.equal(config.textfile_dir, TEXTFILE_DIR);
    const component = resources.find((resource) => resource.type === COMPONENT_TYPES.wazuhManagerMetrics);
    const install = resources.find((resource) => resource.name === "wazuh-metrics-install");
    assert.equal(install?.parent, component?.urn);
    assert.equal((install?.inputs as Record<string, unknown>).logging, "none");
    assert.ok(!JSON.stringify(resources).includes(PASSWORD), "the password is recorded");
  });
});

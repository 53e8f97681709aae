import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { run, shellcheck } from "../../test/support/debianTools";
import { ownerOf, runIn, sandbox, snapshot, testKeys, tool } from "../../test/support/installSandbox";
import {
  dropIn,
  DROP_IN_PATH,
  PACKAGE_GROUPS,
  PASSWORD_PATH,
  type VectorApt,
  vectorInstallScript,
} from "./install";
import { DATADOG_APT_KEYS, VECTOR_APT, VECTOR_PACKAGE } from "./pins";
import { SHIPPED_LOGS_GROUP } from "./shell";
import { renderVectorConfig, VECTOR_PATHS } from "./vectorConfig";

const CA = "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n";
const CONFIG = renderVectorConfig({
  streams: [{ id: "netflow", paths: ["/var/log/fortress/netflow/*.json"], index: "fortress-netflow" }],
  endpoint: "https://10.10.20.21:9200",
  username: "fortress-vector",
  hostName: "zeek-1",
});
const script = vectorInstallScript({ configYaml: CONFIG, indexerCaPem: CA });

describe("Vector's install script", () => {
  it("passes bash -n and shellcheck", () => {
    const syntax = run("bash", ["-n"], { input: script });
    assert.equal(syntax.status, 0, syntax.stderr);
    const checked = shellcheck(script, "bash");
    assert.equal(checked.status, 0, checked.stdout);
  });

  it("pins vector and holds it, from apt.vector.dev with every key checked by fingerprint", () => {
    assert.match(
      script,
      new RegExp(`apt-get install .* vector=${VECTOR_PACKAGE.version.replace(/\./g, "\\.")} `),
    );
    assert.match(script, /^sudo apt-mark hold vector >\/dev\/null$/m);
    assert.match(
      script,
      /^echo 'deb \[signed-by=\/usr\/share\/keyrings\/datadog-archive-keyring\.gpg\] https:\/\/apt\.vector\.dev\/ stable vector-0'/m,
    );
    for (const key of DATADOG_APT_KEYS) {
      assert.ok(script.includes(`'${key.url}'`), key.url);
      assert.ok(script.includes(`if [ "$fprs" != '${key.fingerprint}' ]; then`), key.fingerprint);
    }
    assert.doesNotMatch(script, /DATADOG_APT_KEY_CURRENT/);
  });

  it("keeps the password off every command line and root-only on disk, handed to Vector as a credential", () => {
    assert.match(
      script,
      /^IFS= read -r password && printf "%s" "\$password" > "\$work\/password" && unset password$/m,
    );
    assert.ok(script.includes(`place "$work/password" ${PASSWORD_PATH} 600 root root`));
    assert.ok(script.includes(`place "$work/vector.yaml" ${VECTOR_PATHS.config} 644 root root`));
    assert.ok(script.includes(`place "$work/fortress.conf" ${DROP_IN_PATH} 644 root root`));
    assert.match(dropIn(), new RegExp(`^LoadCredential=indexer_password:${PASSWORD_PATH}$`, "m"));
    // The credential lands where the configuration's directory backend reads it.
    assert.equal(VECTOR_PATHS.credentialsDir, "/run/credentials/vector.service");
    assert.match(dropIn(), /^ExecStartPre=\n^ExecStartPre=\/usr\/bin\/vector validate --skip-healthchecks$/m);
  });

  it("takes Vector out of the package's log groups and into the shipped streams' group only", () => {
    for (const group of PACKAGE_GROUPS) assert.ok(script.includes(group), group);
    assert.match(script, /sudo gpasswd -d vector "\$group"/);
    assert.ok(script.includes(`sudo usermod -a -G ${SHIPPED_LOGS_GROUP} vector`));
    assert.ok(
      script.includes(
        `getent group ${SHIPPED_LOGS_GROUP} >/dev/null || sudo groupadd --system ${SHIPPED_LOGS_GROUP}`,
      ),
    );
  });

  it("refuses a CA that is no PEM", () => {
    assert.throws(() => vectorInstallScript({ configYaml: CONFIG, indexerCaPem: "nope" }), /no PEM/);
  });
});

describe("Vector's install script, run in a sandbox", () => {
  const PASSWORD = "INDEXER-PASSWORD-CANARY-42";
  let keys: { armored: string; fingerprint: string }[];
  let apt: VectorApt;

  before(() => {
    for (const [name, pkg] of [
      ["gpg", "gpg"],
      ["bash", "bash"],
    ] as const)
      tool(name, pkg);
    keys = testKeys(2);
    apt = {
      ...VECTOR_APT,
      keys: keys.map((key, index) => ({
        url: `https://keys.test/key-${index}.public`,
        fingerprint: key.fingerprint,
      })),
    };
  });

  const ready = () => {
    const box = sandbox();
    keys.forEach((key, index) => box.serve(`https://keys.test/key-${index}.public`, key.armored));
    // What the package's preinst and postinst leave: the vector user in adm and systemd-journal.
    box.group("vector", ["vector"]);
    box.group("adm", ["syslog", "vector"]);
    box.group("systemd-journal", ["vector"]);
    return box;
  };
  const scriptFor = (overrides: Partial<{ configYaml: string }> = {}) =>
    vectorInstallScript({ configYaml: CONFIG, indexerCaPem: CA, apt, ...overrides });

  it("installs vector pinned and held, places every file with its owner and mode, the password root-only and nowhere else", () => {
    const box = ready();
    const result = runIn(box, scriptFor(), `${PASSWORD}\n`);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.log,
      new RegExp(`apt-get install .*vector=${VECTOR_PACKAGE.version.replace(/\./g, "\\.")}`),
    );
    assert.match(result.log, /apt-mark hold vector/);
    assert.equal(readFileSync(join(box.root, PASSWORD_PATH), "utf8"), PASSWORD);
    assert.equal(ownerOf(box, PASSWORD_PATH), "600 root root");
    assert.equal(readFileSync(join(box.root, VECTOR_PATHS.config), "utf8"), `${CONFIG.trimEnd()}\n`);
    assert.equal(ownerOf(box, VECTOR_PATHS.config), "644 root root");
    assert.equal(ownerOf(box, VECTOR_PATHS.caFile), "644 root root");
    assert.equal(readFileSync(join(box.root, DROP_IN_PATH), "utf8"), dropIn());
    assert.match(
      readFileSync(join(box.root, VECTOR_APT.sourceList), "utf8"),
      /apt\.vector\.dev\/ stable vector-0/,
    );
    // Both keys in the keyring, binary (dearmored).
    const keyring = readFileSync(join(box.root, VECTOR_APT.keyring));
    assert.ok(keyring.length > 0 && !keyring.toString("latin1").includes("BEGIN PGP"));
    assert.match(result.log, /systemctl restart vector/);
    // The password is no argument of any command, and in no file but its own.
    assert.ok(!result.log.includes(PASSWORD), "the password on a command line");
    const holders = [...snapshot(box.root).keys()].filter((file) =>
      readFileSync(file, "utf8").includes(PASSWORD),
    );
    assert.deepEqual(holders, [join(box.root, PASSWORD_PATH)]);
    // Vector reads the shipped streams' group, and none of the package's log groups.
    const groups = box.groups();
    assert.ok(groups[SHIPPED_LOGS_GROUP]?.includes("vector"));
    assert.ok(!groups.adm?.includes("vector") && groups.adm?.includes("syslog"));
    assert.ok(!groups["systemd-journal"]?.includes("vector"));
  });

  it("changes nothing when run again with the same inputs, and restarts for a new password only", () => {
    const box = ready();
    assert.equal(runIn(box, scriptFor(), `${PASSWORD}\n`).status, 0);
    const before = snapshot(box.root);
    const again = runIn(box, scriptFor(), `${PASSWORD}\n`);
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.log, /apt-get install|systemctl restart|usermod|gpasswd|groupadd/);
    assert.match(again.log, /systemctl start vector/);
    assert.deepEqual(snapshot(box.root), before);
    const rotated = runIn(box, scriptFor(), "ROTATED-PASSWORD\n");
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(rotated.log, /systemctl restart vector/);
    assert.equal(readFileSync(join(box.root, PASSWORD_PATH), "utf8"), "ROTATED-PASSWORD");
  });

  it("refuses a key whose fingerprint is not the pinned one, before installing anything", () => {
    const box = ready();
    const swapped = {
      ...apt,
      keys: [{ ...(apt.keys[0] as VectorApt["keys"][number]), fingerprint: "0".repeat(40) }],
    };
    const result = runIn(
      box,
      vectorInstallScript({ configYaml: CONFIG, indexerCaPem: CA, apt: swapped }),
      `${PASSWORD}\n`,
    );
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /is not 0{40}/);
    assert.doesNotMatch(result.log, /apt-get install/);
  });

  it("stops when stdin carries no password", () => {
    const box = ready();
    const result = runIn(box, scriptFor(), "");
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /no indexer password on stdin/);
    assert.doesNotMatch(result.log, /apt-get/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, shellcheck } from "../../test/support/debianTools";
import { dropIn, DROP_IN_PATH, PACKAGE_GROUPS, PASSWORD_PATH, vectorInstallScript } from "./install";
import { DATADOG_APT_KEYS, VECTOR_PACKAGE } from "./pins";
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
    assert.match(dropIn(), /^ExecStartPre=\n^ExecStartPre=\/usr\/bin\/vector validate --no-environment$/m);
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

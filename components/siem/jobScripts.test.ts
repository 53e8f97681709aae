import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { policiesScript, securityAdminScript } from "./jobScripts";
import { shellcheck } from "../../test/support/debianTools";

/** Debian's shellcheck on a Job's bash script; its report in one string. */
function checkScript(script: string): { status: number | null; output: string } {
  const result = shellcheck(script, "bash");
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const host = "wazuh-indexer.fortress-siem.svc";
const policies = () =>
  policiesScript(host, 9200, { name: "fortress-snapshots", file: "repository.json" }, [
    { path: "_plugins/_ism/policies/fortress-wazuh-retention", file: "ism-policy.json", create: "PUT" },
    { path: "_plugins/_sm/policies/fortress-wazuh-daily", file: "sm-policy.json", create: "POST" },
  ]);

describe("the indexer's admin Job scripts", () => {
  it("pass shellcheck", () => {
    for (const script of [securityAdminScript(host, 9200), policies()]) {
      const { status, output } = checkScript(script);
      assert.equal(status, 0, output);
    }
  });

  it("securityadmin uploads each security file with its type, with the admin certificate and no password", () => {
    const script = securityAdminScript(host, 9200);
    for (const [file, type] of [
      ["config.yml", "config"],
      ["roles.yml", "roles"],
      ["roles_mapping.yml", "rolesmapping"],
      ["internal_users.yml", "internalusers"],
    ])
      assert.match(script, new RegExp(`-f "/input/${file.replace(".", "\\.")}" -t ${type}$`, "m"));
    assert.match(script, /-cert \/certs\/admin\.pem -key \/certs\/admin-key\.pem/);
    assert.doesNotMatch(script, /-nhnv|password|-pw /i);
  });

  it("policies creates when absent and updates at the sequence number read, never blind", () => {
    const script = policies();
    assert.match(script, /send PUT "_snapshot\/fortress-snapshots" "\/input\/repository\.json"/);
    assert.match(
      script,
      /upsert "_plugins\/_ism\/policies\/fortress-wazuh-retention" "\/input\/ism-policy\.json" PUT/,
    );
    assert.match(
      script,
      /upsert "_plugins\/_sm\/policies\/fortress-wazuh-daily" "\/input\/sm-policy\.json" POST/,
    );
    assert.match(script, /\?if_seq_no=\$seq&if_primary_term=\$term/);
  });

  it("refuses a host or path that would need quoting", () => {
    assert.throws(() => securityAdminScript("x; rm -rf /", 9200), /no host name/);
    assert.throws(
      () =>
        policiesScript(host, 9200, { name: "r", file: "r.json" }, [
          { path: "a b", file: "x", create: "PUT" },
        ]),
      /not a plain path/,
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { POLICIES } from "../registry";
import { CONTAINMENT_PRIVILEGE_KEYS } from "../../vocabulary/containment";
import { containmentKeyLeastPrivilege } from "./containment-key-least-privilege";
import { INSTALL, plainConfig, step, user } from "./containment-key-least-privilege.fixtures";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([containmentKeyLeastPrivilege], resources)).map((v) => v.message);
const TWO = CONTAINMENT_PRIVILEGE_KEYS.join(",");

describe("containment-key-least-privilege", () => {
  it("is registered in the pack", async () => {
    const violations = await evaluatePolicies(POLICIES, [user({ priv: `${TWO},page-filter-api` })]);
    assert.ok(violations.some((v) => v.policy === "containment-key-least-privilege"));
  });

  it("says what the containment user holds beyond its two privileges, and what it lacks", async () => {
    assert.deepEqual(await messages(user({ priv: `${TWO},page-all,page-filter-api` })), [
      "OPNsense user fortress-contain holds containment privileges and also page-all, page-filter-api",
    ]);
    assert.deepEqual(await messages(user({ priv: "page-diagnostics-tables", group_memberships: "1999" })), [
      "OPNsense user fortress-contain lacks page-diagnostics-showstates: containment would fail",
      "OPNsense user fortress-contain is in a group, whose privileges it would inherit",
    ]);
    const other = await messages(
      user({ name: "ops", priv: "page-diagnostics-showstates,page-system-usermanager" }),
    );
    assert.deepEqual(other, [
      "OPNsense user ops holds containment privileges and also page-system-usermanager",
    ]);
  });

  it("finds contain.json's key in any plain input, never in the secret stdin or a template", async () => {
    const found = await messages(step({ triggers: [plainConfig] }));
    assert.deepEqual(found, [
      "siem-manager-containment carries a containment credential in plain text (triggers.0): it must come on a secret stdin",
    ]);
    assert.deepEqual(await messages(step({ stdin: "[secret]", triggers: ["[secret]"] })), []);
    const vars = "opnsense_contain_key: {{ vault_key }}\nopnsense_contain_secret: '{{ vault_secret }}'";
    assert.deepEqual(
      await messages(step({ create: `${INSTALL}\n# /etc/fortress/contain-ansible.yml\n${vars}` })),
      [],
    );
    const plainVars = "opnsense_contain_secret: abc123";
    assert.equal((await messages(step({ create: `${INSTALL}\n${plainVars}` }))).length, 1);
  });

  it("refuses a step that makes keys through OPNsense's user API, and accepts preflight with --config", async () => {
    const [found] = await messages(
      step({ create: `${INSTALL}\ncurl -X POST https://fw/api/auth/user/add_api_key/x` }),
    );
    assert.match(found ?? "", /calls OPNsense's user and key API/);
    const withConfig = INSTALL.replace(
      "fortress-contain preflight",
      "fortress-contain --config /etc/fortress/contain.json preflight",
    );
    assert.deepEqual(await messages(step({ create: withConfig })), []);
  });

  it("leaves commands that have nothing to do with the containment key alone", async () => {
    assert.deepEqual(await messages(step({ create: "echo hello", logging: "stdout" })), []);
  });
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  containmentPrivileges,
  CONTAINMENT_PRIVILEGE_KEYS as COMPONENT_KEYS,
  privilegesGranting,
} from "../../opnsense/privileges";
import { KEY_CONFIG, SECRET_CONFIG } from "../../opnsense/provider";
import { CONTAIN_PATHS } from "./program";
import {
  CONTAIN_ANSIBLE_VARS_PATH,
  CONTAIN_CONFIG_PATH,
  CONTAINMENT_PRIVILEGE_KEYS,
  CONTAINMENT_USER,
  OPNSENSE_PROVIDER_CONFIG,
} from "../../../vocabulary/containment";

describe("the containment vocabulary", () => {
  it("names what the components define: the two ACL keys, contain.json, the provider's config names", () => {
    assert.deepEqual([...CONTAINMENT_PRIVILEGE_KEYS], [...COMPONENT_KEYS]);
    assert.deepEqual(containmentPrivileges("26.7"), [
      "Diagnostics: PF Table IP addresses",
      "Diagnostics: Show States",
    ]);
    assert.equal(CONTAIN_CONFIG_PATH, CONTAIN_PATHS.config);
    assert.deepEqual([...OPNSENSE_PROVIDER_CONFIG], [KEY_CONFIG, SECRET_CONFIG]);
  });

  it("names the user and the vars file the containment README tells the admin to make", () => {
    const readme = readFileSync(join(__dirname, "README.md"), "utf8");
    assert.ok(readme.includes(`a user \`${CONTAINMENT_USER}\``));
    assert.ok(readme.includes(CONTAIN_ANSIBLE_VARS_PATH.replace(/\.yml$/, "")));
  });

  it("grants through the two keys the containment calls and no filter, alias or firmware call", () => {
    for (const path of ["firewall/alias_util/add/fz_quarantine", "diagnostics/firewall/kill_states"])
      assert.ok(
        privilegesGranting(path).some((name) => containmentPrivileges("26.7").includes(name)),
        path,
      );
    for (const path of [
      "firewall/alias/set_item/x",
      "firewall/filter/add_rule",
      "core/firmware/status",
      "auth/user/add",
    ])
      assert.ok(!privilegesGranting(path).some((name) => containmentPrivileges("26.7").includes(name)), path);
  });
});

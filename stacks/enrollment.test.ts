import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ROLE_NAMES, ROLES } from "./catalog";
import {
  AGENT_GROUPS,
  agentGroupOf,
  enrollmentPlan,
  isWazuhGroupId,
  MANAGER_ROLE,
  WAZUH_GROUP_ID_MAX_LENGTH,
} from "./enrollment";

const vm = (name: string, role: (typeof ROLE_NAMES)[number]) => ({ name, role: ROLES[role] });

describe("Wazuh agent group ids", () => {
  it("accepts what wazuh/wazuh@v4.14.6 api/api/validator.py `_group_names` accepts", () => {
    for (const name of ["fortress-k3s-server", "a", "A.b_c-9", "..x", "all2", "x".repeat(128)])
      assert.ok(isWazuhGroupId(name), name);
  });

  it("refuses `.`, `..`, `all`, `default`, other characters and names over 128 characters", () => {
    for (const name of [".", "..", "all", "default", "Default", "", "a b", "a/b", "grüppe", "a\n"])
      assert.ok(!isWazuhGroupId(name), JSON.stringify(name));
    assert.ok(!isWazuhGroupId("x".repeat(WAZUH_GROUP_ID_MAX_LENGTH + 1)));
  });

  it("names one valid group per VM role, the manager's excepted, all distinct", () => {
    assert.equal(AGENT_GROUPS.length, ROLE_NAMES.length - 1);
    assert.equal(new Set(AGENT_GROUPS).size, AGENT_GROUPS.length);
    for (const group of AGENT_GROUPS) assert.ok(isWazuhGroupId(group), group);
    assert.ok(!AGENT_GROUPS.includes(agentGroupOf(MANAGER_ROLE)));
    assert.equal(agentGroupOf("workstation"), "fortress-workstation");
    assert.equal(agentGroupOf("k3s-server"), "fortress-k3s-server");
  });
});

describe("enrollmentPlan", () => {
  const vms = [
    vm("workstation-1", "workstation"),
    vm("wazuh-manager-1", "wazuh-manager"),
    vm("k3s-server-2", "k3s-server"),
    vm("k3s-server-1", "k3s-server"),
    vm("zeek-1", "zeek"),
  ];

  it("enrolls every VM but the manager's in its role's group, by VM name", () => {
    assert.deepEqual(enrollmentPlan(vms, ["wazuh-manager", "wazuh-agent"]), [
      { vm: "k3s-server-1", role: "k3s-server", group: "fortress-k3s-server" },
      { vm: "k3s-server-2", role: "k3s-server", group: "fortress-k3s-server" },
      { vm: "workstation-1", role: "workstation", group: "fortress-workstation" },
      { vm: "zeek-1", role: "zeek", group: "fortress-zeek" },
    ]);
  });

  it("enrolls nothing while wazuh-agent is off", () => {
    assert.deepEqual(enrollmentPlan(vms, ["wazuh-manager", "zeek"]), []);
  });
});

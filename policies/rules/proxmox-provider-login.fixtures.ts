import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { PROXMOX_PROVIDER_TYPE } from "../../vocabulary/proxmoxTypes";

export const provider = (inputs: Record<string, unknown>) =>
  planResource(PROXMOX_PROVIDER_TYPE, "proxmox", { endpoint: "https://10.10.10.11:8006/", ...inputs });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a Fortress token and an SSH key, as the plan captures them",
      resources: [provider({ apiToken: "[secret]", ssh: "[secret]" })],
    },
    {
      name: "a privilege-separated token of a Fortress user, shown in full by pulumi preview",
      resources: [
        provider({
          apiToken: "fortress@pve!pulumi=00000000-0000-0000-0000-000000000000",
          ssh: { username: "fortress", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" },
        }),
      ],
    },
  ],
  failing: [
    {
      name: "root@pam with a password",
      resources: [provider({ username: "root@pam", password: "[secret]" })],
    },
    { name: "a root@pam token", resources: [provider({ apiToken: "root@pam!pulumi=0000" })] },
    {
      name: "an SSH password to the nodes",
      resources: [provider({ apiToken: "[secret]", ssh: { username: "root", password: "hunter2" } })],
    },
  ],
};

import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

/** A k3s server install as components/platform/k3sInstall.ts writes it: the config file, then the installer. */
export const k3sServer = (name: string, config: string, exec = "server") =>
  planResource(SDK_TYPES.commandRemote, name, {
    create: `sudo tee /etc/rancher/k3s/config.yaml >/dev/null <<'EOF'\n${config}EOF\nsudo env INSTALL_K3S_VERSION=v1.35.6+k3s1 INSTALL_K3S_EXEC=${exec} sh install.sh`,
  });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "metrics-server disabled, the rest kept as reviewed",
      resources: [k3sServer("k3s-server-1", "cluster-init: true\ndisable:\n  - metrics-server\n")],
    },
    {
      name: "an agent install, which deploys no packaged component",
      resources: [k3sServer("k3s-agent-1", "node-ip: 10.10.20.50\n", "agent")],
    },
  ],
  failing: [
    {
      name: "nothing disabled: metrics-server runs unreviewed",
      resources: [k3sServer("k3s-server-1", "cluster-init: true\n")],
    },
  ],
};

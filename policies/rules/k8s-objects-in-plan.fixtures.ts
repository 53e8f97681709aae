import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const command = (name: string, create: string) => planResource(SDK_TYPES.commandRemote, name, { create });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "k3s's readiness probe reads, it does not deploy",
      resources: [command("k3s-server-1", "until sudo k3s kubectl get --raw /readyz; do sleep 5; done")],
    },
  ],
  failing: [
    {
      name: "kubectl apply from a heredoc",
      resources: [command("addons", "kubectl apply -f - <<'EOF'\nkind: Pod\nEOF")],
    },
    {
      name: "a manifest dropped into k3s's auto-deploy directory",
      resources: [
        command("addons", "sudo tee /var/lib/rancher/k3s/server/manifests/extra.yaml < extra.yaml"),
      ],
    },
  ],
};

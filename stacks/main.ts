/** The Fortress program: config at the door, then the layers. Shared by `pulumi up` and the offline plan. */
import { Hypervisor } from "../components/hypervisor";
import { Platform } from "../components/platform/platform";
import { type Composition, compose } from "./compose";
import { type LoadedLab, loadLab } from "./config/load";

export interface FortressRun {
  readonly loaded: LoadedLab;
  readonly composition: Composition;
  /** What the stack exports. */
  readonly outputs: Record<string, unknown>;
}

export function fortress(): FortressRun {
  const loaded = loadLab();
  const composition = compose(loaded);
  const hypervisor = composition.components.get("hypervisor");
  const platform = composition.components.get("platform");
  return {
    loaded,
    composition,
    outputs: {
      layers: composition.status,
      vms: hypervisor instanceof Hypervisor ? hypervisor.vms : {},
      placement: loaded.model.placement.usage,
      // Secret: `pulumi stack output kubeconfig --show-secrets > ~/.kube/fortress`.
      ...(platform instanceof Platform ? { kubeconfig: platform.kubeconfig } : {}),
    },
  };
}

/** The Fortress program: config at the door, then the layers. Shared by `pulumi up` and the offline plan. */
import { Hypervisor } from "../components/hypervisor";
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
  return {
    loaded,
    composition,
    outputs: {
      layers: composition.status,
      vms: hypervisor instanceof Hypervisor ? hypervisor.vms : {},
      placement: loaded.model.placement.usage,
    },
  };
}

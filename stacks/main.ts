/** The Fortress program: config at the door, then the layers. Shared by `pulumi up` and the offline plan. */
import { compose } from "./compose";
import { loadLab } from "./config/load";
import { Hypervisor } from "../components/hypervisor";

export function fortress() {
  const loaded = loadLab();
  const { components, status } = compose(loaded);
  const hypervisor = components.get("hypervisor");
  return {
    layers: status,
    vms: hypervisor instanceof Hypervisor ? hypervisor.vms : {},
    placement: loaded.model.placement.usage,
  };
}

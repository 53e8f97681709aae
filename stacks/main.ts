/** The Fortress program: config at the door, then the layers. Shared by `pulumi up` and the offline plan. */
import { type Composition, compose } from "./compose";
import { type LoadedLab, loadLab } from "./config/load";
import { type FortressOutputs, stackOutputs } from "./outputs";

export interface FortressRun {
  readonly loaded: LoadedLab;
  readonly composition: Composition;
  /** What the stack exports (stacks/outputs.ts). */
  readonly outputs: FortressOutputs;
}

export function fortress(): FortressRun {
  const loaded = loadLab();
  const composition = compose(loaded);
  return { loaded, composition, outputs: stackOutputs(loaded, composition) };
}

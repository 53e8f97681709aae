/** Every policy of the pack, in the order they run. Each lives in rules/<name>.ts beside its fixtures and test. */
import type { FortressPolicy } from "./lib/types";
import { blueprintDag } from "./rules/blueprint-dag";
import { opnsenseNoAnyToAny } from "./rules/opnsense-no-any-to-any";

export const POLICIES: readonly FortressPolicy[] = [opnsenseNoAnyToAny, blueprintDag];

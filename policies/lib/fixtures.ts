/** Deliberately good and bad plans, each aimed at one policy: `rules/<policy>.fixtures.ts`. */
import type { PackConfig, PlanResource } from "./types";

export interface Fixture {
  readonly name: string;
  readonly resources: readonly PlanResource[];
  readonly config?: PackConfig;
}

export interface PolicyFixtures {
  /** Plans the policy must accept. */
  readonly passing: readonly Fixture[];
  /** Plans the policy must reject, each with at least one violation. */
  readonly failing: readonly Fixture[];
}

/** An adversarial case: a plan the whole pack must reject (a violation) or accept (a legitimate twin). */
import type { PlanResource } from "../lib/types";

export interface CorpusCase {
  readonly name: string;
  readonly resources: readonly PlanResource[];
  /** Whether the case restates a fixture under rules/ (at most a third of the violations may). */
  readonly variant?: boolean;
}

export interface CorpusClass {
  /** The class number and title. */
  readonly title: string;
  /** The policies that judge this class: every violation must be caught by one of them. */
  readonly policies: readonly string[];
  readonly violations: readonly CorpusCase[];
  readonly twins: readonly CorpusCase[];
}

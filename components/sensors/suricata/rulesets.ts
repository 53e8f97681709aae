/** The default rulesets as fresh arrays (vocabulary/suricata.ts says which and why). */
import { ET_OPEN_DEFAULT_DROP, ET_OPEN_DEFAULT_RULESETS } from "../../../vocabulary/suricata";

export function defaultEtOpenRulesets(): string[] {
  return [...ET_OPEN_DEFAULT_RULESETS];
}

export function defaultDropRulesets(): string[] {
  return [...ET_OPEN_DEFAULT_DROP];
}

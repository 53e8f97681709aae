/** One rule of the manager's local_rules.xml (ruleset rules syntax). */
export interface LocalRule {
  readonly id: number;
  readonly level: number;
  /** The parent rule (`<if_sid>`); a rule without one names its decoder (`<decoded_as>`). */
  readonly ifSid?: number;
  readonly decodedAs?: string;
  /**
   * Decoded fields the event must have (`<field name=…>`, ruleset rules syntax): a PCRE2 pattern, or
   * Wazuh's default OS_Regex without `pcre2`.
   */
  readonly fields?: readonly { readonly name: string; readonly pattern: string; readonly pcre2?: boolean }[];
  readonly description: string;
  readonly groups: readonly string[];
}

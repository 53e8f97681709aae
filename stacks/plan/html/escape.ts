/**
 * HTML built only through `html` templates: every interpolated string is escaped, so names from the
 * config (networks, VMs, nodes, policies' messages) can never become markup. Only `Html` values (the
 * output of another `html` template) pass through as they are.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML text or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  return new Html(strings.reduce((out, part, index) => out + render(values[index - 1]) + part));
}

/** A number as the report shows it: at most two decimals. */
export const num = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * fortress-contain's audit lines in the manager's active-responses.log, as it writes them
 * (components/response/containment/fortress-contain.py audit_line: Wazuh's active-response log format,
 * `<%Y/%m/%d %H:%M:%S> active-response/bin/fortress-contain: {"fortress":{...}}`), as their fields.
 */
export function auditEvents(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    const match = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d active-response\/bin\/fortress-contain: (\{.*\})$/.exec(
      line,
    );
    if (!match?.[1]) continue;
    const body = JSON.parse(match[1]) as { fortress?: Record<string, unknown> };
    if (body.fortress) events.push(body.fortress);
  }
  return events;
}

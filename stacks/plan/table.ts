/** Plain-text tables for the terminal. */

/** A comma list broken after its commas into lines of at most `max` characters where it can be. */
export function wrapList(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const item of text.split(/(?<=,)/)) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]}${item}`.trimEnd().length <= max) lines[last] = `${lines[last]}${item}`;
    else lines.push(item.trimStart());
  }
  return lines.map((line) => line.trimEnd());
}

/**
 * `maxWidth`: when the table is wider, the widest column whose cells are comma lists wraps them onto
 * more lines, then the next, until the table fits; lines still wider are cut with "…" (plan.json has
 * everything).
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = Infinity,
  gap = 2,
): string {
  return fitTable(header, rows, maxWidth, gap).text;
}

/** The table, and whether it had to cut lines to fit `maxWidth`. */
export function fitTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth: number,
  gap: number,
): { readonly text: string; readonly cut: boolean } {
  let cut = false;
  const limits = header.map(() => Infinity);
  const cellsOf = () => rows.map((row) => header.map((_, column) => wrapList(row[column] ?? "", limits[column] ?? Infinity)));
  const widthsOf = (cells: readonly string[][][]) =>
    header.map((title, column) =>
      Math.max(title.length, ...cells.map((row) => Math.max(0, ...(row[column] ?? []).map((line) => line.length)))),
    );
  let cells = cellsOf();
  let widths = widthsOf(cells);
  const total = () => widths.reduce((sum, width) => sum + width, 0) + gap * (widths.length - 1);
  const byWidth = () => widths.map((width, column) => ({ width, column })).sort((a, b) => b.width - a.width);
  for (const { column } of byWidth()) {
    if (total() <= maxWidth) break;
    const width = widths[column] ?? 0;
    limits[column] = Math.max(header[column]?.length ?? 0, width - (total() - maxWidth), 1);
    cells = cellsOf();
    widths = widthsOf(cells);
  }
  const line = (parts: readonly string[]) => {
    const text = parts
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(" ".repeat(gap))
      .trimEnd();
    if (text.length <= maxWidth) return text;
    cut = true;
    return `${text.slice(0, Math.max(0, maxWidth - 1))}…`;
  };
  const body = cells.flatMap((row) => {
    const height = Math.max(1, ...row.map((lines) => lines.length));
    return Array.from({ length: height }, (_, index) => line(row.map((lines) => lines[index] ?? "")));
  });
  const text = [line(header), line(widths.map((width) => "-".repeat(width))), ...body].join("\n");
  return { text, cut };
}

/**
 * The XML side of the Wazuh API double: what defusedxml's minidom (expat) refuses, and how
 * toprettyxml(indent='  ') rewrites what it accepts (framework/wazuh/core/configuration.py
 * upload_group_configuration @ v4.14.6 stores the pretty-printed text).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/**
 * A small well-formedness parser standing in for defusedxml's minidom (expat): it refuses what expat
 * refuses for the documents agent.conf holds (mismatched or unclosed tags, a bare `<` or `&`, bad
 * attributes), with expat's wording.
 */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  const where = () => {
    const before = text.slice(0, i).split("\n");
    return `line ${before.length}, column ${(before.at(-1) ?? "").length}`;
  };
  while (i < text.length) {
    const top = stack.at(-1) as XmlElement;
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) throw new Error(`unclosed token: ${where()}`);
      i = end + 3;
    } else if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) throw new Error(`unclosed token: ${where()}`);
      i = end + 2;
    } else if (text.startsWith("</", i)) {
      const match = /^<\/([A-Za-z_][\w.\-:]*)\s*>/.exec(text.slice(i));
      if (!match) throw new Error(`not well-formed (invalid token): ${where()}`);
      if (match[1] !== top.name || stack.length === 1) throw new Error(`mismatched tag: ${where()}`);
      stack.pop();
      i += match[0].length;
    } else if (text[i] === "<") {
      const match =
        /^<([A-Za-z_][\w.\-:]*)((?:\s+[A-Za-z_][\w.\-:]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
          text.slice(i),
        );
      if (!match) throw new Error(`not well-formed (invalid token): ${where()}`);
      const attributes: Record<string, string> = {};
      for (const attribute of (match[2] ?? "").matchAll(
        /([A-Za-z_][\w.\-:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
      )) {
        const name = attribute[1] as string;
        if (Object.hasOwn(attributes, name)) throw new Error(`duplicate attribute: ${where()}`);
        attributes[name] = attribute[2] ?? attribute[3] ?? "";
      }
      const element: XmlElement = { name: match[1] as string, attributes, children: [], text: "" };
      top.children.push(element);
      if (match[3] !== "/") stack.push(element);
      i += match[0].length;
    } else {
      const next = text.indexOf("<", i);
      const chunk = text.slice(i, next < 0 ? text.length : next);
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(chunk))
        throw new Error(`not well-formed (invalid token): ${where()}`);
      if (stack.length === 1 && chunk.trim() !== "") throw new Error(`syntax error: ${where()}`);
      top.text += chunk;
      i = next < 0 ? text.length : next;
    }
  }
  if (stack.length > 1) throw new Error(`unclosed token: ${where()}`);
  if (root.children.length !== 1) throw new Error(`junk after document element: ${where()}`);
  return root.children[0] as XmlElement;
}

/** minidom's toprettyxml(indent='  ') of the children of `<root>`, as upload_group_configuration stores them. */
export function pretty(element: XmlElement, depth: number): string {
  const pad = "  ".repeat(depth);
  const attributes = Object.entries(element.attributes)
    .map(([name, value]) => ` ${name}="${value}"`)
    .join("");
  const text = element.text.trim();
  if (element.children.length === 0) {
    return text === ""
      ? `${pad}<${element.name}${attributes}/>\n`
      : `${pad}<${element.name}${attributes}>${text}</${element.name}>\n`;
  }
  return (
    `${pad}<${element.name}${attributes}>\n` +
    (text === "" ? "" : `${pad}  ${text}\n`) +
    element.children.map((child) => pretty(child, depth + 1)).join("") +
    `${pad}</${element.name}>\n`
  );
}

/**
 * A small XML tree and its serializer for the Wazuh files Fortress renders (ossec.conf, local rules):
 * element names are checked, text and attribute values escaped, so no value can open an element.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  /** Text content, or child elements; not both. */
  readonly text?: string;
  readonly children?: readonly XmlElement[];
}

const NAME = /^[A-Za-z_][\w.-]*$/;

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export const el = (
  name: string,
  content?: string | number | readonly XmlElement[],
  attributes?: Readonly<Record<string, string>>,
): XmlElement => ({
  name,
  ...(attributes ? { attributes } : {}),
  ...(typeof content === "string" || typeof content === "number"
    ? { text: String(content) }
    : content
      ? { children: content }
      : {}),
});

export function serialize(node: XmlElement, indent = ""): string {
  if (!NAME.test(node.name)) throw new Error(`internal: ${node.name} is not an XML element name`);
  const attributes = Object.entries(node.attributes ?? {})
    .map(([key, value]) => {
      if (!NAME.test(key)) throw new Error(`internal: ${key} is not an XML attribute name`);
      return ` ${key}="${escapeXml(value)}"`;
    })
    .join("");
  if (node.children && node.children.length > 0)
    return [
      `${indent}<${node.name}${attributes}>`,
      ...node.children.map((child) => serialize(child, `${indent}  `)),
      `${indent}</${node.name}>`,
    ].join("\n");
  if (node.text !== undefined)
    return `${indent}<${node.name}${attributes}>${escapeXml(node.text)}</${node.name}>`;
  return `${indent}<${node.name}${attributes}/>`;
}

/**
 * Every element's path in a well-formed document (`ossec_config/remote/port`), read back from the
 * text: what the reference check judges is what the manager will read. Comments and the XML
 * declaration are skipped; anything else that is not a tag is text.
 */
export function elementPaths(xml: string): string[] {
  const paths: string[] = [];
  const stack: string[] = [];
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, "").replace(/<\?[\s\S]*?\?>/g, "");
  for (const match of withoutComments.matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[^>]*?)?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match as unknown as [string, string, string, string, string];
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
      continue;
    }
    const path = [...stack, name].join("/");
    paths.push(path);
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`<${stack.join("/")}> is not closed`);
  return paths;
}

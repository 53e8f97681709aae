/**
 * One JSON request over HTTP(S), trusting a given CA (the lab's internal CA for TheHive, the firewall's
 * for OPNsense). Node's own http/https: no dependency, and the CA is a PEM string in memory, never a file
 * on a command line.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpTarget {
  /** Origin, e.g. `https://thehive.lab.example`. */
  readonly url: string;
  /** The CA's PEM that signs the server's certificate; absent: the system's. */
  readonly ca?: string;
  /** The Authorization header's value. */
  readonly authorization: string;
  /** The stack's own `fortress:opnsense.insecure`: no certificate check (the firewall's self-signed default). */
  readonly insecure?: boolean;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

export function callJson(
  target: HttpTarget,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  const url = new URL(path, target.url.endsWith("/") ? target.url : `${target.url}/`);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method,
        timeout: timeoutMs,
        headers: {
          Authorization: target.authorization,
          Accept: "application/json",
          ...(payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {}),
        },
        ...(url.protocol === "https:" && target.ca ? { ca: target.ca } : {}),
        ...(url.protocol === "https:" && target.insecure ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: the text says what went wrong.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    request.on("timeout", () =>
      request.destroy(new Error(`${method} ${url.href}: no answer in ${timeoutMs} ms`)),
    );
    request.on("error", reject);
    if (payload) request.write(payload);
    request.end();
  });
}

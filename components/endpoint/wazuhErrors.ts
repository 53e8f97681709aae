/**
 * Errors of the Wazuh server API an admin can act on. The API answers an error as a problem document
 * `{title, detail, remediation?, error?: <code>, dapi_errors?}` (wazuh/wazuh@v4.14.6
 * api/api/error_handler.py `problem_error_handler`: `code` is renamed `error`), with the status chosen
 * by the exception class (api/api/util.py `_create_problem`: WazuhError 400, WazuhResourceNotFound 404,
 * WazuhPermissionError 403, WazuhTooManyRequests 429, WazuhNotAcceptable 406, WazuhInternalError 500).
 * The codes and messages are framework/wazuh/core/exception.py's.
 */

/** The problem document the API answers with. */
export interface WazuhProblem {
  readonly title: string;
  readonly detail?: string;
  readonly remediation?: string;
  /** The framework's error code (exception.py ERRORS), when the error came from the framework. */
  readonly error?: number;
}

/** The framework codes Fortress reacts to (framework/wazuh/core/exception.py @ v4.14.6). */
export const WAZUH_CODES = {
  /** "The group does not exist" (WazuhResourceNotFound). */
  groupMissing: 1710,
  /** "The group already exists". */
  groupExists: 1711,
  /** "Default group is not deletable". */
  defaultGroup: 1712,
  /** "Invalid group ID. Some IDs are restricted for internal purposes". */
  groupRestricted: 1713,
  /** "Incorrect format for group_id". */
  groupFormat: 1722,
  /** "XML syntax error" (the body did not parse). */
  xmlSyntax: 1113,
  /** "Wazuh syntax error" (verify-agent-conf refused the configuration). */
  wazuhSyntax: 1114,
  /** "Body is empty". */
  emptyBody: 1912,
  /** "Limit of login attempts reached". */
  loginAttempts: 6000,
  /** "The body type is not the one specified in the content-type". */
  contentType: 6002,
} as const;

export class WazuhApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** 401 on login: the user or password is wrong. */
export class WazuhAuthError extends WazuhApiError {}

/** 403: the API user's RBAC policies do not allow the action. */
export class WazuhPermissionError extends WazuhApiError {}

/**
 * The API's own refusal (4xx with a problem document, or a 500 WazuhInternalError): the manager
 * answered, so another attempt gives the same.
 */
export class WazuhRefusedError extends WazuhApiError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: WazuhProblem,
  ) {
    const code = problem.error === undefined ? "" : ` (error ${problem.error})`;
    const detail = problem.detail ? `: ${problem.detail}` : "";
    const remediation = problem.remediation ? ` ${problem.remediation}` : "";
    super(
      `the Wazuh API refused ${method} ${path} with HTTP ${status} ${problem.title}${code}${detail}.${remediation}`,
    );
  }

  /** The framework's code, if any. */
  get code(): number | undefined {
    return this.problem.error;
  }
}

/** No usable answer after every retry (no connection, a timeout, 502/503/504, 429, a 500 without a problem document). */
export class WazuhUnavailableError extends WazuhApiError {}

/** A 2xx answer that is not what the API's spec says it answers. */
export class WazuhProtocolError extends WazuhApiError {}

/** A problem document, or undefined for anything else (an HTML error page of a proxy, an empty body). */
export function wazuhProblem(body: unknown): WazuhProblem | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const { title, detail, remediation, error } = body as Record<string, unknown>;
  if (typeof title !== "string") return undefined;
  return {
    title,
    ...(typeof detail === "string" ? { detail } : {}),
    ...(typeof remediation === "string" ? { remediation } : {}),
    ...(typeof error === "number" ? { error } : {}),
  };
}

/** Errors an admin can act on: each names what failed and what to do about it. */

export class OpnsenseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** 401: the key or secret is wrong. */
export class OpnsenseAuthError extends OpnsenseError {}

/** 403: the key's user lacks the privilege the endpoint needs. */
export class OpnsensePrivilegeError extends OpnsenseError {
  constructor(
    readonly path: string,
    readonly privilege: string | undefined,
  ) {
    super(
      `the OPNsense API key (fortress:opnsenseApiKey) may not call ${path}: its user lacks the privilege ` +
        `${privilege ? `"${privilege}"` : "for this endpoint"}. Grant it under System > Access > Users (or the user's group), then run again.`,
    );
  }
}

/** A save refused by OPNsense's model validation, with the fields it named. */
export class OpnsenseValidationError extends OpnsenseError {
  constructor(
    readonly what: string,
    readonly validations: Readonly<Record<string, string>>,
  ) {
    const fields = Object.entries(validations)
      .map(([field, message]) => `${field}: ${message}`)
      .join("; ");
    super(`OPNsense refused the ${what}: ${fields || "no field named"}`);
  }
}

/** A 4xx answer other than 401/403, e.g. 404 for an endpoint this OPNsense version does not have. */
export class OpnsenseHttpError extends OpnsenseError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * OPNsense's own error answer: HTTP 500 with `errorMessage` (opnsense/core src/opnsense/www/api.php
 * `error_output()`, 25.7 to 26.7). A thrown UserException (an alias still in use, a VLAN that is
 * assigned, a failing template) always carries `errorTitle` (Base/UserException.php, "" by default);
 * anything else PHP threw is "Unexpected error, check log for details" without one. Both are the
 * firewall's answer, not a network problem: retrying does not change them.
 */
export class OpnsenseServerError extends OpnsenseError {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly errorMessage: string,
    readonly errorTitle: string | undefined,
    hint = "",
  ) {
    const detail = errorMessage.trim() || "no message";
    super(
      errorTitle === undefined
        ? `OPNsense failed on /api/${path} (HTTP ${status}: ${detail}). The firewall answered, so this is ` +
            "no network problem and another attempt gives the same: see System > Log Files > Web GUI and " +
            `Backend on the firewall.${hint ? ` ${hint}` : ""}`
        : `OPNsense refused /api/${path}: ${detail}${hint ? ` ${hint}` : ""}`,
    );
  }

  /** A UserException: a refusal meant for the user (what is in the way is in the message). */
  get userException(): boolean {
    return this.errorTitle !== undefined;
  }
}

/** No usable answer after every retry. */
export class OpnsenseUnavailableError extends OpnsenseError {}

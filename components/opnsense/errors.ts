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

/** No usable answer after every retry. */
export class OpnsenseUnavailableError extends OpnsenseError {}

/**
 * One error type for everything Inlay reports to a user. `status` is the HTTP status the server
 * will answer with; `where` points at the file, line, cube and member at fault, and `hint` says
 * what would fix it. Messages never contain bound values from a security context.
 */
export type ErrorCode =
  | 'MODEL_INVALID'
  | 'QUERY_INVALID'
  | 'ACCESS_DENIED'
  | 'SECURITY_CONTEXT_MISSING'
  | 'JOIN_PATH'
  | 'DRIVER'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'CONFIG'
  | 'CONNECTION_INVALID'
  | 'CONNECTION_AUTH'
  | 'CONNECTION_DATABASE'
  | 'CONNECTION_UNREACHABLE'
  | 'CONNECTION_TIMEOUT'
  | 'CONNECTION_NOT_FOUND'
  | 'DATA_SOURCE_UNMAPPED'
  | 'SCHEMA_UNKNOWN'
  | 'TABLE_UNKNOWN'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'UNKNOWN_ENVIRONMENT'
  | 'UNAUTHENTICATED';

export interface ErrorLocation {
  file?: string;
  line?: number;
  cube?: string;
  member?: string;
  /** Dotted path inside the query or model document, e.g. `filters[2].values[0]`. */
  path?: string;
}

const STATUS: Record<ErrorCode, number> = {
  MODEL_INVALID: 422,
  QUERY_INVALID: 400,
  ACCESS_DENIED: 403,
  SECURITY_CONTEXT_MISSING: 403,
  JOIN_PATH: 400,
  DRIVER: 502,
  TIMEOUT: 504,
  CANCELLED: 499,
  CONFIG: 500,
  // A connection's own problems: what its owner can fix is a 400; a database that cannot be
  // reached or does not answer in time is the upstream's failure (502/504), never Inlay's 500.
  CONNECTION_INVALID: 400,
  CONNECTION_AUTH: 400,
  CONNECTION_DATABASE: 400,
  CONNECTION_UNREACHABLE: 502,
  CONNECTION_TIMEOUT: 504,
  CONNECTION_NOT_FOUND: 404,
  // An environment (or the default one) maps no connection for a data source a query needs.
  DATA_SOURCE_UNMAPPED: 400,
  SCHEMA_UNKNOWN: 400,
  TABLE_UNKNOWN: 400,
  CONFLICT: 409,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
  // The caller named an environment that does not exist: fixed by the request, not the server.
  UNKNOWN_ENVIRONMENT: 400,
  // Who the caller is was not proven: a wrong password, a spent sign-up link, no session.
  UNAUTHENTICATED: 401,
};

export class InlayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly where: ErrorLocation | undefined;
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { where?: ErrorLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'InlayError';
    this.code = code;
    this.status = STATUS[code];
    this.where = opts.where;
    this.hint = opts.hint;
  }

  /** `file:line cube 'x' member 'y': message. hint` — the form every CLI and API error takes. */
  describe(): string {
    const w = this.where;
    const parts: string[] = [];
    if (w?.file) parts.push(w.line ? `${w.file}:${w.line}` : w.file);
    if (w?.cube) parts.push(`cube '${w.cube}'`);
    if (w?.member) parts.push(`member '${w.member}'`);
    if (w?.path && !w.file) parts.push(`at ${w.path}`);
    const head = parts.length ? `${parts.join(' ')}: ` : '';
    return `${head}${this.message}${this.hint ? ` ${this.hint}` : ''}`;
  }

  toJSON(): { errorMessage: string; code: ErrorCode; where?: ErrorLocation; hint?: string } {
    return {
      errorMessage: this.describe(),
      code: this.code,
      ...(this.where ? { where: this.where } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

export function isInlayError(e: unknown): e is InlayError {
  return e instanceof InlayError;
}

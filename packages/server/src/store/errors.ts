import { InlayError } from '@inlay/core';

export class StoreConflictError extends InlayError {
  constructor(message: string, cause?: unknown) {
    super('CONFLICT', message, cause === undefined ? {} : { cause });
    this.name = 'StoreConflictError';
  }
}

export class StoreNotFoundError extends InlayError {
  /** `code`: a 404 code that names what is missing (CONNECTION_NOT_FOUND), NOT_FOUND by default. */
  constructor(message: string, code: 'NOT_FOUND' | 'CONNECTION_NOT_FOUND' = 'NOT_FOUND') {
    super(code, message);
    this.name = 'StoreNotFoundError';
  }
}

/** SQLite and PostgreSQL report a broken UNIQUE / PRIMARY KEY constraint differently. */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs a write and turns a unique-constraint failure into a 409 that names the thing. */
export async function conflictAs<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e)) throw new StoreConflictError(message, e);
    throw e;
  }
}

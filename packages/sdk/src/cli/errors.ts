import { isInlayError } from '@inlay/core';
import { CommanderError } from 'commander';

/** A mistake in how the command was called (bad JSON, unknown flag value): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Parses a JSON flag or argument, or throws a UsageError that says which one and why. */
export function parseJsonArg(
  text: string,
  what: string,
  expect: 'object' = 'object',
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${what} is not valid JSON: ${(e as Error).message}. Quote it for the shell, e.g. '{"measures":["flights.count"]}'.`,
    );
  }
  if (expect === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new UsageError(`${what} must be a JSON object ({ … }).`);
  }
  return value as Record<string, unknown>;
}

/**
 * Writes an error the way every command reports one (message only, no stack trace) and returns
 * the exit code: 2 for usage errors, 1 for everything else.
 */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message; help and --version are not failures.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
      return 0;
    }
    return EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (isInlayError(err)) {
    process.stderr.write(`error: ${err.describe()}\n`);
    if (err.code === 'SECURITY_CONTEXT_MISSING') {
      process.stderr.write(
        `(the CLI is as closed as the API: pass the context with --security-context '<json>', or a role whose policy needs none with --roles)\n`,
      );
    }
    return EXIT_ERROR;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
  return EXIT_ERROR;
}

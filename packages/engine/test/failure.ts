import { InlayError } from '@inlay/core';

/** The InlayError `fn` throws; anything else (a RangeError from a stack overflow) fails the test. */
export function failure(fn: () => unknown): InlayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InlayError) return e;
    throw e;
  }
  throw new Error('expected an InlayError');
}

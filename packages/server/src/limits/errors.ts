import { InlayError } from '@inlay/core';

/** 429: the caller sent more requests than its budget. */
export function rateLimited(message: string): InlayError {
  return new InlayError('RATE_LIMITED', message, { hint: 'Wait for the time in the retry-after header.' });
}

/** 503: the server is busy on this connection; the request did no work and may be retried. */
export function overloaded(message: string): InlayError {
  return new InlayError('OVERLOADED', message, { hint: 'Retry shortly; the connection is busy.' });
}

import { ApiError } from './api.js';

/** `120` → `2 minutes`: how long to wait, rounded up to what a person would say. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** The server's messages are lower-case fragments ("wrong email or password"): shown as a sentence. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What a failed request tells the person, including when to try again after a 429. */
export function errorText(err: unknown, fallback: string): string {
  if (!(err instanceof ApiError)) return fallback;
  const text = sentence(err.message);
  if (err.status === 429) {
    const wait = err.retryAfterSeconds;
    return wait === undefined ? `${text} Try again later.` : `${text} Try again in ${formatWait(wait)}.`;
  }
  return text;
}

/** `errorText` followed by the server's hint of what to do about it, when it gave one. */
export function errorWithHint(err: unknown, fallback: string): string {
  const text = errorText(err, fallback);
  if (!(err instanceof ApiError && err.hint)) return text;
  // Some messages carry their hint already (a driver's own advice): said once.
  const hint = sentence(err.hint);
  return text.includes(hint.replace(/[.!?]$/, '')) ? text : `${text} ${hint}`;
}

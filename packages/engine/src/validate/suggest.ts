import { closest, distance } from 'fastest-levenshtein';

/** `Did you mean 'x'?` when a known name is close enough to be a typo. */
export function didYouMean(input: string, known: Iterable<string>): string | undefined {
  const options = [...known];
  if (options.length === 0) return undefined;
  const best = closest(input, options);
  const limit = Math.max(2, Math.floor(input.length / 3));
  return distance(input, best) <= limit ? `Did you mean '${best}'?` : undefined;
}

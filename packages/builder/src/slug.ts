/**
 * A dashboard's name: what tokens and `*.embeddable.yml` files call it, so it is a slug — the
 * server's own rule (lower-case letters, digits, - and _, starting with a letter or digit, at
 * most 100), checked here first so the person gets a helpful message and a suggestion.
 */
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/** `Sales Overview!` → `sales-overview`. */
export function suggestSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 100);
}

/** Why a name is refused, or undefined when it is a good one. */
export function slugProblem(name: string): string | undefined {
  if (!name) return 'Enter a name, for example “sales-overview”.';
  if (SLUG.test(name)) return undefined;
  if (name.length > 100) return 'The name can be at most 100 characters long.';
  const suggestion = suggestSlug(name);
  const rule = 'A name uses lower-case letters, digits, - and _ only, and starts with a letter or digit.';
  return suggestion && SLUG.test(suggestion) ? `${rule} Try “${suggestion}”.` : rule;
}

// Module hooks for a project's own TypeScript under the compiled CLI: `@inlay/*` resolves to the
// bundle's entries (dist/aliases.json), not to the packages' TypeScript sources, so the project
// shares the server's modules instead of loading a second copy of them.
let aliases = {};

export function initialize(data) {
  aliases = data;
}

export async function resolve(specifier, context, next) {
  const url = aliases[specifier];
  return url ? { url, shortCircuit: true } : next(specifier, context);
}

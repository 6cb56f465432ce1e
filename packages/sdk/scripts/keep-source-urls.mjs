// An esbuild plugin shared by the CLI build and the compiled project modules: a bundled module
// that finds files next to itself (templates, assets, a dataset in node_modules) keeps its own
// location, because `import.meta.url` outside a string literal becomes the source file's URL
// rather than the bundle's.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = text
        .split('\n')
        .map((line) =>
          line.replace(/import\.meta\.url/g, (m, at) => {
            const before = line.slice(0, at);
            const quotes = (before.match(/['"`]/g) ?? []).length;
            return quotes % 2 === 1 ? m : url;
          }),
        )
        .join('\n');
      return { contents, loader: loaderOf(args.path) };
    });
  },
};

function loaderOf(path) {
  if (/\.[cm]?tsx$/.test(path)) return 'tsx';
  if (/\.[cm]?ts$/.test(path)) return 'ts';
  return /x$/.test(path) ? 'jsx' : 'js';
}

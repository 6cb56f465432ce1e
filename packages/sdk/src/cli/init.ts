import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

/** The packages of this checkout; the scaffold's `@inlay/*` dependencies point at them. */
const PACKAGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The files `init` copies: real files, so editors, biome and the tests see what users get. */
export const TEMPLATE_DIR = resolve(PACKAGES_DIR, 'sdk', 'templates', 'project');

/**
 * Template names that become dot files: a `.gitignore` or `.npmrc` inside the sdk's own folder
 * would act on the checkout itself (and npm drops `.gitignore` from published packages).
 */
const RENAMED: Record<string, string> = { gitignore: '.gitignore', npmrc: '.npmrc' };

/**
 * The checkout packages the scaffold depends on, by folder under the checkout: the author API,
 * React bindings, standard components, and the flights demo (its config's `setup` builds the data).
 */
export const LOCAL_PACKAGES = {
  '@inlay/sdk': 'packages/sdk',
  '@inlay/react': 'packages/react',
  '@inlay/components': 'packages/components',
  '@inlay/example-flights': 'examples/flights',
} as const;

/**
 * Registry packages the scaffold needs, with the range used when this checkout has none installed.
 * The installed version is preferred: npm then finds its tarball in the cache the checkout's own
 * install filled, and the project type-checks with the same React types as the packages it links.
 */
const REGISTRY_PACKAGES = {
  dependencies: { react: '^19.3.1' },
  devDependencies: { typescript: '^7.0.2', '@types/react': '^19.3.0', '@types/node': '^20.19.43' },
} as const;

interface InitFlags {
  force?: boolean;
}

/** The version of `name` installed for this checkout (its node_modules, walking up), if any. */
function installedVersion(name: string): string | undefined {
  for (let dir = PACKAGES_DIR; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      return typeof version === 'string' ? version : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function ranges(deps: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deps).map(([name, fallback]) => {
      const v = installedVersion(name);
      return [name, v ? `^${v}` : fallback];
    }),
  );
}

/** An npm package name from the folder's name: lower case, no spaces or leading dots. */
export function packageName(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 200);
  return name || 'inlay-project';
}

/** The scaffold's package.json: local `file:` links to this checkout, absolute so the project can live anywhere. */
export function projectPackageJson(name: string): Record<string, unknown> {
  const local = Object.fromEntries(
    Object.entries(LOCAL_PACKAGES).map(([p, dir]) => [p, `file:${join(PACKAGES_DIR, '..', dir)}`]),
  );
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      build: 'inlay build',
      dev: 'inlay dev',
      push: 'inlay push',
      validate: 'inlay validate',
      typecheck: 'tsc -p tsconfig.json',
    },
    dependencies: { ...local, ...ranges(REGISTRY_PACKAGES.dependencies) },
    devDependencies: ranges(REGISTRY_PACKAGES.devDependencies),
  };
}

/** Every template file as [path in the project, content], sorted; `{{name}}` filled in. */
export function scaffoldFiles(name: string): [string, string][] {
  const out: [string, string][] = [
    ['package.json', `${JSON.stringify(projectPackageJson(name), null, 2)}\n`],
  ];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const from = join(dir, entry.name);
      const to = prefix
        ? `${prefix}/${RENAMED[entry.name] ?? entry.name}`
        : (RENAMED[entry.name] ?? entry.name);
      if (entry.isDirectory()) walk(from, to);
      else out.push([to, readFileSync(from, 'utf8').replaceAll('{{name}}', name)]);
    }
  };
  walk(TEMPLATE_DIR, '');
  return out.sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Writes the scaffold into `target`; refuses a non-empty folder unless `force`. Returns the exit code. */
export function runInit(target: string, flags: InitFlags): number {
  const dir = resolve(target);
  const shown = relative(process.cwd(), dir) || '.';
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) {
      throw new Error(`${shown} exists and is not a folder; choose a new folder name.`);
    }
    const entries = readdirSync(dir);
    if (entries.length > 0 && !flags.force) {
      // Checked before anything is written, so a refused init leaves the folder as it was.
      throw new Error(
        `${shown} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, e.g. ${entries[0]}); nothing was written. Choose a new or empty folder, or pass --force to write the project's files over it (files of the same name are replaced, others are kept).`,
      );
    }
  }
  const name = packageName(dir);
  const files = scaffoldFiles(name);
  for (const [path, content] of files) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const cd = shown === '.' ? [] : [`  cd ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`];
  process.stdout.write(
    [
      `Created the Inlay project '${name}' in ${dir} (${files.length} files):`,
      ...files.map(([p]) => `  ${p}`),
      '',
      `Its @inlay/* dependencies are this checkout's packages (${PACKAGES_DIR}) until they are published: keep the checkout installed and in place.`,
      '',
      'Next:',
      ...cd,
      '  npm install',
      '  npx inlay build      # or `npx inlay dev`',
      '  npx inlay push       # with INLAY_API_KEY set to the server’s workspace key',
      '',
    ].join('\n'),
  );
  return 0;
}

export function initCommand(): Command {
  return new Command('init')
    .description(
      'create a project: models, a custom component, presets and a dashboard, on the flights demo data',
    )
    .argument('<dir>', 'the folder to create (new or empty)')
    .option('--force', 'write into a non-empty folder, replacing files of the same name')
    .action((dir: string, flags: InitFlags) => {
      process.exitCode = runInit(dir, flags);
    });
}

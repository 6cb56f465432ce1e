import { z } from 'zod';

/**
 * A project's own components, as `inlay build` writes them (`.inlay-build/manifest.json` beside
 * the bundled files), `inlay push` uploads them and the server stores them: one immutable
 * components version per distinct manifest. The embed runtime and the builder read the same shape
 * back from the server (`GET /api/v1/components`), with each file's URL.
 *
 * A component file is an ES module whose default export is what `defineComponent` returns (as the
 * standard components' modules are). It imports `react`, `react-dom`, `react/jsx-runtime` and
 * `@inlay/react` from the runtime, never bundles them: `inlay build` resolves those imports to
 * `globalThis.__inlay.modules[specifier]`, which the runtime fills before it imports the file.
 */

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Paths inside the build folder: `components/Name-HASH.js`, `chunks/chunk-HASH.js`, `*.css`. */
const FILE_PATH = /^(?:components|chunks)\/[A-Za-z0-9._-]+\.(?:js|css)$/;

const inputMetaSchema: z.ZodType<unknown> = z.lazy(() =>
  z.looseObject({
    name: z.string().regex(NAME),
    type: z.string().min(1),
    label: z.string().min(1),
    description: z.string().optional(),
    defaultValue: z.unknown().optional(),
    required: z.boolean().optional(),
    array: z.boolean().optional(),
    category: z.string().optional(),
    config: z
      .looseObject({ dataset: z.string().optional(), supportedTypes: z.array(z.string()).optional() })
      .optional(),
    inputs: z.array(inputMetaSchema).optional(),
  }),
);

export const componentMetaSchema = z.looseObject({
  name: z.string().regex(NAME, 'a component name is letters, digits and _, starting with a letter'),
  label: z.string().min(1),
  description: z.string().optional(),
  category: z.string().optional(),
  defaultWidth: z.number().int().min(1).max(12).optional(),
  defaultHeight: z.number().int().min(1).max(100).optional(),
  inputs: z.array(inputMetaSchema),
  events: z
    .array(
      z.looseObject({
        name: z.string().regex(NAME),
        label: z.string().min(1),
        properties: z.array(z.looseObject({ name: z.string(), type: z.string() })).optional(),
      }),
    )
    .optional(),
  variables: z.array(z.looseObject({ name: z.string(), type: z.string() })).optional(),
});

export const componentsManifestSchema = z
  .strictObject({
    /** The manifest format; a server refuses a version it does not know. */
    format: z.literal(1),
    /** Which React the components were written for: `compat` runs them on the runtime's preact/compat. */
    react: z.enum(['compat', 'react']).default('compat'),
    components: z
      .array(
        z.strictObject({
          name: z.string().regex(NAME),
          meta: componentMetaSchema,
          /** The component's module, relative to the build folder. */
          file: z.string().regex(FILE_PATH),
          /** Files it imports (chunks, CSS), fetched together with it. */
          imports: z.array(z.string().regex(FILE_PATH)).default([]),
        }),
      )
      .max(500),
    /** Every file of the build with its SHA-256 (hex) and size: what a push uploads and checks. */
    files: z.record(
      z.string().regex(FILE_PATH),
      z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) }),
    ),
  })
  .meta({ id: 'ComponentsManifest' });

export type ComponentsManifest = z.output<typeof componentsManifestSchema>;

/** Where `inlay build` writes, inside the project. */
export const COMPONENTS_BUILD_DIR = '.inlay-build';

/** The specifiers a component bundle takes from the runtime instead of bundling them. */
export const RUNTIME_PROVIDED_MODULES = [
  'react',
  'react-dom',
  'react-dom/client',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  '@inlay/react',
] as const;

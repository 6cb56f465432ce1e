import type { ComponentRegistry } from './element.js';
import type { ComponentLoader } from './widget.js';

/**
 * A project's own components (`inlay build`'s output), beside the standard library: each a URL of
 * an ES module whose default export is the component's definition. They come from
 * `registerComponents({name: url})` (page-wide) or from the dashboard answer's `components` (the
 * version the dashboard pins, per embed). A standard component's name always means the standard
 * component: `inlay build` refuses a project component named like one.
 */

type InlayGlobal = { __inlay?: { modules?: Record<string, unknown> } };

/**
 * What the dashboard answer says of the pinned components version: each module's URL and the
 * files each imports (URLs relative to the Inlay server), fetched together with it.
 */
export interface ProjectComponents {
  components?: Record<string, string>;
  componentImports?: Record<string, string[]>;
}

/** Name → absolute URL, for every embed on the page. */
const registered = new Map<string, string>();
let exposing: Promise<void> | undefined;

export type RuntimeModulesLoader = () => Promise<{ runtimeModules: Record<string, unknown> }>;
let loadRuntimeModules: RuntimeModulesLoader | undefined;

/**
 * The build's entry hands over `() => import('./runtime-modules.js')`: that module imports
 * `@inlay/react` and `preact/compat`, which the runtime's own source does not depend on (the
 * standard registry is composed in the same place), and as a dynamic import it is a chunk of its
 * own, fetched only when a page uses a project component.
 */
export function setRuntimeModules(loader: RuntimeModulesLoader): void {
  loadRuntimeModules ??= loader;
}

/**
 * Fills `globalThis.__inlay.modules` before the first project component is imported, once. A
 * second copy of the runtime on the page keeps the first one's modules (components already
 * loaded are bound to them).
 */
function exposeRuntimeModules(): Promise<void> {
  if (!loadRuntimeModules) return Promise.reject(new Error('this runtime was built without runtime modules'));
  exposing ??= loadRuntimeModules().then(({ runtimeModules }) => {
    const g = globalThis as InlayGlobal;
    g.__inlay ??= {};
    g.__inlay.modules ??= runtimeModules;
  });
  return exposing;
}

/**
 * `preload`: the module's chunks, asked for at once beside it rather than after it is parsed (one
 * round trip instead of two). CSS is left out: the build inlines it into the module. A chunk that
 * fails here fails again, and is reported, where the module imports it.
 */
function loaderOf(url: string, preload: readonly string[] = []): ComponentLoader {
  return () => {
    for (const chunk of preload) if (chunk.endsWith('.js')) import(/* @vite-ignore */ chunk).catch(() => {});
    return exposeRuntimeModules().then(() => import(/* @vite-ignore */ url));
  };
}

/**
 * Makes project components available to every `<inlay-dashboard>` and `<inlay-component>` on the
 * page: `{name: url}`, URLs relative to `base` (default: the page). A standard component's name
 * still means the standard component; registering a name again replaces its URL for widgets
 * loaded afterwards.
 */
export function registerComponents(
  components: Record<string, string>,
  base: string = document.baseURI,
): void {
  for (const [name, url] of Object.entries(components)) registered.set(name, new URL(url, base).href);
}

/**
 * The loader for a widget's component: the standard one, else the dashboard answer's (URLs relative
 * to the Inlay server), else a registered one.
 */
export function componentLoader(
  standard: ComponentRegistry,
  name: string,
  answer: ProjectComponents | undefined,
  baseUrl: string,
): ComponentLoader | undefined {
  if (Object.hasOwn(standard, name)) return standard[name];
  const urls = answer?.components;
  const fromAnswer = urls && Object.hasOwn(urls, name) ? urls[name] : undefined;
  if (fromAnswer) {
    const at = (url: string) => new URL(url, `${baseUrl}/`).href;
    const imports =
      answer?.componentImports && Object.hasOwn(answer.componentImports, name)
        ? answer.componentImports[name]
        : [];
    return loaderOf(at(fromAnswer), (imports ?? []).map(at));
  }
  const url = registered.get(name);
  return url ? loaderOf(url) : undefined;
}

import type {
  ClientContext,
  ComponentDefinition,
  ComponentMeta,
  DataResponse,
  InputsOf,
  LoadDataRequest,
} from '@inlay/sdk';
import { type ComponentType, createElement, type ReactNode } from 'react';
import { InlayContext, type InlayRuntimeProp } from './context.js';

// biome-ignore lint/suspicious/noExplicitAny: a callback prop of any signature
type AnyFunction = (...args: any[]) => any;

/** The component's callback props: the runtime supplies them, wired to `config.events`. */
type EventKeys<P> = { [K in keyof P]-?: NonNullable<P[K]> extends AnyFunction ? K : never }[keyof P];

/** A `DataResponse` prop is given as `loadData(...)` in `config.props`. */
type Described<T> = T extends DataResponse ? LoadDataRequest : T;

/**
 * What `config.props` returns: the component's props, data props as `loadData(...)`, no callbacks.
 * Mapped over `keyof P` (with `as`), so a prop the component marks optional may be left out here too.
 */
export type PropsFromConfig<P> = { [K in keyof P as K extends EventKeys<P> ? never : K]: Described<P[K]> };

/** For each callback prop, the event properties it emits (`onChange: (v) => ({value: v})`). */
export type EventsConfig<P> = {
  [K in EventKeys<P>]?: (...args: Parameters<NonNullable<P[K]> & AnyFunction>) => Record<string, unknown>;
};

export interface ComponentConfig<M extends ComponentMeta, P> {
  /** Resolved inputs → props. Reading an input `meta` does not declare is a type error. */
  props?: (
    inputs: InputsOf<M>,
    state: [unknown, (next: unknown) => void],
    clientContext: ClientContext,
  ) => PropsFromConfig<P>;
  events?: EventsConfig<P>;
}

/** A `ComponentDefinition` that remembers its meta and props for tooling and tests. */
export interface TypedComponentDefinition<M extends ComponentMeta, P> extends ComponentDefinition {
  meta: M;
  Component: (props: P & { __inlay?: InlayRuntimeProp }) => ReactNode;
  /** The author's component, unwrapped (previews and tests render it directly). */
  Inner: ComponentType<P>;
}

type Styles = { styles?: string };

/**
 * Without `config.props` the runtime hands the resolved inputs to the component as its props, so
 * `config.props` may be left out only when the component accepts its inputs as they are. Otherwise
 * (a prop no input gives, such as a `DataResponse`, or an optional input for a required prop) the
 * call must pass a config with `props`: leaving it out is a compile error, not `undefined` at run time.
 */
type ConfigArg<M extends ComponentMeta, P> = [InputsOf<M>] extends [Omit<P, EventKeys<P>>]
  ? [config?: ComponentConfig<M, P> & Styles]
  : [
      configWithProps: ComponentConfig<M, P> &
        Styles & { props: NonNullable<ComponentConfig<M, P>['props']> },
    ];

/**
 * A component for Inlay: the React component, its meta (declare it `as const`, or with
 * `defineMeta`, so inputs are typed) and how inputs become props and callbacks become events.
 * The returned `Component` takes the runtime's `__inlay` prop off and provides it to the hooks.
 */
export function defineComponent<const M extends ComponentMeta, P extends object>(
  Component: ComponentType<P>,
  meta: M,
  ...[config = {}]: ConfigArg<M, P>
): TypedComponentDefinition<M, P> {
  const { styles, ...rest } = config;
  function InlayComponent(props: P & { __inlay?: InlayRuntimeProp }): ReactNode {
    const { __inlay, ...own } = props;
    return createElement(
      InlayContext.Provider,
      { value: __inlay ?? null },
      createElement(Component as ComponentType<object>, own),
    );
  }
  InlayComponent.displayName = `Inlay(${meta.name})`;
  return {
    meta,
    Component: InlayComponent,
    Inner: Component,
    config: rest as ComponentDefinition['config'],
    ...(styles ? { styles } : {}),
  };
}

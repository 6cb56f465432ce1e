import type { ClientContext } from '@inlay/sdk';
import { createContext } from 'react';

/** The extra prop the runtime passes each component; `defineComponent`'s wrapper takes it off. */
export interface InlayRuntimeProp {
  clientContext?: ClientContext;
  /** `clientContext.theme` as given, or the runtime's resolved `{mode, variables}`. */
  theme?: unknown;
  state?: unknown;
  setState?: (next: unknown) => void;
  widgetId?: string;
}

/** Null outside the runtime (tests, previews, server rendering): the hooks then fall back. */
export const InlayContext = createContext<InlayRuntimeProp | null>(null);

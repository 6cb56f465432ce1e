import { RENDER_PENDING_ATTRIBUTE } from '@inlay/core/dashboard-types';
import { useTheme } from '@inlay/react';
import { useEffect, useRef, useState } from 'react';
import type { EChartsType } from '../echarts/core.js';

/** A chart-type module (`../echarts/bar.ts`, …), loaded on first render with dynamic import(). */
export type ChartModule = { init: typeof import('../echarts/core.js').init };

// biome-ignore lint/suspicious/noExplicitAny: ECharts options are a large union; builders type their own parts
export type ChartOption = Record<string, any>;

/**
 * Starts fetching a chart type's code when the widget mounts, while its data loads, instead of
 * after the data has arrived (ECharts is the biggest download of a dashboard).
 */
export function usePreloadChart(load: () => Promise<ChartModule>): void {
  useEffect(() => {
    load().catch(() => {});
  }, [load]);
}

/**
 * The canvas of a chart: hidden from assistive technology (the widget's accessible table carries
 * the numbers). ECharts is loaded lazily, initialised once, resized with its box, updated when the
 * option changes and disposed on unmount.
 */
export function EChart(props: {
  load: () => Promise<ChartModule>;
  option: ChartOption;
  reloading?: boolean;
  /** A click on a data item (a bar): its index in the data. The table offers the same by keyboard. */
  onItemClick?: ((dataIndex: number) => void) | undefined;
}) {
  const box = useRef<HTMLDivElement | null>(null);
  const chart = useRef<EChartsType | null>(null);
  const option = useRef(props.option);
  option.current = props.option;
  // Read at click time: a new handler each render must not re-create the chart.
  const onItemClick = useRef(props.onItemClick);
  onItemClick.current = props.onItemClick;
  const { mode } = useTheme();
  const load = props.load;

  // Until the first frame is drawn, the runtime's `dataLoad` waits (see RENDER_PENDING_ATTRIBUTE).
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    load().then(
      (mod) => {
        if (disposed || !box.current) return;
        const el = box.current;
        const c = mod.init(el, null, { renderer: 'canvas' });
        chart.current = c;
        // The first frame is drawn at once, not grown over a second: it is what `dataLoad` waits
        // for, and on a busy page an entrance animation redraws every frame while the others load.
        c.setOption({ ...option.current, animation: false }, { notMerge: true });
        c.on('click', (p: { dataIndex?: number }) => {
          if (typeof p.dataIndex === 'number') onItemClick.current?.(p.dataIndex);
        });
        // An observer reports the size it starts with: redrawing for that would draw twice.
        let size = `${el.clientWidth}x${el.clientHeight}`;
        observer = new ResizeObserver(() => {
          const now = `${el.clientWidth}x${el.clientHeight}`;
          if (now === size) return;
          size = now;
          c.resize();
        });
        observer.observe(el);
        requestAnimationFrame(() => {
          if (!disposed) setDrawn(true);
        });
      },
      // No chart without its code; the accessible table still has the numbers. Never hold dataLoad.
      () => {
        if (!disposed) setDrawn(true);
      },
    );
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [load]);

  useEffect(() => {
    chart.current?.setOption(reducedMotion() ? { ...props.option, animation: false } : props.option, {
      notMerge: true,
    });
  }, [props.option]);

  return (
    <div
      ref={box}
      className={props.reloading ? 'inlay-chart inlay-reloading' : 'inlay-chart'}
      aria-hidden="true"
      data-theme={mode}
      {...(drawn ? {} : { [RENDER_PENDING_ATTRIBUTE]: 'chart' })}
    />
  );
}

const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Colours and text styles from the theme's variables (a canvas cannot read CSS variables). */
export function chartColors(variables: Record<string, string>) {
  const series = Array.from({ length: 8 }, (_, i) => variables[`--inlay-series-${i + 1}`]).filter(
    (c): c is string => Boolean(c),
  );
  return {
    series,
    fg: variables['--inlay-fg'] ?? '#1f2328',
    muted: variables['--inlay-muted'] ?? '#59636e',
    border: variables['--inlay-border'] ?? '#d8dee4',
    surface: variables['--inlay-surface'] ?? '#ffffff',
    font: variables['--inlay-font'] ?? 'system-ui, sans-serif',
  };
}

export const chartStyles = `
.inlay-chart { position: absolute; inset: 0; transition: opacity 0.2s; }
.inlay-reloading { opacity: 0.55; }
`;

/** Text for an ECharts tooltip formatter, which returns HTML: names come from the data. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `a` moved `t` of the way towards `b` (`#rrggbb` or `#rgb`); `a` when either is another notation. */
export function mixColors(a: string, b: string, t: number): string {
  const rgb = (c: string) => {
    const h = c.trim().replace(/^#/, '');
    const full = h.length === 3 ? [...h].map((x) => x + x).join('') : h;
    return /^[0-9a-f]{6}$/i.test(full)
      ? [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16))
      : undefined;
  };
  const [ca, cb] = [rgb(a), rgb(b)];
  if (!ca || !cb) return a;
  return `#${ca
    .map((v, i) =>
      Math.round(v + (cb[i]! - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

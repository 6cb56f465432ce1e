import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** V8's young generation (`new_space`) a server process lets grow, at most. */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;
/** V8's own `--semi-space-growth-factor` (the new space doubles when it grows). */
const V8_GROWTH_FACTOR = 2;

const newSpaceBytes = (): number =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/**
 * Stops V8's young generation growing past `capBytes`. Left alone it doubles under load up to
 * 2 × 16 MB (Node 20's `--max-semi-space-size`), and V8's idle memory reducer shrinks it again, so a
 * server's loaded RSS climbed ~16 MB in the burst after an idle spell (bench:lean's peaks, burst 1
 * → 2: 231 → 256 MB with V8 alone, 229 → 243 MB with this cap). The cap is a start flag
 * only, which `node …/inlay.js start` cannot pass to itself; V8 reads its growth factor each time
 * the new space grows, so after every collection this sets it to 1 at the cap and back to V8's 2
 * below it (after the memory reducer shrank it). An operator's own `--max-semi-space-size` wins:
 * then this does nothing. Returns the function that stops it.
 */
export function capYoungGeneration(
  capBytes = YOUNG_GENERATION_CAP_BYTES,
  nodeFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`,
): () => void {
  if (nodeFlags.includes('--max-semi-space-size')) return () => {};
  let factor = V8_GROWTH_FACTOR;
  const steer = () => {
    const wanted = newSpaceBytes() >= capBytes ? 1 : V8_GROWTH_FACTOR;
    if (wanted === factor) return;
    setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
    factor = wanted;
  };
  steer();
  const observer = new PerformanceObserver(steer);
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    if (factor !== V8_GROWTH_FACTOR) setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
  };
}

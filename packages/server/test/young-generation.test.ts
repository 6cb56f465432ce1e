import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/young-generation-load.ts', import.meta.url));
const MB = 1024 * 1024;
const largestYoungGeneration = async (...args: string[]) =>
  (
    JSON.parse((await run(process.execPath, ['--import', 'tsx', script, ...args])).stdout) as {
      largest: number;
    }
  ).largest;

describe('the young generation cap of a server process', () => {
  it('holds V8 new space at the cap where V8 alone grows it past', async () => {
    const [alone, capped] = await Promise.all([
      largestYoungGeneration('off'),
      largestYoungGeneration(String(4 * MB)),
    ]);
    expect(alone).toBeGreaterThan(8 * MB);
    // The cap is steered after each collection, so V8 may take one growth step past it in a turn
    // that collects twice before the observer hears of it; never two.
    expect(capped).toBeLessThanOrEqual(8 * MB);
  });

  it("leaves the sizing to an operator's own --max-semi-space-size", async () => {
    expect(await largestYoungGeneration(String(4 * MB), '--max-semi-space-size=16')).toBeGreaterThan(4 * MB);
  });
});

import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignHosts, launchChromium, recordRequests } from '../../../scripts/chromium.js';
import { type TestApp, testApp } from './helpers.js';

/** `src`/`href` attributes and CSS `url(...)` / `@import` of an HTML or CSS text. */
function references(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) out.push(m[1]!);
  for (const m of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/gi)) out.push(m[1]!);
  for (const m of text.matchAll(/@import\s+["']([^"']+)["']/gi)) out.push(m[1]!);
  return out;
}
const absolute = (refs: string[]) => refs.filter((r) => /^(https?:)?\/\//i.test(r));

describe('/docs loads nothing from another origin', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = testApp({ logLevel: 'warn' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => t.app.close());

  it('the page and what it references name only this server, and Scalar is told not to fetch its fonts', async () => {
    const page = await fetch(`${base}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(absolute(references(html))).toEqual([]);
    expect(html).not.toMatch(/fonts\.(scalar|googleapis|gstatic)\.com/);
    // The configuration the page hands to Scalar's script.
    expect(html).toMatch(/"withDefaultFonts":\s*false/);
    const local = references(html).filter((r) => !r.startsWith('#') && !r.startsWith('data:'));
    expect(local.length).toBeGreaterThan(0);
    for (const ref of local) {
      const res = await fetch(new URL(ref, `${base}/docs/`));
      expect(res.status, ref).toBe(200);
      const type = res.headers.get('content-type') ?? '';
      if (/css/.test(type)) expect(absolute(references(await res.text())), ref).toEqual([]);
      else await res.arrayBuffer();
    }
  });

  it('in Chromium, every request while /docs renders goes to this server', async () => {
    mkdirSync('.artifacts/screenshots', { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const host = new URL(base).host;
      const seen = await recordRequests(page, host);
      await page.goto(`${base}/docs/`, { waitUntil: 'networkidle' });
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: '.artifacts/screenshots/docs.png' });
      // The page rendered from our spec (system fonts, since Scalar's own are off).
      await page.getByRole('heading', { name: 'Inlay API' }).waitFor();
      expect(seen.some((u) => u.endsWith('/docs/js/scalar.js'))).toBe(true);
      expect(seen.some((u) => u.endsWith('/docs/openapi.json'))).toBe(true);
      expect(foreignHosts(seen, host)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

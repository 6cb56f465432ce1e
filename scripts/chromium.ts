import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (browsers cannot be downloaded here); headless, no background traffic. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Chromium 151+ pre-renders its address-bar popup (a WebUI renderer) with every window, headless
      // too: each fresh context cost ~1.2 s of CPU beside the page, on machines with 2 cores.
      '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
    ],
  });
}

/**
 * Records every request the page makes. Requests to any host but `allowedHost` are recorded and
 * aborted, so a test never reaches the internet and still sees what was attempted.
 */
export async function recordRequests(page: Page, allowedHost: string): Promise<string[]> {
  const seen: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    seen.push(url);
    const host = url.startsWith('data:') || url.startsWith('blob:') ? allowedHost : new URL(url).host;
    return host === allowedHost ? route.continue() : route.abort();
  });
  return seen;
}

/** Hosts other than `host` among `urls` (data: and blob: URLs are the page's own). */
export function foreignHosts(urls: string[], host: string): string[] {
  return [
    ...new Set(
      urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')).map((u) => new URL(u).host),
    ),
  ].filter((h) => h !== host);
}

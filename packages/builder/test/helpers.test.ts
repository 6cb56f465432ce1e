import { describe, expect, it } from 'vitest';
import { publishAction } from '../src/components/PublishMenu.js';
import { dashboardIdOf } from '../src/router.js';
import { slugProblem, suggestSlug } from '../src/slug.js';
import { elementTag, scriptTag, tokenSnippets } from '../src/snippets.js';
import { relativeTime } from '../src/time.js';

describe('dashboard names', () => {
  it('takes the server’s slugs and explains a refusal with a suggestion', () => {
    for (const good of ['sales', 'sales-overview', 'q3_2026', '9lives'])
      expect(slugProblem(good)).toBeUndefined();
    expect(slugProblem('')).toMatch(/^Enter a name/);
    expect(slugProblem('Sales Overview')).toBe(
      'A name uses lower-case letters, digits, - and _ only, and starts with a letter or digit. Try “sales-overview”.',
    );
    expect(slugProblem('-sales')).toMatch(/Try “sales”/);
    expect(slugProblem('!!!')).toMatch(/starts with a letter or digit\.$/);
    expect(slugProblem('a'.repeat(101))).toMatch(/at most 100/);
    expect(suggestSlug('Café  Numbers!')).toBe('cafe-numbers');
  });
});

describe('embed snippets', () => {
  const input = { origin: 'https://inlay.example.com', name: 'carrier-kpis' };
  it('fill in the origin and the dashboard’s name; the API key comes from the server’s environment', () => {
    expect(scriptTag(input)).toBe(
      '<script type="module" src="https://inlay.example.com/embed/v1/inlay.js"></script>',
    );
    expect(elementTag()).toBe('<inlay-dashboard token="…"></inlay-dashboard>');
    const snippets = tokenSnippets(input);
    expect(snippets.map((s) => s.label)).toEqual(['JavaScript', 'Python', 'curl']);
    for (const { code, label } of snippets) {
      expect(code, label).toContain('https://inlay.example.com/api/v1/security-token');
      expect(code, label).toContain('carrier-kpis');
      expect(code, label).toMatch(/Bearer .*INLAY_API_KEY/);
      expect(code, label).toMatch(/expiryInSeconds.*3600/);
      expect(code, label).toContain('securityContext');
    }
    const curl = snippets.find((s) => s.id === 'curl')!.code;
    const body = /-d '([^']+)'/.exec(curl)![1]!;
    expect(JSON.parse(body)).toEqual({
      embeddableId: 'carrier-kpis',
      user: 'user-123',
      expiryInSeconds: 3600,
      securityContext: { customerId: 'customer-123' },
    });
  });
});

describe('publishing', () => {
  it('publishes to a tag that is empty or older, rolls back one that is newer, and says when it is there', () => {
    expect(publishAction('production', 'v2', undefined)).toEqual({
      kind: 'publish',
      label: 'Publish v2 to production',
    });
    expect(publishAction('staging', 'v10', 'v9').kind).toBe('publish');
    expect(publishAction('production', 'v1', 'v2')).toEqual({
      kind: 'rollBack',
      label: 'Roll back production to v1',
    });
    expect(publishAction('production', 'v9', 'v10').kind).toBe('rollBack');
    expect(publishAction('production', 'v2', 'v2')).toEqual({
      kind: 'current',
      label: 'production is on v2',
    });
  });
});

describe('routes and times', () => {
  it('reads a dashboard id from its path', () => {
    expect(dashboardIdOf('/dashboards/abc-123')).toBe('abc-123');
    expect(dashboardIdOf('/dashboards/a%20b/')).toBe('a b');
    expect(dashboardIdOf('/dashboards/')).toBeUndefined();
    expect(dashboardIdOf('/dashboards/a/b')).toBeUndefined();
    expect(dashboardIdOf('/dashboards/%E0%A4%A')).toBeUndefined();
  });

  it('says how long ago, in words', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const ago = (seconds: number) => relativeTime(new Date(now - seconds * 1000).toISOString(), now, 'en-US');
    expect(ago(10)).toBe('just now');
    expect(ago(50)).toBe('1 minute ago');
    expect(ago(5 * 60)).toBe('5 minutes ago');
    expect(ago(3 * 3600)).toBe('3 hours ago');
    expect(ago(26 * 3600)).toBe('yesterday');
    expect(ago(3 * 24 * 3600)).toBe('3 days ago');
    expect(relativeTime('not a date', now)).toBe('not a date');
  });
});

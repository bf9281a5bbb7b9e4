// 3. Filters on the results page: age 12 and commune 62800 narrow « sport » and stay in the URL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, newPage, parseCount, sharedBrowser, url } from '../lib/harness.mjs';

describe('filtres de la recherche', () => {
  const shared = sharedBrowser();

  test('sport + 12 ans + 62800 : l’URL garde les filtres et il y a moins de résultats', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: VIEWPORTS.mobile });
    try {
      await page.goto(url('/recherche?q=sport'));
      const countText = async () => (await page.locator('.nombre').first().innerText()).trim();
      const before = parseCount(await countText());
      assert.ok(before > 0, `« sport » finds something without filters (${before})`);

      const details = page.locator('details.filtres');
      if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
      const age = details.locator('input[name="age"]');
      const commune = details.locator('input[name="commune"]');
      await age.fill('12');
      await commune.fill('62800');
      const submit = details.locator('button[type="submit"], input[type="submit"]').first();
      await Promise.all([page.waitForURL(/age=12/), submit.click()]);

      const u = new URL(page.url());
      assert.equal(u.pathname, '/recherche');
      assert.equal(u.searchParams.get('q'), 'sport');
      assert.equal(u.searchParams.get('age'), '12');
      assert.equal(u.searchParams.get('commune'), '62800');
      assert.ok(u.search.includes('age=12&commune=62800'), `URL keeps age=12&commune=62800: ${u.search}`);

      const afterCount = parseCount(await countText());
      assert.ok(
        afterCount < before,
        `filters must narrow the results: ${afterCount} with filters vs ${before} without (« ${await countText()} »)`,
      );
      // The filter form shows what is applied.
      assert.equal(await page.locator('details.filtres input[name="age"]').inputValue(), '12');
      assert.equal(await page.locator('details.filtres input[name="commune"]').inputValue(), '62800');
      // Results first (issue 16): the form folds again; active filters show as removable chips.
      assert.equal(await page.locator('details.filtres').evaluate((d) => d.open), false, 'the filters fold after applying');
      assert.deepEqual((await page.locator('.puce').allTextContents()).map((c) => c.replace('Retirer le filtre', '').trim()), ['12\u00a0ans ✕', 'Liévin ✕']);
      const cards = await page.locator('.carte').count();
      assert.ok(cards <= afterCount, `cards on the page (${cards}) ≤ count (${afterCount})`);
    } finally {
      await context.close();
    }
  });
});

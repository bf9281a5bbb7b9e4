// 1. A young person on a phone: a misspelt query from the home page to the right scheme.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, newPage, sharedBrowser, url } from '../lib/harness.mjs';

describe('parcours jeune (360×740)', () => {
  const shared = sharedBrowser();

  test('« servise civik » depuis l’accueil mène à la fiche Service civique', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: VIEWPORTS.mobile, hasTouch: true, isMobile: true });
    try {
      await page.goto(url('/'));
      const box = page.locator('#q');
      await box.click();
      await box.pressSequentially('servise civik', { delay: 40 });
      await Promise.all([page.waitForURL(/\/recherche\?/), box.press('Enter')]);
      const results = new URL(page.url());
      assert.equal(results.pathname, '/recherche');
      assert.equal(results.searchParams.get('q'), 'servise civik', 'the query is kept in the URL');

      const first = page.locator('.carte').first().locator('a').first();
      await first.waitFor({ state: 'visible' });
      const firstName = (await first.innerText()).trim();
      await Promise.all([page.waitForURL(/\/dispositifs\//), first.click()]);

      assert.equal(
        new URL(page.url()).pathname,
        '/dispositifs/service-civique',
        `the first result should be Service civique, it was « ${firstName} » (${page.url()})`,
      );
      const h1 = (await page.locator('h1').first().innerText()).trim();
      assert.match(h1, /service civique/i, `h1 of the scheme page: « ${h1} »`);
      assert.deepEqual(page.foreignRequests, [], 'no request to another origin');
      assert.deepEqual(page.jsErrors, [], 'no JavaScript error nor CSP violation');
    } finally {
      await context.close();
    }
  });
});

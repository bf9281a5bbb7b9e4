// 12. Issue 16, point 6 on a 360×740 phone: « Ma sélection » built from two searches with the
// keyboard becomes one short link (/selection?ids=a,b,c) with an SMS link; without JavaScript
// the checkboxes still make a selection; share and copy buttons on results pages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ORIGIN, VIEWPORTS, formatViolations, newPage, runAxe, sharedBrowser, url } from '../lib/harness.mjs';
import { tabTo } from './12-telephone-outils.mjs';

const PHONE = VIEWPORTS.mobile;

/** Checks the first `n` result boxes with Tab and Space; returns their ids. */
async function pickWithKeyboard(page, n) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    await tabTo(page, 'input[data-selection]:not(:checked)');
    await page.keyboard.press('Space');
    ids.push(await page.evaluate(() => document.activeElement.value));
  }
  return ids;
}

describe('téléphone 360×740 : ma sélection et partage', () => {
  const shared = sharedBrowser();

  test('deux recherches, trois dispositifs cochés au clavier → un lien court et un SMS', { timeout: 90_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE });
    try {
      await page.goto(url('/recherche?q=vacances'));
      const picked = await pickWithKeyboard(page, 2);
      assert.match(await page.locator('[data-selection-bouton]').innerText(), /\(2\)/);
      await page.goto(url('/recherche?q=permis'));
      const more = await pickWithKeyboard(page, 1);
      const all = [...picked, ...more.filter((id) => !picked.includes(id))];
      await tabTo(page, '[data-selection-bouton]');
      await Promise.all([page.waitForURL(/\/selection/), page.keyboard.press('Enter')]);
      const u = new URL(page.url());
      assert.equal(u.search, `?ids=${all.join(',')}`, 'one short address, commas kept');
      assert.equal(await page.locator('.selection .carte').count(), all.length);
      const short = `${ORIGIN}/selection?ids=${all.join(',')}`;
      assert.equal(await page.locator('a.lien-court').getAttribute('href'), short);
      const sms = await page.locator('a[href^="sms:"]').getAttribute('href');
      assert.ok(sms.startsWith('sms:?&body='), sms);
      assert.ok(decodeURIComponent(sms.slice('sms:?&body='.length)).includes(short), sms);

      // Removing one keeps the others, and the results pages remember it.
      await page.locator('.carte-choix a').first().click();
      await page.waitForURL((x) => x.searchParams.get('ids') === all.slice(1).join(','));
      await page.goto(url('/recherche?q=vacances'));
      assert.equal(await page.locator(`input[data-selection][value="${all[0]}"]`).isChecked(), false);
      assert.equal(await page.locator(`input[data-selection][value="${all[1]}"]`).isChecked(), true);
    } finally {
      await context.close();
    }
  });

  test('sans JavaScript, les cases cochées font une sélection', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await page.goto(url('/recherche?q=vacances'));
      const boxes = page.locator('input[data-selection]');
      const ids = [await boxes.nth(0).getAttribute('value'), await boxes.nth(2).getAttribute('value')];
      await boxes.nth(0).check();
      await boxes.nth(2).check();
      await Promise.all([page.waitForURL(/\/selection/), page.locator('[data-selection-bouton]').click()]);
      assert.equal(await page.locator('.selection .carte').count(), 2);
      assert.equal(await page.locator('a.lien-court').getAttribute('href'), `${ORIGIN}/selection?ids=${ids.join(',')}`);
    } finally {
      await context.close();
    }
  });

  test('page de résultats : « Copier le lien » copie son adresse ; sélection : 0 violation axe', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE, bypassCSP: true });
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
      await page.goto(url('/recherche?q=permis&age=17'));
      const copy = page.locator('.partage [data-copier]');
      await copy.waitFor({ state: 'visible' });
      await copy.click();
      await page.locator('#message-partage', { hasText: 'Lien copié' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${ORIGIN}/recherche?q=permis&age=17`);
      assert.ok(await page.locator('.partage a[href^="sms:"]').isVisible());

      await page.goto(url('/selection?ids=sac-ados,pass-sport&q=permis'));
      const results = await runAxe(page);
      assert.deepEqual(results.violations, [], formatViolations(results.violations));
    } finally {
      await context.close();
    }
  });
});

// 12. Issue 16, point 5 on a 360×740 phone: results first (filters folded behind « Filtrer »,
// active filters as removable chips), suggestions that never cover the age and commune fields,
// Escape that keeps the text, typed text that survives Back. Keyboard only where it applies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, formatViolations, newPage, runAxe, sharedBrowser, url } from '../lib/harness.mjs';
import { tabTo } from './12-telephone-outils.mjs';

const PHONE = VIEWPORTS.mobile;

function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('téléphone 360×740 : les résultats d’abord', () => {
  const shared = sharedBrowser();

  for (const path of ['/recherche?q=vacances&age=17&commune=Arras', '/thematiques/vacances-loisirs?age=16', '/recherche?q=permis']) {
    test(`${path} : le premier résultat se voit sans défiler`, { timeout: 60_000 }, async (t) => {
      const { context, page } = await newPage(shared.browser, { viewport: PHONE });
      try {
        await page.goto(url(path));
        const title = await page.locator('.carte-titre').first().boundingBox();
        assert.ok(title, 'a first result');
        t.diagnostic(`first result title: top ${Math.round(title.y)} px, bottom ${Math.round(title.y + title.height)} px of ${PHONE.height}`);
        assert.ok(title.y + title.height <= PHONE.height, `the first result title ends at ${title.y + title.height} px > ${PHONE.height}`);
        assert.equal(await page.locator('details.filtres').evaluate((d) => d.open), false, 'filters folded');
      } finally {
        await context.close();
      }
    });
  }

  test('« Filtrer » s’ouvre au clavier ; une puce « 17 ans ✕ » enlève son filtre (sans JS aussi)', { timeout: 60_000 }, async () => {
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await newPage(shared.browser, { viewport: PHONE, javaScriptEnabled });
      try {
        await page.goto(url('/recherche?q=vacances&age=17&commune=Arras'));
        const chips = (await page.locator('.puce').allTextContents()).map((s) => s.replace('Retirer le filtre', '').trim());
        assert.ok(chips.includes('17\u00a0ans ✕'), JSON.stringify(chips));
        assert.ok(chips.includes('Arras ✕'), JSON.stringify(chips));

        await tabTo(page, 'details.filtres > summary');
        await page.keyboard.press('Enter');
        assert.ok(await page.locator('details.filtres').evaluate((d) => d.open), 'Enter opens the filters');
        assert.equal(await page.locator('#age').inputValue(), '17');
        await page.keyboard.press('Enter'); // closes them again
        assert.equal(await page.locator('details.filtres').evaluate((d) => d.open), false);

        await tabTo(page, '.puce');
        assert.match(await page.evaluate(() => document.activeElement.textContent), /17\u00a0ans/);
        await Promise.all([page.waitForURL((u) => !u.searchParams.has('age')), page.keyboard.press('Enter')]);
        const u = new URL(page.url());
        assert.equal(u.searchParams.get('q'), 'vacances');
        assert.equal(u.searchParams.get('commune'), 'Arras');
        assert.equal(await page.locator('.puce').count(), 1, 'one chip left');
      } finally {
        await context.close();
      }
    }
  });

  test('puces et filtres ouverts : 0 violation axe', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE, bypassCSP: true });
    try {
      await page.goto(url('/recherche?q=vacances&age=17&commune=Arras'));
      await page.locator('details.filtres > summary').click();
      const results = await runAxe(page);
      assert.deepEqual(results.violations, [], formatViolations(results.violations));
    } finally {
      await context.close();
    }
  });

  for (const path of ['/', '/recherche?q=sport']) {
    test(`${path} : la liste de suggestions ne couvre ni l’âge ni la commune ; Échap la ferme sans effacer`, { timeout: 60_000 }, async () => {
      const { context, page } = await newPage(shared.browser, { viewport: PHONE });
      try {
        await page.goto(url(path));
        if (path !== '/') await page.locator('details.filtres > summary').click();
        const box = page.locator('#q');
        await box.fill('');
        await box.pressSequentially('dep', { delay: 150 });
        const list = page.locator('[role="listbox"]');
        await list.waitFor({ state: 'visible', timeout: 5_000 });
        const listBox = await list.boundingBox();
        for (const id of ['#age', '#commune']) {
          const field = await page.locator(id).boundingBox();
          assert.ok(!overlap(listBox, field), `the list ${JSON.stringify(listBox)} covers ${id} ${JSON.stringify(field)}`);
        }
        // Tapping the age box reaches the age box, not a suggestion.
        const before = page.url();
        await page.locator('#age').click();
        assert.equal(page.url(), before, 'tapping the age field does not open a scheme');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'age');

        await box.focus();
        await box.pressSequentially('a', { delay: 150 });
        await list.waitFor({ state: 'visible', timeout: 5_000 });
        // The blur from the tap on the age box must not close the list the new typing opened.
        await page.waitForTimeout(400);
        assert.ok(await list.isVisible(), 'the list stays open once focus is back in the box');
        await page.keyboard.press('Escape');
        await list.waitFor({ state: 'hidden', timeout: 2_000 });
        assert.equal(await box.inputValue(), 'depa', 'Escape keeps the typed text');
        assert.equal(await box.getAttribute('aria-expanded'), 'false');
      } finally {
        await context.close();
      }
    });
  }

  test('le texte tapé survit au retour arrière', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE });
    try {
      await page.goto(url('/'));
      await page.locator('#q').pressSequentially('permis de conduire', { delay: 20 });
      await page.locator('#age').fill('17');
      await Promise.all([page.waitForURL(/\/pour-moi/), page.locator('.menu a[href="/pour-moi"]').click()]);
      await page.goBack();
      await page.waitForURL((u) => u.pathname === '/');
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#q').inputValue(), 'permis de conduire');
      assert.equal(await page.locator('#age').inputValue(), '17');
    } finally {
      await context.close();
    }
  });
});

// 11. « C’est pour moi ? » on a 360 px phone, keyboard only: four answers, the grouped answer,
// a scheme's personal verdict; axe-core finds nothing; the helplines block answers distress.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, formatViolations, newPage, runAxe, sharedBrowser, url } from '../lib/harness.mjs';

async function focusId(page) {
  return page.evaluate(() => document.activeElement?.id || '');
}

async function tabTo(page, id, max = 40) {
  for (let i = 0; i < max; i++) {
    if ((await focusId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`#${id} not reached with Tab`);
}

async function axeClean(page, what) {
  const results = await runAxe(page);
  assert.equal(results.violations.length, 0, `${what}\n${formatViolations(results.violations)}`);
}

describe('C’est pour moi ? (360 px, clavier seul)', () => {
  const shared = sharedBrowser();

  test('quatre réponses, la réponse groupée, puis la fiche dit pourquoi', { timeout: 90_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: VIEWPORTS.mobile, bypassCSP: true });
    try {
      await page.goto(url('/pour-moi'));
      await axeClean(page, 'questions page');
      await tabTo(page, 'pm-age');
      await page.keyboard.type('17');
      await tabTo(page, 'pm-commune');
      await page.keyboard.type('arras');
      await tabTo(page, 'pm-lyceen');
      await page.keyboard.press('Space');
      await tabTo(page, 'pm-boursier');
      await page.keyboard.press('Space');
      await tabTo(page, 'pm-theme');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.type), 'submit', 'after the theme, the submit button');
      await Promise.all([page.waitForURL(/\/pour-moi\?/), page.keyboard.press('Enter')]);
      const params = new URL(page.url()).searchParams;
      assert.equal(params.get('age'), '17');
      assert.deepEqual(params.getAll('situation'), ['lyceen', 'boursier']);
      const pourToi = await page.locator('#pm-pour-toi').innerText();
      assert.match(pourToi, /C’est pour toi \(\d+\)/);
      assert.ok((await page.locator('.pourquoi').count()) > 0, 'each scheme says why');
      assert.match(await page.locator('details.exclus summary').innerText(), /Voir aussi les \d+ dispositifs/);
      await axeClean(page, 'answer page');
      // The first « peut-être » scheme opens with its personal verdict, keyboard only.
      const link = page.locator('#pm-peut-etre ~ ul .carte a').first();
      await link.focus();
      await Promise.all([page.waitForURL(/\/dispositifs\//), page.keyboard.press('Enter')]);
      assert.match(await page.locator('.verdict strong').innerText(), /pour toi/i);
      await axeClean(page, 'scheme page with a verdict');
    } finally {
      await context.close();
    }
  });

  test('une recherche de détresse affiche les numéros d’aide avant tout', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: VIEWPORTS.mobile, bypassCSP: true });
    try {
      await page.goto(url('/recherche?q=' + encodeURIComponent('jveux mourir')));
      const block = page.locator('.urgence');
      await block.waitFor();
      const box = await block.boundingBox();
      assert.ok(box && box.y < 740, 'the helplines are on the first screen');
      const tel = await page.locator('.urgence a.numero').first().getAttribute('href');
      assert.match(tel, /^tel:\d+$/);
      await axeClean(page, 'results with helplines');
    } finally {
      await context.close();
    }
  });
});

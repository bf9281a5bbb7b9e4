// 12. Issue 16, points 4, 6 and 7 on a 360×740 phone: « Retour aux résultats » without
// JavaScript, an action on the scheme page, « C’est quoi ? » opened with the keyboard; one A4
// page per printed scheme sheet (every scheme), and the /pro list printed without a cut column.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, formatViolations, newPage, runAxe, sharedBrowser, url } from '../lib/harness.mjs';
import { pdfPages, tabTo } from './12-telephone-outils.mjs';

const PHONE = VIEWPORTS.mobile;

describe('téléphone 360×740 : fiche, retour, impression', () => {
  const shared = sharedBrowser();

  test('recherche → fiche → « Retour aux résultats », au clavier et sans JavaScript', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      const search = '/recherche?q=vacances&age=17';
      await page.goto(url(search));
      await tabTo(page, '.carte-titre a');
      await Promise.all([page.waitForURL(/\/dispositifs\//), page.keyboard.press('Enter')]);
      assert.ok(new URL(page.url()).searchParams.get('retour'), 'the result link carries retour');
      // An official action in « Je fais comment ? ».
      const action = page.locator('.action a.bouton').first();
      assert.match(await action.getAttribute('href'), /^(https?:\/\/|\/structures)/);
      await tabTo(page, '.retour a');
      await Promise.all([page.waitForURL((u) => u.pathname === '/recherche'), page.keyboard.press('Enter')]);
      const u = new URL(page.url());
      assert.equal(u.searchParams.get('q'), 'vacances');
      assert.equal(u.searchParams.get('age'), '17');
    } finally {
      await context.close();
    }
  });

  test('« C’est quoi ? » s’ouvre au clavier ; la fiche avec retour et glossaire ouvert : 0 violation axe', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE, bypassCSP: true });
    try {
      await page.goto(url('/dispositifs/pass-sport?retour=%2Frecherche%3Fq%3Dsport'));
      await tabTo(page, '.glossaire > summary');
      await page.keyboard.press('Enter');
      const box = page.locator('.glossaire[open]').first();
      assert.ok(await box.locator('dd').first().isVisible(), 'the definition shows');
      const results = await runAxe(page);
      assert.deepEqual(results.violations, [], formatViolations(results.violations));
    } finally {
      await context.close();
    }
  });

  test('chaque fiche imprimée tient sur une page A4, avec le QR code, sans sources ni détails', { timeout: 600_000 }, async (t) => {
    const { context, page } = await newPage(shared.browser, { viewport: PHONE });
    try {
      const list = await (await fetch(url('/api/dispositifs?par_page=100'))).json();
      const ids = list.dispositifs.map((d) => d.id);
      assert.ok(ids.length > 50, `${ids.length} schemes`);
      const over = [];
      for (const id of ids) {
        await page.goto(url(`/dispositifs/${id}`));
        const pdf = await page.pdf({ format: 'A4' });
        const n = pdfPages(pdf);
        if (n !== 1) over.push(`${id}: ${n} pages`);
      }
      t.diagnostic(`${ids.length} fiches imprimées`);
      assert.deepEqual(over, [], 'sheets longer than one A4 page');

      await page.goto(url('/dispositifs/sac-ados'));
      await page.emulateMedia({ media: 'print' });
      for (const hidden of ['.sources', '.fiche-details', '.actions', '.entete', '.glossaire']) {
        assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} hidden in print`);
      }
      assert.ok(await page.locator('svg.qr').isVisible(), 'QR code printed');
      assert.ok(await page.locator('#q-comment').isVisible(), 'the essentials printed');
    } finally {
      await context.close();
    }
  });

  test('la liste /pro s’imprime avec ses filtres et sans colonne coupée', { timeout: 120_000 }, async () => {
    // A4 portrait minus 12 mm margins: 186 mm ≈ 703 CSS px.
    const width = Math.floor((186 / 25.4) * 96);
    const { context, page } = await newPage(shared.browser, { viewport: { width, height: 1000 } });
    try {
      await page.goto(url('/pro?age=17&theme=sport'));
      await page.emulateMedia({ media: 'print' });
      const stated = page.locator('.imprime-seulement');
      assert.ok(await stated.isVisible(), 'filters stated in print');
      assert.match(await stated.innerText(), /17\u00a0ans.*thème Sport/);
      const fit = await page.evaluate(() => {
        const table = document.querySelector('table');
        const right = Math.max(...[...table.querySelectorAll('th, td')].map((c) => c.getBoundingClientRect().right));
        return { right, page: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth };
      });
      assert.ok(fit.right <= fit.page && fit.scroll <= fit.page, `a column goes past the sheet: ${JSON.stringify(fit)}`);
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdfPages(pdf) >= 1);
      await page.emulateMedia({ media: 'screen' });
      assert.equal(await stated.isVisible(), false, 'the statement is for paper only');
    } finally {
      await context.close();
    }
  });
});

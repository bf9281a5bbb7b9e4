// 12. Issue 16: what a 360×740 phone shows of the helplines, results, scheme and no-result pages, first
// screen and full page, into screenshots/ (not versioned). CAPTURE_LABEL names the series
// (« apres » by default; « avant » when run against the code before the change).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SCREENSHOT_DIR, VIEWPORTS, newPage, sharedBrowser, url } from '../lib/harness.mjs';

const LABEL = process.env.CAPTURE_LABEL || 'apres';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SHOTS = [
  { name: 'urgence', path: '/recherche?q=je%20veux%20mourir' },
  { name: 'sans-reponse', path: '/recherche?q=aide%20pour%20mon%20chien' },
  { name: 'code-postal-partage', path: '/recherche?q=permis&commune=62300' },
  { name: 'resultats', path: '/recherche?q=vacances&age=17&commune=Arras' },
  { name: 'fiche', path: '/dispositifs/sac-ados?retour=%2Frecherche%3Fq%3Dvacances%26age%3D17' },
  { name: 'fiche-sans-lien', path: '/dispositifs/contrat-engagement-jeune?age=19&commune=Lens' },
  { name: 'aucun-resultat', path: '/recherche?q=zzkwxq' },
  { name: 'selection', path: '/selection?ids=sac-ados,pass-sport,permis-1-euro-par-jour' },
];

describe(`captures 360×740 (${LABEL})`, () => {
  const shared = sharedBrowser();

  for (const s of SHOTS) {
    test(`${s.name} → screenshots/telephone-${LABEL}-${s.name}*.png`, { timeout: 60_000 }, async () => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const { context, page } = await newPage(shared.browser, { viewport: VIEWPORTS.mobile });
      try {
        await page.goto(url(s.path), { waitUntil: 'networkidle' });
        for (const fullPage of [false, true]) {
          const file = path.join(SCREENSHOT_DIR, `telephone-${LABEL}-${s.name}${fullPage ? '-page' : ''}.png`);
          await page.screenshot({ path: file, fullPage, animations: 'disabled' });
          assert.ok(readFileSync(file).subarray(0, 8).equals(PNG), file);
        }
      } finally {
        await context.close();
      }
    });
  }
});

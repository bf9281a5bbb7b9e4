// 9. Full-page screenshots for a person to look at: screenshots/ at the repository root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SCREENSHOT_DIR, VIEWPORTS, launch, newPage, url } from '../lib/harness.mjs';

const SHOTS = [
  { name: 'accueil', path: '/' },
  { name: 'recherche', path: '/recherche?q=vacances' },
  { name: 'dispositif', path: '/dispositifs/sac-ados' },
  { name: 'pro', path: '/pro' },
];
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('captures d’écran pleine page', () => {
  let browser;
  before(async () => {
    browser = await launch();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });

  for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
    for (const s of SHOTS) {
      const file = path.join(SCREENSHOT_DIR, `${s.name}-${viewport.width}x${viewport.height}.png`);
      test(`${s.name} ${viewport.width}×${viewport.height} → screenshots/${path.basename(file)}`, { timeout: 60_000 }, async () => {
        const { context, page } = await newPage(browser, { viewport });
        try {
          rmSync(file, { force: true });
          const response = await page.goto(url(s.path), { waitUntil: 'networkidle' });
          assert.equal(response.status(), 200);
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
          const png = readFileSync(file);
          assert.ok(png.subarray(0, 8).equals(PNG), `${file} is a PNG`);
          const width = png.readUInt32BE(16);
          const height = png.readUInt32BE(20);
          assert.equal(width, viewport.width, `${file}: width ${width} = viewport width (no horizontal overflow widening the page)`);
          assert.ok(height >= viewport.height, `${file}: full page, height ${height}`);
        } finally {
          await context.close();
        }
      });
    }
  }

  test('accueil 360×740 avec les suggestions ouvertes → screenshots/accueil-suggestions-360x740.png', { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(browser, { viewport: VIEWPORTS.mobile });
    try {
      await page.goto(url('/'));
      await page.locator('#q').pressSequentially('perm', { delay: 150 });
      await page.locator('[role="listbox"]').waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.press('ArrowDown');
      const file = path.join(SCREENSHOT_DIR, 'accueil-suggestions-360x740.png');
      await page.screenshot({ path: file, fullPage: false });
      assert.ok(readFileSync(file).subarray(0, 8).equals(PNG));
    } finally {
      await context.close();
    }
  });
});

// 2. The suggestions combobox: typing « servi » offers Service civique; ArrowDown + Enter opens it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, newPage, sharedBrowser, url } from '../lib/harness.mjs';

describe('suggestions (combobox)', () => {
  const shared = sharedBrowser();

  for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
    test(`« servi » propose Service civique, flèche bas + Entrée l’ouvre (${vpName})`, { timeout: 60_000 }, async () => {
      const { context, page } = await newPage(shared.browser, { viewport });
      try {
        await page.goto(url('/'));
        const box = page.locator('#q');
        await box.click();
        // Slowly, like a person: each key fires `input`, the script debounces the requests.
        await box.pressSequentially('servi', { delay: 200 });

        const listbox = page.locator('[role="listbox"]');
        await listbox.waitFor({ state: 'visible', timeout: 5_000 });
        assert.equal(await box.getAttribute('role'), 'combobox');
        assert.equal(await box.getAttribute('aria-expanded'), 'true');
        const controls = await box.getAttribute('aria-controls');
        assert.equal(controls, await listbox.getAttribute('id'), 'aria-controls points to the listbox');

        const options = listbox.locator('[role="option"]');
        await options.first().waitFor();
        const labels = (await options.allInnerTexts()).map((s) => s.trim());
        const index = labels.findIndex((l) => /service civique/i.test(l));
        assert.ok(index >= 0, `an option contains « Service civique »; options: ${JSON.stringify(labels)}`);

        for (let i = 0; i <= index; i++) await box.press('ArrowDown');
        const target = options.nth(index);
        assert.equal(await target.getAttribute('aria-selected'), 'true', 'the option is selected');
        assert.equal(
          await box.getAttribute('aria-activedescendant'),
          await target.getAttribute('id'),
          'aria-activedescendant follows the selection',
        );
        await Promise.all([page.waitForURL(/\/dispositifs\//), box.press('Enter')]);
        assert.equal(new URL(page.url()).pathname, '/dispositifs/service-civique');
        assert.match(await page.locator('h1').first().innerText(), /service civique/i);
        assert.deepEqual(page.jsErrors, [], 'no JavaScript error nor CSP violation');
      } finally {
        await context.close();
      }
    });
  }
});

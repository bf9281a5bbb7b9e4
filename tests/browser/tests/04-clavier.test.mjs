// 4. Keyboard only: skip link, search, results, first result — with a visible focus at each step.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, focusIndicator, newPage, sharedBrowser, url } from '../lib/harness.mjs';

const MAX_TABS = 60;

/** Presses Tab until `predicate(activeElement)` holds; returns how many Tabs it took. */
async function tabUntil(page, predicate, what) {
  const seen = [];
  for (let i = 1; i <= MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(predicate);
    if (hit) return i;
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} « ${(el.textContent || '').trim().slice(0, 30)} »` : 'null';
      }),
    );
  }
  assert.fail(`${what} not reached after ${MAX_TABS} Tabs; focus went through: ${seen.join(' → ')}`);
}

async function assertFocusVisible(page, step) {
  const f = await focusIndicator(page);
  assert.ok(
    f.visible,
    `${step}: the focused element has no visible focus indicator (outline: ${f.outline}; box-shadow: ${f.boxShadow}; element: ${f.tag}#${f.id} « ${f.text} »)`,
  );
}

describe('navigation au clavier seul', () => {
  const shared = sharedBrowser();

  for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
    test(`lien d’évitement → recherche → premier résultat, focus visible (${vpName})`, { timeout: 60_000 }, async () => {
      const { context, page } = await newPage(shared.browser, { viewport });
      try {
        await page.goto(url('/'));
        // First Tab: the skip link.
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => ({
          text: (document.activeElement.textContent || '').trim(),
          href: document.activeElement.getAttribute('href'),
        }));
        assert.equal(first.text, 'Aller au contenu', 'the first Tab focuses the skip link');
        await assertFocusVisible(page, 'skip link');
        const box = await page.evaluate(() => {
          const r = document.activeElement.getBoundingClientRect();
          return { x: r.x, y: r.y, w: r.width, h: r.height };
        });
        assert.ok(box.x >= 0 && box.y >= 0 && box.w > 0 && box.x + box.w <= viewport.width, `skip link on screen when focused: ${JSON.stringify(box)}`);

        // Activate it: focus (or the sequential navigation point) moves to the main content.
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => location.hash === '#contenu');
        const inMain = await page.evaluate(() => {
          const main = document.getElementById('contenu');
          return document.activeElement === main || main.contains(document.activeElement);
        });
        assert.ok(inMain, 'the skip link moves focus to #contenu');

        // Tab to the search input: it is the first control of the main content.
        const tabs = await tabUntil(page, () => document.activeElement?.id === 'q', 'search input #q');
        assert.equal(tabs, 1, 'after the skip link, the next Tab lands on the search input');
        await assertFocusVisible(page, 'search input');
        await page.keyboard.type('vacances');
        await Promise.all([page.waitForURL(/\/recherche\?/), page.keyboard.press('Enter')]);
        assert.equal(new URL(page.url()).searchParams.get('q'), 'vacances');

        // Results: Tab reaches the first result link.
        const firstHref = await page.locator('.carte a').first().getAttribute('href');
        await tabUntil(
          page,
          () => {
            const first = document.querySelector('.carte a');
            return document.activeElement === first;
          },
          'first result link',
        );
        await assertFocusVisible(page, 'first result link');
        await Promise.all([page.waitForURL((u) => u.pathname === new URL(firstHref, u).pathname), page.keyboard.press('Enter')]);
        assert.match(new URL(page.url()).pathname, /^\/dispositifs\/[a-z0-9-]+$/);
        assert.ok((await page.locator('h1').count()) > 0, 'the scheme page has an h1');
      } finally {
        await context.close();
      }
    });
  }
});

// 7. Reflow (WCAG 1.4.10): at 320 CSS px wide (= 1280 px at 400 %, 640 px at 200 %), no horizontal scroll.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, sharedBrowser, url } from '../lib/harness.mjs';

const VIEWPORT = { width: 320, height: 640 };
const PAGES = [
  { name: 'accueil', path: '/' },
  { name: 'recherche', path: '/recherche?q=vacances' },
  { name: 'recherche, filtres ouverts', path: '/recherche?q=sport&age=12&commune=62800' },
  { name: 'dispositif', path: '/dispositifs/sac-ados' },
  { name: 'dispositif', path: '/dispositifs/service-civique' },
];

describe('320 px de large : pas de défilement horizontal', () => {
  const shared = sharedBrowser();

  for (const p of PAGES) {
    test(`${p.name} ${p.path}`, { timeout: 60_000 }, async () => {
      const { context, page } = await newPage(shared.browser, { viewport: VIEWPORT });
      try {
        await page.goto(url(p.path));
        const m = await page.evaluate(() => {
          const root = document.documentElement;
          const vw = root.clientWidth;
          // The widest elements, to say what overflows.
          const culprits = [...document.querySelectorAll('body *')]
            .map((el) => ({ el, r: el.getBoundingClientRect() }))
            .filter(({ r }) => r.right > vw + 1 && r.width > 0)
            .sort((a, b) => b.r.right - a.r.right)
            .slice(0, 5)
            .map(({ el, r }) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`);
          return { scrollWidth: root.scrollWidth, clientWidth: vw, culprits };
        });
        assert.ok(
          m.scrollWidth <= m.clientWidth + 1,
          `horizontal scroll at 320 px: scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth}; overflowing: ${m.culprits.join(', ')}`,
        );
      } finally {
        await context.close();
      }
    });
  }
});

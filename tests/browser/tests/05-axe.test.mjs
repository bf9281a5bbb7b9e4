// 5. axe-core, WCAG 2.1 A and AA rules: no violation on any page type, on a phone and a desktop.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AXE_TAGS, PAGES, VIEWPORTS, formatViolations, newPage, runAxe, sharedBrowser, url } from '../lib/harness.mjs';

describe(`axe-core (${AXE_TAGS.join(', ')})`, () => {
  const shared = sharedBrowser();

  for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
    for (const p of PAGES) {
      test(`${p.name} ${p.path} à ${viewport.width}×${viewport.height} : 0 violation`, { timeout: 60_000 }, async (t) => {
        // bypassCSP: the site's CSP (script-src 'self') would refuse the injected axe script.
        const { context, page } = await newPage(shared.browser, { viewport, bypassCSP: true });
        try {
          const response = await page.goto(url(p.path), { waitUntil: 'load' });
          assert.equal(response.status(), p.status ?? 200, `HTTP status of ${p.path}`);
          const results = await runAxe(page);
          const summary = `${results.violations.length} violation(s), ${results.incomplete.length} à vérifier, ${results.passes.length} règle(s) passée(s)`;
          t.diagnostic(summary);
          if (results.violations.length) {
            const report = formatViolations(results.violations);
            console.log(`\n[axe] ${vpName} ${p.path}\n${report}`);
            assert.fail(`axe: ${results.violations.length} violation(s) on ${p.path} at ${viewport.width}×${viewport.height}\n${report}`);
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});


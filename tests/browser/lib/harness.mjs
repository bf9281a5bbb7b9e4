// Shared helpers for the browser tests: the server under test, Chromium, the page list.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Root of the repository (tests/browser/lib → ../../..). */
export const REPO_ROOT = path.resolve(here, '..', '..', '..');

/** Where full-page screenshots go (gitignored). */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(REPO_ROOT, 'screenshots');

/** Base URL of the server under test, e.g. http://127.0.0.1:39123 (set by run.sh). */
export const BASE_URL = (() => {
  const raw = process.env.BASE_URL;
  if (!raw) {
    throw new Error(
      'BASE_URL is not set: start the tests with `bash tests/browser/run.sh` from the repository root, ' +
        'or export BASE_URL=http://127.0.0.1:PORT of a running `referentiel serve`.',
    );
  }
  return raw.replace(/\/+$/, '');
})();
export const ORIGIN = new URL(BASE_URL).origin;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const VIEWPORTS = {
  mobile: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
};

/** One page of each type, as listed in the brief. */
export const PAGES = [
  { name: 'accueil', path: '/' },
  { name: 'recherche', path: '/recherche?q=vacances' },
  { name: 'dispositif', path: '/dispositifs/sac-ados' },
  { name: 'thematique', path: '/thematiques/vacances-loisirs' },
  { name: 'public', path: '/publics/collegiens' },
  { name: 'pro', path: '/pro' },
  { name: '404', path: '/cette-page-n-existe-pas', status: 404 },
  { name: 'accessibilite', path: '/accessibilite' },
  { name: 'donnees', path: '/donnees' },
  { name: 'api', path: '/api' },
  { name: 'integrer', path: '/integrer' },
  { name: 'embed', path: '/embed?theme=vacances-loisirs' },
  { name: 'pour-moi', path: '/pour-moi?age=17&commune=Arras&situation=lyceen' },
  { name: 'urgence', path: '/recherche?q=harcelement' },
];

export function url(p) {
  return BASE_URL + p;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** One browser for the enclosing describe(): launched before its tests, closed after. */
export function sharedBrowser() {
  const shared = { browser: undefined };
  before(async () => {
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
  });
  return shared;
}

/**
 * A fresh context and page. Unless `blockForeign` is false, every request to an origin other
 * than the server (and `allowOrigins`) is aborted and recorded in `page.foreignRequests`.
 * `page.jsErrors` collects uncaught exceptions and console errors.
 */
export async function newPage(
  browser,
  { viewport = VIEWPORTS.desktop, bypassCSP = false, blockForeign = true, allowOrigins = [], ...rest } = {},
) {
  const context = await browser.newContext({
    viewport,
    bypassCSP,
    locale: 'fr-FR',
    serviceWorkers: 'block',
    ...rest,
  });
  const allowed = new Set([ORIGIN, ...allowOrigins]);
  const foreignRequests = [];
  if (blockForeign) {
    const isForeign = (u) => /^(https?|wss?):$/.test(u.protocol) && !allowed.has(u.origin);
    await context.route(isForeign, (route) => {
      foreignRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.foreignRequests = foreignRequests;
  page.jsErrors = errors;
  return { context, page };
}

/** The axe-core source, injected with page.addScriptTag({content}). */
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function runAxe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    AXE_TAGS,
  );
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - target: ${JSON.stringify(n.target)}\n` +
            `      html: ${n.html.replace(/\s+/g, ' ').slice(0, 200)}\n` +
            `      ${String(n.failureSummary || '').replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      return `  * ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

/** Is the visible focus indicator on? (outline or box-shadow, computed.) */
export async function focusIndicator(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: el ? el.tagName : null, visible: false };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      tag: el.tagName,
      id: el.id,
      text: (el.textContent || el.value || '').trim().slice(0, 80),
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      boxShadow: cs.boxShadow,
      visible: Boolean(outline || shadow),
    };
  });
}

/** "12 dispositifs trouvés" → 12; "Aucun dispositif trouvé" → 0. */
export function parseCount(text) {
  if (/aucun/i.test(text)) return 0;
  const m = text.match(/(\d[\d\s\u202f\u00a0]*)\s*dispositif/i);
  if (!m) throw new Error(`no result count in ${JSON.stringify(text)}`);
  return Number(m[1].replace(/[^\d]/g, ''));
}

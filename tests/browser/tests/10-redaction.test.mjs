// 10. Espace rédaction: an editor logs in, makes an invalid edit (age 300) and sees the error at
// the field, fixes it, previews, publishes, sees the public page changed, finds the change in
// the history and restores the previous version; axe finds 0 violations on every editor page.
//
// The editor writes into data/, so this file starts its own server on a copy of data/ with a
// throw-away state folder and account (the shared server of run.sh serves the repository's
// data/ and is not touched).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, VIEWPORTS, formatViolations, launch, newPage, runAxe } from '../lib/harness.mjs';

const PASSWORD = 'une phrase de passe pour le navigateur';
const TODAY = '2026-12-01';

function binary() {
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(REPO_ROOT, 'target');
  const bin = process.env.REFERENTIEL_BIN || path.join(targetDir, 'release', 'referentiel');
  if (!existsSync(bin)) throw new Error(`no binary at ${bin}: run tests/browser/run.sh (it builds it)`);
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, child) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

async function axeClean(page, what) {
  const results = await runAxe(page);
  if (results.violations.length) {
    assert.fail(`axe: ${results.violations.length} violation(s) on ${what}\n${formatViolations(results.violations)}`);
  }
}

describe('espace rédaction : parcours complet', () => {
  const ctx = {};

  before(async () => {
    ctx.work = mkdtempSync(path.join(os.tmpdir(), 'referentiel-redaction-'));
    const data = path.join(ctx.work, 'data');
    cpSync(path.join(REPO_ROOT, 'data'), data, { recursive: true });
    const bin = binary();
    const etat = path.join(ctx.work, 'etat');
    const made = spawnSync(bin, ['comptes', 'ajouter', 'marie', '--role', 'redaction', '--etat', etat], {
      input: `${PASSWORD}\n`,
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);
    const port = await freePort();
    ctx.base = `http://127.0.0.1:${port}`;
    ctx.server = spawn(
      bin,
      ['serve', '--addr', `127.0.0.1:${port}`, '--base-url', ctx.base, '--data', data,
        '--index', path.join(ctx.work, 'index'), '--etat', etat, '--aujourdhui', TODAY],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    await waitHealthy(ctx.base, ctx.server);
    ctx.browser = await launch();
    // bypassCSP: the CSP (script-src 'self') would refuse the injected axe script.
    const opened = await newPage(ctx.browser, { viewport: VIEWPORTS.desktop, bypassCSP: true, allowOrigins: [ctx.base] });
    ctx.context = opened.context;
    ctx.page = opened.page;
  });

  after(async () => {
    await ctx.context?.close();
    await ctx.browser?.close();
    if (ctx.server && ctx.server.exitCode === null) {
      ctx.server.kill('SIGTERM');
      await new Promise((r) => ctx.server.once('exit', r));
    }
    if (ctx.work) rmSync(ctx.work, { recursive: true, force: true });
  });

  test('connexion', { timeout: 60_000 }, async () => {
    const { page } = ctx;
    const r = await page.goto(`${ctx.base}/connexion`);
    assert.equal(r.status(), 200);
    await axeClean(page, '/connexion');
    await page.fill('#identifiant', 'marie');
    await page.fill('#mot_de_passe', PASSWORD);
    await Promise.all([page.waitForURL(`${ctx.base}/redaction`), page.click('button[type=submit]')]);
    assert.equal(await page.textContent('h1'), 'Tableau de bord');
    await axeClean(page, '/redaction');
  });

  test('une modification invalide (âge 300) montre l’erreur au champ, sans perdre la saisie', { timeout: 60_000 }, async () => {
    const { page } = ctx;
    await page.goto(`${ctx.base}/redaction/dispositifs/sac-ados`);
    await axeClean(page, 'le formulaire');
    await page.fill('#f-nom', 'Sac Ados (vérifié)');
    await page.fill('#f-age_max', '300');
    await page.click('.barre-actions button[value=publier]');
    await page.waitForSelector('#e-f-age_max');
    assert.match(await page.textContent('#e-f-age_max'), /300/);
    assert.equal(await page.getAttribute('#f-age_max', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#f-age_max', 'aria-describedby'), /\be-f-age_max\b/);
    assert.equal(await page.inputValue('#f-age_max'), '300');
    assert.equal(await page.inputValue('#f-nom'), 'Sac Ados (vérifié)');
    assert.ok(await page.isVisible('#erreurs a[href="#f-age_max"]'), 'listed at the top');
    await axeClean(page, 'le formulaire avec erreurs');
  });

  test('corriger, prévisualiser, publier : la page publique change', { timeout: 60_000 }, async () => {
    const { page } = ctx;
    await page.fill('#f-age_max', '25');
    await page.click('.barre-actions button[value=apercu]');
    await page.waitForSelector('.apercu-bandeau');
    assert.equal((await page.textContent('main h1')).trim(), 'Sac Ados (vérifié)');
    await axeClean(page, 'l’aperçu');
    await Promise.all([
      page.waitForURL(/\/redaction\/dispositifs\/sac-ados\?publie=1$/),
      page.click('.apercu-bandeau button[value=publier]'),
    ]);
    assert.match(await page.textContent('[role=status]'), /publié/);
    await page.goto(`${ctx.base}/dispositifs/sac-ados`);
    assert.equal((await page.textContent('main h1')).trim(), 'Sac Ados (vérifié)');
  });

  test('l’historique montre le changement et restaure la version précédente', { timeout: 60_000 }, async () => {
    const { page } = ctx;
    await page.goto(`${ctx.base}/redaction/dispositifs/sac-ados/historique`);
    const row = await page.textContent('table.diff tbody tr');
    assert.match(row, /nom/);
    assert.match(row, /Sac Ados \(vérifié\)/);
    await axeClean(page, 'l’historique');
    await Promise.all([
      page.waitForURL(/\?restaure=1$/),
      page.click('form[action$="/restaurer"] button'),
    ]);
    await page.goto(`${ctx.base}/dispositifs/sac-ados`);
    assert.equal((await page.textContent('main h1')).trim(), 'Sac Ados');
  });

  test('axe : 0 violation sur les autres pages de la rédaction', { timeout: 120_000 }, async () => {
    const { page } = ctx;
    for (const p of [
      '/redaction/dispositifs/nouveau',
      '/redaction/structures/pij-mericourt',
      '/redaction/a-revoir',
      '/redaction/recherches',
      '/redaction/journal',
      '/redaction/propositions',
      '/donnees-personnelles',
      '/nouveautes',
    ]) {
      const r = await page.goto(`${ctx.base}${p}`);
      assert.equal(r.status(), 200, p);
      await axeClean(page, p);
    }
  });
});

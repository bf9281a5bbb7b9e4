// 8. /embed can be framed by another origin; every other page refuses to be framed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ORIGIN, VIEWPORTS, launch, newPage, url } from '../lib/harness.mjs';

function headersOf(target) {
  return new Promise((resolve, reject) => {
    const req = http.get(target, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout ${target}`)));
  });
}

function frameAncestors(csp) {
  const d = String(csp || '')
    .split(';')
    .map((s) => s.trim())
    .find((s) => s.toLowerCase().startsWith('frame-ancestors'));
  return d ? d.slice('frame-ancestors'.length).trim() : null;
}

describe('intégration par iframe depuis une autre origine', () => {
  let browser;
  let host;
  let hostOrigin;
  before(async () => {
    browser = await launch();
    // A relay structure's own site, on another loopback port (= another origin).
    host = http.createServer((req, res) => {
      if (req.url !== '/') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Point information jeunesse</title></head>
<body>
<h1>Point information jeunesse (site partenaire)</h1>
<iframe id="embed" title="Dispositifs jeunesse : vacances" src="${url('/embed?theme=vacances-loisirs')}" width="420" height="700"></iframe>
<iframe id="home" title="Accueil du référentiel" src="${url('/')}" width="420" height="700"></iframe>
</body></html>`);
    });
    await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostOrigin = `http://127.0.0.1:${host.address().port}`;
    assert.notEqual(hostOrigin, ORIGIN);
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (host ? host.close(resolve) : resolve()));
  });

  test('en-têtes : / refuse tout cadre, /embed l’accepte', async () => {
    const home = await headersOf(url('/'));
    const csp = home.headers['content-security-policy'];
    assert.ok(csp, '/ sends a Content-Security-Policy');
    assert.match(csp, /frame-ancestors 'none'/, `CSP of /: ${csp}`);
    assert.equal(String(home.headers['x-frame-options'] || '').toUpperCase(), 'DENY', 'X-Frame-Options of /');

    const embed = await headersOf(url('/embed?theme=vacances-loisirs'));
    assert.equal(embed.status, 200);
    const ecsp = embed.headers['content-security-policy'];
    const fa = frameAncestors(ecsp);
    assert.ok(fa !== null && !/'none'/.test(fa), `/embed must allow framing; its CSP: ${ecsp}`);
    assert.equal(embed.headers['x-frame-options'], undefined, '/embed sends no X-Frame-Options (it would block frames)');
  });

  for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
    test(`l’iframe /embed s’affiche, l’iframe / est bloquée (${vpName})`, { timeout: 60_000 }, async () => {
      const { context, page } = await newPage(browser, { viewport, allowOrigins: [hostOrigin] });
      const consoleLines = [];
      page.on('console', (m) => consoleLines.push(m.text()));
      try {
        await page.goto(hostOrigin + '/', { waitUntil: 'load' });

        const embedFrame = await (await page.waitForSelector('#embed')).contentFrame();
        assert.ok(embedFrame, 'the embed iframe has a frame');
        await embedFrame.waitForLoadState('load');
        assert.ok(embedFrame.url().startsWith(ORIGIN + '/embed'), `embed frame URL: ${embedFrame.url()}`);
        const h1 = embedFrame.locator('h1');
        await h1.first().waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await h1.first().innerText(), /vacances/i, 'the embed h1 names the theme');
        const cards = await embedFrame.locator('.carte').count();
        assert.ok(cards > 0, `the embed frame shows result cards (${cards})`);
        const styled = await embedFrame.evaluate(() =>
          [...document.styleSheets].some((s) => {
            try {
              return s.cssRules.length > 0;
            } catch {
              return false;
            }
          }),
        );
        assert.ok(styled, 'the stylesheet loaded inside the frame');
        const hrefs = await embedFrame.locator('.carte a').evaluateAll((as) => as.map((a) => [a.href, a.target]));
        for (const [href, target] of hrefs) {
          assert.match(new URL(href).pathname, /^\/dispositifs\//, `card link ${href}`);
          assert.equal(target, '_blank', `card link ${href} opens outside the frame`);
        }

        const homeFrame = await (await page.waitForSelector('#home')).contentFrame();
        // Give the blocked frame time to settle on its error page.
        await page.waitForTimeout(500);
        let homeContent = null;
        try {
          homeContent = await homeFrame.evaluate(() => ({
            url: location.href,
            h1: document.querySelector('h1')?.textContent || null,
            main: Boolean(document.getElementById('contenu')),
          }));
        } catch (e) {
          homeContent = { error: String(e.message || e) };
        }
        const blocked =
          !homeFrame.url().startsWith(ORIGIN) ||
          homeContent.error !== undefined ||
          (!homeContent.main && !/Trouve les aides/.test(homeContent.h1 || ''));
        assert.ok(blocked, `the / frame must be blocked; it shows ${JSON.stringify({ url: homeFrame.url(), ...homeContent })}`);
        const refusal = consoleLines.find((l) => /frame-ancestors|X-Frame-Options/i.test(l));
        assert.ok(refusal, `Chromium reports the refusal in the console; console: ${JSON.stringify(consoleLines)}`);

        assert.deepEqual(page.foreignRequests, [], 'no request to a third origin');
      } finally {
        await context.close();
      }
    });
  }
});

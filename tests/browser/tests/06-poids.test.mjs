// 6. Page weight: HTML + CSS + JS as transferred (compressed) ≤ 30 KB per page type,
// and no request to any other origin than the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ORIGIN, PAGES, SCREENSHOT_DIR, VIEWPORTS, launch, newPage, url } from '../lib/harness.mjs';

const BUDGET = 30 * 1024; // bytes: 30 KB (KiB)

/** GET with Accept-Encoding: gzip, br; returns the size of the body as sent (not decompressed). */
function compressedSize(target) {
  return new Promise((resolve, reject) => {
    const req = http.get(target, { headers: { 'Accept-Encoding': 'gzip, br' } }, (res) => {
      let size = 0;
      res.on('data', (c) => (size += c.length));
      res.on('end', () =>
        resolve({ size, encoding: res.headers['content-encoding'] || 'identity', type: res.headers['content-type'] || '' }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout ${target}`)));
  });
}

const kb = (n) => (n / 1024).toFixed(1).padStart(6);

describe('poids des pages (octets transférés, compressés)', () => {
  let browser;
  const rows = [];
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (!rows.length) return;
    const head = 'page                                   req   HTML kB   CSS kB    JS kB  corps kB  réseau kB  encodage';
    const lines = rows.map(
      (r) =>
        `${(r.name + ' ' + r.path).padEnd(38).slice(0, 38)} ${String(r.requests).padStart(3)}  ${kb(r.html)}   ${kb(r.css)}   ${kb(r.js)}   ${kb(r.body)}    ${kb(r.wire)}  ${r.encodings}`,
    );
    const table = [
      `Poids des pages (budget ${BUDGET / 1024} kB = ${BUDGET} octets ; « corps » : corps compressés HTML+CSS+JS demandés avec Accept-Encoding: gzip, br ; « réseau » : Network.loadingFinished.encodedDataLength de Chromium, en-têtes compris)`,
      head,
      ...lines,
    ].join('\n');
    console.log('\n' + table + '\n');
    try {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(path.join(SCREENSHOT_DIR, 'poids-des-pages.txt'), table + '\n');
    } catch {
      /* the table is printed anyway */
    }
  });

  for (const p of PAGES) {
    test(`${p.name} ${p.path} ≤ ${BUDGET / 1024} kB, rien vers une autre origine`, { timeout: 60_000 }, async () => {
      const { context, page } = await newPage(browser, { viewport: VIEWPORTS.mobile });
      try {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        const requests = new Map(); // requestId → { url, type }
        const wire = new Map(); // requestId → encodedDataLength
        const seenUrls = [];
        cdp.on('Network.requestWillBeSent', (e) => {
          requests.set(e.requestId, { url: e.request.url, type: e.type });
        });
        cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
        page.on('request', (r) => seenUrls.push(r.url()));

        const response = await page.goto(url(p.path), { waitUntil: 'networkidle' });
        assert.equal(response.status(), p.status ?? 200, `HTTP status of ${p.path}`);

        const foreign = [...new Set([...seenUrls, ...[...requests.values()].map((r) => r.url)])].filter((u) => {
          if (/^(data|blob|about|chrome-error):/.test(u)) return false;
          return new URL(u).origin !== ORIGIN;
        });
        assert.deepEqual(foreign, [], `requests to another origin than ${ORIGIN}`);
        assert.deepEqual(page.foreignRequests, [], 'blocked requests to another origin');

        const wireTotal = [...wire.values()].reduce((a, b) => a + b, 0);
        // Independent measure: each same-origin resource fetched again with Accept-Encoding: gzip, br.
        const urls = [...new Set([...requests.values()].map((r) => r.url))].filter((u) => u.startsWith(ORIGIN));
        const sizes = await Promise.all(urls.map(async (u) => ({ url: u, ...(await compressedSize(u)) })));
        const by = (re) => sizes.filter((s) => re.test(s.type)).reduce((a, s) => a + s.size, 0);
        const row = {
          name: p.name,
          path: p.path,
          requests: urls.length,
          html: by(/html/),
          css: by(/css/),
          js: by(/javascript/),
          body: sizes.reduce((a, s) => a + s.size, 0),
          wire: wireTotal,
          encodings: [...new Set(sizes.map((s) => s.encoding))].join(','),
        };
        rows.push(row);
        const detail = sizes.map((s) => `${s.url.slice(ORIGIN.length)} ${s.size} o (${s.encoding})`).join('; ');
        assert.ok(row.body <= BUDGET, `${p.path}: compressed HTML+CSS+JS = ${row.body} bytes > ${BUDGET} (${detail})`);
        assert.ok(row.wire <= BUDGET, `${p.path}: ${row.wire} bytes on the wire > ${BUDGET} (${detail})`);
        for (const s of sizes) {
          if (s.size > 1024) assert.notEqual(s.encoding, 'identity', `${s.url} (${s.size} bytes) is sent uncompressed`);
        }
      } finally {
        await context.close();
      }
    });
  }
});

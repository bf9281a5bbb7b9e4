// Helpers shared by the 12-telephone-* browser tests (not a test file itself).
import assert from 'node:assert/strict';

const MAX_TABS = 80;

/** Presses Tab until the focused element matches `selector`; fails after MAX_TABS. */
export async function tabTo(page, selector) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`${selector} not reached with Tab`);
}

/** Pages of a PDF made by Chromium: its `/Type /Page` objects (not `/Pages`). */
export function pdfPages(buffer) {
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
}

// Smoke test: the release build loads under the production CSP without errors
// and renders the race.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openPage, screenshot } from './harness.mjs';

after(closeBrowser);

test('the page loads without errors and shows the SGD racer', async () => {
  const opened = await openPage('');
  try {
    let appeared = null;
    try {
      await opened.page.locator('[data-testid="racer-sgd"]').first().waitFor({ state: 'visible', timeout: 5000 });
    } catch (error) {
      appeared = error;
    }
    await screenshot(opened.page, 'desktop.png');
    // Errors first: they usually explain a page that never rendered.
    assert.deepEqual(opened.pageErrors, [], 'uncaught page errors');
    assert.deepEqual(opened.consoleErrors, [], 'console errors');
    assert.deepEqual(opened.failedRequests, [], 'failed requests');
    if (appeared) throw new Error(`[data-testid="racer-sgd"] did not appear within 5 s: ${appeared.message}`);
  } finally {
    await opened.close();
  }
});

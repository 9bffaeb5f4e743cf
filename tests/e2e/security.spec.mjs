// Security and privacy: the page runs under a strict CSP, makes no request
// after it has loaded, stores nothing, and works inside a sandboxed iframe.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { browser, closeBrowser, DESKTOP, openPage, pageUrl } from './harness.mjs';

after(closeBrowser);

test('served with a CSP that forbids inline script and other origins', async () => {
  const b = await browser();
  const context = await b.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  // A refused script, style or image is reported as a console error.
  const refused = [];
  page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
  try {
    const response = await page.goto(pageUrl('?l=bowl&t=50'));
    const csp = response.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    await page.getByTestId('racer-sgd').waitFor();
    // Under that policy the page still draws what it sets from code: the
    // swatches (data: images) and the effective-LR bars (a CSS property).
    // The swatch is a data: image, decoded asynchronously: polled.
    await page
      .waitForFunction(() => document.querySelector('[data-testid="racer-sgd"] img.swatch')?.naturalWidth > 0, null, { timeout: 3000 })
      .catch(() => {});
    await page.waitForTimeout(300);
    assert.deepEqual(refused, []);
    const drawn = await page.evaluate(() => ({
      swatch: document.querySelector('[data-testid="racer-sgd"] img.swatch')?.naturalWidth ?? 0,
      bar: document.querySelector('[data-testid="eff-lr-sgd"] .bar-track')?.style.getPropertyValue('background-size') ?? '',
    }));
    assert.ok(drawn.swatch > 0, 'the swatch image did not load');
    assert.match(drawn.bar, /^[\d.]+% 100%, auto$/);
  } finally {
    await context.close();
  }
});

test('no request after load, no cookie, no storage', async () => {
  const o = await openPage('?l=rosenbrock');
  try {
    await o.page.getByTestId('racer-adam').waitFor();
    await o.page.waitForTimeout(300);
    const later = [];
    o.page.on('request', (r) => later.push(r.url()));
    await o.page.getByTestId('play').click();
    await o.page.waitForTimeout(700);
    await o.page.getByTestId('play').click();
    await o.page.getByTestId('lr-multiplier').evaluate((el) => {
      el.value = '0.4';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await o.page.getByTestId('landscape-select').selectOption('beale');
    await o.page.getByTestId('share-link').click();
    await o.page.waitForTimeout(500);
    assert.deepEqual(later, [], 'requests after load');
    const stored = await o.page.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length }));
    assert.deepEqual(stored, { cookie: '', local: 0, session: 0 });
    assert.deepEqual(o.pageErrors, []);
  } finally {
    await o.close();
  }
});

test('the embed works inside a sandboxed iframe', async () => {
  const b = await browser();
  const context = await b.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // A host page on the same server, so the iframe is what a course page would embed.
    await page.goto(pageUrl('?l=bowl'));
    const src = pageUrl('?l=ravine&o=sgd,momentum&embed=1&t=40');
    await page.evaluate((src) => {
      document.body.textContent = '';
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', 'allow-scripts allow-same-origin');
      f.src = src;
      f.width = '760';
      f.height = '620';
      document.body.appendChild(f);
    }, src);
    const frame = page.frameLocator('iframe');
    await frame.locator('[data-testid="racer-momentum"]').waitFor({ timeout: 10000 });
    assert.equal(await frame.locator('[data-testid="racer-momentum"]').getAttribute('data-step'), '40');
    assert.equal(await frame.locator('text=Open in Downhill').count(), 1);
    // A narrow embed (a phone's column): the link stays one line, inside the frame.
    await page.evaluate(() => { document.querySelector('iframe').width = '360'; });
    await page.frames()[1].waitForFunction(() => innerWidth <= 360);
    const box = await frame.locator('.open-in').evaluate((a) => {
      const r = a.getBoundingClientRect();
      return { height: r.height, right: r.right, line: parseFloat(getComputedStyle(a).lineHeight) || 22, width: innerWidth };
    });
    assert.ok(box.height < 1.5 * box.line, `the link wraps: ${JSON.stringify(box)}`);
    assert.ok(box.right <= box.width, `the link overflows the frame: ${JSON.stringify(box)}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

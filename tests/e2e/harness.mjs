// Shared helpers for the end-to-end specs (tests/e2e/*.spec.mjs).
//
// `cargo xtask test` builds the release dist/, serves it in-process with the
// production CSP, and runs `node --test` on the specs with:
//   DOWNHILL_URL        the served page, e.g. http://127.0.0.1:41234/
//   DOWNHILL_ARTIFACTS  where screenshots go (gitignored)
// The browser is Debian's Chromium driven by playwright-core; never
// `npx playwright install` (it downloads a browser build, which cannot work here).

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.DOWNHILL_URL ?? 'http://127.0.0.1:8080/';
export const ARTIFACTS = path.resolve(process.env.DOWNHILL_ARTIFACTS ?? 'tests/e2e/artifacts');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

let browserPromise = null;

/** One headless Chromium per spec file, started on first use. */
export function browser() {
  browserPromise ??= chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return browserPromise;
}

/** Closes the browser; call it from the spec's `after` hook. */
export async function closeBrowser() {
  if (browserPromise) {
    const b = await browserPromise;
    browserPromise = null;
    await b.close();
  }
}

/** The page URL for a query string (`''`, `'?landscape=rosenbrock'`, `'lr=0.1'`). */
export function pageUrl(query = '') {
  const url = new URL(BASE_URL);
  if (query) url.search = query.startsWith('?') ? query.slice(1) : query;
  return url.href;
}

/**
 * Opens the page in a fresh browser context and waits for `load`.
 * Returns `{ page, context, url, pageErrors, consoleErrors, failedRequests, close }`:
 * uncaught exceptions, `console.error` messages (CSP violations and failed
 * loads show up there too) and failed requests are collected from the start.
 */
export async function openPage(query = '', { viewport = DESKTOP, colorScheme = 'light' } = {}) {
  const b = await browser();
  const context = await b.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const opened = {
    page,
    context,
    url: pageUrl(query),
    pageErrors: [],
    consoleErrors: [],
    failedRequests: [],
    close: () => context.close(),
  };
  page.on('pageerror', (error) => opened.pageErrors.push(error?.stack || error?.message || String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      opened.consoleErrors.push(where?.url ? `${message.text()} (${where.url}:${where.lineNumber})` : message.text());
    }
  });
  page.on('requestfailed', (request) =>
    opened.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  await page.goto(opened.url, { waitUntil: 'load' });
  return opened;
}

/** Saves a full-page PNG as `ARTIFACTS/name` and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The pixels of a canvas (a locator or element handle), as a handle to its
 * ImageData in the page, read through a copy: the still layers and the charts
 * show a bitmap (a `bitmaprenderer` canvas) and have no 2-D context to read.
 * Reduce it in the page with `handle.evaluate((image) => …)`.
 */
export function canvasImage(canvas) {
  return canvas.evaluateHandle((c) => {
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(c, 0, 0);
    return ctx.getImageData(0, 0, copy.width, copy.height);
  });
}

/** `reduce(imageData, arg)` run in the page on the pixels of `canvas` (see `canvasImage`). */
export async function inPixels(canvas, reduce, arg) {
  const image = await canvasImage(canvas);
  try {
    return await image.evaluate(reduce, arg);
  } finally {
    await image.dispose();
  }
}

/** How many distinct colours a sample of `canvas`'s pixels has. */
export function canvasColours(canvas) {
  return inPixels(canvas, ({ data: d }) => {
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 5) seen.add(((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0);
    return seen.size;
  });
}

/**
 * The colours of the chart with this test id once it has more than `min`, or
 * what it has after `ms`: a chart's first drawing waits for the browser's
 * first idle period (up to 250 ms after the page's own first frames), so a
 * read straight after `load` may still see the blank canvas.
 */
export async function drawnColours(page, testid, min, ms = 3000) {
  const canvas = page.getByTestId(testid).locator('canvas').first();
  const until = Date.now() + ms;
  for (;;) {
    const n = await canvasColours(canvas);
    if (n > min || Date.now() > until) return n;
    await page.waitForTimeout(50);
  }
}

/**
 * The page's address once its query matches `re` (or, after `ms`, whatever it
 * is, for the caller's assertion to report): the page writes the address bar
 * 300 ms after a change, in the next idle period (up to 200 ms more, and later
 * still on a busy machine), so a read after a fixed wait can see the old one.
 */
export async function addressBar(page, re, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const href = await page.evaluate(() => location.href);
    if (re.test(new URL(href).search) || Date.now() > until) return href;
    await page.waitForTimeout(50);
  }
}

/**
 * [`layerPixels`] once the layer has stopped changing: two reads 250 ms apart
 * that agree (or the last read after `ms`). The landscape draws thin drafts
 * for 150 ms after its canvas changes size or a slider moves, then repaints
 * in full, so a read straight after load or a drag could see a draft.
 */
export async function settledLayer(page, layer, ms = 3000) {
  const until = Date.now() + ms;
  let last = await layerPixels(page, layer);
  for (;;) {
    await page.waitForTimeout(250);
    const now = await layerPixels(page, layer);
    if (now.h === last.h || Date.now() > until) return now;
    last = now;
  }
}

/**
 * A hash of the pixels of the landscape's canvas `layer` (0: the base, 1: the
 * lens layer, 2: the race layer, which is `landscape-canvas`) and how many of
 * its pixels carry ink.
 */
export async function layerPixels(page, layer) {
  const canvas = await page.getByTestId('landscape-canvas').evaluateHandle(
    (c, layer) => c.parentElement.querySelectorAll('canvas')[layer],
    layer,
  );
  try {
    return await inPixels(canvas, ({ data: d }) => {
      let h = 0;
      let ink = 0;
      for (let i = 0; i < d.length; i += 1) h = (h * 31 + d[i]) | 0;
      for (let i = 3; i < d.length; i += 4) ink += d[i] > 0;
      return { h, ink };
    });
  } finally {
    await canvas.dispose();
  }
}

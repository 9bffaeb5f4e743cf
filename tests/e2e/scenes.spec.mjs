// Scenes (every lesson as a link), the gallery, the two trees, and export.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { closeBrowser, openPage, PHONE, screenshot } from './harness.mjs';

after(closeBrowser);

export const SCENES = [
  ['landscape-explorer', /downhill/i],
  ['minibatch-noise', /batch/i],
  ['sgd-vs-momentum', /momentum/i],
  ['nesterov-lookahead', /nesterov/i],
  ['adagrad-vs-rmsprop', /adagrad/i],
  ['adam-internals', /adam/i],
  ['bias-correction', /bias/i],
  ['adamw-vs-l2', /adamw/i],
  ['schedules', /schedule/i],
  ['saddle-escape', /saddle/i],
  ['ravine-zigzag', /ravine|zig/i],
  ['rosenbrock-valley', /rosenbrock|valley/i],
  ['beale-canyon', /beale|canyon/i],
  ['grand-race', /race/i],
  ['family-tree', /family/i],
  ['decision-tree', /optimizer/i],
];

describe('every scene loads from its link alone', () => {
  for (const [slug, title] of SCENES) {
    test(slug, async () => {
      const o = await openPage(`?scene=${slug}&t=60`);
      try {
        const root = o.page.locator(`[data-scene="${slug}"]`);
        await root.waitFor();
        const h = o.page.getByTestId('scene-title');
        assert.ok(await h.isVisible(), 'the lesson title is visible');
        assert.match(await h.innerText(), title);
        const lesson = await o.page.getByTestId('scene-lesson').innerText();
        assert.ok(lesson.split(/[.!?]\s/).length >= 2, 'a lesson of two sentences or more');
        assert.equal(await o.page.getByTestId('url-notice').count(), 0, 'the scene link is clean');
        await screenshot(o.page, `scene-${slug}.png`);
        assert.deepEqual(o.pageErrors, []);
        assert.deepEqual(o.consoleErrors, []);
      } finally {
        await o.close();
      }
    });
  }

  test('on a phone too', async () => {
    for (const [slug] of SCENES) {
      const o = await openPage(`?scene=${slug}&t=30`, { viewport: PHONE });
      try {
        await o.page.getByTestId('scene-title').waitFor();
        await screenshot(o.page, `scene-${slug}-phone.png`);
        assert.deepEqual(o.pageErrors, []);
      } finally {
        await o.close();
      }
    }
  });
});

describe('scene links', () => {
  test('under a lesson, the whole landscape still fits the window', async () => {
    // Rosenbrock is square: the canvas's height, not its width, is the limit.
    for (const slug of ['rosenbrock-valley', 'saddle-escape']) {
      const o = await openPage(`?scene=${slug}`);
      try {
        await o.page.getByTestId('scene-title').waitFor();
        const canvas = o.page.getByTestId('landscape-canvas');
        await o.page.waitForFunction(() => {
          const r = document.querySelector('[data-testid=landscape-canvas]').getBoundingClientRect();
          return r.bottom <= innerHeight && r.height >= 320;
        }, null, { timeout: 5000 }).catch(() => {});
        const box = await canvas.evaluate((c) => {
          const r = c.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, height: r.height, window: innerHeight };
        });
        assert.ok(box.bottom <= box.window, `${slug}: the canvas ends at ${box.bottom}, inside the ${box.window} px window`);
        assert.ok(box.height >= 320, `${slug}: the canvas keeps at least 320 px (${box.height})`);
        assert.deepEqual(o.pageErrors, []);
      } finally {
        await o.close();
      }
    }
  });

  test('other keys override the scene, and a copied link keeps both', async () => {
    const o = await openPage('?scene=saddle-escape&adam.lr=0.2');
    try {
      await o.page.getByTestId('scene-title').waitFor();
      const href = await o.page.getByTestId('share-link').getAttribute('href');
      const q = new URL(href).searchParams;
      assert.equal(q.get('scene'), 'saddle-escape');
      assert.equal(q.get('adam.lr'), '0.2');
      assert.equal(await o.page.getByTestId('landscape-select').inputValue(), 'saddle');
    } finally {
      await o.close();
    }
  });

  test('an unknown scene says so and the page still races', async () => {
    const o = await openPage('?scene=no-such-scene');
    try {
      await o.page.getByTestId('url-notice').waitFor();
      assert.match(await o.page.getByTestId('url-notice').innerText(), /scene/);
      assert.equal(await o.page.getByTestId('racer-adam').count(), 1);
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });

  test('the gallery lists every scene, each a working link', async () => {
    const o = await openPage('?gallery=1');
    try {
      await o.page.getByTestId('gallery').waitFor();
      for (const [slug] of SCENES) {
        const card = o.page.getByTestId(`gallery-${slug}`);
        assert.equal(await card.count(), 1, slug);
        const href = await card.locator('a').getAttribute('href');
        assert.equal(new URL(href).searchParams.get('scene'), slug);
      }
      await screenshot(o.page, 'gallery.png');
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('scene controls', () => {
  test('a scene slider survives its own drag (the header is not rebuilt)', async () => {
    const o = await openPage('?scene=landscape-explorer');
    try {
      const slider = await o.page.getByTestId('scene-lr').elementHandle();
      const lrs = [];
      for (const v of [0.2, 0.4, 0.6, 0.8]) {
        await slider.evaluate((el, v) => {
          el.value = String(el.min * 1 + (el.max - el.min) * v);
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }, v);
        assert.ok(await slider.evaluate((el) => el.isConnected), 'the same slider is still on the page');
        lrs.push(new URL(await o.page.getByTestId('share-link').getAttribute('href')).searchParams.get('sgd.lr'));
      }
      assert.equal(new Set(lrs).size, 4, `every input moved the rate: ${lrs}`);
      const mini = await openPage('?scene=sgd-vs-momentum');
      try {
        const canvas = await mini.page.getByTestId('mini-sgd').elementHandle();
        await mini.page.getByTestId('scene-momentum').evaluate((el) => {
          el.value = String((el.min * 1 + el.max * 1) / 2);
          el.dispatchEvent(new Event('input', { bubbles: true }));
        });
        assert.ok(await canvas.evaluate((el) => el.isConnected), 'the small canvases are kept, not rebuilt');
      } finally {
        await mini.close();
      }
    } finally {
      await o.close();
    }
  });
});

describe('the schedule explorer', () => {
  const set = (page, testid, v) => page.getByTestId(testid).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, v);
  const linkParams = async (page) => new URL(await page.getByTestId('share-link').getAttribute('href')).searchParams;

  test('total steps and warm-up fit the schedule to the race', async () => {
    const o = await openPage('?scene=schedules');
    try {
      await o.page.getByTestId('schedule-explorer').waitFor();
      await set(o.page, 'explorer-total', 2000);
      await set(o.page, 'explorer-warmup', 0.2);
      let q = await linkParams(o.page);
      assert.equal(q.get('max'), '2000');
      assert.equal(q.get('sched.warmup_iters'), '400');
      assert.equal(q.get('sched.T_max'), '1600');
      await o.page.getByTestId('explorer-kind').selectOption('one_cycle_lr');
      q = await linkParams(o.page);
      assert.equal(q.get('sched'), 'one_cycle_lr');
      assert.equal(q.get('sched.total_steps'), '2000');
      assert.equal(q.get('sched.pct_start'), '0.2');
      await o.page.getByTestId('explorer-kind').selectOption('exponential_lr');
      assert.ok(await o.page.getByTestId('explorer-warmup').isDisabled(), 'no warm-up for an exponential decay');
      assert.match(await o.page.getByTestId('schedule-peak').innerText(), /peak/);
      await screenshot(o.page, 'scene-schedules-explorer.png');
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('the trees', () => {
  test('family tree: a click shows the key idea and a race link', async () => {
    const o = await openPage('?scene=family-tree');
    try {
      await o.page.getByTestId('family-lion').click();
      const detail = o.page.getByTestId('family-detail');
      assert.equal(await detail.getAttribute('data-racer'), 'lion');
      assert.match(await detail.innerText(), /sign/i);
      const href = await o.page.getByTestId('family-race').getAttribute('href');
      assert.match(href, /o=lion/);
    } finally {
      await o.close();
    }
  });

  test('decision tree: answers lead to a configured race', async () => {
    const o = await openPage('?scene=decision-tree');
    try {
      const q0 = await o.page.getByTestId('decision-question').innerText();
      await o.page.getByTestId('decision-answer-0').click();
      assert.notEqual(await o.page.getByTestId('decision-question').innerText(), q0);
      await o.page.getByTestId('decision-answer-0').click();
      const leaf = o.page.getByTestId('decision-leaf');
      await leaf.waitFor();
      const href = await leaf.getAttribute('href');
      await o.page.goto(href);
      await o.page.getByTestId('landscape-canvas').waitFor();
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('export', () => {
  async function download(page, testid) {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
  }

  test('CSV and JSON hold the racers at the step shown, as the rows say', async () => {
    const o = await openPage('?l=rosenbrock&o=sgd,adam,lion&t=75');
    try {
      const json = JSON.parse((await download(o.page, 'export-json')).text);
      const csv = (await download(o.page, 'export-csv')).text.trim().split('\n');
      const header = csv[0].split(',');
      for (const slug of ['sgd', 'adam', 'lion']) {
        const row = await o.page.getByTestId(`racer-${slug}`).evaluate((e) => ({ ...e.dataset }));
        const entry = Array.isArray(json) ? json.find((r) => r.optimizer === slug) : json[slug];
        assert.ok(entry, `${slug} in the JSON`);
        const last = entry.path[entry.path.length - 1];
        assert.equal(last[0], +row.x, `${slug} x`);
        assert.equal(last[1], +row.y, `${slug} y`);
        const lines = csv.filter((l) => l.split(',')[header.indexOf('racer')] === slug);
        const [step, x, y] = ['step', 'x', 'y'].map((k) => lines.at(-1).split(',')[header.indexOf(k)]);
        assert.equal(step, '75');
        assert.equal(+x, +row.x);
        assert.equal(+y, +row.y);
      }
    } finally {
      await o.close();
    }
  });

  test('PNG of the landscape, and a PyTorch script that is valid Python', async () => {
    const o = await openPage('?l=beale&sched=cosine_annealing_lr&sched.T_max=200&clip=1&t=40');
    try {
      const png = await download(o.page, 'export-png');
      assert.match(png.name, /\.png$/);
      await o.page.getByTestId('show-pytorch').click();
      // The script is written when the details open (a toggle event later).
      await o.page.waitForFunction(() =>
        document.querySelector('[data-testid="pytorch-snippet"]')?.textContent.includes('import torch'));
      const code = await o.page.getByTestId('pytorch-snippet').innerText();
      assert.match(code, /import torch/);
      execFileSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: code });
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

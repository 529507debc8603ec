// Browser test of `kiebot sandbox`: starts the real binary on a free port with a throwaway data
// directory, drives the web chat in Debian's chromium through playwright-core, and keeps
// screenshots as artifacts. Usage: node sandbox.spec.mjs <kiebot binary> [artifacts dir]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const binary = process.argv[2];
const artifacts = path.resolve(process.argv[3] || 'browser-artifacts');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_MS = 30_000;
if (!binary || !fs.existsSync(binary)) {
  console.error(`usage: node sandbox.spec.mjs <kiebot binary> [artifacts dir] (got ${binary})`);
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });

// ---- The sandbox process ----------------------------------------------------------------

// A port that was free a moment ago (PORT must be 1-65535, so the OS cannot pick it for us).
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startSandbox(dataDir, port) {
  const child = spawn(binary, ['sandbox'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      log += d;
      const m = out.match(/open (http:\/\/\S+?)\/? in a browser/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}:\n${log.slice(-4000)}`)));
    setTimeout(() => reject(new Error(`sandbox did not print its URL:\n${log.slice(-4000)}`)), 20_000);
  });
  return { child, url, log: () => log };
}

// ---- Page helpers -----------------------------------------------------------------------

// The newest bot message that has an inline keyboard: {id, text, buttons}.
async function screen(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('#messages .msg.bot')].filter((m) => m.querySelector('.keyboard'));
    const m = all[all.length - 1];
    if (!m) return null;
    return {
      id: Number(m.dataset.id),
      text: m.querySelector('.bubble').innerText,
      buttons: [...m.querySelectorAll('.kb-btn')].map((b) => b.textContent),
    };
  });
}

async function waitForScreen(page, predicate, what) {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const s = await screen(page);
    if (s && predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen: ${JSON.stringify(s)}`);
    await page.waitForTimeout(100);
  }
}

// Presses a button of the current screen whose text contains `fragment`, and waits until the
// screen changed (the pressed message is edited, or a new one arrives).
async function press(page, fragment) {
  const before = await waitForScreen(page, (s) => s.buttons.some((b) => b.includes(fragment)), `a "${fragment}" button`);
  const button = page.locator(`#messages .msg.bot[data-id="${before.id}"] .kb-btn`, { hasText: fragment }).first();
  await button.click();
  return waitForScreen(page, (s) => s.id !== before.id || s.text !== before.text, `the screen after "${fragment}"`);
}

async function sendText(page, text) {
  const before = await screen(page);
  await page.fill('#text-input', text);
  await page.press('#text-input', 'Enter');
  return waitForScreen(page, (s) => !before || s.id > before.id || s.text !== before.text, `an answer to "${text}"`);
}

// Takes the defaults (or skips) until the confirm screen with its Generate button.
async function defaultsUntilConfirm(page) {
  for (let i = 0; i < 12; ++i) {
    const s = await screen(page);
    if (s.buttons.some((b) => b.includes('Generate'))) return s;
    const choice = s.buttons.find((b) => b.startsWith('👌 Default') || b === '⏭ Skip');
    assert.ok(choice, `no default or skip on the wizard screen: ${JSON.stringify(s)}`);
    await press(page, choice);
  }
  throw new Error('the confirm screen never came');
}

async function photoCount(page) {
  return page.locator('#messages .msg.bot.kind-photo img').count();
}

// Presses Generate and follows the progress message until a new photo arrives and has loaded.
// Returns every text the progress message showed.
const countWhatNext = (page) => page.evaluate(() => [...document.querySelectorAll('#messages .msg.bot .bubble')]
  .filter((b) => b.innerText.includes('What next?')).length);

async function generateAndWatch(page, shotName) {
  const photosBefore = await photoCount(page);
  const whatNextBefore = await countWhatNext(page);
  await press(page, 'Generate');
  const seen = new Map(); // message id -> Set of texts
  let shot = false;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const progress = await page.evaluate(() =>
      [...document.querySelectorAll('#messages .msg.bot')]
        .map((m) => ({ id: m.dataset.id, text: (m.querySelector('.bubble .text') || {}).innerText || '' }))
        .filter((m) => /Queued|Generating|Sending the result|Done in/.test(m.text)));
    for (const p of progress) {
      if (!seen.has(p.id)) seen.set(p.id, new Set());
      seen.get(p.id).add(p.text);
    }
    if (!shot && progress.some((p) => /Queued|Generating/.test(p.text))) {
      await page.screenshot({ path: path.join(artifacts, shotName) });
      shot = true;
    }
    if ((await photoCount(page)) > photosBefore) break;
    if (Date.now() > deadline) throw new Error(`no result photo; progress seen: ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}`);
    await page.waitForTimeout(150);
  }
  const img = page.locator('#messages .msg.bot.kind-photo img').last();
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: STEP_MS });
  // The final edit ("Done in …") follows the photo.
  await page.waitForFunction(() => [...document.querySelectorAll('#messages .msg.bot .bubble')].some((b) => b.innerText.includes('Done in')), null, { timeout: STEP_MS });
  // Then the result actions ("What next?"): the last message of a delivery.
  await page.waitForFunction((n) => [...document.querySelectorAll('#messages .msg.bot .bubble')]
    .filter((b) => b.innerText.includes('What next?')).length > n, whatNextBefore, { timeout: STEP_MS });
  const texts = await page.evaluate(() => [...document.querySelectorAll('#messages .msg.bot')]
    .filter((m) => m.querySelector('.bubble').innerText.includes('Done in'))
    .map((m) => m.dataset.id));
  return { seen, doneIds: texts };
}

function assertProgressChanged(result) {
  const changed = result.doneIds.some((id) => result.seen.has(id) && result.seen.get(id).size >= 2);
  assert.ok(changed, `the progress message was not edited in place: ${JSON.stringify([...result.seen].map(([k, v]) => [k, [...v]]))}`);
}

// ---- The test ---------------------------------------------------------------------------

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiebot-sandbox-'));
  const sandbox = startSandbox(dataDir, await freePort());
  let browser;
  let page;
  const pageErrors = [];
  try {
    const url = await sandbox.url;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.goto(url + '/');
    await page.waitForSelector('body[data-ready="1"]', { timeout: STEP_MS });
    assert.equal(await page.locator('#user-select option').count(), 3, 'three simulated users');

    // 1. /start, a free image model, a prompt, confirm, see the image.
    await page.click('#start-btn');
    await waitForScreen(page, (s) => s.buttons.some((b) => b.includes('Images')), 'the main menu');
    await page.screenshot({ path: path.join(artifacts, '01-main-menu.png') });
    await press(page, 'Images');
    await press(page, 'Z-Image');
    await press(page, 'Start');
    await sendText(page, 'A lighthouse at sunset, watercolor');
    const confirm = await defaultsUntilConfirm(page);
    assert.match(confirm.text, /Free/, 'z-image is free');
    assert.match(confirm.text, /A lighthouse at sunset/);
    await page.screenshot({ path: path.join(artifacts, '02-confirm.png') });
    const free = await generateAndWatch(page, '03-progress.png');
    assertProgressChanged(free);
    await page.screenshot({ path: path.join(artifacts, '04-free-result.png') });

    // 2. Top up with fake Stars.
    await sendText(page, '/balance');
    await press(page, 'Top up');
    const invoicesBefore = await page.locator('#messages .kind-invoice').count();
    await press(page, '⭐');
    await page.waitForFunction((n) => document.querySelectorAll('#messages .kind-invoice').length > n, invoicesBefore, { timeout: STEP_MS });
    await page.locator('#messages .kind-invoice .kb-btn.pay').last().click();
    await page.waitForSelector('#pay-dialog[open]', { timeout: STEP_MS });
    await page.screenshot({ path: path.join(artifacts, '05-stars-dialog.png') });
    await page.click('#pay-confirm');
    await page.waitForSelector('#messages .service:has-text("You paid")', { timeout: STEP_MS });
    await page.waitForFunction(() => !document.getElementById('pay-dialog').open, null, { timeout: STEP_MS });
    await waitForScreen(page, (s) => s.text.includes('topped up'), 'the top-up confirmation');
    await sendText(page, '/balance');
    const balance = await waitForScreen(page, (s) => s.text.includes('Balance:'), 'the balance screen');
    assert.match(balance.text, /Balance: 100/, `the balance after paying: ${balance.text}`);
    await page.screenshot({ path: path.join(artifacts, '06-paid.png') });

    // 3. A paid model, paid from the new balance.
    await sendText(page, '/start m-google-imagen4-ultra');
    await press(page, 'Start');
    await sendText(page, 'A red fox in the snow');
    const paidConfirm = await defaultsUntilConfirm(page);
    assert.match(paidConfirm.text, /Price:/, `a paid confirm: ${paidConfirm.text}`);
    const paid = await generateAndWatch(page, '07-paid-progress.png');
    assertProgressChanged(paid);
    await page.screenshot({ path: path.join(artifacts, '08-paid-result.png') });
    await sendText(page, '/balance');
    const after = await waitForScreen(page, (s) => s.text.includes('Balance:'), 'the balance screen');
    assert.doesNotMatch(after.text, /Balance: 100 ₽/, `the paid generation was charged: ${after.text}`);

    // 4. Another simulated user has their own, empty chat.
    await page.selectOption('#user-select', { index: 1 });
    await page.waitForFunction(() => document.querySelectorAll('#messages .msg').length === 0, null, { timeout: STEP_MS });
    assert.ok(await page.locator('#empty').isVisible(), 'the other user starts with an empty chat');
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
    console.log(`ok: sandbox browser test passed (screenshots in ${artifacts})`);
  } catch (err) {
    if (page) await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
    console.error(err);
    console.error('---- sandbox log (tail) ----\n' + sandbox.log().slice(-6000));
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    sandbox.child.kill('SIGTERM');
    await new Promise((resolve) => {
      const t = setTimeout(() => { sandbox.child.kill('SIGKILL'); resolve(); }, 10_000);
      sandbox.child.on('exit', () => { clearTimeout(t); resolve(); });
    });
    if (sandbox.child.exitCode !== 0 && sandbox.child.signalCode === null && process.exitCode !== 1) {
      console.error(`sandbox exited with ${sandbox.child.exitCode} after SIGTERM`);
      process.exitCode = 1;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

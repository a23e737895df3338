// The Suppression Gateway's /console in a real browser: Debian's Chromium, headless, driven by
// Playwright (playwright-core only: no browser is downloaded). A compliance officer signs in, looks
// up one address's history, filters the audit log, downloads it, verifies the chains and signs out.
// Then, given an admin key and an address a held feedback report names, an admin finds that report
// in the review queue, reads it and dismisses it, then opens the webhooks page.
//
//   URL=http://127.0.0.1:8080 KEY=<compliance key> ADDRESS=<an address that unsubscribed and was
//   then blocked> OUTDIR=<screenshots> [MESSAGE_ID=<the blocked message's id>] [SOURCE=one-click]
//   [ADMIN_KEY=<admin key> REVIEW_ADDRESS=<an address a held report names>]
//   [CHROMIUM=/usr/bin/chromium] node console.e2e.mjs
//
// Exit 0 when every check passes; otherwise 1 and one line saying which check failed and why.

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const settings = readSettings();
const problems = [];
let browser;
let page;

try {
  await mkdir(settings.outdir, { recursive: true });
  browser = await chromium.launch({
    executablePath: settings.chromium,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();

  // The pages load nothing but their own stylesheet: any CSP violation or script error is a failure.
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`browser console error on ${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));

  await signIn(page);
  await addressHistory(page, context);
  await auditLog(page);
  await dashboard(page);
  await signOut(page);
  if (settings.adminKey && settings.reviewAddress) {
    await reviewQueue(page);
  }

  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }

  console.log(`console e2e passed: screenshots in ${settings.outdir}`);
} catch (error) {
  console.error(`console e2e failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
  await page?.screenshot({ path: path.join(settings.outdir, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await browser?.close();
}

async function signIn(page) {
  await page.goto(`${settings.url}/console`);
  expect(new URL(page.url()).pathname === '/console/login', `an unauthenticated visit to /console should end on /console/login, not ${page.url()}`);
  expect((await page.title()).startsWith('Sign in'), `the sign-in page's title is '${await page.title()}'`);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('.bar')).display) === 'flex',
    'the stylesheet /console/console.css did not apply');
  await screenshot(page, '01-login');

  await page.getByLabel('API key').fill(settings.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/console');
  const who = await page.locator('.session').innerText();
  expect(/compliance|admin/.test(who), `the header should name the signed-in role, it says '${who}'`);
  expect(await page.getByRole('button', { name: 'Sign out' }).isVisible(), 'there is no sign-out button');
}

async function addressHistory(page, context) {
  await page.getByRole('link', { name: 'Address history' }).click();
  await page.getByLabel('Address').fill(settings.address);
  await page.getByRole('button', { name: 'Show history' }).click();
  await page.waitForLoadState();
  expect(!decodeURIComponent(page.url()).includes(settings.address), `the address leaked into the URL ${page.url()}`);

  const current = page.locator('section[aria-labelledby="current"] tbody tr');
  expect(await current.count() >= 1, 'the address should have a current suppression');

  const rows = await records(page, 'section[aria-labelledby="history"] tbody tr');
  const unsubscribe = rows.findIndex((row) => row.Type === 'suppressed' && row.Reason === 'unsubscribe');
  const blocked = rows.findIndex((row) => row.Type === 'blocked');
  expect(unsubscribe >= 0, `no unsubscribe record in the history: ${JSON.stringify(rows)}`);
  expect(blocked >= 0, `no blocked delivery in the history: ${JSON.stringify(rows)}`);
  expect(unsubscribe < blocked, 'the unsubscribe should come before the blocked delivery');
  expect(rows[unsubscribe].Source === settings.source, `the unsubscribe's source is '${rows[unsubscribe].Source}', expected '${settings.source}'`);
  expect(rows[blocked]['Message-ID'] !== '', 'the blocked delivery shows no Message-ID');
  if (settings.messageId) {
    expect(rows[blocked]['Message-ID'] === settings.messageId, `the blocked delivery's Message-ID is '${rows[blocked]['Message-ID']}', expected '${settings.messageId}'`);
  }

  await screenshot(page, '02-address-history');

  // The address's own download is a POST (the address stays in the body).
  const csv = await download(page, page.locator('form[action="/console/download/address"]').filter({ hasText: 'Download CSV' }).getByRole('button'), 'address.csv');
  expect(csv.includes(settings.address), 'the address download does not contain the address');
  expect(csv.split('\n').filter((line) => line.includes(',blocked,')).length >= 1, 'the address download has no blocked record');

  // The same page on a phone: no sideways scrolling, records as cards.
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${settings.url}/console/address`);
  await phone.getByLabel('Address').fill(settings.address);
  await phone.getByRole('button', { name: 'Show history' }).click();
  await phone.waitForLoadState();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the address page scrolls sideways on a phone');
  await screenshot(phone, '03-address-history-phone');
  await phone.close();
}

async function auditLog(page) {
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('checkbox', { name: 'blocked' }).check();
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL((url) => url.pathname === '/console/audit' && url.searchParams.getAll('type').includes('blocked'));
  const rows = await records(page, 'section[aria-labelledby="records"] tbody tr');
  expect(rows.length > 0, 'filtering the audit log by type blocked shows no records');
  expect(rows.every((row) => row.Type === 'blocked'), `the filter by type blocked shows other types: ${[...new Set(rows.map((row) => row.Type))].join(', ')}`);
  expect(rows.some((row) => row.Address === settings.address), 'the blocked delivery to the address is not in the filtered audit log');
  await screenshot(page, '04-audit-log');

  const csv = await download(page, page.getByRole('link', { name: 'Download CSV' }), 'audit-blocked.csv');
  const lines = csv.trimEnd().split(/\r?\n/);
  expect(lines[0].startsWith('time,type,address,'), `the CSV download starts with '${lines[0]}'`);
  expect(lines.length - 1 >= rows.length, `the CSV has ${lines.length - 1} records, the page shows ${rows.length}`);
  expect(lines.slice(1).every((line) => line.split(',')[1] === 'blocked'), 'the CSV download holds records of other types');
  expect(lines.some((line) => line.includes(settings.address)), 'the CSV download does not contain the blocked delivery to the address');
}

async function dashboard(page) {
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('button', { name: 'Verify the chains now' }).click();
  await page.waitForURL((url) => url.pathname === '/console');
  const status = await page.locator('.status').innerText();
  expect(/^Intact: [\d,]+ records? in [\d,]+ chains?, checked at /.test(status), `the dashboard should say the chains are intact, it says '${status}'`);

  const chart = page.locator('svg.chart');
  expect(await chart.count() === 1, 'the dashboard has no chart');
  expect((await chart.locator('title').first().textContent()).includes('per day'), 'the chart has no title');
  expect(await chart.locator('rect').count() > 30, 'the chart has no bars');
  expect(await page.locator('details table tbody tr').count() === 30, 'the chart\'s table fallback should have 30 days');
  await screenshot(page, '05-dashboard');
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/console/login');
  await page.goto(`${settings.url}/console/audit`);
  expect(new URL(page.url()).pathname === '/console/login', 'after signing out, the audit log should send the browser to sign in');
  await screenshot(page, '06-signed-out');
}

async function reviewQueue(page) {
  await page.goto(`${settings.url}/console/login`);
  await page.getByLabel('API key').fill(settings.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/console');
  await page.getByRole('link', { name: 'Review queue' }).click();
  await page.waitForURL((url) => url.pathname === '/console/review');
  const rows = await records(page, 'section[aria-labelledby="reports"] tbody tr');
  const held = rows.find((row) => row.Recipients.includes(settings.reviewAddress));
  expect(held !== undefined, `the review queue does not list the report naming the address: ${JSON.stringify(rows)}`);
  expect(/hard-bounce \(global\), status 5\.1\.1/.test(held.Recipients), `the queue shows '${held.Recipients}' for the held report`);
  await screenshot(page, '07-review-queue');

  await page.getByRole('link', { name: held.Report }).click();
  await page.waitForLoadState();
  expect(!decodeURIComponent(page.url()).includes(settings.reviewAddress), `the address leaked into the URL ${page.url()}`);
  const recipients = await records(page, 'section[aria-labelledby="recipients"] tbody tr');
  expect(recipients.some((row) => row.Address === settings.reviewAddress && row.Verdict === 'hard-bounce'),
    `the report page does not show the recipient's verdict: ${JSON.stringify(recipients)}`);
  await screenshot(page, '08-review-report');

  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.waitForURL((url) => url.pathname === '/console/review' && url.searchParams.has('dismissed'));
  const status = await page.locator('.status').innerText();
  expect(/dismissed: nobody was suppressed/.test(status), `after dismissing, the queue says '${status}'`);
  const left = await records(page, 'section[aria-labelledby="reports"] tbody tr');
  expect(!left.some((row) => row.Recipients.includes(settings.reviewAddress)), 'the dismissed report is still in the queue');
  await screenshot(page, '09-review-dismissed');

  // The webhooks page, as an admin reads it (the test gateway configures no endpoint: it says so).
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.waitForURL((url) => url.pathname === '/console/webhooks');
  const heading = await page.getByRole('heading', { level: 1 }).innerText();
  expect(heading === 'Webhooks', `the webhooks page's heading is '${heading}'`);
  await screenshot(page, '10-webhooks');
}

// The rows of a record table as objects keyed by column (each cell names its column in data-label).
async function records(page, selector) {
  return page.locator(selector).evaluateAll((rows) => rows.map((row) =>
    Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.label, cell.textContent.trim()]))));
}

async function download(page, trigger, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const failure = await file.failure();
  expect(failure === null, `the download ${name} failed: ${failure}`);
  const target = path.join(settings.outdir, name);
  await file.saveAs(target);
  return readFile(target, 'utf8');
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(settings.outdir, `${name}.png`), fullPage: true });
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function readSettings() {
  const missing = ['URL', 'KEY', 'ADDRESS', 'OUTDIR'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(`console e2e: set ${missing.join(', ')} (URL of the gateway, a compliance KEY, an ADDRESS that unsubscribed and was then blocked, OUTDIR for screenshots)`);
    process.exit(2);
  }

  return {
    url: process.env.URL.replace(/\/+$/, ''),
    key: process.env.KEY,
    address: process.env.ADDRESS,
    outdir: path.resolve(process.env.OUTDIR),
    messageId: process.env.MESSAGE_ID,
    source: process.env.SOURCE ?? 'one-click',
    adminKey: process.env.ADMIN_KEY,
    reviewAddress: process.env.REVIEW_ADDRESS,
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  };
}

// Drives Debian's chromium (playwright-core, no browser download) against one node's dashboard and prints one JSON
// line of findings for DashboardBrowserTests: node dashboard.mjs <dashboard url> <screenshot path>.
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const origin = new URL(url).origin;
const findings = { requests: [], consoleErrors: [], pageErrors: [], screenshot };

async function nodeHeight() {
  const response = await fetch(new URL('/api/v1/chain', origin));
  return (await response.json()).height;
}

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  page.on('request', (request) => findings.requests.push(request.url()));
  page.on('console', (message) => { if (message.type() === 'error') findings.consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => findings.pageErrors.push(String(error)));
  page.on('response', (answer) => { if (answer.url().endsWith('/v1/chat/completions')) findings.chatContentType = answer.headers()['content-type'] ?? null; });
  const response = await page.goto(url);
  findings.csp = response.headers()['content-security-policy'] ?? null;

  // Peers, head height and the hash-rate chart render.
  await page.waitForFunction(() => document.querySelectorAll('#peers tbody tr').length >= 1, null, { timeout: 30000 });
  findings.peers = await page.locator('#peers tbody tr').count();
  await page.waitForFunction(() => /^\d+$/.test(document.getElementById('head-height').textContent), null, { timeout: 30000 });
  await page.waitForFunction(() => {
    const line = document.querySelector('#hashrate-chart polyline.series');
    return line && line.getAttribute('points').split(' ').length >= 2;
  }, null, { timeout: 30000 });
  findings.hashrateChartPoints = (await page.locator('#hashrate-chart polyline.series').getAttribute('points')).split(' ').length;
  // Shares reach the chart only once a block carries one. A devnet just started has few blocks, and a block found
  // quickly may carry none: blocks and shares come at random times, so the bound is the head's.
  await page.waitForFunction(() => document.querySelectorAll('#shares-chart rect').length >= 1, null, { timeout: 120000 })
    .catch(() => {});
  findings.sharesChartBars = await page.locator('#shares-chart rect').count();

  // Live: once the node's head moves, the page shows it within 10 s (blocks themselves come at random times).
  findings.pageHeightBefore = Number(await page.textContent('#head-height'));
  const waitStart = Date.now();
  let height = await nodeHeight();
  while (height <= findings.pageHeightBefore && Date.now() - waitStart < 120000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    height = await nodeHeight();
  }
  findings.nodeHeightAfter = height;
  const moved = Date.now();
  await page.waitForFunction((h) => Number(document.getElementById('head-height').textContent) >= h, height, { timeout: 10000 });
  findings.pageLagMs = Date.now() - moved;

  // The chat box streams an answer: server-sent events, one chunk per token, then the status says done.
  await page.waitForFunction(() => document.getElementById('chat-model').options.length > 0, null, { timeout: 30000 });
  await page.click('#chat-send');
  await page.waitForFunction(() => /^(done|failed)/.test(document.getElementById('chat-status').textContent), null, { timeout: 90000 });
  findings.chatStatus = await page.textContent('#chat-status');
  findings.chatText = await page.textContent('#chat-output');
  findings.chatChunks = Number(/(\d+) chunk/.exec(findings.chatStatus)?.[1] ?? 0);

  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
findings.offOrigin = findings.requests.filter((r) => { try { const u = new URL(r); return u.protocol !== 'data:' && u.hostname !== '127.0.0.1'; } catch { return true; } });
process.stdout.write(JSON.stringify(findings) + '\n');

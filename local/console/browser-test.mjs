// Drives the web console of a running `pricelake serve` in Debian's chromium with playwright-core (no browser
// download), as a person would: starts a load job from the form, waits for it, and opens the runs list, the run, the
// first symbol's chart (daily with its corporate actions, then 5-session bars), the lake's coverage and the universes
// (before and after "Update and organize"). Screenshots go to SHOT_DIR; what the pages showed is printed as one JSON
// line for the Java test to check against the market and the lake.
//   node browser-test.mjs CONSOLE_URL SHOT_DIR SYMBOLS MONTHS
import { chromium } from 'playwright-core';

const [consoleUrl, shotDir, symbolList, months] = process.argv.slice(2);
const symbols = symbolList.split(',');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const seen = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => { seen.page_errors = [...(seen.page_errors ?? []), String(e)]; });
  const shot = (name) => page.screenshot({ path: `${shotDir}/${name}.png`, fullPage: true });

  await page.goto(`${consoleUrl}#/load`);
  await page.selectOption('#load_type', 'symbols');
  await page.fill('#symbols', symbols.join(', '));
  await page.selectOption('#months', months);
  await page.click('#start');
  const started = await page.locator('#started .message').textContent({ timeout: 30000 });
  seen.job = started.replace('Started ', '').trim();
  await page.locator(`.job[data-name="${seen.job}"]`).waitFor({ timeout: 30000 });
  await page.locator(`.job[data-name="${seen.job}"]:not([data-status="RUNNING"])`).waitFor({ timeout: 240000 });
  seen.job_status = await page.locator(`.job[data-name="${seen.job}"]`).getAttribute('data-status');
  seen.job_log = await page.locator(`.job[data-name="${seen.job}"] pre.log`).textContent();
  await shot('load-jobs');

  await page.goto(`${consoleUrl}#/runs`);
  await page.locator('#runs tr[data-run]').first().waitFor();
  seen.runs = await page.$$eval('#runs tr[data-run]', (rows) => rows.map((r) => ({
    run_id: r.dataset.run, status: r.cells[2].textContent.trim(), tickers: r.cells[5].textContent.trim(),
    bars: r.cells[10].textContent.trim(),
  })));
  await shot('runs');

  await page.click(`#runs tr[data-run] a`);
  await page.locator('table.tickers').first().waitFor();
  seen.run_page_tickers = await page.$$eval('table.tickers:last-of-type tr', (rows) => rows.slice(1)
    .map((r) => ({ ticker: r.cells[0].textContent.trim(), status: r.cells[1].textContent.trim() })));
  await shot('run');

  await page.goto(`${consoleUrl}#/symbol/${symbols[0]}`);
  await page.waitForFunction(() => window.pricelakeChart?.candles.data().length > 0, null, { timeout: 30000 });
  seen.daily_candles = await page.evaluate(() => window.pricelakeChart.candles.data().length);
  seen.chart_canvases = await page.locator('#chart canvas').count();
  seen.chart_drawn = await page.evaluate(() => [...document.querySelectorAll('#chart canvas')].some((c) => {
    const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    const colors = new Set();
    for (let i = 0; i < pixels.length && colors.size < 5; i += 4 * 97) {
      colors.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
    }
    return colors.size >= 3;
  }));
  seen.reference_tables = await page.$$eval('main h3', (hs) => hs.map((h) => h.textContent));
  const column = (table, name) => page.$$eval(`table.reference[data-table="${table}"]`, (tables, wanted) => {
    const rows = tables[0] ? [...tables[0].rows] : [];
    const index = rows.length ? [...rows[0].cells].findIndex((c) => c.textContent === wanted) : -1;
    return rows.slice(1).map((r) => r.cells[index]?.textContent);
  }, name);
  seen.symbol_name = (await column('symbols', 'name'))[0];
  seen.dividend_dates = await column('dividends', 'ex_dividend_date');
  seen.dividend_markers = await page.evaluate(() => window.pricelakeChart.markers.filter((m) => m.kind === 'dividend').map((m) => m.date));
  seen.bronze_metadata = await page.locator('#bronze-metadata').textContent();
  await shot('symbol-daily');
  await page.selectOption('#interval', '5');
  await page.locator('#chart[data-interval="5"]').waitFor();
  seen.five_session_candles = await page.evaluate(() => window.pricelakeChart.candles.data().length);
  await shot('symbol-5-session');

  await page.goto(`${consoleUrl}#/lake`);
  // The coverage kept from serve's start is of an empty lake: the page shows it marked stale until the new one is there.
  await page.locator('#coverage[data-stale="false"]').waitFor({ timeout: 120000 });
  seen.coverage_text = await page.locator('#summary').textContent();
  await shot('lake');

  const entries = () => page.$$eval('#entries tr', (rows) => Object.fromEntries(rows.slice(1).map((r) => [
    [0, 1, 2].map((i) => r.cells[i].textContent).join(' '), Number(r.cells[3].textContent.replace(/,/g, ''))])));
  await page.goto(`${consoleUrl}#/universes`);
  await page.locator('#organize').waitFor();
  seen.entries_before = await entries();
  await shot('universes-before');
  page.once('dialog', (d) => { seen.confirmation = d.message(); d.accept(); });
  await page.click('#organize');
  seen.rebuilt = await page.locator('#rebuilt').textContent({ timeout: 60000 });
  seen.entries_after = await entries();
  await shot('universes');
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen) + '\n');

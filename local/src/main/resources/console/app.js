// The pricelake console: one page, routed by the URL's hash; every view reads the JSON under /console/api/.
'use strict';

const api = async (path, options) => {
  const response = await fetch('/console/api/' + path, options);
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.message || response.statusText);
  }
  return body;
};
const post = (path, body) => api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const page = () => document.getElementById('page');
const esc = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const num = (n) => (n ?? 0).toLocaleString('en-US');
const seconds = (s) => (s == null ? '' : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);
const status = (s) => `<span class="status-${esc(s)}">${esc(s)}</span>`;
/** Counts page changes, so a refresh of a page no longer shown stops. */
let generation = 0;

/** Re-renders the view every 2 s while it says there is something in progress and it is still the page shown. */
function every2s(render) {
  const mine = generation;
  const tick = async () => {
    if (mine !== generation) {
      return;
    }
    const more = await render().catch((e) => { showError(e); return false; });
    if (more && mine === generation) {
      setTimeout(tick, 2000);
    }
  };
  tick();
}

function showError(e) {
  page().insertAdjacentHTML('afterbegin', `<div class="message error">${esc(e.message)}</div>`);
}

const routes = {
  runs: () => every2s(async () => {
    const runs = await api('runs');
    page().innerHTML = `<h2>Runs</h2>
      <table id="runs"><tr><th>run_id</th><th>mode</th><th>status</th><th>started</th><th class="num">duration</th>
        <th class="num">tickers</th><th class="num">succeeded</th><th class="num">rate-limited</th><th class="num">failed</th>
        <th class="num">not done</th><th class="num">bars</th></tr>
      ${runs.map((r) => `<tr data-run="${esc(r.run_id)}"><td><a href="#/run/${esc(r.run_id)}">${esc(r.run_id)}</a></td>
        <td>${esc(r.mode)}</td><td>${status(r.status)}</td><td>${esc(r.started_at.replace('T', ' ').slice(0, 19))}</td>
        <td class="num">${seconds(r.seconds)}</td><td class="num">${num(r.tickers.total)}</td><td class="num">${num(r.tickers.succeeded)}</td>
        <td class="num">${num(r.tickers.rate_limited)}</td><td class="num">${num(r.tickers.failed)}</td>
        <td class="num">${num(r.tickers.pending)}</td><td class="num">${num(r.bars)}</td></tr>`).join('')}
      </table>${runs.length === 0 ? '<p>No runs yet: start one from <a href="#/load">Load jobs</a>.</p>' : ''}`;
    return runs.some((r) => r.status === 'RUNNING');
  }),

  run: (id) => every2s(async () => {
    const r = await api('runs/' + encodeURIComponent(id));
    const stopped = r.ticker_items.filter((t) => t.status === 'FAILED' || t.status === 'RATE_LIMITED');
    page().innerHTML = `<h2>Run ${esc(r.run_id)} ${status(r.status)}</h2>
      <div class="panel">mode ${esc(r.mode)}; started ${esc(r.started_at)}${r.finished_at ? `, finished ${esc(r.finished_at)} (${seconds(r.seconds)})` : ''};
        ${num(r.tickers.succeeded)} of ${num(r.tickers.total)} tickers succeeded, ${num(r.tickers.rate_limited)} rate-limited,
        ${num(r.tickers.failed)} failed, ${num(r.tickers.pending)} not done; ${num(r.bars)} bars
        ${r.execution ? `<br>execution ${esc(r.execution)} ${status(r.execution_status)}` : ''}
        ${r.error ? `<div class="message error">${esc(r.error)}</div>` : ''}
        ${(r.waiting ?? []).map((w) => `<div class="message waiting">${esc(w)}</div>`).join('')}
        ${r.status !== 'COMPLETE' ? '<br><button id="resume">Resume this run</button>' : ''}</div>
      ${r.plan ? `<div class="panel"><strong>Plan</strong><ul>${r.plan.map((p) => `<li>${esc(p.reason)}</li>`).join('')}</ul></div>` : ''}
      <div class="panel"><strong>Input</strong> <code>${esc(r.input)}</code></div>
      ${stopped.length ? `<h3>Rate-limited and failed tickers</h3>${tickerTable(stopped)}` : ''}
      <h3>Tickers</h3>${tickerTable(r.ticker_items)}`;
    const resume = document.getElementById('resume');
    if (resume) {
      resume.onclick = async () => {
        const started = await post(`runs/${encodeURIComponent(id)}/resume`, {}).catch(showError);
        if (started) {
          location.hash = '#/load';
        }
      };
    }
    return r.status === 'RUNNING';
  }),

  lake: () => every2s(async () => {
    const c = await api('lake/coverage');
    if (c.computing) {
      page().innerHTML = `<h2>Lake coverage</h2><p id="computing">Reading every bronze file for the lake's coverage (the first time
        on this lake: it is kept for later) ...</p>`;
      return true;
    }
    const gaps = c.rows.filter((r) => r.gap_months > 0 || r.defects);
    page().innerHTML = `<h2>Lake coverage</h2>
      ${c.stale ? `<p class="message" id="stale">As of ${esc(c.computed_at)}: the lake has changed since, and its coverage is being
        brought up to date.</p>` : ''}
      <p id="summary">${num(c.rows.length)} symbols, ${esc(c.months[0] ?? '')} to ${esc(c.months[c.months.length - 1] ?? '')}.
        <span class="legend"><span style="background:#3c9a5f"></span>every session <span style="background:#e59a1c"></span>sessions missing
        <span style="background:#dde1e6"></span>outside the symbol's bars <span style="background:#c62828"></span>defects (verify)</span></p>
      <form id="find"><input id="symbol" placeholder="Symbol, such as AAPL"> <button>Open</button></form>
      <canvas id="coverage" data-stale="${c.stale}"></canvas>
      <h3>Symbols with gaps or defects (${num(gaps.length)})</h3>
      <table><tr><th>symbol</th><th>first</th><th>last</th><th class="num">bars</th><th class="num">months with gaps</th><th>defects</th></tr>
      ${gaps.slice(0, 500).map((r) => `<tr><td><a href="#/symbol/${esc(r.symbol)}">${esc(r.symbol)}</a></td><td>${esc(r.first)}</td>
        <td>${esc(r.last)}</td><td class="num">${num(r.bars)}</td><td class="num">${r.gap_months}</td><td>${r.defects ? 'yes' : ''}</td></tr>`).join('')}</table>`;
    document.getElementById('find').onsubmit = (e) => {
      e.preventDefault();
      location.hash = '#/symbol/' + document.getElementById('symbol').value.trim().toUpperCase();
    };
    drawCoverage(c);
    return c.stale;
  }),

  symbol: async (symbol, interval = '1') => {
    const data = await api(`symbols/${encodeURIComponent(symbol)}?interval=${interval}`);
    const options = ['1', '3', '5', '8', '13', '21', '34']
      .map((k) => `<option value="${k}"${k === interval ? ' selected' : ''}>${k === '1' ? 'daily' : k + '-session'}</option>`).join('');
    page().innerHTML = `<h2>${esc(symbol)}</h2>
      <label>Bars <select id="interval">${options}</select></label> <span id="count">${num(data.bars.length)} bars</span>
      <div id="chart" data-interval="${esc(interval)}" data-candles="${data.bars.length}"></div>
      ${data.bronze_metadata ? `<div class="panel" id="bronze-metadata"><strong>Bronze file</strong>
        ${Object.entries(data.bronze_metadata).map(([k, v]) => `<br><code>${esc(k)}</code> ${esc(v)}`).join('')}</div>` : ''}
      ${Object.entries(data.reference).map(([table, rows]) => referenceTable(table, rows)).join('')}`;
    document.getElementById('interval').onchange = (e) => { location.hash = `#/symbol/${symbol}/${e.target.value}`; };
    drawChart(data.bars, corporateActions(data.reference));
  },

  load: async () => {
    const entries = await api('universes').catch(() => []);
    page().innerHTML = `<h2>Load jobs</h2>
      <form id="load" class="panel">
        <label for="load_type">Load type</label>
        <select id="load_type"><option value="symbols">Specific symbols</option><option value="universe">Stock universe</option></select>
        <label for="universe">Universe</label>
        <select id="universe">${entries.map((e) => `<option>${esc(`${e.type}/${e.name}/${e.key}`)}</option>`).join('')
          || '<option value="">(no universes yet: Universes, Update and organize)</option>'}</select>
        <label for="symbols">Symbols</label><input id="symbols" placeholder="AAPL, MSFT, NVDA">
        <label for="months">Years of data</label>
        <select id="months"><option value="1">1 month</option><option value="3">3 months</option><option value="6">6 months</option>
          <option value="12" selected>1 year</option><option value="24">2 years</option><option value="36">3 years</option><option value="60">5 years</option></select>
        <label for="timespan">Timespan</label><select id="timespan"><option value="day">daily</option><option value="minute">1-minute</option></select>
        <br><button id="start">Start</button>
      </form>
      <div id="started"></div>
      <h3>Jobs</h3><div id="jobs"></div>`;
    document.getElementById('load').onsubmit = async (e) => {
      e.preventDefault();
      const value = (id) => document.getElementById(id).value;
      const job = await post('load', { load_type: value('load_type'), universe: value('universe'), symbols: value('symbols'),
        months: Number(value('months')), timespan: value('timespan') }).catch((error) => {
        document.getElementById('started').innerHTML = `<div class="message error">${esc(error.message)}</div>`;
      });
      if (job) {
        document.getElementById('started').innerHTML = `<div class="message">Started ${esc(job.name)}</div>`;
      }
    };
    every2s(async () => {
      const jobs = document.getElementById('jobs');
      if (!jobs) {
        return false;
      }
      const list = await api('executions');
      const details = await Promise.all(list.filter((j) => j.status === 'RUNNING' || list.indexOf(j) < 5)
        .map((j) => api(`executions/${encodeURIComponent(j.name)}/log`)));
      jobs.innerHTML = details.map((j) => `<div class="panel job" data-name="${esc(j.name)}" data-status="${esc(j.status)}">
        <strong>${esc(j.name)}</strong> ${status(j.status)} started ${esc(j.started_at)}
        ${j.run ? `; run <a href="#/run/${esc(j.run.run_id)}">${esc(j.run.run_id)}</a>: ${num(j.run.tickers.succeeded)}/${num(j.run.tickers.total)} tickers,
          ${num(j.run.bars)} bars, ${num(j.run.tickers.rate_limited)} rate-limited` : ''}
        ${j.error ? `<div class="message error">${esc(j.error)}: ${esc(j.cause)}</div>` : ''}
        ${j.waiting.map((w) => `<div class="message waiting">${esc(w)}</div>`).join('')}
        <pre class="log">${esc(j.log.slice(-12).join('\n'))}</pre></div>`).join('') || '<p>No jobs yet.</p>';
      // A job may be started from this page at any moment: keep watching while it is shown.
      return true;
    });
  },

  universes: async () => {
    const entries = await api('universes');
    page().innerHTML = `<h2>Universes</h2>
      <div class="panel"><label>Mode <select id="mode"><option value="replace">replace (rebuild every stock and ETF entry)</option>
        <option value="append">append (add or update, keep the rest)</option></select></label>
        <button id="organize">Update and organize</button><div id="result"></div></div>
      <table id="entries"><tr><th>type</th><th>name</th><th>key</th><th class="num">count</th><th>updated</th></tr>
      ${entries.map((e) => `<tr><td>${esc(e.type)}</td><td>${esc(e.name)}</td><td>${esc(e.key)}</td>
        <td class="num">${e.count == null ? '' : num(e.count)}</td><td>${esc(e.updated_at)}</td></tr>`).join('')}</table>
      ${entries.length === 0 ? '<p>No entries yet: refresh the symbols (./pricelake symbols refresh), then Update and organize.</p>' : ''}`;
    document.getElementById('organize').onclick = async () => {
      const mode = document.getElementById('mode').value;
      if (!confirm(`Rebuild the universes from the symbols table (${mode})?`)) {
        return;
      }
      const result = await post('universes/rebuild', { mode }).catch((e) => {
        document.getElementById('result').innerHTML = `<div class="message error">${esc(e.message)}</div>`;
      });
      if (result) {
        await routes.universes();
        document.getElementById('result').innerHTML = `<div class="message" id="rebuilt">Rebuilt (${esc(mode)}):
          ${num(result.entries)} entries from ${num(result.symbols)} symbols</div>`;
      }
    };
  },
};

function tickerTable(items) {
  return `<table class="tickers"><tr><th>ticker</th><th>status</th><th class="num">attempts</th><th class="num">bars</th>
    <th class="num">batch</th><th>error</th></tr>
    ${items.map((t) => `<tr><td><a href="#/symbol/${esc(t.ticker)}">${esc(t.ticker)}</a></td><td>${status(t.status)}</td>
      <td class="num">${t.attempts}</td><td class="num">${num(t.bars)}</td><td class="num">${t.batch}</td>
      <td class="error">${esc(t.error)}</td></tr>`).join('')}</table>`;
}

function referenceTable(table, rows) {
  if (rows.length === 0) {
    return `<h3>${esc(table)}</h3><p>none</p>`;
  }
  const columns = Object.keys(rows[0]);
  return `<h3>${esc(table)}</h3><table class="reference" data-table="${esc(table)}"><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>
    ${rows.map((r) => `<tr>${columns.map((c) => `<td>${esc(r[c])}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** One cell per symbol and month, drawn on a canvas so thousands of symbols stay fast; a click opens the symbol. */
function drawCoverage(c) {
  const canvas = document.getElementById('coverage');
  const cell = Math.max(2, Math.min(12, Math.floor(900 / Math.max(1, c.months.length))));
  const row = c.rows.length > 400 ? 2 : 8;
  const label = row >= 8 ? 70 : 0;
  canvas.width = label + cell * c.months.length;
  canvas.height = Math.max(row * c.rows.length, 10);
  const g = canvas.getContext('2d');
  const colors = { '#': '#3c9a5f', g: '#e59a1c', '.': '#dde1e6' };
  g.font = '8px sans-serif';
  c.rows.forEach((r, y) => {
    if (label) {
      g.fillStyle = r.defects ? '#c62828' : '#1d2329';
      g.fillText(r.symbol, 2, y * row + row - 1);
    }
    for (let x = 0; x < r.cells.length; x++) {
      g.fillStyle = r.defects && r.cells[x] !== '.' ? '#c62828' : colors[r.cells[x]];
      g.fillRect(label + x * cell, y * row, cell - (cell > 3 ? 1 : 0), row - (row > 3 ? 1 : 0));
    }
  });
  canvas.onclick = (e) => {
    const r = c.rows[Math.floor(e.offsetY / row)];
    if (r) {
      location.hash = '#/symbol/' + r.symbol;
    }
  };
}

/** Splits and dividends as chart markers: S for a split (its ratio), D for a dividend going ex (its cash). */
function corporateActions(reference) {
  const splits = (reference.splits ?? []).map((s) => ({ date: s.execution_date, kind: 'split',
    text: `S ${Number(s.split_to)}:${Number(s.split_from)}` }));
  const dividends = (reference.dividends ?? []).map((d) => ({ date: d.ex_dividend_date, kind: 'dividend', text: `D ${d.cash_amount}` }));
  return [...splits, ...dividends];
}

/** Each event on the bar that holds its day (a k-session bar from its start); events outside the bars are left out. */
function markersOn(bars, events) {
  const markers = [];
  for (const e of events) {
    if (bars.length === 0 || e.date < bars[0].time || e.date > bars[bars.length - 1].time) {
      continue;
    }
    const split = e.kind === 'split';
    markers.push({ time: bars.findLast((b) => b.time <= e.date).time, position: split ? 'aboveBar' : 'belowBar',
      shape: split ? 'arrowDown' : 'circle', color: split ? '#6a1b9a' : '#1565c0', text: e.text, kind: e.kind, date: e.date });
  }
  return markers.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

function drawChart(bars, events = []) {
  const container = document.getElementById('chart');
  const chart = LightweightCharts.createChart(container, { autoSize: true, layout: { background: { color: '#ffffff' } } });
  const candles = chart.addSeries(LightweightCharts.CandlestickSeries, {});
  candles.setData(bars.map((b) => ({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close })));
  const volume = chart.addSeries(LightweightCharts.HistogramSeries, { priceScaleId: '', priceFormat: { type: 'volume' }, color: '#9db4cc' });
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  volume.setData(bars.map((b) => ({ time: b.time, value: b.volume })));
  const markers = markersOn(bars, events);
  LightweightCharts.createSeriesMarkers(candles, markers.map(({ time, position, shape, color, text }) => ({ time, position, shape, color, text })));
  chart.timeScale().fitContent();
  // For a person's console and for the browser test: what the chart holds.
  window.pricelakeChart = { chart, candles, volume, markers };
}

function route() {
  generation++;
  const [name, ...args] = (location.hash.replace(/^#\//, '') || 'runs').split('/').map(decodeURIComponent);
  (routes[name] ?? routes.runs)(...args)?.catch?.(showError);
}

window.addEventListener('hashchange', route);
route();

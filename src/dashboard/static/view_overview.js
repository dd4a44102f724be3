// Overview (#/): server status and uptime, every model with its versions,
// states, platform and load errors, and per-model request rate and latency
// from the Prometheus metrics. Refreshes every few seconds while shown.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear, formatDuration, formatMs, formatRate } = STFS.util;
  const { stateBadge, errorBox } = STFS.widgets;
  const api = STFS.api;

  const REFRESH_MS = 5000;

  // Uptime from whichever gauge the server exports: stfs_uptime_seconds, or
  // process_start_time_seconds against the browser clock.
  function uptimeSeconds(samples) {
    const up = samples.find((s) => s.name === 'stfs_uptime_seconds' || s.name === 'stfs_server_uptime_seconds');
    if (up) return up.value;
    const start = samples.find((s) => s.name === 'process_start_time_seconds');
    return start ? Date.now() / 1000 - start.value : NaN;
  }

  function render(container) {
    const statusValue = el('span', { id: 'server-status', dataset: { testid: 'server-status' } }, 'checking…');
    const uptimeValue = el('span', { id: 'server-uptime', dataset: { testid: 'server-uptime' } }, '—');
    const modelCount = el('span', { id: 'model-count' }, '—');
    const updated = el('span', { class: 'muted', id: 'last-refresh' }, '');
    const messages = el('div', { id: 'overview-messages' });
    const tbody = el('tbody', {});
    const table = el('div', { class: 'table-wrap' }, el('table', { class: 'table', id: 'model-list', dataset: { testid: 'model-list' } },
      el('thead', {}, el('tr', {},
        el('th', {}, 'Model'), el('th', {}, 'Versions'), el('th', {}, 'Platform'),
        el('th', { class: 'num' }, 'Requests'), el('th', { class: 'num' }, 'Req/s'),
        el('th', { class: 'num' }, 'Avg latency'), el('th', { class: 'num' }, 'p99 ≤'), el('th', { class: 'num' }, 'Errors'))),
      tbody));

    container.append(
      el('h1', {}, 'Overview'),
      el('section', { class: 'stats' },
        el('div', { class: 'stat card' }, el('div', { class: 'stat-label' }, 'Server'), el('div', { class: 'stat-value' }, statusValue)),
        el('div', { class: 'stat card' }, el('div', { class: 'stat-label' }, 'Uptime'), el('div', { class: 'stat-value' }, uptimeValue)),
        el('div', { class: 'stat card' }, el('div', { class: 'stat-label' }, 'Models'), el('div', { class: 'stat-value' }, modelCount))),
      el('section', { class: 'card' },
        el('div', { class: 'card-head' }, el('h2', {}, 'Models'), updated),
        messages, table,
        el('p', { class: 'muted small' }, 'Request counts and latency come from /monitoring/prometheus/metrics; ',
          'rates are measured between refreshes (every ', String(REFRESH_MS / 1000), ' s).')));

    let previous = null;
    let previousAt = 0;
    let stopped = false;

    async function refresh() {
      const [health, list, metrics] = await Promise.all([api.health(), api.listModels(), api.metrics()]);
      if (stopped) return;
      const running = health.ok || list.reply.ok;
      statusValue.textContent = running ? 'Running' : 'Unreachable';
      statusValue.className = running ? 'text-ok' : 'text-err';
      statusValue.dataset.state = running ? 'running' : 'down';

      const samples = metrics.ok ? STFS.util.parsePrometheus(metrics.text) : [];
      uptimeValue.textContent = formatDuration(uptimeSeconds(samples));
      const now = performance.now();
      const stats = STFS.util.modelStats(samples);
      const rates = STFS.util.modelRates(previous, stats, (now - previousAt) / 1000);
      previous = stats;
      previousAt = now;

      clear(messages);
      if (!list.reply.ok) messages.append(errorBox(list.reply, 'Could not list the models'));
      if (!metrics.ok && metrics.status !== 404) messages.append(el('div', { class: 'alert' }, `Metrics unavailable (HTTP ${metrics.status}).`));
      modelCount.textContent = list.reply.ok ? String(list.models.length) : '—';

      clear(tbody);
      if (list.reply.ok && !list.models.length) {
        tbody.append(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No models loaded.')));
      }
      for (const m of list.models) {
        const r = rates[m.name] || {};
        const errors = m.versions.filter((v) => v.error);
        tbody.append(el('tr', { dataset: { model: m.name, testid: 'model-row' } },
          el('td', {}, el('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name)),
          el('td', {}, el('div', { class: 'chips' }, m.versions.map((v) =>
            el('span', { class: 'chip', dataset: { version: v.version } }, `v${v.version} `, stateBadge(v.state))))),
          el('td', {}, m.platform),
          el('td', { class: 'num' }, r.requests !== undefined ? String(r.requests) : '0'),
          el('td', { class: 'num' }, formatRate(r.rate)),
          el('td', { class: 'num' }, formatMs(r.avgLatencyMs)),
          el('td', { class: 'num' }, formatMs(r.p99LatencyMs)),
          el('td', { class: 'num' }, r.errors ? String(r.errors) : '0')));
        if (errors.length) {
          tbody.append(el('tr', { class: 'error-row' }, el('td', { colspan: 8 },
            errors.map((v) => el('div', { class: 'text-err', dataset: { testid: 'load-error' } }, `v${v.version}: ${v.error}`)))));
        }
      }
      updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    }

    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => { stopped = true; clearInterval(timer); };
  }

  STFS.views = STFS.views || {};
  STFS.views.overview = render;
})(typeof window !== 'undefined' ? window : globalThis);

/* Draws the report's charts from the inline JSON in #lb-chart-data with the inlined Chart.js.
   Plain ES5-style script: it runs straight from the HTML file, with no build step. */
(function () {
  'use strict';
  var holder = document.getElementById('lb-chart-data');
  if (!holder || typeof Chart === 'undefined') return;
  var payload = JSON.parse(holder.textContent || '{"charts":[]}');

  var INK = '#334155';
  var GRID = '#e2e8f0';
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = INK;
  Chart.defaults.borderColor = GRID;
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.position = 'bottom';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return '—';
    var abs = Math.abs(x);
    var d = digits !== undefined ? digits : abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
    return x.toLocaleString('en-US', { maximumFractionDigits: d });
  }
  function axisTitle(text) { return { display: true, text: text, color: INK, font: { weight: '600' } }; }

  // Diagonal red stripes: a failed query's bar must not look like a (fast) success.
  function failPattern() {
    var c = document.createElement('canvas');
    c.width = 8; c.height = 8;
    var g = c.getContext('2d');
    if (!g) return '#dc2626';
    g.fillStyle = '#fecaca'; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = '#dc2626'; g.lineWidth = 2;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    return g.createPattern(c, 'repeat') || '#dc2626';
  }

  function bottleneck(spec) {
    return {
      type: 'bar',
      data: {
        labels: spec.categories,
        datasets: spec.series.map(function (s) {
          return { label: s.label, data: s.percent, backgroundColor: s.color, borderColor: '#ffffff', borderWidth: 1 };
        }),
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { stacked: true, min: 0, max: 100, title: axisTitle('Share (%)'), ticks: { callback: function (v) { return v + ' %'; } } },
          y: { stacked: true, grid: { display: false } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var s = spec.series[ctx.datasetIndex];
                return s.label + ': ' + fmt(ctx.parsed.x, 1) + ' % (' + fmt(s.absolute[ctx.dataIndex]) + ' ' + s.units[ctx.dataIndex] + ')';
              },
            },
          },
        },
      },
    };
  }

  function timeline(spec) {
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [
          { label: 'Queue', data: spec.queue, backgroundColor: 'rgba(148,163,184,0.35)', borderColor: '#94a3b8', borderWidth: 1, borderSkipped: false, grouped: false, barPercentage: 0.6 },
          { label: 'Run', data: spec.run, backgroundColor: spec.colors, borderWidth: 0, grouped: false, barPercentage: 0.6 },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { min: 0, title: axisTitle('Seconds since run start (s)'), ticks: { callback: function (v) { return fmt(v) + ' s'; } } },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: {
            labels: {
              generateLabels: function () {
                return [
                  { text: 'Queue', fillStyle: 'rgba(148,163,184,0.35)', strokeStyle: '#94a3b8', lineWidth: 1, datasetIndex: 0, hidden: false },
                  { text: 'Run (coloured by stage)', fillStyle: '#475569', strokeStyle: '#475569', lineWidth: 0, datasetIndex: 1, hidden: false },
                ];
              },
            },
          },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var r = ctx.raw;
                if (!r) return '';
                return ctx.dataset.label + ': ' + fmt(r[0]) + ' s → ' + fmt(r[1]) + ' s (' + fmt(r[1] - r[0]) + ' s)';
              },
            },
          },
        },
      },
    };
  }

  function queries(spec) {
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [
          { type: 'scatter', label: 'Each iteration', data: spec.samples, backgroundColor: '#0f172a', borderColor: '#ffffff', borderWidth: 1, pointRadius: 3.5, pointHoverRadius: 5, order: 0 },
          { type: 'bar', label: 'p50–p95 range', data: spec.range, backgroundColor: 'rgba(15,23,42,0.3)', borderColor: '#0f172a', borderWidth: 1, borderSkipped: false, grouped: false, barPercentage: 0.18, order: 1 },
          { type: 'bar', label: 'Median (s)', data: spec.median, backgroundColor: '#06b6d4', grouped: false, barPercentage: 0.75, order: 2 },
          { type: 'bar', label: 'FAILED: time until error (s)', data: spec.failed, backgroundColor: failPattern(), borderColor: '#dc2626', borderWidth: 1, grouped: false, barPercentage: 0.75, order: 2 },
        ],
      },
      options: {
        scales: {
          x: { type: 'category', labels: spec.labels, title: axisTitle('Query'), grid: { display: false } },
          y: { beginAtZero: true, title: axisTitle('Latency (s)'), ticks: { callback: function (v) { return fmt(v) + ' s'; } } },
        },
        plugins: {
          // A legend entry for a series with nothing in it (no failures, a single iteration) is noise.
          legend: { labels: { filter: function (item, data) { return data.datasets[item.datasetIndex].data.some(function (x) { return x !== null; }); } } },
          tooltip: {
            callbacks: {
              title: function (items) {
                var i = items.length ? spec.labels.indexOf(items[0].label) : -1;
                return i >= 0 ? spec.labels[i] + ' · ' + spec.names[i] : '';
              },
              label: function (ctx) {
                var r = ctx.raw;
                if (ctx.dataset.type === 'scatter') return 'iteration ' + spec.samples[ctx.dataIndex].iteration + ': ' + fmt(r.y) + ' s';
                if (Array.isArray(r)) return 'p50 ' + fmt(r[0]) + ' s – p95 ' + fmt(r[1]) + ' s';
                return ctx.dataset.label.replace(' (s)', '') + ': ' + fmt(r) + ' s';
              },
            },
          },
        },
      },
    };
  }

  function history(spec) {
    return {
      type: 'line',
      data: {
        labels: spec.labels,
        datasets: [
          { label: 'Headline QpH', data: spec.qph, yAxisID: 'y', borderColor: '#0891b2', backgroundColor: '#0891b2', pointStyle: 'circle', pointRadius: 4, spanGaps: true },
          { label: 'Time to value (s)', data: spec.ttv, yAxisID: 'y1', borderColor: '#6366f1', backgroundColor: '#6366f1', borderDash: [6, 4], pointStyle: 'rectRot', pointRadius: 5, spanGaps: true },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: axisTitle('Run start (UTC)') },
          y: { position: 'left', beginAtZero: true, title: axisTitle('QpH (queries per hour)') },
          y1: { position: 'right', beginAtZero: true, title: axisTitle('Time to value (s)'), grid: { drawOnChartArea: false } },
        },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? 'Run ' + spec.runIds[items[0].dataIndex] : ''; },
              label: function (ctx) { return ctx.dataset.label + ': ' + fmt(ctx.parsed.y); },
            },
          },
        },
      },
    };
  }

  function freshness(spec) {
    return {
      type: 'line',
      data: {
        datasets: [
          { label: 'Refresh freshness (s)', data: spec.refresh, yAxisID: 'y', borderColor: '#c9a227', backgroundColor: '#c9a227', pointRadius: 3 },
          { label: 'Query-time freshness (s)', data: spec.queryTime, yAxisID: 'y', borderColor: '#6366f1', backgroundColor: '#6366f1', pointStyle: 'rectRot', pointRadius: 5, showLine: false },
          { label: 'Round QpH', data: spec.qph, yAxisID: 'y1', borderColor: '#0891b2', backgroundColor: '#0891b2', borderDash: [6, 4], pointRadius: 4 },
        ],
      },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', min: 0, title: axisTitle('Seconds into the run') },
          y: { position: 'left', beginAtZero: true, title: axisTitle('Freshness (s)') },
          y1: { position: 'right', beginAtZero: true, title: axisTitle('QpH'), grid: { drawOnChartArea: false } },
        },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + fmt(ctx.parsed.y) + ' at ' + fmt(ctx.parsed.x) + ' s'; } } },
        },
      },
    };
  }

  var builders = { bottleneck: bottleneck, timeline: timeline, queries: queries, history: history, freshness: freshness };
  payload.charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    var build = builders[spec.kind];
    if (canvas && build) new Chart(canvas, build(spec));
  });
  // Canvases keep their screen size when printing unless told to resize.
  window.addEventListener('beforeprint', function () {
    Object.keys(Chart.instances).forEach(function (k) { Chart.instances[k].resize(); });
  });
})();

// curlab report: draws each chart of the embedded JSON with uPlot. Any error is written into the page
// by the page's window.onerror (#curlab-errors); a drawn chart gets data-drawn="yes".
(function () {
  function fmt(v) {
    if (v == null) return '–';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1).replace('e+', 'e');
    return String(+v.toPrecision(4));
  }

  // Log-axis ticks that stay readable within one decade: 1-2-5, else 1..9, else 4 geometric steps.
  function logSplits(u, ax, min, max) {
    var mults = [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];
    for (var s = 0; s < mults.length; s++) {
      var out = [];
      for (var e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
        mults[s].forEach(function (m) { var v = m * Math.pow(10, e); if (v >= min && v <= max) out.push(v); });
      }
      if (out.length >= 3) return out;
    }
    var g = [];
    for (var i = 0; i <= 4; i++) g.push(+(min * Math.pow(max / min, i / 4)).toPrecision(2));
    return g;
  }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function draw(chart, box, log) {
    var data = [chart.x], series = [{label: chart.xLabel, value: function (u, v) { return fmt(v); }}], bands = [];
    var edges = {};   // uPlot index of a line -> the indices of its band's edges (the lo/hi series after it)
    var line = 0;
    chart.series.forEach(function (s, i) {
      data.push(s.y);
      var o = {label: s.label, stroke: s.color, width: 2, spanGaps: true, value: function (u, v) { return fmt(v); }};
      if (s.kind === 'ref') { o.dash = [8, 5]; o.width = 1.5; }
      if (s.kind === 'lo' || s.kind === 'hi') {
        // A band's edges have no legend row (the caption explains the band once); they follow their line.
        o.stroke = alpha(s.color, 0.35); o.width = 1; o.class = 'curlab-band';
        (edges[line] = edges[line] || []).push(i + 1);
      } else {
        line = i + 1;
      }
      if (s.kind === 'point') { o.paths = function () { return null; }; o.points = {show: true, size: 11, fill: s.color}; }
      if (s.kind === 'hi') bands.push({series: [i + 1, i], fill: alpha(s.color, 0.15)});
      series.push(o);
    });
    var follow = function (u, i, opts) {
      if (opts && opts.show != null && edges[i]) {
        edges[i].forEach(function (j) { if (u.series[j].show !== opts.show) u.setSeries(j, {show: opts.show}); });
      }
    };
    var axis = function (label) {
      return {label: label, values: function (u, vals) { return vals.map(fmt); }, size: 60};
    };
    var y = axis(chart.yLabel);
    if (log) y.splits = logSplits;
    var opts = {
      width: Math.min(box.clientWidth || 900, 1000), height: 340,
      scales: {x: {time: false}, y: log ? {distr: 3} : {}},
      axes: [axis(chart.xLabel), y], series: series, bands: bands,
      legend: {live: true},
      hooks: {draw: [function () { box.setAttribute('data-drawn', 'yes'); }], setSeries: [follow]}
    };
    box.innerHTML = '';
    return new uPlot(opts, data, box);
  }

  var model = JSON.parse(document.getElementById('curlab-data').textContent);
  model.charts.forEach(function (chart, i) {
    var box = document.getElementById('chart-' + i);
    var toggle = document.getElementById('log-' + i);
    var positive = chart.series.every(function (s) { return s.y.every(function (v) { return v == null || v > 0; }); });
    toggle.disabled = !positive;
    toggle.checked = chart.logY && positive;
    var plot = draw(chart, box, toggle.checked);
    toggle.addEventListener('change', function () { plot.destroy(); plot = draw(chart, box, toggle.checked); });
  });
  document.body.setAttribute('data-charts-done', String(model.charts.length));
})();

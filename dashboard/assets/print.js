// Charts are drawn at the size they have on screen, which can be wider or taller than paper.
// Before printing, shrink the large ones to fit inside the page margins of print.css; give them
// their own size back afterwards.
(function () {
  var PAPER = { width: 640, height: 420 }; // px at 96 dpi: A4 or Letter less the margins
  var shrunk = [];

  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll(".js-plotly-plot").forEach(function (chart) {
      var width = Math.min(chart.offsetWidth, PAPER.width);
      var height = Math.min(chart.offsetHeight, PAPER.height);
      if (width < chart.offsetWidth || height < chart.offsetHeight) {
        var own = chart.layout || {};
        shrunk.push({ chart: chart, width: own.width || null, height: own.height || null });
        window.Plotly.relayout(chart, { width: width, height: height });
      }
    });
  });

  window.addEventListener("afterprint", function () {
    shrunk.forEach(function (item) {
      window.Plotly.relayout(item.chart, { width: item.width, height: item.height });
    });
    shrunk = [];
  });
})();

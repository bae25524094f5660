// Chart downloads: a button with data-chart-export="png|svg" saves the chart in the element
// whose id is in data-chart-target, drawn by Plotly in the browser.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-chart-export]");
  if (!button || !window.Plotly) {
    return;
  }
  var host = document.getElementById(button.dataset.chartTarget);
  var chart = host && host.querySelector(".js-plotly-plot");
  if (chart) {
    window.Plotly.downloadImage(chart, {
      format: button.dataset.chartExport,
      filename: button.dataset.chartTarget,
      width: 1200,
      height: 600,
    });
  }
});

// The chart of the contingent report: a bar or pie chart of the table's figures.
// Data comes from the page (json_script "contingent-data"); the form's "chart"
// select switches the type at once, without reloading the page.
(function () {
  const canvas = document.getElementById("contingent-chart");
  const source = document.getElementById("contingent-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const select = document.querySelector('select[name="chart"]');
  let chart = null;

  function draw(type) {
    if (chart) chart.destroy();
    const stacked = type === "bar" && data.datasets.length > 1;
    chart = new Chart(canvas, {
      type: type,
      data: data,
      options: {
        responsive: true,
        plugins: { legend: { display: type === "pie" || data.datasets.length > 1 } },
        scales: type === "bar"
          ? { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } } }
          : {},
      },
    });
  }

  draw(canvas.dataset.chartType === "pie" ? "pie" : "bar");
  if (select) select.addEventListener("change", () => draw(select.value === "pie" ? "pie" : "bar"));
})();

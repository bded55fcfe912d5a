// The score distribution of a test's analysis page: attempts per score range.
// Data comes from the page (json_script "test-analysis-data").
(function () {
  const source = document.getElementById("test-analysis-data");
  const canvas = document.getElementById("test-analysis-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: data.title, data: data.counts }] },
    options: {
      responsive: true,
      plugins: { legend: { display: false }, title: { display: true, text: data.title } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();

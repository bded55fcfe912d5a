// The charts of the session results page: pass rate and average score per row
// (faculty, group or course), and the distribution of marks and letters.
// Data comes from the page (json_script "session-results-data").
(function () {
  const source = document.getElementById("session-results-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);

  function bar(id, labels, values, title, max) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: title, data: values }] },
      options: {
        responsive: true,
        plugins: { legend: { display: false }, title: { display: true, text: title } },
        scales: { y: { beginAtZero: true, max: max, ticks: { precision: 0 } } },
      },
    });
  }

  bar("results-pass-rate", data.labels, data.pass_rate, data.titles.pass_rate, 100);
  bar("results-average", data.labels, data.average, data.titles.average, 100);
  bar("results-marks", data.marks.labels, data.marks.data, data.titles.marks);
  bar("results-letters", data.letters.labels, data.letters.data, data.titles.letters);
})();

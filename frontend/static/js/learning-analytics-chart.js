// The bar charts of e-course analytics: submission rate and on-time rate per course
// (or per assignment on one course's page), in per cent.
// Data comes from the page (json_script "learning-analytics-data"); titles are translated there.
(function () {
  const source = document.getElementById("learning-analytics-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);

  function bar(id, values, title) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: title, data: values }] },
      options: {
        responsive: true,
        plugins: { legend: { display: false }, title: { display: true, text: title } },
        scales: { y: { beginAtZero: true, max: 100 } },
      },
    });
  }

  bar("analytics-submission-rate", data.submission_rate, data.titles.submission_rate);
  bar("analytics-on-time-rate", data.on_time_rate, data.titles.on_time_rate);
})();

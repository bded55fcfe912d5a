// Draws the rate occupancy chart of the staff reports page from its json_script data.
const data = JSON.parse(document.getElementById("staff-occupancy-data").textContent);
const canvas = document.getElementById("staff-occupancy-chart");

if (canvas && window.Chart && data.labels.length) {
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((series) => ({ label: series.label, data: series.data })),
    },
    options: { responsive: true, scales: { y: { beginAtZero: true } } },
  });
}

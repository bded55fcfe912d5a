// The curriculum summary chart: hours by type stacked per semester, credits as a line.
// The data comes from the page (json_script "curriculum-chart-data"); Chart.js is
// loaded before this script (both deferred, in order).
const canvas = document.getElementById("curriculum-chart");
const source = document.getElementById("curriculum-chart-data");

if (canvas && source && window.Chart) {
  const data = JSON.parse(source.textContent);
  const colours = ["#2f5d8a", "#5b9bd5", "#9dc3e6", "#c9d9ea"];
  const bars = data.series.map((series, index) => ({
    type: "bar",
    label: series.label,
    data: series.data,
    backgroundColor: colours[index % colours.length],
    stack: "hours",
    yAxisID: "hours",
  }));
  const credits = {
    type: "line",
    label: data.credits.label,
    data: data.credits.data,
    borderColor: "#c0504d",
    backgroundColor: "#c0504d",
    yAxisID: "credits",
  };
  new window.Chart(canvas, {
    data: { labels: data.labels, datasets: [...bars, credits] },
    options: {
      responsive: true,
      scales: {
        hours: { stacked: true, position: "left", beginAtZero: true },
        credits: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
        x: { stacked: true },
      },
    },
  });
}

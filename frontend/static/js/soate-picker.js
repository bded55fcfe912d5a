// SOATE address picker (academic.structure.forms.SoateField): turns the plain
// select of every unit into cascading selects region → district → settlement,
// each filled from the children endpoint (GET ?parent=<id>). The original
// select stays in the form, hidden, and always holds the deepest unit chosen,
// so the form posts the same field with or without JavaScript.

const cache = new Map();

async function children(url, parentId) {
  const key = `${url}|${parentId}`;
  if (!cache.has(key)) {
    const query = parentId ? `?parent=${encodeURIComponent(parentId)}` : "";
    cache.set(
      key,
      fetch(`${url}${query}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => data.results),
    );
  }
  return cache.get(key);
}

function levelSelect(units, label, chosenId) {
  const select = document.createElement("select");
  select.className = "soate-picker__level";
  select.setAttribute("aria-label", label);
  select.append(new Option("—", ""));
  for (const unit of units) {
    const option = new Option(unit.name, String(unit.id), false, String(unit.id) === chosenId);
    option.dataset.hasChildren = unit.has_children ? "1" : "";
    select.append(option);
  }
  return select;
}

function setup(root) {
  const original = root.querySelector("select");
  if (!original || root.dataset.ready) return;
  root.dataset.ready = "1";
  const url = root.dataset.childrenUrl;
  const labels = JSON.parse(root.dataset.levelLabels || "[]");
  const levels = document.createElement("div");
  levels.className = "soate-picker__levels";
  root.append(levels);

  // Show the units inside `parentId` as level `depth`, choosing `path[0]` there.
  async function showLevel(depth, parentId, path) {
    const units = await children(url, parentId);
    if (!units.length) return;
    const label = labels[Math.min(depth, labels.length - 1)] || "";
    const select = levelSelect(units, label, path[0] ? String(path[0]) : "");
    levels.append(select);
    select.addEventListener("change", () => {
      while (select.nextElementSibling) select.nextElementSibling.remove();
      original.value = select.value || parentId || "";
      original.dispatchEvent(new Event("change", { bubbles: true }));
      const option = select.selectedOptions[0];
      if (select.value && option?.dataset.hasChildren) showLevel(depth + 1, select.value, []);
    });
    const chosen = select.selectedOptions[0];
    if (select.value && chosen?.dataset.hasChildren) {
      await showLevel(depth + 1, select.value, path.slice(1));
    }
  }

  original.hidden = true;
  showLevel(0, "", JSON.parse(root.dataset.path || "[]")).catch(() => {
    // The endpoint failed: give the plain select back.
    levels.remove();
    original.hidden = false;
  });
}

document.querySelectorAll("[data-soate-picker]").forEach(setup);

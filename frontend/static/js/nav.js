// Collapsible main navigation on narrow screens. Without JavaScript the
// navigation simply stays open, so every link is always reachable.
const header = document.querySelector(".site-header");
const toggle = header?.querySelector(".nav-toggle");
const nav = header?.querySelector("#site-nav");

if (toggle && nav) {
  header.classList.add("site-header--collapsible");
  toggle.hidden = false;

  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("site-header--open", open);
  };

  toggle.addEventListener("click", () => {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
}

// sheet-list.js — the deanery's list of exam sheets hears closed sheets live
// (sheet.closed to office.grades) and offers to refresh.

import * as live from "/static/js/live.js";

const notice = document.querySelector("[data-sheets-live]");
if (notice) {
  live.watchOffice("grades");
  live.on("sheet.closed", () => {
    notice.hidden = false;
  });
}

/* The analysts' table (/analyst): a WIB day ('2026-11-28', the series key) as '28 Nov 2026'.
 * Used by dash-ag-grid valueFormatter expressions: ccDay(params.value, lang). Mirrors dashboard/text/formatting.py day(). */
(function () {
  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var MONTHS = {
    id: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  };
  dagfuncs.ccDay = function (value, lang) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value || ""));
    if (!m) { return value === null || value === undefined ? "" : String(value); }
    var months = MONTHS[lang] || MONTHS.id;
    return Number(m[3]) + " " + months[Number(m[2]) - 1] + " " + m[1];
  };
})();

/* Numbers in the application pages' tables the Indonesian way (1.234,5; Rp 13.300; 80,0 %), English with lang "en".
 * Used by dash-ag-grid valueFormatter expressions: ccNumber(params.value, kind, lang). Mirrors dashboard/text/formatting.py. */
(function () {
  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  function group(value, decimals, lang) {
    var text = Math.abs(value).toFixed(decimals);
    var parts = text.split(".");
    var th = lang === "en" ? "," : ".", dec = lang === "en" ? "." : ",";
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, th);
    return (value < 0 && Number(text) !== 0 ? "-" : "") + whole + (parts[1] ? dec + parts[1] : "");
  }
  dagfuncs.ccNumber = function (value, kind, lang) {
    if (value === null || value === undefined || value === "" || isNaN(Number(value))) { return "\u2013"; }
    var v = Number(value);
    if (kind === "rupiah") { return (v < 0 ? "-" : "") + "Rp " + group(Math.round(Math.abs(v)), 0, lang); }
    if (kind === "percent") { return group(v, Math.abs(v) < 10 ? 2 : 1, lang) + " %"; }
    if (kind === "count") { return group(Math.round(v), 0, lang); }
    if (Number.isInteger(v) || Math.abs(v) >= 1000) { return group(Math.round(v), 0, lang); }
    return group(v, Math.abs(v) < 10 ? 2 : 1, lang);
  };
})();

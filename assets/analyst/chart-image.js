/* The analysts' page (/analyst): a chart as a PNG, drawn by Plotly in the browser (no image library on the server).
 * The picture carries the panel's title and the range, on the page's dark panel, under a name that says what it
 * shows (`image` comes from the page's `ana-image` store). Kept in a file, not inline: the pages' Content Security
 * Policy allows no inline script. */
(function () {
  var ns = (window.dash_clientside = window.dash_clientside || {});
  ns.analyst = ns.analyst || {};
  ns.analyst.downloadImage = function (_bars, _trend, image) {
    var noUpdate = window.dash_clientside.no_update;
    var triggered = (window.dash_clientside.callback_context.triggered || [])[0];
    if (!triggered || !triggered.value) { return noUpdate; }
    var which = triggered.prop_id.indexOf("ana-png-bars") === 0 ? "bars" : "trend";
    var gd = document.querySelector("#ana-" + which + " .js-plotly-plot");
    if (!gd || !window.Plotly) { return noUpdate; }
    image = image || {};
    var layout = Object.assign({}, gd.layout, {
      title: {text: (image.titles || {})[which] || "", x: 0.01, font: {size: 18}},
      margin: {l: 60, r: 30, t: 80, b: 60}
    });
    window.Plotly.downloadImage({data: gd.data, layout: layout},
                                {format: "png", width: 1600, height: 800, filename: image[which] || "analisis"});
    return which + ":" + triggered.value;
  };
})();

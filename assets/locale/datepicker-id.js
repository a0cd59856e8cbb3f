// Dash 4's date pickers draw their calendar with date-fns' English names and offer no locale: on an
// Indonesian page (no ?lang=en) their month and day names are put into Bahasa Indonesia as they appear.
(function () {
  if (new URLSearchParams(window.location.search).get('lang') === 'en') { return; }
  var months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
                'October', 'November', 'December'];
  var bulan = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September',
               'Oktober', 'November', 'Desember'];
  var words = {Su: 'Mg', Mo: 'Sn', Tu: 'Sl', We: 'Rb', Th: 'Km', Fr: 'Jm', Sa: 'Sb',
               Sun: 'Min', Mon: 'Sen', Tue: 'Sel', Wed: 'Rab', Thu: 'Kam', Fri: 'Jum', Sat: 'Sab',
               Sunday: 'Minggu', Monday: 'Senin', Tuesday: 'Selasa', Wednesday: 'Rabu', Thursday: 'Kamis',
               Friday: 'Jumat', Saturday: 'Sabtu'};
  months.forEach(function (m, i) { words[m] = bulan[i]; words[m.slice(0, 3)] = bulan[i].slice(0, 3); });
  var labels = {'Previous month': 'Bulan sebelumnya', 'Next month': 'Bulan berikutnya',
                'Previous year': 'Tahun sebelumnya', 'Next year': 'Tahun berikutnya'};
  var pattern = new RegExp('\\b(' + Object.keys(words).join('|') + ')\\b', 'g');

  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue;
      if (text && /[A-Z][a-z]/.test(text)) {
        var out = text.replace(pattern, function (w) { return words[w]; });
        if (out !== text) { node.nodeValue = out; }
      }
    }
    root.querySelectorAll('[aria-label]').forEach(function (el) {
      var label = labels[el.getAttribute('aria-label')];
      if (label) { el.setAttribute('aria-label', label); }
    });
  }

  function calendars() {
    return document.querySelectorAll('.dash-datepicker-content, .dash-datepicker-calendar-wrapper');
  }

  // Watch the page only while a calendar is open, so wall screens (no picker) pay nothing.
  var watching = false;
  var observer = new MutationObserver(function () {
    var open = calendars();
    if (!open.length) { observer.disconnect(); watching = false; return; }
    for (var i = 0; i < open.length; i++) { translate(open[i]); }
  });
  function watch(event) {
    if (watching || !event.target.closest || !event.target.closest('.dash-datepicker')) { return; }
    watching = true;
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  }
  document.addEventListener('pointerdown', watch, true);
  document.addEventListener('focusin', watch, true);
  document.addEventListener('keydown', watch, true);
}());

// Plotly's Bahasa Indonesia locale, served from here (walls may be offline): month and day names on
// date axes and in hover labels. Graphs ask for it with config.locale = 'id' (dashboard/text/formatting.py).
// After plotly.js's own locales/id.js (MIT), with today's spellings (November, Agu, Kam).
(function () {
  var locale = {
    moduleType: 'locale',
    name: 'id',
    dictionary: {
      'Autoscale': 'Skala otomatis',
      'Download plot as a png': 'Unduh grafik sebagai PNG',
      'Download plot': 'Unduh grafik',
      'Pan': 'Geser',
      'Reset axes': 'Kembalikan sumbu',
      'Zoom': 'Perbesar',
      'Zoom in': 'Perbesar',
      'Zoom out': 'Perkecil',
      'Box Select': 'Pilih kotak',
      'Lasso Select': 'Pilih laso',
      'Toggle Spike Lines': 'Garis bantu',
      'Show closest data on hover': 'Data terdekat saat disorot',
      'Compare data on hover': 'Bandingkan data saat disorot',
      'Produced with Plotly.js': 'Dibuat dengan Plotly.js'
    },
    format: {
      days: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
      shortDays: ['Min', 'Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab'],
      months: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September',
               'Oktober', 'November', 'Desember'],
      shortMonths: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
      date: '%d/%m/%Y',
      decimal: ',',
      thousands: '.'
    }
  };
  // plotly.js takes window.PlotlyLocales when it loads; if it is loaded already, register directly.
  if (window.Plotly && window.Plotly.register) {
    window.Plotly.register(locale);
    return;
  }
  window.PlotlyLocales = window.PlotlyLocales || [];
  window.PlotlyLocales.push(locale);
}());

// A tap on a figure's label opens its definition (the label's title) instead of following the tile's
// link; a second tap on the same label goes on as usual, a tap elsewhere closes it.
(function () {
  function closeAll(except) {
    document.querySelectorAll('.has-definition.is-open').forEach(function (el) {
      if (el !== except) { el.classList.remove('is-open'); }
    });
  }
  document.addEventListener('click', function (event) {
    var label = event.target.closest ? event.target.closest('.has-definition') : null;
    if (!label || !label.getAttribute('title')) { closeAll(null); return; }
    if (label.classList.contains('is-open')) { label.classList.remove('is-open'); return; }
    event.preventDefault();
    event.stopPropagation();
    closeAll(label);
    label.classList.add('is-open');
  }, true);
}());

// Keeps a page's live region current without a reload: every few seconds it fetches the same page
// and swaps in the new region, until the region says it is done. With script off the page still
// works; it shows a Refresh link instead.
(function () {
  'use strict';
  var region = document.querySelector('[data-live]');
  if (!region || !window.fetch || !window.DOMParser) {
    return;
  }
  var every = Math.max(1000, parseInt(region.getAttribute('data-live'), 10) || 3000);
  var id = region.id;
  var manual = document.querySelector('[data-live-manual]');
  if (manual) {
    manual.hidden = true;
  }
  function tick() {
    fetch(window.location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id);
        if (!fresh) {
          return;
        }
        region.replaceWith(fresh);
        region = fresh;
        if (!fresh.hasAttribute('data-live-done')) {
          window.setTimeout(tick, every);
        }
      })
      .catch(function () { window.setTimeout(tick, every * 3); });
  }
  if (!region.hasAttribute('data-live-done')) {
    window.setTimeout(tick, every);
  }
})();

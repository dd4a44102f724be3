// The router: renders the view named by location.hash into #app and runs the
// previous view's cleanup (timers, object URLs) first.
//   #/                 overview          #/models/<name>   model page
//   #/json?...         JSON inference    #/image?...       image inference
//   #/client?...       client code
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear, parseHash } = STFS.util;

  const ROUTES = {
    overview: { view: 'overview', nav: 'overview', title: 'Overview' },
    models: { view: 'model', nav: 'overview', title: 'Model' },
    json: { view: 'json', nav: 'json', title: 'JSON inference' },
    image: { view: 'image', nav: 'image', title: 'Image inference' },
    client: { view: 'client', nav: 'client', title: 'Client code' },
  };

  let cleanup = null;

  function show() {
    const route = parseHash(location.hash);
    const entry = ROUTES[route.route];
    const app = document.getElementById('app');
    if (cleanup) {
      try { cleanup(); } catch (_) { /* a failing cleanup must not block navigation */ }
      cleanup = null;
    }
    clear(app);
    for (const link of document.querySelectorAll('#nav a')) {
      const active = entry && link.dataset.route === entry.nav;
      link.classList.toggle('active', !!active);
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (!entry) {
      app.append(el('h1', {}, 'Not found'),
        el('p', {}, 'No page at ', el('code', {}, location.hash), '. ', el('a', { href: '#/' }, 'Back to the overview')));
      document.title = 'Not found · Simple TensorFlow Serving';
      return;
    }
    const title = route.route === 'models' && route.rest[0] ? route.rest[0] : entry.title;
    document.title = `${title} · Simple TensorFlow Serving`;
    app.dataset.view = entry.view;
    const result = STFS.views[entry.view](app, route);
    cleanup = typeof result === 'function' ? result : null;
  }

  window.addEventListener('hashchange', show);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show);
  else show();
})(window);

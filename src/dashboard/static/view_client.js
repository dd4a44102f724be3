// Client code (#/client?model=&version=&signature=&flavor=&language=):
// generated client programs from gen_client, with copy and download.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear } = STFS.util;
  const { modelPicker, field, option, copyButton, errorBox, rememberInHash } = STFS.widgets;
  const api = STFS.api;

  // Same order and names as stfs::SupportedLanguages() (src/codegen).
  const LANGUAGES = [
    ['curl', 'curl (bash)', 'client.sh'],
    ['python', 'Python (requests)', 'client.py'],
    ['go', 'Go (net/http)', 'main.go'],
    ['javascript', 'JavaScript (Node 18+)', 'client.js'],
    ['java', 'Java 11+ (java.net.http)', 'Client.java'],
    ['cpp', 'C++ (libcurl)', 'client.cc'],
    ['rust', 'Rust (ureq)', 'main.rs'],
    ['csharp', 'C# (HttpClient)', 'Program.cs'],
    ['php', 'PHP', 'client.php'],
    ['ruby', 'Ruby (net/http)', 'client.rb'],
  ];

  function render(container, route) {
    let current = null;
    let language = LANGUAGES.some(([id]) => id === route.params.language) ? route.params.language : 'curl';
    const languageSel = el('select', { id: 'client-language', dataset: { testid: 'client-language' } },
      LANGUAGES.map(([id, label]) => option(id, label, id === language)));
    const code = el('code', { id: 'client-code', dataset: { testid: 'client-code' } });
    const pre = el('pre', { class: 'code' }, code);
    const message = el('div', {});
    const downloadButton = el('button', { type: 'button', class: 'btn', dataset: { testid: 'download-client' } }, 'Download');

    async function generate() {
      if (!current || !current.model) return;
      rememberInHash('client', { model: current.model, version: current.version, signature: current.signature,
        flavor: current.flavor, language });
      const wanted = { ...current, language };
      code.textContent = 'generating…';
      clear(message);
      const reply = await api.genClient(current.model, { language, flavor: current.flavor, signature: current.signature, version: current.version });
      if (wanted.language !== language || wanted.model !== current.model || wanted.signature !== current.signature ||
          wanted.flavor !== current.flavor || wanted.version !== current.version) return;  // a newer choice won
      code.textContent = reply.ok ? reply.text : '';
      if (!reply.ok) message.append(errorBox(reply, 'Client generation'));
    }

    const picker = modelPicker({ prefix: 'client', withFlavor: true, initial: route.params,
      onChange(state) { current = state; generate(); } });
    languageSel.addEventListener('change', () => { language = languageSel.value; generate(); });
    downloadButton.addEventListener('click', () => {
      const entry = LANGUAGES.find(([id]) => id === language);
      const url = URL.createObjectURL(new Blob([code.textContent], { type: 'text/plain' }));
      const link = el('a', { href: url, download: entry ? entry[2] : 'client.txt' });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

    container.append(
      el('h1', {}, 'Client code'),
      el('section', { class: 'card' }, picker.node,
        el('div', { class: 'form-grid' }, field('Language', languageSel))),
      el('section', { class: 'card' },
        el('div', { class: 'card-head' }, el('h2', {}, 'Program'),
          el('div', { class: 'actions' }, copyButton(() => code.textContent, 'copy-client'), downloadButton)),
        el('p', { class: 'muted small' }, 'Runs as is: it sends the example request to this server and prints the response. ',
          'The first lines say how to run it.'),
        message, pre));
  }

  STFS.views = STFS.views || {};
  STFS.views.client = render;
})(typeof window !== 'undefined' ? window : globalThis);

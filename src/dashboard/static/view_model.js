// Model page (#/models/<name>?version=): version states and, per signature,
// method, inputs, outputs, ops (when the server lists them) and the example
// request from gen_json.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear, buildHash } = STFS.util;
  const { stateBadge, errorBox, tensorTable, copyButton, field, option } = STFS.widgets;
  const api = STFS.api;

  function signatureCard(model, version, sig) {
    const example = el('pre', { class: 'code', dataset: { testid: `example-${sig.name}` } }, 'loading…');
    api.genJson(model, { signature: sig.name, version, flavor: 'tfserving' }).then((reply) => {
      clear(example);
      example.textContent = reply.ok ? reply.text : '';
      if (!reply.ok) example.replaceWith(errorBox(reply, 'Example request'));
    });
    const links = { model, version, signature: sig.name };
    return el('section', { class: 'card signature', dataset: { signature: sig.name, testid: 'signature' } },
      el('div', { class: 'card-head' },
        el('h2', {}, sig.name),
        el('code', { class: 'muted' }, sig.method || 'no method name')),
      el('h3', {}, 'Inputs'), tensorTable(sig.inputs, `inputs-${sig.name}`),
      el('h3', {}, 'Outputs'), tensorTable(sig.outputs, `outputs-${sig.name}`),
      sig.ops && sig.ops.length
        ? [el('h3', {}, `Ops used (${sig.ops.length})`),
          el('div', { class: 'chips', dataset: { testid: `ops-${sig.name}` } }, sig.ops.map((op) => el('code', { class: 'chip' }, op)))]
        : null,
      el('div', { class: 'card-head' }, el('h3', {}, 'Example request'),
        el('div', { class: 'actions' },
          copyButton(() => example.textContent, `copy-example-${sig.name}`),
          el('a', { class: 'btn', href: buildHash('json', links) }, 'Try it'),
          el('a', { class: 'btn', href: buildHash('client', links) }, 'Client code'))),
      example);
  }

  function render(container, route) {
    const name = route.rest[0] || '';
    const version = route.params.version || '';
    const versionSel = el('select', { id: 'model-version', dataset: { testid: 'model-version' } }, option('', 'latest'));
    const statusBox = el('div', {});
    const signaturesBox = el('div', { id: 'signatures' }, el('p', { class: 'muted' }, 'loading…'));
    container.append(
      el('p', { class: 'breadcrumb' }, el('a', { href: '#/' }, 'Overview'), ' / '),
      el('div', { class: 'page-head' }, el('h1', { id: 'model-name' }, name),
        el('div', { class: 'form-inline' }, field('Version', versionSel))),
      statusBox, signaturesBox);

    api.modelStatus(name).then(({ reply, versions }) => {
      if (!reply.ok) {
        statusBox.append(errorBox(reply, 'Model status'));
        return;
      }
      for (const v of versions) versionSel.append(option(v.version, v.version, v.version === version));
      statusBox.append(el('section', { class: 'card' }, el('h2', {}, 'Versions'),
        el('div', { class: 'table-wrap' }, el('table', { class: 'table', dataset: { testid: 'version-table' } },
          el('thead', {}, el('tr', {}, el('th', {}, 'Version'), el('th', {}, 'State'), el('th', {}, 'Status'))),
          el('tbody', {}, versions.map((v) => el('tr', { dataset: { version: v.version } },
            el('td', {}, v.version), el('td', {}, stateBadge(v.state)),
            el('td', { class: v.error ? 'text-err' : 'muted' }, v.error || v.errorCode || 'OK'))))))));
    });
    versionSel.addEventListener('change', () => {
      location.hash = buildHash(`models/${encodeURIComponent(name)}`, { version: versionSel.value });
    });

    api.metadata(name, version).then(({ reply, signatures }) => {
      clear(signaturesBox);
      if (!reply.ok) {
        signaturesBox.append(errorBox(reply, 'Model metadata'));
        return;
      }
      if (!signatures.length) signaturesBox.append(el('p', { class: 'muted' }, 'This model has no signatures.'));
      for (const sig of signatures) signaturesBox.append(signatureCard(name, version, sig));
    });
  }

  STFS.views = STFS.views || {};
  STFS.views.model = render;
})(typeof window !== 'undefined' ? window : globalThis);

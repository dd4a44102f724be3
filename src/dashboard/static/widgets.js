// UI pieces shared by several views: the model/version/signature picker,
// reply status lines, error boxes, tensor tables and copy buttons.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear } = STFS.util;
  const api = STFS.api;

  function field(label, control, hint) {
    return el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), control,
      hint ? el('span', { class: 'field-hint' }, hint) : null);
  }

  function option(value, text, selected) {
    return el('option', { value, selected: !!selected }, text);
  }

  function stateBadge(state) {
    const s = String(state || 'UNKNOWN').toUpperCase();
    const kind = s === 'AVAILABLE' ? 'ok' : s === 'LOADING' || s === 'START' ? 'warn' : s === 'END' ? 'muted' : 'err';
    return el('span', { class: `badge badge-${kind}`, dataset: { state: s } }, s.toLowerCase());
  }

  // "HTTP 200 OK · 12.3 ms" (or the network error).
  function replyStatus(reply, testid) {
    const text = reply.status === 0
      ? `Network error · ${STFS.util.formatMs(reply.ms)}`
      : `HTTP ${reply.status} ${reply.statusText || ''} · ${STFS.util.formatMs(reply.ms)}`;
    return el('div', { class: `reply-status ${reply.ok ? 'ok' : 'err'}`, dataset: { testid, status: reply.status } }, text);
  }

  // The server's error as it returned it: {"error": ...} message, else the raw body.
  function errorBox(reply, what) {
    const msg = reply.json && typeof reply.json.error === 'string' ? reply.json.error : reply.text;
    return el('div', { class: 'alert alert-err', role: 'alert', dataset: { testid: 'error' } },
      el('strong', {}, `${what}: `), reply.status ? `HTTP ${reply.status}. ` : '', msg || reply.statusText);
  }

  function tensorTable(tensors, testid) {
    if (!tensors.length) return el('p', { class: 'muted' }, 'none');
    return el('div', { class: 'table-wrap' }, el('table', { class: 'table', dataset: { testid } },
      el('thead', {}, el('tr', {}, el('th', {}, 'Alias'), el('th', {}, 'Dtype'), el('th', {}, 'Shape'), el('th', {}, 'Tensor'))),
      el('tbody', {}, tensors.map((t) => el('tr', {},
        el('td', {}, el('code', {}, t.alias)), el('td', {}, STFS.util.dtypeName(t.dtype)),
        el('td', {}, el('code', {}, STFS.util.shapeString(t.shape))), el('td', { class: 'muted' }, t.tensorName))))));
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {  // clipboard API needs a secure context: fall back to a selection
      const area = el('textarea', { class: 'offscreen', readonly: true });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
      area.remove();
      return ok;
    }
  }

  function copyButton(getText, testid) {
    const button = el('button', { type: 'button', class: 'btn', dataset: { testid } }, 'Copy');
    button.addEventListener('click', async () => {
      const ok = await copyText(getText());
      button.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(() => { button.textContent = 'Copy'; }, 1500);
    });
    return button;
  }

  // Selects for model, version and signature (and API flavor if asked).
  // ids: <prefix>-model, <prefix>-version, <prefix>-signature, <prefix>-flavor.
  // onChange(state) fires after every change once metadata is loaded, where
  // state = {model, version, signature, flavor, models, signatures, platform}.
  function modelPicker({ prefix, initial = {}, withFlavor = false, onChange }) {
    const state = { model: initial.model || '', version: initial.version || '', signature: initial.signature || '',
      flavor: initial.flavor || 'tfserving', models: [], signatures: [], platform: '' };
    const sel = (name) => el('select', { id: `${prefix}-${name}`, name, dataset: { testid: `${prefix}-${name}` } });
    const modelSel = sel('model');
    const versionSel = sel('version');
    const signatureSel = sel('signature');
    const flavorSel = sel('flavor');
    flavorSel.append(option('tfserving', 'TF Serving REST (:predict)', state.flavor === 'tfserving'),
      option('original', 'Original STFS (POST /)', state.flavor === 'original'));
    const message = el('div', { class: 'picker-message' });
    const node = el('div', {},
      el('div', { class: 'form-grid' }, field('Model', modelSel), field('Version', versionSel),
        field('Signature', signatureSel), withFlavor ? field('API', flavorSel) : null),
      message);

    const emit = () => onChange && onChange({ ...state });

    async function loadSignatures() {
      clear(signatureSel);
      clear(message);
      const { reply, signatures } = await api.metadata(state.model, state.version);
      state.signatures = signatures;
      if (!reply.ok) message.append(errorBox(reply, 'Model metadata'));
      for (const s of signatures) signatureSel.append(option(s.name, s.name));
      const names = signatures.map((s) => s.name);
      if (!names.includes(state.signature)) {
        state.signature = names.includes('serving_default') ? 'serving_default' : names[0] || '';
      }
      signatureSel.value = state.signature;
      emit();
    }

    function fillVersions() {
      clear(versionSel);
      const m = state.models.find((x) => x.name === state.model);
      state.platform = m ? m.platform : '';
      versionSel.append(option('', 'latest'));
      for (const v of (m ? m.versions : [])) versionSel.append(option(v.version, `${v.version} (${v.state.toLowerCase()})`));
      if (![...versionSel.options].some((o) => o.value === state.version)) state.version = '';
      versionSel.value = state.version;
    }

    async function load() {
      const { reply, models } = await api.listModels();
      state.models = models;
      clear(modelSel);
      if (!reply.ok) {
        message.append(errorBox(reply, 'Model list'));
        return;
      }
      if (!models.length) {
        message.append(el('div', { class: 'alert' }, 'No models are loaded.'));
        return;
      }
      for (const m of models) modelSel.append(option(m.name, m.name));
      if (!models.some((m) => m.name === state.model)) state.model = models[0].name;
      modelSel.value = state.model;
      fillVersions();
      await loadSignatures();
    }

    modelSel.addEventListener('change', () => {
      state.model = modelSel.value;
      state.version = '';
      fillVersions();
      loadSignatures();
    });
    versionSel.addEventListener('change', () => { state.version = versionSel.value; loadSignatures(); });
    signatureSel.addEventListener('change', () => { state.signature = signatureSel.value; emit(); });
    flavorSel.addEventListener('change', () => { state.flavor = flavorSel.value; emit(); });

    return { node, state, ready: load() };
  }

  // Keeps the current view's choices in the URL without re-rendering.
  function rememberInHash(route, params) {
    const hash = STFS.util.buildHash(route, params);
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  STFS.widgets = { field, option, stateBadge, replyStatus, errorBox, tensorTable, copyText, copyButton,
    modelPicker, rememberInHash };
})(typeof window !== 'undefined' ? window : globalThis);

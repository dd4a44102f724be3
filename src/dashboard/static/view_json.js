// JSON inference (#/json?model=&version=&signature=&flavor=): an editor
// prefilled with the example request, run against :predict (TF Serving) or
// POST / (original API), with the status, latency and pretty-printed reply.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear, prettyJson } = STFS.util;
  const { modelPicker, replyStatus, errorBox, copyButton, rememberInHash } = STFS.widgets;
  const api = STFS.api;

  function render(container, route) {
    const editor = el('textarea', { id: 'json-input', class: 'editor', spellcheck: 'false', rows: 14,
      dataset: { testid: 'json-input' }, 'aria-label': 'Request JSON' });
    const runButton = el('button', { type: 'button', class: 'btn btn-primary', id: 'run-json', dataset: { testid: 'run-json' } }, 'Run');
    const resetButton = el('button', { type: 'button', class: 'btn', dataset: { testid: 'reset-json' } }, 'Reset example');
    const formatButton = el('button', { type: 'button', class: 'btn', dataset: { testid: 'format-json' } }, 'Format');
    const editorMessage = el('div', { id: 'json-editor-message' });
    const status = el('div', { id: 'json-status', dataset: { testid: 'json-status' } });
    const output = el('pre', { id: 'json-output', class: 'code output', dataset: { testid: 'json-output' } });
    const target = el('code', { id: 'json-target', class: 'muted' });
    let current = null;

    const picker = modelPicker({
      prefix: 'json', withFlavor: true, initial: route.params,
      onChange(state) {
        current = state;
        rememberInHash('json', { model: state.model, version: state.version, signature: state.signature, flavor: state.flavor });
        target.textContent = state.flavor === 'original'
          ? 'POST /'
          : `POST ${api.modelPath(state.model, state.version)}:predict`;
        loadExample();
      },
    });

    async function loadExample() {
      if (!current || !current.model) return;
      const wanted = current;
      clear(editorMessage);
      const reply = await api.genJson(current.model, { signature: current.signature, version: current.version, flavor: current.flavor });
      if (wanted !== current) return;  // a newer selection won
      if (reply.ok) editor.value = reply.text;
      else editorMessage.append(errorBox(reply, 'Example request'));
    }

    async function run() {
      if (!current || !current.model) return;
      clear(editorMessage);
      try {
        JSON.parse(editor.value);
      } catch (err) {
        editorMessage.append(el('div', { class: 'alert alert-err', dataset: { testid: 'json-syntax-error' } },
          `Not valid JSON: ${err.message}`));
        return;
      }
      runButton.disabled = true;
      runButton.textContent = 'Running…';
      const reply = current.flavor === 'original'
        ? await api.predictOriginal(editor.value)
        : await api.predict(current.model, current.version, editor.value);
      runButton.disabled = false;
      runButton.textContent = 'Run';
      clear(status).append(replyStatus(reply, 'json-reply-status'));
      output.textContent = prettyJson(reply.text);
      output.classList.toggle('output-err', !reply.ok);
    }

    runButton.addEventListener('click', run);
    resetButton.addEventListener('click', loadExample);
    formatButton.addEventListener('click', () => { editor.value = prettyJson(editor.value); });
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });

    container.append(
      el('h1', {}, 'JSON inference'),
      el('section', { class: 'card' }, picker.node),
      el('div', { class: 'split' },
        el('section', { class: 'card' },
          el('div', { class: 'card-head' }, el('h2', {}, 'Request'), target),
          editor, editorMessage,
          el('div', { class: 'actions' }, runButton, formatButton, resetButton,
            el('span', { class: 'muted small' }, 'Ctrl+Enter runs'))),
        el('section', { class: 'card' },
          el('div', { class: 'card-head' }, el('h2', {}, 'Response'), copyButton(() => output.textContent, 'copy-json-output')),
          status, output)));
  }

  STFS.views = STFS.views || {};
  STFS.views.json = render;
})(typeof window !== 'undefined' ? window : globalThis);

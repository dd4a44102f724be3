// Image inference (#/image?model=&version=&signature=): drop or choose an
// image, preview it, POST it as multipart form data (the original API's
// "image" field plus model_name/model_version/signature_name) and show the
// outputs, with a top-k table for classifier-like outputs.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});
  const { el, clear, prettyJson, findClassifier, topK } = STFS.util;
  const { modelPicker, replyStatus, rememberInHash } = STFS.widgets;
  const api = STFS.api;

  const TOP_K = 5;

  function topKTable(result) {
    const rows = topK(result.probs, TOP_K, result.labels);
    return el('div', {},
      el('p', { class: 'muted small' }, `Output "${result.alias}"`, result.applied ? ` (${result.applied} applied to raw scores)` : ''),
      el('div', { class: 'table-wrap' }, el('table', { class: 'table topk', id: 'topk-table', dataset: { testid: 'topk-table' } },
        el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Class'), el('th', { class: 'num' }, 'Probability'), el('th', { class: 'bar-col' }, ''))),
        el('tbody', {}, rows.map((r, i) => el('tr', { dataset: { class: r.label, rank: i + 1 } },
          el('td', {}, String(i + 1)),
          el('td', {}, el('code', {}, r.label)),
          el('td', { class: 'num' }, `${(r.prob * 100).toFixed(2)}%`),
          el('td', { class: 'bar-col' }, el('div', { class: 'bar' },
            el('div', { class: 'bar-fill', style: { width: `${Math.max(0.5, r.prob * 100).toFixed(1)}%` } })))))))));
  }

  function render(container, route) {
    let current = null;
    let file = null;
    let previewUrl = null;

    const input = el('input', { type: 'file', id: 'image-input', accept: 'image/*', class: 'file-input', dataset: { testid: 'image-input' } });
    const preview = el('img', { id: 'image-preview', alt: 'Selected image', hidden: true, dataset: { testid: 'image-preview' } });
    const fileName = el('div', { class: 'muted small', id: 'image-file-name' }, 'No image chosen');
    const drop = el('label', { class: 'dropzone', id: 'image-drop', for: 'image-input', dataset: { testid: 'image-drop' } },
      el('span', {}, 'Drop an image here or ', el('u', {}, 'choose a file')), preview, fileName);
    const runButton = el('button', { type: 'button', class: 'btn btn-primary', id: 'run-image', disabled: true, dataset: { testid: 'run-image' } }, 'Run');
    const status = el('div', { id: 'image-status', dataset: { testid: 'image-status' } });
    const topk = el('div', { id: 'image-topk' });
    const output = el('pre', { id: 'image-output', class: 'code output', dataset: { testid: 'image-output' } });
    const hint = el('p', { class: 'muted small', id: 'image-hint' });

    const picker = modelPicker({
      prefix: 'image', initial: route.params,
      onChange(state) {
        current = state;
        rememberInHash('image', { model: state.model, version: state.version, signature: state.signature });
        const sig = state.signatures.find((s) => s.name === state.signature);
        const strings = sig ? sig.inputs.filter((t) => t.dtype === 'DT_STRING') : [];
        hint.textContent = strings.length
          ? `The image bytes are fed to the string input "${strings[0].alias}".`
          : 'This signature has no string input; the server may not accept an image for it.';
        runButton.disabled = !file;
      },
    });

    function choose(f) {
      if (!f) return;
      file = f;
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(f);
      preview.src = previewUrl;
      preview.hidden = false;
      fileName.textContent = `${f.name} · ${(f.size / 1024).toFixed(1)} KiB`;
      runButton.disabled = !current;
    }

    input.addEventListener('change', () => choose(input.files[0]));
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('dragging'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('dragging');
      if (e.dataTransfer && e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
    });

    runButton.addEventListener('click', async () => {
      if (!file || !current) return;
      runButton.disabled = true;
      runButton.textContent = 'Running…';
      const reply = await api.predictImage(file, { model: current.model, version: current.version, signature: current.signature });
      runButton.disabled = false;
      runButton.textContent = 'Run';
      clear(status).append(replyStatus(reply, 'image-reply-status'));
      clear(topk);
      const classifier = reply.ok && reply.json ? findClassifier(reply.json) : null;
      if (classifier) topk.append(topKTable(classifier));
      output.textContent = prettyJson(reply.text);
      output.classList.toggle('output-err', !reply.ok);
    });

    container.append(
      el('h1', {}, 'Image inference'),
      el('section', { class: 'card' }, picker.node, hint),
      el('div', { class: 'split' },
        el('section', { class: 'card' }, el('h2', {}, 'Image'), drop, input,
          el('div', { class: 'actions' }, runButton)),
        el('section', { class: 'card' }, el('h2', {}, 'Result'), status, topk,
          el('details', { open: true }, el('summary', {}, 'Raw response'), output))));

    return () => { if (previewUrl) URL.revokeObjectURL(previewUrl); };
  }

  STFS.views = STFS.views || {};
  STFS.views.image = render;
})(typeof window !== 'undefined' ? window : globalThis);

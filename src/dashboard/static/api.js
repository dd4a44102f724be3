// Every HTTP call the dashboard makes, and the adapters that turn the server's
// JSON into the shapes the views use. If an endpoint's JSON changes, only the
// matching normalize* function here changes.
//
// Each call resolves (never rejects) to a Reply:
//   {ok, status, statusText, text, json (or null), ms (latency), contentType}
// status 0 means the request did not reach the server.
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});

  async function request(method, path, options = {}) {
    const started = performance.now();
    let response;
    try {
      response = await fetch(path, {
        method,
        body: options.body,
        headers: options.headers,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (err) {
      return { ok: false, status: 0, statusText: 'network error', text: String(err), json: null,
        ms: performance.now() - started, contentType: '' };
    }
    const text = await response.text();
    const ms = performance.now() - started;
    let json = null;
    try { json = JSON.parse(text); } catch (_) { /* not JSON: keep text */ }
    return { ok: response.ok, status: response.status, statusText: response.statusText, text, json, ms,
      contentType: response.headers.get('content-type') || '' };
  }

  const enc = encodeURIComponent;
  const modelPath = (name, version) =>
    `/v1/models/${enc(name)}` + (version ? (/^\d+$/.test(version) ? `/versions/${version}` : `/labels/${enc(version)}`) : '');

  // GET /v1/models -> {"models": [{"name", "platform", "versions": [{"version", "state", "error"}]}]}.
  // Also accepts the original STFS list ([{"model_name", "model_version_list", "platform"}]).
  function normalizeModelList(json) {
    const list = Array.isArray(json) ? json : json && Array.isArray(json.models) ? json.models : [];
    return list.map((m) => ({
      name: m.name || m.model_name || '',
      platform: m.platform || 'tensorflow',
      versions: (m.versions || m.model_version_list || []).map((v) =>
        typeof v === 'object'
          ? { version: String(v.version), state: v.state || 'UNKNOWN', error: v.error || (v.status && v.status.error_message) || '' }
          : { version: String(v), state: 'AVAILABLE', error: '' }),
      basePath: m.base_path || m.model_base_path || '',
    })).filter((m) => m.name);
  }

  // GET /v1/models/<name> -> TF Serving model_version_status.
  function normalizeStatus(json) {
    return ((json && json.model_version_status) || []).map((v) => ({
      version: String(v.version),
      state: v.state || 'UNKNOWN',
      error: (v.status && v.status.error_message) || '',
      errorCode: (v.status && v.status.error_code) || '',
    }));
  }

  // GET .../metadata -> [{name, method, inputs: [{alias, dtype, shape, tensorName}], outputs, ops}]
  // sorted with serving_default first. `ops` comes from an optional
  // "ops" list on the signature or on metadata (["MatMul", ...]) if the server sends one.
  function normalizeMetadata(json) {
    const meta = (json && json.metadata) || {};
    const defs = (meta.signature_def && meta.signature_def.signature_def) || {};
    const modelOps = meta.ops || meta.ops_used || null;
    const tensors = (map) => Object.entries(map || {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([alias, t]) => ({ alias, dtype: t.dtype, shape: t.tensor_shape, tensorName: t.name || '' }));
    return Object.entries(defs)
      .filter(([name]) => !name.startsWith('__'))
      .map(([name, d]) => ({ name, method: d.method_name || '', inputs: tensors(d.inputs),
        outputs: tensors(d.outputs), ops: d.ops || modelOps }))
      .sort((a, b) => (a.name === 'serving_default' ? -1 : b.name === 'serving_default' ? 1 : a.name < b.name ? -1 : 1));
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  const api = {
    request,
    normalizeModelList,
    normalizeStatus,
    normalizeMetadata,
    modelPath,

    health: () => request('GET', '/health'),
    metrics: () => request('GET', '/monitoring/prometheus/metrics'),

    async listModels() {
      const reply = await request('GET', '/v1/models');
      return { reply, models: reply.ok ? normalizeModelList(reply.json) : [] };
    },
    async modelStatus(name) {
      const reply = await request('GET', modelPath(name));
      return { reply, versions: reply.ok ? normalizeStatus(reply.json) : [] };
    },
    async metadata(name, version) {
      const reply = await request('GET', `${modelPath(name, version)}/metadata`);
      return { reply, signatures: reply.ok ? normalizeMetadata(reply.json) : [] };
    },
    // Example request body (text) for a signature; flavor 'tfserving' or 'original'.
    genJson: (name, { signature, version, flavor } = {}) =>
      request('GET', `/v1/models/${enc(name)}/gen_json` + query({ signature_name: signature, version, flavor })),
    // Client program source (text).
    genClient: (name, { language, flavor, signature, version } = {}) =>
      request('GET', `/v1/models/${enc(name)}/gen_client` +
        query({ language, flavor, signature_name: signature, version })),
    // TF Serving predict with a JSON body (text, sent as-is).
    predict: (name, version, bodyText) =>
      request('POST', `${modelPath(name, version)}:predict`,
        { body: bodyText, headers: { 'Content-Type': 'application/json' } }),
    // The original API: POST / with a JSON body.
    predictOriginal: (bodyText) =>
      request('POST', '/', { body: bodyText, headers: { 'Content-Type': 'application/json' } }),
    // The original API's multipart upload: field "image" plus model fields.
    predictImage(file, { model, version, signature } = {}) {
      const form = new FormData();
      form.append('image', file, file.name || 'image');
      if (model) form.append('model_name', model);
      if (version) form.append('model_version', version);
      if (signature) form.append('signature_name', signature);
      return request('POST', '/', { body: form });
    },
  };

  STFS.api = api;
})(typeof window !== 'undefined' ? window : globalThis);
